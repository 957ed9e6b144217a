/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TwPrivateKeyFormat:
 * @TW_PRIVATE_KEY_FORMAT_OPENSSH: "BEGIN OPENSSH PRIVATE KEY", what ssh-keygen writes
 * @TW_PRIVATE_KEY_FORMAT_PKCS1: "BEGIN RSA PRIVATE KEY" (RSA keys only)
 * @TW_PRIVATE_KEY_FORMAT_PKCS8: "BEGIN PRIVATE KEY"
 *
 * The formats a data service may ask for when the admin gives it the private key.
 */
typedef enum {
  TW_PRIVATE_KEY_FORMAT_OPENSSH,
  TW_PRIVATE_KEY_FORMAT_PKCS1,
  TW_PRIVATE_KEY_FORMAT_PKCS8,
} TwPrivateKeyFormat;

gboolean    tw_private_key_format_from_string (const char          *name,
                                               TwPrivateKeyFormat  *format);
const char *tw_private_key_format_to_string   (TwPrivateKeyFormat   format);

char       *tw_private_key_convert            (const char          *private_key,
                                               TwPrivateKeyFormat   format,
                                               GError             **error);

G_END_DECLS
