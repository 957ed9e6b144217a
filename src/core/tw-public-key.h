/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tw-key-error.h"

G_BEGIN_DECLS

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
