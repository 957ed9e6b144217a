/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TW_KEY_PAIR_ERROR (tw_key_pair_error_quark ())

/**
 * TwKeyPairError:
 * @TW_KEY_PAIR_ERROR_FAILED: libssh could not make or export the key
 */
typedef enum {
  TW_KEY_PAIR_ERROR_FAILED,
} TwKeyPairError;

GQuark   tw_key_pair_error_quark (void);

/**
 * tw_key_pair_generate:
 * @comment: (nullable): the public key's comment, e.g. "tunnel-wizard@host"
 * @public_line: (out): "ssh-ed25519 BASE64[ COMMENT]"
 * @private_key: (out): the private key in OpenSSH format, unencrypted: keep it only in the
 *   keyring (tw_secrets_store_async) and wipe it with tw_key_pair_free_private()
 *
 * Makes an ed25519 key pair with libssh, for tunnels this machine opens itself.
 */
gboolean tw_key_pair_generate     (const char  *comment,
                                   char       **public_line,
                                   char       **private_key,
                                   GError     **error);
/* Overwrites the private key's memory, then frees it. NULL is fine. */
void     tw_key_pair_free_private (char        *private_key);

G_END_DECLS
