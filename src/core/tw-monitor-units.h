/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Checking a saved tunnel in the background: a systemd user service that runs
 * `tunnel-check probe --tunnel ID --notify-changes`, and a timer that starts it every few
 * minutes. Installed under ~/.config/systemd/user, they need no running app.
 */

/* "tunnel-wizard-check-ID" (ID: the saved tunnel's id, [A-Za-z0-9_-] only) (transfer full) */
char     *tw_monitor_unit_name   (const char  *tunnel_id);

/* The service and the timer for @tunnel_id, named @tunnel_name in their descriptions,
 * running @tunnel_check (an absolute path) every @minutes (1 to 1440). FALSE with @error
 * (G_IO_ERROR_INVALID_ARGUMENT) for an id, path or interval that would not make valid units. */
gboolean  tw_monitor_units_new   (const char  *tunnel_id,
                                  const char  *tunnel_name,
                                  const char  *tunnel_check,
                                  guint        minutes,
                                  char       **service,
                                  char       **timer,
                                  GError     **error);

/* Whether the units for @tunnel_id are installed (its timer file is there) */
gboolean  tw_monitor_is_installed (const char  *tunnel_id);

/* Writes the units for @tunnel_id to ~/.config/systemd/user (atomically, 0644), then asks
 * the user's systemd to start the timer. FALSE with @error when they cannot be written;
 * @started: (out): whether systemd started the timer (FALSE when no user manager answered:
 * @start_problem then says why). Blocks: call it from a worker thread in the app. */
gboolean  tw_monitor_install     (const char  *tunnel_id,
                                  const char  *tunnel_name,
                                  const char  *tunnel_check,
                                  guint        minutes,
                                  gboolean    *started,
                                  char       **start_problem,
                                  GError     **error);

/* Stops the timer (when systemd answers) and removes both units. Returns whether there were
 * units to remove. Blocks, as install does. */
gboolean  tw_monitor_remove      (const char  *tunnel_id);

/* The tunnel-check next to the running program (as installed, and in the build tree), else
 * the one on PATH; NULL when there is none. (transfer full) */
char     *tw_monitor_find_tool   (void);

G_END_DECLS
