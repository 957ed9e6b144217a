/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-enums.h"
#include "tw-fingerprint.h"

G_BEGIN_DECLS

#define TW_TYPE_FINGERPRINT_COMPARE (tw_fingerprint_compare_get_type ())
G_DECLARE_FINAL_TYPE (TwFingerprintCompare, tw_fingerprint_compare, TW, FINGERPRINT_COMPARE, AdwBin)

/*
 * The field where the admin pastes a fingerprint, and the character by
 * character comparison with "expected" (the host key seen): the pasted text
 * in the same groups as the key, each differing character highlighted
 * (background, bold, double underline: not by colour alone), and the
 * verdict in words. Properties: "expected" (read-write, "SHA256:…" or NULL),
 * "verdict" (read-only, TwFingerprintVerdict).
 */
const char           *tw_fingerprint_compare_get_expected (TwFingerprintCompare *self);
void                  tw_fingerprint_compare_set_expected (TwFingerprintCompare *self,
                                                           const char           *expected);
TwFingerprintVerdict  tw_fingerprint_compare_get_verdict  (TwFingerprintCompare *self);

/* (transfer full): the look of a fingerprint on screen, large and monospace */
PangoAttrList        *tw_fingerprint_attributes           (void);

#define TW_FINGERPRINT_GROUP_SIZE 4

G_END_DECLS
