/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_RECHECK_PAGE (tw_recheck_page_get_type ())
G_DECLARE_FINAL_TYPE (TwRecheckPage, tw_recheck_page, TW, RECHECK_PAGE, AdwBin)

/*
 * "Check Again" from the list of saved tunnels: every check the saved tunnel
 * can run from here, at once, outside the wizard. The SSH port's checks
 * always; the checks through the tunnel too when @credentials are given (the
 * login saved with the tunnel). Done goes back to the list (win.back), Edit
 * opens the tunnel in the wizard (win.open-tunnel), and the report can be
 * exported. "report" (read-only) is the run's report; "finished" is emitted
 * with the run's error (NULL, cancellation, or TW_PROBE_ERROR).
 */
void      tw_recheck_page_start      (TwRecheckPage *self,
                                      TwTunnel      *tunnel,
                                      const char    *tunnel_id,
                                      TwCredentials *credentials);
void      tw_recheck_page_cancel     (TwRecheckPage *self);
TwReport *tw_recheck_page_get_report (TwRecheckPage *self);

G_END_DECLS
