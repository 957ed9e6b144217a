/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-key-blob.h"
#include "tw-key-error.h"

G_BEGIN_DECLS

/* Internal to the key engine: the key found in a pasted text. */
typedef struct {
  GBytes        *blob;
  TwKeyBlobInfo  info;
  char          *comment;   /* may be NULL or empty */
  char          *options;   /* leading authorized_keys options, or NULL */
  gboolean       joined;    /* the key was broken over lines or spaces */
} TwKeyText;

gboolean tw_key_text_read  (const char  *text,
                            TwKeyText   *result,
                            GError     **error);
void     tw_key_text_clear (TwKeyText   *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TwKeyText, tw_key_text_clear)

G_END_DECLS
