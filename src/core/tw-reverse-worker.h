/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to TwReverseTunnel: the worker thread that runs sessions one after
 * another, with back-off between them, until the tunnel is stopped or fails
 * for good. Not a GObject; it knows nothing of the tunnel object: it writes
 * what it sees to a TwReverseShared and says so through the callbacks it is
 * handed.
 */
#pragma once

#include "tw-reverse-relay.h"
#include "tw-reverse-session.h"
#include "tw-reverse-tunnel.h"

G_BEGIN_DECLS

/* The status fields, once as the worker sees them and once as published. */
typedef struct {
  TwReverseTunnelState  state;
  GError               *error;
  gint64                next_attempt_time;
  gint64                up_since;
  guint                 reconnect_count;
  char                 *host_fingerprint;
  guint                 bound_port;
} TwReverseStatus;

/* Written by the worker, read on the tunnel's main context. */
typedef struct {
  GMutex               lock;
  TwReverseStatus      status;   /* under lock */
  TwReverseRelayStats  stats;    /* atomics */
} TwReverseShared;

typedef void (*TwReverseWorkerNotify) (gpointer user_data);

/* Runs @session (transfer full: the connection settings, copied by the caller, so the
 * tunnel's setters never race the thread; its callbacks are the worker's). @shared must
 * outlive the thread. On the worker thread: @changed after @shared changed (counters at
 * most 4 times a second), @done as its last call; @user_data_free (@user_data) then. */
GThread *tw_reverse_worker_start (TwReverseSession      *session,
                                  TwReverseShared       *shared,
                                  TwReverseWorkerNotify  changed,
                                  TwReverseWorkerNotify  done,
                                  gpointer               user_data,
                                  GDestroyNotify         user_data_free);

G_END_DECLS
