/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-fingerprint.h"
#include "tw-report.h"
#include "tw-tunnel.h"
#include "tw-wizard-page.h"

G_BEGIN_DECLS

#define TW_TYPE_FINGERPRINT_PAGE (tw_fingerprint_page_get_type ())
G_DECLARE_FINAL_TYPE (TwFingerprintPage, tw_fingerprint_page, TW, FINGERPRINT_PAGE, TwWizardPage)

/*
 * "Confirm the fingerprint", a TwWizardPage: complete when the
 * tunnel's pinned fingerprint is the host key seen, and no changed key is
 * waiting for a deliberate re-confirmation. Properties: "report"
 * (read-write: the run whose host key is shown — bind it to the SSH check
 * page's "report"; without one, the page reads the key itself when it is
 * first shown), "blocked" (read-only: the key differs from
 * the pinned one, or known_hosts has another key for the host).
 * Actions: "page.confirm" (pins the key; needs a matching pasted
 * fingerprint), "page.reconfirm" (pins a changed key; needs the "verified
 * with the owner" box ticked), "page.read-key".
 */
GtkWidget            *tw_fingerprint_page_new            (void);
TwReport             *tw_fingerprint_page_get_report     (TwFingerprintPage *self);
void                  tw_fingerprint_page_set_report     (TwFingerprintPage *self,
                                                          TwReport          *report);
gboolean              tw_fingerprint_page_get_complete   (TwFingerprintPage *self);
gboolean              tw_fingerprint_page_get_blocked    (TwFingerprintPage *self);
/* The verdict of the comparison with the pasted text */
TwFingerprintVerdict  tw_fingerprint_page_get_verdict    (TwFingerprintPage *self);

G_END_DECLS
