/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TW_KEYPAIR_ERROR (tw_keypair_error_quark ())
GQuark tw_keypair_error_quark (void);

/**
 * TwKeypairError:
 * @TW_KEYPAIR_ERROR_GENERATE: libssh could not make a key
 * @TW_KEYPAIR_ERROR_INVALID: the private key text cannot be read
 * @TW_KEYPAIR_ERROR_NOT_FOUND: the keyring holds no key for this tunnel
 */
typedef enum {
  TW_KEYPAIR_ERROR_GENERATE,
  TW_KEYPAIR_ERROR_INVALID,
  TW_KEYPAIR_ERROR_NOT_FOUND,
} TwKeypairError;

#define TW_TYPE_KEYPAIR (tw_keypair_get_type ())
G_DECLARE_FINAL_TYPE (TwKeypair, tw_keypair, TW, KEYPAIR, GObject)

TwKeypair  *tw_keypair_generate            (const char           *comment,
                                            GError              **error);
TwKeypair  *tw_keypair_generate_rsa        (guint                 bits,
                                            const char           *comment,
                                            GError              **error);
TwKeypair  *tw_keypair_new_from_private    (const char           *private_key,
                                            const char           *comment,
                                            GError              **error);

const char *tw_keypair_get_public_key      (TwKeypair            *self);
const char *tw_keypair_get_fingerprint     (TwKeypair            *self);
char       *tw_keypair_export_private      (TwKeypair            *self);
void        tw_keypair_free_secret         (char                 *secret);

void        tw_keypair_store_async         (TwKeypair            *self,
                                            const char           *tunnel_id,
                                            const char           *label,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    tw_keypair_store_finish        (TwKeypair            *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        tw_keypair_lookup_async        (const char           *tunnel_id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
TwKeypair  *tw_keypair_lookup_finish       (GAsyncResult         *result,
                                            GError              **error);
void        tw_keypair_delete_async        (const char           *tunnel_id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    tw_keypair_delete_finish       (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
