/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

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

G_END_DECLS
