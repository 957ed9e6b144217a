/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to TwReverseTunnel: the loop that runs while one SSH session is
 * up. Not a GObject: it lives on the worker thread's stack.
 */
#pragma once

#include <gio/gio.h>
#include <libssh/libssh.h>

G_BEGIN_DECLS

/* Shared with the main thread: touch only with __atomic builtins (GLib has
 * no 64-bit atomics). */
typedef struct {
  guint64 bytes_sent;      /* local destination → bastion */
  guint64 bytes_received;  /* bastion → local destination */
  gint   connections;
} TwReverseRelayStats;

typedef struct {
  ssh_session          session;
  int                  ssh_fd;          /* our own fd of the TCP socket libssh uses */
  GCancellable        *cancellable;
  GPtrArray           *dest_addresses;  /* GSocketAddress, tried in order */
  guint                keepalive_seconds;
  TwReverseRelayStats *stats;
  /* Called on every turn of the loop; returns TRUE while it holds back
   * changes (throttled), so the loop wakes again soon to hand them over. */
  gboolean           (*changed) (gpointer user_data);
  gpointer             user_data;
} TwReverseRelay;

/* Returns only with an error: G_IO_ERROR_CANCELLED after a stop, or a
 * TW_REVERSE_TUNNEL_ERROR when the session ended. */
void tw_reverse_relay_run (TwReverseRelay  *relay,
                           GError         **error);

G_END_DECLS
