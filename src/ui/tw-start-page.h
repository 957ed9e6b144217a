/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_START_PAGE (tw_start_page_get_type ())
G_DECLARE_FINAL_TYPE (TwStartPage, tw_start_page, TW, START_PAGE, AdwBin)

/* The saved tunnels, an unfinished draft if there is one, and "New Tunnel". Its buttons
 * activate the window's actions (win.new-tunnel, win.resume-draft, win.discard-draft, …). */
TwTunnelStore *tw_start_page_get_store (TwStartPage   *self);
void           tw_start_page_set_store (TwStartPage   *self,
                                        TwTunnelStore *store);
TwTunnel      *tw_start_page_get_draft (TwStartPage   *self);
void           tw_start_page_set_draft (TwStartPage   *self,
                                        TwTunnel      *draft);
/* The reverse tunnels running, whose state the saved list shows */
void           tw_start_page_set_runner (TwStartPage     *self,
                                         TwReverseRunner *runner);
/* The list box of saved tunnels, for tests and keyboard focus */
GtkListBox    *tw_start_page_get_list  (TwStartPage   *self);

G_END_DECLS
