/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to TwReverseTunnel: the instance structure, shared by the object
 * (tw-reverse-tunnel.c: properties, publication on the caller's main
 * context) and its worker thread (tw-reverse-worker.c: sessions, back-off).
 */
#pragma once

#include <libssh/libssh.h>

#include "tw-reverse-relay.h"
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
} Status;

struct _TwReverseTunnel
{
  GObject parent_instance;

  char         *host;
  guint         port;
  char         *user;
  char         *remote_address;
  guint         remote_port;
  char         *dest_host;
  guint         dest_port;
  guint         keepalive_interval;
  char         *expected_fingerprint;
  ssh_key       key;

  GThread      *thread;
  GCancellable *cancellable;
  GMainContext *context;
  gboolean      restart_pending;

  Status        status;           /* main thread */
  guint64       bytes_sent;
  guint64       bytes_received;
  guint         connections;

  GMutex        lock;
  Status        shared;           /* worker → main, under lock */
  TwReverseRelayStats stats;      /* worker → main, atomics */
  gint          publish_pending;

  /* worker only */
  gint64        last_stats_publish;
  guint64       last_stats_total;
  gboolean      ever_up;
  gint64        up_at;
};

/* Worker → main: queue one publication of the status on the main context. */
void tw_reverse_tunnel_publish     (TwReverseTunnel      *self);
/* Worker: a new state (and its error), published on the main context. */
void tw_reverse_tunnel_set_state   (TwReverseTunnel      *self,
                                    TwReverseTunnelState  state,
                                    const GError         *error,
                                    gint64                next_attempt_time);
/* Worker, last call: the main context joins the thread and maybe restarts. */
void tw_reverse_tunnel_worker_done (TwReverseTunnel      *self);

G_END_DECLS
