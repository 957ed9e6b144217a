/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TW_KEY_ERROR (tw_key_error_quark ())

/**
 * TwKeyError:
 * @TW_KEY_ERROR_EMPTY: nothing but white space was given
 * @TW_KEY_ERROR_NOT_A_KEY: the text is not a public key in any known format
 * @TW_KEY_ERROR_SEVERAL_KEYS: more than one key was pasted
 * @TW_KEY_ERROR_CORRUPT: the base64 does not decode, or the blob is truncated
 * @TW_KEY_ERROR_TYPE_MISMATCH: the blob's inner type differs from the outer name
 * @TW_KEY_ERROR_DSA: an ssh-dss key, disabled since OpenSSH 7.0
 * @TW_KEY_ERROR_UNSUPPORTED: a well-formed key of a type we do not handle
 * @TW_KEY_ERROR_PRIVATE_KEY: a private key was pasted; its text is in no message
 */
typedef enum {
  TW_KEY_ERROR_EMPTY,
  TW_KEY_ERROR_NOT_A_KEY,
  TW_KEY_ERROR_SEVERAL_KEYS,
  TW_KEY_ERROR_CORRUPT,
  TW_KEY_ERROR_TYPE_MISMATCH,
  TW_KEY_ERROR_DSA,
  TW_KEY_ERROR_UNSUPPORTED,
  TW_KEY_ERROR_PRIVATE_KEY,
} TwKeyError;

GQuark tw_key_error_quark (void);

#define TW_TYPE_PUBLIC_KEY (tw_public_key_get_type ())
G_DECLARE_FINAL_TYPE (TwPublicKey, tw_public_key, TW, PUBLIC_KEY, GObject)

TwPublicKey        *tw_public_key_parse           (const char   *text,
                                                   GError      **error);

/* "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "sk-ssh-ed25519@openssh.com", … */
const char         *tw_public_key_get_key_type    (TwPublicKey  *self);
/* What ssh-keygen -l prints in brackets: "ED25519", "RSA", "ECDSA", "ED25519-SK", "ECDSA-SK" */
const char         *tw_public_key_get_type_label  (TwPublicKey  *self);
guint               tw_public_key_get_bits        (TwPublicKey  *self);
const char         *tw_public_key_get_comment     (TwPublicKey  *self);
/* Leading authorized_keys options as pasted, or NULL */
const char         *tw_public_key_get_options     (TwPublicKey  *self);
const char         *tw_public_key_get_base64      (TwPublicKey  *self);
GBytes             *tw_public_key_get_blob        (TwPublicKey  *self);
/* "SHA256:…", byte-identical to ssh-keygen -lf */
const char         *tw_public_key_get_fingerprint (TwPublicKey  *self);
/* The picture ssh-keygen -lv draws, lines joined by "\n", no trailing newline */
const char         *tw_public_key_get_randomart   (TwPublicKey  *self);
/* "TYPE BASE64[ COMMENT]": the key on one line, without options */
const char         *tw_public_key_get_line        (TwPublicKey  *self);
/* Plain-language warnings (key joined from several lines, RSA and OpenSSH 8.8+, …) */
const char * const *tw_public_key_get_warnings    (TwPublicKey  *self);
gboolean            tw_public_key_is_rsa          (TwPublicKey  *self);
/* The object tunnel-check key prints */
JsonNode           *tw_public_key_to_json         (TwPublicKey  *self);

G_END_DECLS
