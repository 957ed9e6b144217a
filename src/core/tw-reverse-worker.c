/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reverse tunnel's worker thread: one session after another (connect,
 * log in, listen, relay), exponential back-off with jitter between them, and
 * the status changes the object publishes on its main context. It owns every
 * ssh_session it makes (libssh's threading rule).
 */
#include "config.h"

#include <poll.h>

#include "tw-reverse-worker.h"
#include "tw-string-private.h"

#define BACKOFF_MAX_MS    60000
/* A session that stayed up this long was healthy: back-off starts over. */
#define HEALTHY_US        (10 * G_USEC_PER_SEC)
#define STATS_INTERVAL_US (G_USEC_PER_SEC / 4)

typedef struct {
  TwReverseShared       *shared;
  TwReverseWorkerNotify  changed;
  TwReverseWorkerNotify  done;
  gpointer               user_data;
  GDestroyNotify         user_data_free;

  gint64                 last_stats_publish;
  guint64                last_stats_total;
  gboolean               ever_up;
  gint64                 up_at;
} Worker;

/* A new state (and its error), for the main context to publish. */
static void
set_state (Worker               *worker,
           TwReverseTunnelState  state,
           const GError         *error,
           gint64                next_attempt_time)
{
  TwReverseShared *shared = worker->shared;

  g_mutex_lock (&shared->lock);
  shared->status.state = state;
  if (error != NULL || state != TW_REVERSE_TUNNEL_STATE_CONNECTING)
    {
      g_clear_error (&shared->status.error);
      shared->status.error = error ? g_error_copy (error) : NULL;
    }
  shared->status.next_attempt_time = next_attempt_time;
  if (state != TW_REVERSE_TUNNEL_STATE_UP)
    shared->status.up_since = 0;
  else
    shared->status.up_since = g_get_real_time ();
  g_mutex_unlock (&shared->lock);
  worker->changed (worker->user_data);
}

/* Called by the relay on every turn of its loop: counters at most 4 times a
 * second; TRUE while a change is held back. */
static gboolean
relay_changed (gpointer data)
{
  Worker *self = data;
  TwReverseRelayStats *stats = &self->shared->stats;
  gint64 now = g_get_monotonic_time ();
  guint64 total = __atomic_load_n (&stats->bytes_sent, __ATOMIC_RELAXED) +
                  __atomic_load_n (&stats->bytes_received, __ATOMIC_RELAXED) +
                  g_atomic_int_get (&stats->connections);

  if (total == self->last_stats_total)
    return FALSE;
  if (now - self->last_stats_publish < STATS_INTERVAL_US)
    return TRUE;

  self->last_stats_total = total;
  self->last_stats_publish = now;
  self->changed (self->user_data);
  return FALSE;
}

static void
session_fingerprint_seen (const char *fingerprint,
                          gpointer    data)
{
  Worker *self = data;

  g_mutex_lock (&self->shared->lock);
  tw_replace_string (&self->shared->status.host_fingerprint, fingerprint);
  g_mutex_unlock (&self->shared->lock);
}

static void
session_up (guint    bound_port,
            gpointer data)
{
  Worker *self = data;

  g_mutex_lock (&self->shared->lock);
  self->shared->status.bound_port = bound_port;
  if (self->ever_up)
    self->shared->status.reconnect_count++;
  g_mutex_unlock (&self->shared->lock);
  self->ever_up = TRUE;
  self->up_at = g_get_monotonic_time ();
  set_state (self, TW_REVERSE_TUNNEL_STATE_UP, NULL, 0);
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
  Worker *self = session->user_data;
  gboolean failed = FALSE;
  guint failures = 0;

  while (!g_cancellable_is_cancelled (session->cancellable))
    {
      g_autoptr(GError) error = NULL;
      gint64 delay;
      struct pollfd pfd;

      self->up_at = 0;
      set_state (self, TW_REVERSE_TUNNEL_STATE_CONNECTING, NULL, 0);
      tw_reverse_session_run (session, &error);
      if (g_cancellable_is_cancelled (session->cancellable))
        break;

      g_debug ("Reverse tunnel: session ended: %s", error->message);
      if (is_fatal (error, self->ever_up))
        {
          set_state (self, TW_REVERSE_TUNNEL_STATE_FAILED, error, 0);
          failed = TRUE;
          break;
        }

      if (self->up_at != 0 && g_get_monotonic_time () - self->up_at >= HEALTHY_US)
        failures = 0;
      failures++;
      delay = backoff_ms (failures);
      set_state (self, TW_REVERSE_TUNNEL_STATE_RETRYING, error,
                                   g_get_real_time () + delay * 1000);

      pfd = (struct pollfd) { .fd = g_cancellable_get_fd (session->cancellable), .events = POLLIN };
      poll (&pfd, 1, (int) delay);
      g_cancellable_release_fd (session->cancellable);
    }

  if (!failed)
    set_state (self, TW_REVERSE_TUNNEL_STATE_STOPPED, NULL, 0);

  self->done (self->user_data);
  if (self->user_data_free != NULL)
    self->user_data_free (self->user_data);
  g_free (self);
  return NULL;
}

GThread *
tw_reverse_worker_start (TwReverseSession      *session,
                         TwReverseShared       *shared,
                         TwReverseWorkerNotify  changed,
                         TwReverseWorkerNotify  done,
                         gpointer               user_data,
                         GDestroyNotify         user_data_free)
{
  Worker *worker = g_new0 (Worker, 1);

  worker->shared = shared;
  worker->changed = changed;
  worker->done = done;
  worker->user_data = user_data;
  worker->user_data_free = user_data_free;

  session->stats = &shared->stats;
  session->fingerprint_seen = session_fingerprint_seen;
  session->up = session_up;
  session->changed = relay_changed;
  session->user_data = worker;

  return g_thread_new ("tw-reverse-tunnel", worker_main, session);
}
