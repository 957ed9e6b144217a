/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"
#include "tw-reverse-runner.h"

G_BEGIN_DECLS

#define TW_TYPE_REVERSE_STATUS_PAGE (tw_reverse_status_page_get_type ())
G_DECLARE_FINAL_TYPE (TwReverseStatusPage, tw_reverse_status_page, TW, REVERSE_STATUS_PAGE, AdwBin)

/*
 * Reverse mode, last step: the live state of the tunnel (stopped, connecting, up, retrying
 * with a countdown, failed with the reason), up since, reconnects, bytes each way and open
 * connections, from the runner's engine for "entry-id"; what the bastion listens on; and
 * "Start at login". Properties: "tunnel" (read-write: the settings shown), "entry-id"
 * (read-write, NULL while the tunnel is not saved), "runner" (read-write).
 * Actions: "page.start" (emits ::start-requested: the window saves, then starts),
 * "page.stop".
 */
void        tw_reverse_status_page_set_tunnel   (TwReverseStatusPage *self,
                                                 TwTunnel            *tunnel);
void        tw_reverse_status_page_set_entry_id (TwReverseStatusPage *self,
                                                 const char          *entry_id);
const char *tw_reverse_status_page_get_entry_id (TwReverseStatusPage *self);
void        tw_reverse_status_page_set_runner   (TwReverseStatusPage *self,
                                                 TwReverseRunner     *runner);
/* The state line as shown, e.g. "Up" or "Retrying in 4 s" (for tests) */
const char *tw_reverse_status_page_get_state_text (TwReverseStatusPage *self);

G_END_DECLS
