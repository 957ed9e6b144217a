/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reverse tunnel's worker thread: one session after another (connect,
 * log in, listen, relay), exponential back-off with jitter between them, and
 * the status changes the object publishes on its main context. It owns every
 * ssh_session it makes (libssh's threading rule).
 */
#include "config.h"

#include <poll.h>

#include "tw-reverse-session.h"
#include "tw-reverse-worker.h"
#include "tw-string-private.h"

#define BACKOFF_MAX_MS    60000
/* A session that stayed up this long was healthy: back-off starts over. */
#define HEALTHY_US        (10 * G_USEC_PER_SEC)
#define STATS_INTERVAL_US (G_USEC_PER_SEC / 4)

/* Called by the relay on every turn of its loop: counters at most 4 times a
 * second; TRUE while a change is held back. */
static gboolean
relay_changed (gpointer data)
{
  TwReverseTunnel *self = data;
  gint64 now = g_get_monotonic_time ();
  guint64 total = __atomic_load_n (&self->stats.bytes_sent, __ATOMIC_RELAXED) +
                  __atomic_load_n (&self->stats.bytes_received, __ATOMIC_RELAXED) +
                  g_atomic_int_get (&self->stats.connections);

  if (total == self->last_stats_total)
    return FALSE;
  if (now - self->last_stats_publish < STATS_INTERVAL_US)
    return TRUE;

  self->last_stats_total = total;
  self->last_stats_publish = now;
  tw_reverse_tunnel_publish (self);
  return FALSE;
}

static void
session_fingerprint_seen (const char *fingerprint,
                          gpointer    data)
{
  TwReverseTunnel *self = data;

  g_mutex_lock (&self->lock);
  tw_replace_string (&self->shared.host_fingerprint, fingerprint);
  g_mutex_unlock (&self->lock);
}

static void
session_up (guint    bound_port,
            gpointer data)
{
  TwReverseTunnel *self = data;

  g_mutex_lock (&self->lock);
  self->shared.bound_port = bound_port;
  if (self->ever_up)
    self->shared.reconnect_count++;
  g_mutex_unlock (&self->lock);
  self->ever_up = TRUE;
  self->up_at = g_get_monotonic_time ();
  tw_reverse_tunnel_set_state (self, TW_REVERSE_TUNNEL_STATE_UP, NULL, 0);
}

static gboolean
is_fatal (const GError *error,
          gboolean      ever_up)
{
  if (g_error_matches (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_HOST_KEY_CHANGED))
    return TRUE;
  /* Refusals on the first attempt are configuration mistakes the admin is
   * watching for; once the tunnel has worked they are treated as transient
   * (a frozen old session may still hold the port, a key may be re-added). */
  return !ever_up &&
         (g_error_matches (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_AUTH) ||
          g_error_matches (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_LISTEN));
}

static gint64
backoff_ms (guint failures)
{
  gint64 base = (gint64) 1000 << MIN (failures - 1, 6);

  base = MIN (base, BACKOFF_MAX_MS);
  /* ±20 % so that many machines do not all knock at the same second. */
  return MIN ((gint64) (base * g_random_double_range (0.8, 1.2)), BACKOFF_MAX_MS);
}

static gpointer
worker_main (gpointer data)
{
  g_autoptr(TwReverseSession) session = data;
  TwReverseTunnel *self = session->user_data;
  gboolean failed = FALSE;
  guint failures = 0;

  self->ever_up = FALSE;
  while (!g_cancellable_is_cancelled (session->cancellable))
    {
      g_autoptr(GError) error = NULL;
      gint64 delay;
      struct pollfd pfd;

      self->up_at = 0;
      tw_reverse_tunnel_set_state (self, TW_REVERSE_TUNNEL_STATE_CONNECTING, NULL, 0);
      tw_reverse_session_run (session, &error);
      if (g_cancellable_is_cancelled (session->cancellable))
        break;

      g_debug ("Reverse tunnel: session ended: %s", error->message);
      if (is_fatal (error, self->ever_up))
        {
          tw_reverse_tunnel_set_state (self, TW_REVERSE_TUNNEL_STATE_FAILED, error, 0);
          failed = TRUE;
          break;
        }

      if (self->up_at != 0 && g_get_monotonic_time () - self->up_at >= HEALTHY_US)
        failures = 0;
      failures++;
      delay = backoff_ms (failures);
      tw_reverse_tunnel_set_state (self, TW_REVERSE_TUNNEL_STATE_RETRYING, error,
                                   g_get_real_time () + delay * 1000);

      pfd = (struct pollfd) { .fd = g_cancellable_get_fd (session->cancellable), .events = POLLIN };
      poll (&pfd, 1, (int) delay);
      g_cancellable_release_fd (session->cancellable);
    }

  if (!failed)
    tw_reverse_tunnel_set_state (self, TW_REVERSE_TUNNEL_STATE_STOPPED, NULL, 0);

  tw_reverse_tunnel_worker_done (self);
  g_object_unref (self);   /* the source holds the reference now */
  return NULL;
}

GThread *
tw_reverse_worker_start (TwReverseTunnel *self)
{
  TwReverseSession *session;

  session = g_new0 (TwReverseSession, 1);
  session->host = g_strdup (self->host);
  session->port = self->port;
  session->user = g_strdup (self->user);
  session->remote_address = g_strdup (self->remote_address);
  session->remote_port = self->remote_port;
  session->dest_host = g_strdup (self->dest_host);
  session->dest_port = self->dest_port;
  session->keepalive = MAX (self->keepalive_interval, 1);
  session->pinned = g_strdup (self->expected_fingerprint);
  session->key = self->key;
  session->cancellable = g_object_ref (self->cancellable);
  session->stats = &self->stats;
  session->fingerprint_seen = session_fingerprint_seen;
  session->up = session_up;
  session->changed = relay_changed;
  session->user_data = self;

  return g_thread_new ("tw-reverse-tunnel", worker_main, session);
}
