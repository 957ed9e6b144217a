/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-application.h"
#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_WINDOW (tw_window_get_type ())
G_DECLARE_FINAL_TYPE (TwWindow, tw_window, TW, WINDOW, AdwApplicationWindow)

TwWindow      *tw_window_new                (TwApplication *application);

TwTunnelStore *tw_window_get_store          (TwWindow      *self);
/* The tunnel the wizard is editing, or NULL on the start page */
TwTunnel      *tw_window_get_tunnel         (TwWindow      *self);
/* The index of the wizard step shown (0 … 6; 0 … 5 for a reverse tunnel), or -1 on the
 * start page */
int            tw_window_get_step           (TwWindow      *self);
/* The page widget of a step of the tunnel's mode */
GtkWidget     *tw_window_get_step_page      (TwWindow      *self,
                                             guint          step);
/* The "Check again" view (a TwRecheckPage) when it is shown, else NULL */
GtkWidget     *tw_window_get_recheck_page   (TwWindow      *self);
GtkWidget     *tw_window_get_start_page     (TwWindow      *self);
/* TRUE once the saved tunnels and the draft have been read */
gboolean       tw_window_get_loaded         (TwWindow      *self);
/* Opens the saved reverse tunnel @id on its status page (once the store has loaded) */
void           tw_window_show_reverse_tunnel (TwWindow     *self,
                                              const char   *id);

G_END_DECLS
