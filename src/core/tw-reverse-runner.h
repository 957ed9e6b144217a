/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-reverse-tunnel.h"
#include "tw-tunnel.h"

G_BEGIN_DECLS

#define TW_TYPE_REVERSE_RUNNER (tw_reverse_runner_get_type ())
G_DECLARE_FINAL_TYPE (TwReverseRunner, tw_reverse_runner, TW, REVERSE_RUNNER, GObject)

/*
 * The reverse tunnels this process runs, by the saved tunnel's id. Owned by the
 * application, not a window: a tunnel keeps running when its window closes, and the
 * application is held (g_application_hold) while any of them runs or is starting.
 * Signal "changed" (id): a tunnel was started, replaced, changed state, or could not start.
 */
TwReverseRunner *tw_reverse_runner_new             (GApplication    *application);

/* Starts the saved tunnel @id with @tunnel's settings. @private_key: the key to log in with,
 * or NULL to read it from the keyring. A tunnel already running is left as it is. */
void             tw_reverse_runner_start           (TwReverseRunner *self,
                                                    const char      *id,
                                                    TwTunnel        *tunnel,
                                                    const char      *private_key);
/* Reads the tunnel store, finds @id_or_name (the id, or else the name) and starts it. */
void             tw_reverse_runner_start_saved     (TwReverseRunner *self,
                                                    const char      *id_or_name);
void             tw_reverse_runner_stop            (TwReverseRunner *self,
                                                    const char      *id);
/* Stops every tunnel and waits (a few seconds at most) until their workers have ended. */
void             tw_reverse_runner_shutdown        (TwReverseRunner *self);

/* (transfer none) (nullable): the engine of @id, also after it stopped or failed */
TwReverseTunnel *tw_reverse_runner_lookup          (TwReverseRunner *self,
                                                    const char      *id);
/* Why @id could not be started (no key in the keyring, …), or NULL */
const char      *tw_reverse_runner_get_start_error (TwReverseRunner *self,
                                                    const char      *id);
gboolean         tw_reverse_runner_is_running      (TwReverseRunner *self,
                                                    const char      *id);
guint            tw_reverse_runner_get_n_running   (TwReverseRunner *self);
/* (transfer none) (nullable): the id of a running tunnel, for "show me the tunnel" */
const char      *tw_reverse_runner_get_first_running (TwReverseRunner *self);

/* A short status line for lists that needs no ticking: "Up since 10:30", "Down, retrying
 * at 10:31:05" */
char            *tw_reverse_runner_describe        (TwReverseTunnel *tunnel);

G_END_DECLS
