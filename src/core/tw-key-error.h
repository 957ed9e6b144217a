/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The key engine's error domain. It sits at the bottom, with reading key text
 * (tw-key-text.c, tw-key-blob.c), which sets it; the layers above only pass it on. */
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

G_END_DECLS
