/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-enums.h"
#include "tw-fingerprint.h"

G_BEGIN_DECLS

#define TW_TYPE_FINGERPRINT_COMPARE (tw_fingerprint_compare_get_type ())
G_DECLARE_FINAL_TYPE (TwFingerprintCompare, tw_fingerprint_compare, TW, FINGERPRINT_COMPARE, AdwBin)

/*
 * The field where the admin pastes a fingerprint, and the comparison with
 * the server's host keys (see tw_fingerprint_compare_set_keys()): the pasted text
 * in the same groups as the key, each differing character highlighted
 * (background, bold, double underline: not by colour alone), and the
 * verdict in words. Properties: "expected" (the first key's "SHA256:…" or
 * NULL; setting it alone compares nothing), "verdict" (read-only,
 * TwFingerprintVerdict; notifies when the matched key changes too).
 */
const char           *tw_fingerprint_compare_get_expected (TwFingerprintCompare *self);
void                  tw_fingerprint_compare_set_expected (TwFingerprintCompare *self,
                                                           const char           *expected);
TwFingerprintVerdict  tw_fingerprint_compare_get_verdict  (TwFingerprintCompare *self);

/* Every host key of the server (element-type TwPublicKey), the one shown
 * large first: the pasted text matches if it designates any of them
 * ("verdict" MATCH, and "matched" says which). Sets "expected" to the
 * first one's fingerprint. */
/* The text in the field, as if pasted */
void                  tw_fingerprint_compare_set_pasted   (TwFingerprintCompare *self,
                                                           const char           *text);
const char           *tw_fingerprint_compare_get_pasted   (TwFingerprintCompare *self);
void                  tw_fingerprint_compare_set_keys     (TwFingerprintCompare *self,
                                                           GPtrArray            *keys);
/* (transfer none) (nullable): the key that matched */
TwPublicKey          *tw_fingerprint_compare_get_matched  (TwFingerprintCompare *self);

/* (transfer full): the look of a fingerprint on screen, large and monospace */
PangoAttrList        *tw_fingerprint_attributes           (void);

#define TW_FINGERPRINT_GROUP_SIZE 4

G_END_DECLS
