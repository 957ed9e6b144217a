/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TW_SSH_SIGNATURE_ERROR (tw_ssh_signature_error_quark ())
GQuark tw_ssh_signature_error_quark (void);

/**
 * TwSshSignatureError:
 * @TW_SSH_SIGNATURE_ERROR_MALFORMED: the key or the signature cannot be read
 * @TW_SSH_SIGNATURE_ERROR_UNSUPPORTED: a key or signature type not handled here
 * @TW_SSH_SIGNATURE_ERROR_MISMATCH: the signature's algorithm does not fit the key
 * @TW_SSH_SIGNATURE_ERROR_BAD: the signature does not verify
 */
typedef enum {
  TW_SSH_SIGNATURE_ERROR_MALFORMED,
  TW_SSH_SIGNATURE_ERROR_UNSUPPORTED,
  TW_SSH_SIGNATURE_ERROR_MISMATCH,
  TW_SSH_SIGNATURE_ERROR_BAD,
} TwSshSignatureError;

/* Whether @signature (the wire form: string algorithm, string blob) is a
 * signature of @data by the public key @key_blob (a plain Ed25519, ECDSA
 * or RSA key blob), checked with libcrypto. @algorithm: (out) (optional):
 * the signature's algorithm name, e.g. "rsa-sha2-512", also on failure
 * when it could be read. */
gboolean tw_ssh_signature_verify (GBytes        *key_blob,
                                  const guint8  *signature,
                                  gsize          signature_len,
                                  const guint8  *data,
                                  gsize          data_len,
                                  char         **algorithm,
                                  GError       **error);

G_END_DECLS
