/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reverse tunnel: this machine logs in to the bastion with its own key,
 * asks it to listen on a port, and relays every connection made there to a
 * local destination. One worker thread (tw-reverse-worker.c) owns the
 * ssh_session (libssh's threading rule); the status is copied under a lock
 * and published here on the main context of the caller of
 * tw_reverse_tunnel_start().
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libssh/libssh.h>

#include "tw-enums.h"
#include "tw-dispatch-private.h"
#include "tw-reverse-worker.h"
#include "tw-string-private.h"

struct _TwReverseTunnel
{
  GObject parent_instance;

  TwReverseSettings settings;     /* keepalive: the interval; pinned: the expected fingerprint */
  ssh_key       key;

  GThread      *thread;
  GCancellable *cancellable;
  GMainContext *context;
  gboolean      restart_pending;

  TwReverseStatus status;         /* main thread */
  guint64       bytes_sent;
  guint64       bytes_received;
  guint         connections;

  TwReverseShared shared;         /* worker → main */
  gint          publish_pending;
};

G_DEFINE_QUARK (tw-reverse-tunnel-error-quark, tw_reverse_tunnel_error)

G_DEFINE_FINAL_TYPE (TwReverseTunnel, tw_reverse_tunnel, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  PROP_REMOTE_ADDRESS,
  PROP_REMOTE_PORT,
  PROP_DEST_HOST,
  PROP_DEST_PORT,
  PROP_KEEPALIVE_INTERVAL,
  PROP_EXPECTED_FINGERPRINT,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_NEXT_ATTEMPT_TIME,
  PROP_UP_SINCE,
  PROP_RECONNECT_COUNT,
  PROP_BYTES_SENT,
  PROP_BYTES_RECEIVED,
  PROP_CONNECTIONS,
  PROP_HOST_FINGERPRINT,
  PROP_BOUND_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- worker → main ---------------------------------------------------- */

static void
publish_now (TwReverseTunnel *self)
{
  TwReverseStatus *s = &self->status;
  TwReverseStatus snap = { 0 };
  guint64 sent, received;
  guint connections;
  gboolean error_changed;

  /* Cleared before the counters are read: a change the worker makes after
   * this queues another publish; cleared after, that change could be
   * counted as published while the older values are shown for good. */
  g_atomic_int_set (&self->publish_pending, 0);
  sent = __atomic_load_n (&self->shared.stats.bytes_sent, __ATOMIC_SEQ_CST);
  received = __atomic_load_n (&self->shared.stats.bytes_received, __ATOMIC_SEQ_CST);
  connections = g_atomic_int_get (&self->shared.stats.connections);

  g_mutex_lock (&self->shared.lock);
  snap = self->shared.status;
  snap.error = self->shared.status.error ? g_error_copy (self->shared.status.error) : NULL;
  snap.host_fingerprint = g_strdup (self->shared.status.host_fingerprint);
  g_mutex_unlock (&self->shared.lock);

  g_object_freeze_notify (G_OBJECT (self));

  error_changed = (s->error == NULL) != (snap.error == NULL) ||
                  (s->error && snap.error && g_strcmp0 (s->error->message, snap.error->message) != 0);
  g_clear_error (&s->error);
  s->error = g_steal_pointer (&snap.error);
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);

#define UPDATE(field, prop) \
  if (s->field != snap.field) { s->field = snap.field; \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); }
  UPDATE (next_attempt_time, PROP_NEXT_ATTEMPT_TIME)
  UPDATE (up_since, PROP_UP_SINCE)
  UPDATE (reconnect_count, PROP_RECONNECT_COUNT)
  UPDATE (bound_port, PROP_BOUND_PORT)
#undef UPDATE
#define UPDATE(field, value, prop) \
  if (self->field != value) { self->field = value; \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); }
  UPDATE (bytes_sent, sent, PROP_BYTES_SENT)
  UPDATE (bytes_received, received, PROP_BYTES_RECEIVED)
  UPDATE (connections, connections, PROP_CONNECTIONS)
