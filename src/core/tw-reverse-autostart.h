/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "Start at login" for a saved reverse tunnel: an XDG autostart entry,
 * $XDG_CONFIG_HOME/autostart/APP_ID.tunnel-ID.desktop, that launches the app with
 * --start-tunnel=ID (no window; the tunnel runs in the background). */
char     *tw_reverse_autostart_get_path    (const char  *tunnel_id);
gboolean  tw_reverse_autostart_is_enabled  (const char  *tunnel_id);
/* Writes the file atomically, or removes it. @name: the tunnel's name, for the entry's Name */
gboolean  tw_reverse_autostart_set_enabled (const char  *tunnel_id,
                                            const char  *name,
                                            gboolean     enabled,
                                            GError     **error);

G_END_DECLS
