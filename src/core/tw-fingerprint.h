/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-public-key.h"

G_BEGIN_DECLS

#define TW_FINGERPRINT_ERROR (tw_fingerprint_error_quark ())

/**
 * TwFingerprintError:
 * @TW_FINGERPRINT_ERROR_EMPTY: nothing but white space was given
 * @TW_FINGERPRINT_ERROR_MD5: an MD5 fingerprint (hex pairs), which cannot be
 *   compared with a SHA256 one
 * @TW_FINGERPRINT_ERROR_INVALID: no SHA256 fingerprint in the text, or one of
 *   the wrong length or with characters base64 does not use
 */
typedef enum {
  TW_FINGERPRINT_ERROR_EMPTY,
  TW_FINGERPRINT_ERROR_MD5,
  TW_FINGERPRINT_ERROR_INVALID,
} TwFingerprintError;

/**
 * TwFingerprintKind:
 * @TW_FINGERPRINT_KIND_SHA256: a SHA256 fingerprint ("SHA256:…", bare, or
 *   in an `ssh-keygen -lf` line)
 * @TW_FINGERPRINT_KIND_MD5: the MD5 colon-hex form older tools show: weak,
 *   but still compared
 * @TW_FINGERPRINT_KIND_KEY: the public key itself (a known_hosts,
 *   ssh-keyscan or .pub line): compared key to key
 */
typedef enum {
  TW_FINGERPRINT_KIND_SHA256,
  TW_FINGERPRINT_KIND_MD5,
  TW_FINGERPRINT_KIND_KEY,
} TwFingerprintKind;

GQuark tw_fingerprint_error_quark (void);

/* Characters in a SHA256 fingerprint's base64 body (32 bytes, no padding) */
#define TW_FINGERPRINT_SHA256_LENGTH 43

/**
 * TwFingerprintVerdict:
 * @TW_FINGERPRINT_VERDICT_EMPTY: nothing to compare yet
 * @TW_FINGERPRINT_VERDICT_MATCH: every character is the same
 * @TW_FINGERPRINT_VERDICT_MISMATCH: at least one character differs, or the lengths differ
 * @TW_FINGERPRINT_VERDICT_NOT_SHA256: the text is an MD5 fingerprint
 */
typedef enum {
  TW_FINGERPRINT_VERDICT_EMPTY,
  TW_FINGERPRINT_VERDICT_MATCH,
  TW_FINGERPRINT_VERDICT_MISMATCH,
  TW_FINGERPRINT_VERDICT_NOT_SHA256,
} TwFingerprintVerdict;

/*
 * tw_fingerprint_extract:
 * @text: what the admin pasted: "SHA256:…", the bare base64, a line of
 *   `ssh-keygen -lf` ("256 SHA256:… root@host (ED25519)"), or the grouped
 *   form this app displays ("abcd efgh …")
 *
 * Finds the base64 body of a SHA256 fingerprint in @text without judging it,
 * so that a fingerprint with a typo can still be compared character by
 * character. Trailing "=" padding is dropped, as ssh-keygen does.
 *
 * Returns: (transfer full) (nullable): the body, without "SHA256:", or NULL
 *   when @text is empty or an MD5 fingerprint
 */
char                 *tw_fingerprint_extract  (const char  *text);

/*
 * tw_fingerprint_parse:
 *
 * Like tw_fingerprint_extract(), and checks that the body is 43 base64
 * characters that decode to 32 bytes.
 *
 * Returns: (transfer full): "SHA256:" and the body, as ssh-keygen -lf prints it
 */
char                 *tw_fingerprint_parse    (const char  *text,
                                               GError     **error);

/*
 * tw_fingerprint_compare:
 * @expected: the real fingerprint ("SHA256:…" or the bare body)
 * @text: what the admin pasted (any form tw_fingerprint_extract() accepts)
 * @mismatches: (out) (optional) (transfer full): the positions in the
 *   extracted body (0-based) whose character differs from @expected's, plus
 *   the positions of characters beyond @expected's length; a body shorter
 *   than @expected counts its missing characters through @n_missing
 * @n_missing: (out) (optional): how many characters the body lacks
 *
 * Compares character by character: base64 is case-sensitive, so "a" and "A"
 * differ.
 */
TwFingerprintVerdict  tw_fingerprint_compare  (const char  *expected,
                                               const char  *text,
                                               GArray     **mismatches,
                                               guint       *n_missing);

/*
 * tw_fingerprint_format_groups:
 * @fingerprint: "SHA256:…" or the bare body
 * @group_size: characters per group, e.g. 4
 *
 * The body split into groups separated by one space, easier to read aloud
 * and compare by eye. Character i of the body is at byte
 * tw_fingerprint_group_offset (i, group_size) of the result.
 *
 * Returns: (transfer full): the grouped body, without "SHA256:"
 */
char                 *tw_fingerprint_format_groups (const char *fingerprint,
                                                    guint       group_size);
guint                 tw_fingerprint_group_offset  (guint       index,
                                                    guint       group_size);

/*
 * TwFingerprintInput:
 * @kind: what the text held
 * @value: SHA256: "SHA256:" and the 43-character body; MD5: the 16 bytes as
 *   lowercase colon-hex without "MD5:"; KEY: the key's own SHA256 fingerprint
 * @key: (nullable): KEY only: the key that was pasted
 * @type_label: (nullable): the key type the text names, as ssh-keygen
 *   prints it in brackets ("ED25519", "ECDSA", "RSA"), or NULL
 *
 * A fingerprint as an admin pastes it, in any form ssh tools print.
 */
typedef struct
{
  TwFingerprintKind  kind;
  char              *value;
  TwPublicKey       *key;
  char              *type_label;
} TwFingerprintInput;

/*
 * tw_fingerprint_input_parse:
 * @text: "SHA256:…", the bare base64, a whole `ssh-keygen -lf` line (also
 *   with -E md5), a known_hosts or ssh-keyscan line (hashed or not), a .pub
 *   line, or "MD5:aa:bb:…"/"aa:bb:…". White space, line breaks, "#" comment
 *   lines and surrounding quotes are ignored.
 *
 * Returns: (transfer full): the fingerprint, or NULL with
 *   TW_FINGERPRINT_ERROR_EMPTY, or TW_FINGERPRINT_ERROR_INVALID and a message
 *   that lists the forms that work
 */
TwFingerprintInput   *tw_fingerprint_input_parse (const char          *text,
                                                  GError             **error);
void                  tw_fingerprint_input_free  (TwFingerprintInput  *input);

/*
 * tw_fingerprint_input_matches:
 * @key: one of the server's host keys
 *
 * Whether @input designates @key: the same SHA256 fingerprint, the same MD5
 * fingerprint, or the same key.
 */
gboolean              tw_fingerprint_input_matches (const TwFingerprintInput *input,
                                                    TwPublicKey              *key);

/*
 * tw_fingerprint_input_find:
 * @keys: (element-type TwPublicKey): the server's host keys
 *
 * Returns: the index in @keys of the key @input designates, or -1
 */
int                   tw_fingerprint_input_find    (const TwFingerprintInput *input,
                                                    GPtrArray                *keys);

/* "aa:bb:…" (lowercase, no "MD5:"), as ssh-keygen -E md5 -lf prints it. (transfer full) */
char                 *tw_fingerprint_md5           (TwPublicKey *key);

/* The words for the formats that work, for a message. (transfer none) */
const char           *tw_fingerprint_formats_help  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwFingerprintInput, tw_fingerprint_input_free)

G_END_DECLS