#undef UPDATE
  if (tw_replace_string (&s->host_fingerprint, snap.host_fingerprint))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_FINGERPRINT]);
  g_free (snap.host_fingerprint);

  /* Last, so a handler of notify::state sees the rest already updated. */
  if (s->state != snap.state)
    {
      s->state = snap.state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
publish_cb (gpointer data)
{
  publish_now (data);
  return G_SOURCE_REMOVE;
}

static void
run_on_context (TwReverseTunnel *self,
                GSourceFunc      func)
{
  tw_dispatch_to_context (self->context, "[tw] reverse tunnel status", func, g_object_ref (self), g_object_unref);
}

/* Worker thread: something in self->shared changed. One publication is queued at a time. */
static void
on_worker_changed (gpointer data)
{
  TwReverseTunnel *self = data;

  if (g_atomic_int_compare_and_exchange (&self->publish_pending, 0, 1))
    run_on_context (self, publish_cb);
}

/* ---- start and stop ------------------------------------------------------- */

static gboolean
thread_done_cb (gpointer data)
{
  TwReverseTunnel *self = data;

  publish_now (self);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_object (&self->cancellable);
  if (self->restart_pending)
    {
      self->restart_pending = FALSE;
      tw_reverse_tunnel_start (self);
    }
  return G_SOURCE_REMOVE;
}

/* Worker thread, its last call: the main context joins it and maybe restarts. */
static void
on_worker_done (gpointer data)
{
  run_on_context (data, thread_done_cb);
}

void
tw_reverse_tunnel_start (TwReverseTunnel *self)
{
  TwReverseSession *session;

  g_return_if_fail (TW_IS_REVERSE_TUNNEL (self));

  if (self->thread != NULL)
    {
      /* Still winding down from a stop: start again once it is done. */
      if (g_cancellable_is_cancelled (self->cancellable))
        self->restart_pending = TRUE;
      return;
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();

  g_mutex_lock (&self->shared.lock);
  self->shared.status.reconnect_count = 0;
  g_clear_error (&self->shared.status.error);
  g_mutex_unlock (&self->shared.lock);
  __atomic_store_n (&self->shared.stats.bytes_sent, 0, __ATOMIC_RELAXED);
  __atomic_store_n (&self->shared.stats.bytes_received, 0, __ATOMIC_RELAXED);

  session = g_new0 (TwReverseSession, 1);
  tw_reverse_settings_copy (&self->settings, &session->settings);
  session->settings.keepalive = MAX (session->settings.keepalive, 1);
  session->key = self->key;
  session->cancellable = g_object_ref (self->cancellable);

  /* The worker keeps the tunnel alive until it has wound down, so dropping
   * the last reference of a running tunnel cannot pull the object away. */
  self->thread = tw_reverse_worker_start (session, &self->shared, on_worker_changed, on_worker_done,
                                          g_object_ref (self), g_object_unref);
}

void
tw_reverse_tunnel_stop (TwReverseTunnel *self)
{
  g_return_if_fail (TW_IS_REVERSE_TUNNEL (self));

  self->restart_pending = FALSE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
tw_reverse_tunnel_set_private_key (TwReverseTunnel  *self,
                                   const char       *private_key,
                                   GError          **error)
{
  ssh_key key = NULL;

  g_return_val_if_fail (TW_IS_REVERSE_TUNNEL (self), FALSE);
  g_return_val_if_fail (private_key != NULL, FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  if (ssh_pki_import_privkey_base64 (private_key, NULL, NULL, NULL, &key) != SSH_OK)
    {
      g_set_error_literal (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_INVALID_KEY,
                           _("This private key cannot be read. Keys protected by a passphrase "
                             "are not supported here."));
      return FALSE;
    }

  g_clear_pointer (&self->key, ssh_key_free);
  self->key = key;
  return TRUE;
}

/* ---- the object ---------------------------------------------------------- */

const char *
tw_reverse_tunnel_state_to_string (TwReverseTunnelState state)
{
  static const char * const names[] = { "stopped", "connecting", "up", "retrying", "failed" };

  g_return_val_if_fail (state <= TW_REVERSE_TUNNEL_STATE_FAILED, NULL);
  return names[state];
}

TwReverseTunnel *
tw_reverse_tunnel_new (const char *host,
                       guint       port,
                       const char *user)
{
  return g_object_new (TW_TYPE_REVERSE_TUNNEL, "host", host, "port", port, "user", user, NULL);
}

#define STRING_SETTER(name, field, prop) \
void \
tw_reverse_tunnel_set_##name (TwReverseTunnel *self, const char *value) \
{ \
  g_return_if_fail (TW_IS_REVERSE_TUNNEL (self)); \
  if (tw_replace_string (&self->field, value)) \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
}
#define UINT_SETTER(name, field, prop) \
void \
tw_reverse_tunnel_set_##name (TwReverseTunnel *self, guint value) \
{ \
  g_return_if_fail (TW_IS_REVERSE_TUNNEL (self)); \
  if (self->field != value) \
    { \
      self->field = value; \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
    } \
}
#define GETTER(type, name, expr) \
type \
tw_reverse_tunnel_get_##name (TwReverseTunnel *self) \
{ \
  g_return_val_if_fail (TW_IS_REVERSE_TUNNEL (self), 0); \
  return expr; \
}

STRING_SETTER (remote_address, settings.remote_address, PROP_REMOTE_ADDRESS)
STRING_SETTER (dest_host, settings.dest_host, PROP_DEST_HOST)
STRING_SETTER (expected_fingerprint, settings.pinned, PROP_EXPECTED_FINGERPRINT)
UINT_SETTER (remote_port, settings.remote_port, PROP_REMOTE_PORT)
UINT_SETTER (dest_port, settings.dest_port, PROP_DEST_PORT)
UINT_SETTER (keepalive_interval, settings.keepalive, PROP_KEEPALIVE_INTERVAL)

GETTER (const char *, host, self->settings.host)
GETTER (guint, port, self->settings.port)
GETTER (const char *, user, self->settings.user)
GETTER (const char *, remote_address, self->settings.remote_address)
GETTER (guint, remote_port, self->settings.remote_port)
GETTER (const char *, dest_host, self->settings.dest_host)
GETTER (guint, dest_port, self->settings.dest_port)
GETTER (guint, keepalive_interval, self->settings.keepalive)
GETTER (const char *, expected_fingerprint, self->settings.pinned)
GETTER (TwReverseTunnelState, state, self->status.state)
GETTER (const GError *, error, self->status.error)
GETTER (const char *, last_error, self->status.error ? self->status.error->message : NULL)
GETTER (gint64, next_attempt_time, self->status.next_attempt_time)
GETTER (gint64, up_since, self->status.up_since)
GETTER (guint, reconnect_count, self->status.reconnect_count)
GETTER (guint64, bytes_sent, self->bytes_sent)
GETTER (guint64, bytes_received, self->bytes_received)
GETTER (guint, connections, self->connections)
GETTER (const char *, host_fingerprint, self->status.host_fingerprint)
GETTER (guint, bound_port, self->status.bound_port)

static void
tw_reverse_tunnel_finalize (GObject *object)
{
  TwReverseTunnel *self = (TwReverseTunnel *) object;

  /* The worker holds a reference, so it has ended by now. */
  g_assert (self->thread == NULL);

  tw_reverse_settings_clear (&self->settings);
  g_clear_pointer (&self->key, ssh_key_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->status.error);
  g_free (self->status.host_fingerprint);
  g_clear_error (&self->shared.status.error);
  g_free (self->shared.status.host_fingerprint);
  g_mutex_clear (&self->shared.lock);

  G_OBJECT_CLASS (tw_reverse_tunnel_parent_class)->finalize (object);
}

static void
tw_reverse_tunnel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TwReverseTunnel *self = TW_REVERSE_TUNNEL (object);

  switch (prop_id)
    {
    case PROP_HOST: g_value_set_string (value, self->settings.host); break;
    case PROP_PORT: g_value_set_uint (value, self->settings.port); break;
    case PROP_USER: g_value_set_string (value, self->settings.user); break;
    case PROP_REMOTE_ADDRESS: g_value_set_string (value, self->settings.remote_address); break;
    case PROP_REMOTE_PORT: g_value_set_uint (value, self->settings.remote_port); break;
    case PROP_DEST_HOST: g_value_set_string (value, self->settings.dest_host); break;
    case PROP_DEST_PORT: g_value_set_uint (value, self->settings.dest_port); break;
    case PROP_KEEPALIVE_INTERVAL: g_value_set_uint (value, self->settings.keepalive); break;
    case PROP_EXPECTED_FINGERPRINT: g_value_set_string (value, self->settings.pinned); break;
    case PROP_STATE: g_value_set_enum (value, self->status.state); break;
    case PROP_LAST_ERROR: g_value_set_string (value, tw_reverse_tunnel_get_last_error (self)); break;
    case PROP_NEXT_ATTEMPT_TIME: g_value_set_int64 (value, self->status.next_attempt_time); break;
    case PROP_UP_SINCE: g_value_set_int64 (value, self->status.up_since); break;
    case PROP_RECONNECT_COUNT: g_value_set_uint (value, self->status.reconnect_count); break;
    case PROP_BYTES_SENT: g_value_set_uint64 (value, self->bytes_sent); break;
    case PROP_BYTES_RECEIVED: g_value_set_uint64 (value, self->bytes_received); break;
    case PROP_CONNECTIONS: g_value_set_uint (value, self->connections); break;
    case PROP_HOST_FINGERPRINT: g_value_set_string (value, self->status.host_fingerprint); break;
    case PROP_BOUND_PORT: g_value_set_uint (value, self->status.bound_port); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_reverse_tunnel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TwReverseTunnel *self = TW_REVERSE_TUNNEL (object);

  switch (prop_id)
    {
    case PROP_HOST: tw_replace_string (&self->settings.host, g_value_get_string (value)); break;
    case PROP_PORT: self->settings.port = g_value_get_uint (value); break;
    case PROP_USER: tw_replace_string (&self->settings.user, g_value_get_string (value)); break;
    case PROP_REMOTE_ADDRESS: tw_reverse_tunnel_set_remote_address (self, g_value_get_string (value)); break;
    case PROP_REMOTE_PORT: tw_reverse_tunnel_set_remote_port (self, g_value_get_uint (value)); break;
    case PROP_DEST_HOST: tw_reverse_tunnel_set_dest_host (self, g_value_get_string (value)); break;
    case PROP_DEST_PORT: tw_reverse_tunnel_set_dest_port (self, g_value_get_uint (value)); break;
    case PROP_KEEPALIVE_INTERVAL: tw_reverse_tunnel_set_keepalive_interval (self, g_value_get_uint (value)); break;
    case PROP_EXPECTED_FINGERPRINT: tw_reverse_tunnel_set_expected_fingerprint (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_reverse_tunnel_class_init (TwReverseTunnelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tw_reverse_tunnel_finalize;
  object_class->get_property = tw_reverse_tunnel_get_property;
  object_class->set_property = tw_reverse_tunnel_set_property;

  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, co);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, 65535, 22, co);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, co);
  properties[PROP_REMOTE_ADDRESS] = g_param_spec_string ("remote-address", NULL, NULL, "localhost", rw);
  properties[PROP_REMOTE_PORT] = g_param_spec_uint ("remote-port", NULL, NULL, 0, 65535, 55432, rw);
  properties[PROP_DEST_HOST] = g_param_spec_string ("dest-host", NULL, NULL, "localhost", rw);
  properties[PROP_DEST_PORT] = g_param_spec_uint ("dest-port", NULL, NULL, 1, 65535, 5432, rw);
  properties[PROP_KEEPALIVE_INTERVAL] = g_param_spec_uint ("keepalive-interval", NULL, NULL, 1, 3600, 5, rw);
  properties[PROP_EXPECTED_FINGERPRINT] = g_param_spec_string ("expected-fingerprint", NULL, NULL, NULL, rw);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, TW_TYPE_REVERSE_TUNNEL_STATE,
                                              TW_REVERSE_TUNNEL_STATE_STOPPED, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_NEXT_ATTEMPT_TIME] = g_param_spec_int64 ("next-attempt-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_UP_SINCE] = g_param_spec_int64 ("up-since", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_RECONNECT_COUNT] = g_param_spec_uint ("reconnect-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BYTES_SENT] = g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_RECEIVED] = g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_CONNECTIONS] = g_param_spec_uint ("connections", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_HOST_FINGERPRINT] = g_param_spec_string ("host-fingerprint", NULL, NULL, NULL, ro);
  properties[PROP_BOUND_PORT] = g_param_spec_uint ("bound-port", NULL, NULL, 0, 65535, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_reverse_tunnel_init (TwReverseTunnel *self)
{
  g_mutex_init (&self->shared.lock);
  self->settings.port = 22;
  self->settings.remote_address = g_strdup ("localhost");
  self->settings.remote_port = 55432;
  self->settings.dest_host = g_strdup ("localhost");
  self->settings.dest_port = 5432;
  self->settings.keepalive = 5;
}
