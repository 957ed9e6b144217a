/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Internal to the key engine: what a public key blob says about itself.
 * The strings are static. */
typedef struct {
  const char *key_type;   /* "ssh-ed25519", … */
  const char *type_label; /* "ED25519", … as ssh-keygen -l prints it */
  guint       bits;
} TwKeyBlobInfo;

typedef enum {
  TW_KEY_TYPE_SUPPORTED,
  TW_KEY_TYPE_DSA,
  TW_KEY_TYPE_UNSUPPORTED,
  TW_KEY_TYPE_NOT_A_TYPE,
} TwKeyTypeKind;

TwKeyTypeKind tw_key_blob_classify_type (const char *name,
                                         gsize       len);

/* @base64 is NUL-terminated, without white space. */
GBytes       *tw_key_blob_decode_base64 (const char *base64,
                                         GError    **error);

gboolean      tw_key_blob_inspect       (const char    *outer_type,
                                         GBytes        *blob,
                                         TwKeyBlobInfo *info,
                                         GError       **error);

/* The inner type name of a blob, for RFC 4716 blocks that carry no outer
 * name. Returns a newly allocated printable name, or NULL. */
char         *tw_key_blob_peek_type     (GBytes        *blob);

G_END_DECLS
