/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/* A generator of one kind of setup instructions: every format has the same shape, so the
 * prepare page and `tunnel-check setup --format` list the same table. */
typedef char *(*TwSetupRenderFunc) (TwTunnel     *tunnel,
                                    TwPublicKey  *key,
                                    GError      **error);

typedef struct
{
  const char        *name;     /* stable: the value of --format */
  const char        *title;    /* N_(): translated when shown */
  TwSetupRenderFunc  render;
} TwSetupFormat;

/* (transfer none): the formats, in the order they are offered */
const TwSetupFormat *tw_setup_get_formats (guint      *n_formats);
/* (transfer none) (nullable): the format called @name */
const TwSetupFormat *tw_setup_find_format (const char *name);
/* "linux, windows, …": the names, for usage messages */
char                *tw_setup_describe_format_names (void);

G_END_DECLS
