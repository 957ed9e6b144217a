/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-check-list.h"
#include "tw-probe.h"

G_BEGIN_DECLS

#define TW_TYPE_CHECK_PANEL (tw_check_panel_get_type ())
G_DECLARE_FINAL_TYPE (TwCheckPanel, tw_check_panel, TW, CHECK_PANEL, AdwBin)

/*
 * What the two check steps share: a verdict line, a progress bar, the
 * TwCheckList of a probe's report, and Run / Cancel buttons. The buttons
 * carry the action names "page.run" and "page.cancel", which the page that
 * hosts the panel installs (and enables). The panel owns the probe: one for
 * its tunnel and checks, replaced by a new one (pending checks, no verdict)
 * whenever a watched tunnel property changes. Runs it with a cancellable of
 * its own, cancelled when the panel leaves its window; "finished" is emitted
 * with the run's error (NULL, cancellation, or TW_PROBE_ERROR).
 * Properties: "probe" (read-only: notified when replaced), "running",
 * "has-run" (read-only), "extra" (a widget of the hosting page's, under the buttons and
 * above the rows: what follows from a run stays in sight with its verdict).
 */
/* Which checks the probe runs, and the tunnel properties whose change makes a run stale.
 * Once, before the tunnel is set; shows the checks as pending rows right away. */
void         tw_check_panel_set_checks    (TwCheckPanel       *self,
                                           const char * const *check_ids,
                                           const char * const *watched);
void         tw_check_panel_set_tunnel    (TwCheckPanel *self,
                                           TwTunnel     *tunnel);
/* (transfer none) (nullable): NULL without a tunnel; to adjust the next run (credentials, timeout) */
TwProbe     *tw_check_panel_get_probe     (TwCheckPanel *self);
/* (transfer none) (nullable): the probe's live report */
TwReport    *tw_check_panel_get_report    (TwCheckPanel *self);
/* NULL (default) = the user's and the system's */
const char  *tw_check_panel_get_known_hosts_file (TwCheckPanel *self);
void         tw_check_panel_set_known_hosts_file (TwCheckPanel *self,
                                                  const char   *path);
TwCheckList *tw_check_panel_get_list      (TwCheckPanel *self);
gboolean     tw_check_panel_get_running   (TwCheckPanel *self);
gboolean     tw_check_panel_get_has_run   (TwCheckPanel *self);
void         tw_check_panel_run           (TwCheckPanel *self);
void         tw_check_panel_cancel        (TwCheckPanel *self);
/* How many checks of the report have @status */
guint        tw_check_panel_count         (TwCheckPanel *self,
                                           TwCheckStatus status);
/* A line above the list: an icon, a colour class ("success", "warning",
 * "error", "dim-label") and words. @text NULL hides it. */
void         tw_check_panel_show_verdict  (TwCheckPanel *self,
                                           const char   *icon_name,
                                           const char   *css_class,
                                           const char   *text);
/* The verdict line for a finished run, as both check steps say it: cancelled,
 * broken off by @error, checks failed, else @warn_text or @ok_text by the
 * report's verdict. Returns TRUE when the run passed (with warnings or not). */
gboolean     tw_check_panel_show_outcome  (TwCheckPanel *self,
                                           const GError *error,
                                           const char   *warn_text,
                                           const char   *ok_text);

G_END_DECLS
