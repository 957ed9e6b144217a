/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-window.h"

G_BEGIN_DECLS

/* The window's reverse-mode side (tw-window.c and tw-window-actions.c call these): the
 * status page wired to the application's runner, "Save and start", a new reverse tunnel,
 * and the notice that a tunnel goes on running when the window closes. */
void tw_window_reverse_install_actions (GtkWidgetClass *widget_class);
void tw_window_reverse_init            (TwWindow       *self);
/* The application's runner (tw_window_new hands it over): the status page and the saved
 * list show its tunnels, "Start" starts them there. */
void tw_window_reverse_set_runner      (TwWindow        *self,
                                        TwReverseRunner *runner);
void tw_window_reverse_set_tunnel      (TwWindow       *self,
                                        TwTunnel       *tunnel,
                                        TwTunnelEntry  *entry);
void tw_window_reverse_on_store_loaded (TwWindow       *self);
void tw_window_reverse_on_close        (TwWindow       *self);
/* A deleted tunnel stops, and no longer starts at login. */
void tw_window_reverse_on_deleted      (TwWindow       *self,
                                        const char     *id);

G_END_DECLS
