/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the reverse tunnels of this process. The application owns it, so the
 * tunnels outlive the window; the application is held while one runs, which
 * is what keeps the process alive with no window open.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "tw-reverse-runner.h"
#include "tw-secrets.h"
#include "tw-tunnel-keyfile.h"
#include "tw-tunnel-store.h"

struct _TwReverseRunner
{
  GObject       parent_instance;

  GApplication *application;    /* unowned: the application owns the runner */
  GHashTable   *tunnels;        /* id → TwReverseTunnel */
  GHashTable   *start_errors;   /* id → message */
  GHashTable   *starting;       /* id → TRUE while its key is read */
  gboolean      held;
};

G_DEFINE_FINAL_TYPE (TwReverseRunner, tw_reverse_runner, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
state_is_running (TwReverseTunnelState state)
{
  return state == TW_REVERSE_TUNNEL_STATE_CONNECTING ||
         state == TW_REVERSE_TUNNEL_STATE_UP ||
         state == TW_REVERSE_TUNNEL_STATE_RETRYING;
}

/* One hold for all tunnels: taken when the first starts, given back when the last stops. */
static void
update_hold (TwReverseRunner *self)
{
  gboolean busy = tw_reverse_runner_get_n_running (self) > 0 || g_hash_table_size (self->starting) > 0;

  if (busy == self->held || self->application == NULL)
    return;
  self->held = busy;
  if (busy)
    g_application_hold (self->application);
  else
    g_application_release (self->application);
}

static void
on_state_changed (TwReverseTunnel *tunnel,
                  GParamSpec      *pspec,
                  TwReverseRunner *self)
{
  const char *id = g_object_get_data (G_OBJECT (tunnel), "tw-tunnel-id");

  g_hash_table_remove (self->starting, id);
  update_hold (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, id);
}

static void
fail_start (TwReverseRunner *self,
            const char      *id,
            const char      *message)
{
  g_hash_table_insert (self->start_errors, g_strdup (id), g_strdup (message));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, id);
}

static void
start_with_key (TwReverseRunner *self,
                const char      *id,
                TwTunnel        *tunnel,
                const char      *private_key)
{
  TwReverseTunnel *engine = g_hash_table_lookup (self->tunnels, id);
  g_autoptr(GError) error = NULL;

  if (engine != NULL && state_is_running (tw_reverse_tunnel_get_state (engine)))
    return;

  /* A new engine for every start: host, port and user are fixed for an engine's life, and an
   * old engine that is still winding down its worker cannot take a new key. It has left the
   * bastion already (it reports "stopped" only after its session ended), so the port is free. */
  if (engine != NULL)
    g_signal_handlers_disconnect_by_func (engine, on_state_changed, self);
  engine = tw_reverse_tunnel_new (tw_tunnel_get_ssh_host (tunnel), tw_tunnel_get_ssh_port (tunnel),
                                  tw_tunnel_get_user (tunnel));
  g_object_set_data_full (G_OBJECT (engine), "tw-tunnel-id", g_strdup (id), g_free);
  g_signal_connect (engine, "notify::state", G_CALLBACK (on_state_changed), self);
  g_hash_table_replace (self->tunnels, g_strdup (id), engine);

  tw_reverse_tunnel_set_remote_address (engine, tw_tunnel_get_remote_address (tunnel));
  tw_reverse_tunnel_set_remote_port (engine, tw_tunnel_get_remote_port (tunnel));
  tw_reverse_tunnel_set_dest_host (engine, tw_tunnel_get_dest_host (tunnel));
  tw_reverse_tunnel_set_dest_port (engine, tw_tunnel_get_dest_port (tunnel));
  tw_reverse_tunnel_set_keepalive_interval (engine, tw_tunnel_get_keepalive_interval (tunnel));
  /* The fingerprint confirmed in the wizard: a different key stops the tunnel, never pins anew. */
  tw_reverse_tunnel_set_expected_fingerprint (engine, tw_tunnel_get_pinned_fingerprint (tunnel));
  if (!tw_reverse_tunnel_set_private_key (engine, private_key, &error))
    {
      fail_start (self, id, error->message);
      return;
    }

  g_hash_table_remove (self->start_errors, id);
  /* Counted as running until the engine reports its first state, so the hold stays. */
  g_hash_table_add (self->starting, g_strdup (id));
  tw_reverse_tunnel_start (engine);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, id);
}

typedef struct {
  TwReverseRunner *runner;
  char            *id;
  TwTunnel        *tunnel;
} StartData;

static void
start_data_free (StartData *data)
{
  g_object_unref (data->runner);
  g_free (data->id);
  g_clear_object (&data->tunnel);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StartData, start_data_free)

/* @id counts as starting (and the application stays held) until the start ends */
static StartData *
start_data_new (TwReverseRunner *self,
                const char      *id)
{
  StartData *data = g_new0 (StartData, 1);

  data->runner = g_object_ref (self);
  data->id = g_strdup (id);
  g_hash_table_add (self->starting, g_strdup (id));
  update_hold (self);
  return data;
}

static void
on_key_found (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StartData) data = user_data;
  TwReverseRunner *self = data->runner;
  g_autoptr(GError) error = NULL;
  char *private_key = tw_secrets_lookup_finish (result, &error);

  g_hash_table_remove (self->starting, data->id);
  if (private_key == NULL)
    {
      g_autofree char *message = NULL;

      if (error != NULL)
        /* Translators: %s is the keyring's error */
        message = g_strdup_printf (_("The keyring could not be read: %s"), error->message);
      fail_start (self, data->id, message ? message : _("The keyring holds no private key for this tunnel. "
                                                        "Open the tunnel and make a new key pair."));
    }
  else
    {
      start_with_key (self, data->id, data->tunnel, private_key);
      secret_password_free (private_key);
    }
  update_hold (self);
}

void
tw_reverse_runner_start (TwReverseRunner *self,
                         const char      *id,
                         TwTunnel        *tunnel,
                         const char      *private_key)
{
  StartData *data;

  g_return_if_fail (TW_IS_REVERSE_RUNNER (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (TW_IS_TUNNEL (tunnel));

  if (private_key != NULL)
    {
      start_with_key (self, id, tunnel, private_key);
      update_hold (self);
      return;
    }

  if (g_hash_table_contains (self->starting, id))
    return;

  data = start_data_new (self, id);
  /* A copy: the window may go on editing its tunnel while the key is read. */
  {
    g_autoptr(GKeyFile) key_file = tw_tunnel_to_key_file (tunnel);

    data->tunnel = tw_tunnel_from_key_file (key_file, NULL);
  }
  tw_secrets_lookup_async (id, TW_SECRET_PRIVATE_KEY, NULL, on_key_found, data);
}

static void
on_store_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StartData) data = user_data;
  TwReverseRunner *self = data->runner;
  TwTunnelStore *store = TW_TUNNEL_STORE (source);
  g_autoptr(GError) error = NULL;
  TwTunnelEntry *found = NULL;

  g_hash_table_remove (self->starting, data->id);
  if (tw_tunnel_store_load_finish (store, result, &error))
    {
      found = tw_tunnel_store_find (store, data->id);
      for (guint i = 0; found == NULL && i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
        {
          g_autoptr(TwTunnelEntry) entry = g_list_model_get_item (G_LIST_MODEL (store), i);
          TwTunnel *tunnel = tw_tunnel_entry_get_tunnel (entry);

          if (tunnel != NULL && g_strcmp0 (tw_tunnel_get_name (tunnel), data->id) == 0)
            found = entry;
        }
    }

  if (found == NULL || tw_tunnel_entry_get_tunnel (found) == NULL ||
      tw_tunnel_get_mode (tw_tunnel_entry_get_tunnel (found)) != TW_TUNNEL_MODE_REVERSE)
    g_warning ("No saved reverse tunnel “%s” to start%s%s", data->id,
               error ? ": " : "", error ? error->message : "");
  else
    tw_reverse_runner_start (self, tw_tunnel_entry_get_id (found), tw_tunnel_entry_get_tunnel (found), NULL);
  update_hold (self);
}

void
tw_reverse_runner_start_saved (TwReverseRunner *self,
                               const char      *id_or_name)
{
  g_autoptr(TwTunnelStore) store = tw_tunnel_store_new (NULL);
  StartData *data;

  g_return_if_fail (TW_IS_REVERSE_RUNNER (self));
  g_return_if_fail (id_or_name != NULL);

  data = start_data_new (self, id_or_name);
  tw_tunnel_store_load_async (store, NULL, on_store_loaded, data);
}

void
tw_reverse_runner_stop (TwReverseRunner *self,
                        const char      *id)
{
  TwReverseTunnel *engine;

  g_return_if_fail (TW_IS_REVERSE_RUNNER (self));

  engine = g_hash_table_lookup (self->tunnels, id);
  if (engine != NULL)
    tw_reverse_tunnel_stop (engine);
}

static gboolean
all_stopped (TwReverseRunner *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->tunnels);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (state_is_running (tw_reverse_tunnel_get_state (value)))
      return FALSE;
  return TRUE;
}

void
tw_reverse_runner_shutdown (TwReverseRunner *self)
{
  GHashTableIter iter;
  gpointer value;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_return_if_fail (TW_IS_REVERSE_RUNNER (self));

  g_hash_table_iter_init (&iter, self->tunnels);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    tw_reverse_tunnel_stop (value);
  /* The workers report "stopped" on this context and are joined from it. */
  while (!all_stopped (self) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

TwReverseTunnel *
tw_reverse_runner_lookup (TwReverseRunner *self,
                          const char      *id)
{
  g_return_val_if_fail (TW_IS_REVERSE_RUNNER (self), NULL);
  return id ? g_hash_table_lookup (self->tunnels, id) : NULL;
}

const char *
tw_reverse_runner_get_start_error (TwReverseRunner *self,
                                   const char      *id)
{
  g_return_val_if_fail (TW_IS_REVERSE_RUNNER (self), NULL);
  return id ? g_hash_table_lookup (self->start_errors, id) : NULL;
}

gboolean
tw_reverse_runner_is_running (TwReverseRunner *self,
                              const char      *id)
{
  TwReverseTunnel *engine = tw_reverse_runner_lookup (self, id);

  return engine != NULL && state_is_running (tw_reverse_tunnel_get_state (engine));
}

guint
tw_reverse_runner_get_n_running (TwReverseRunner *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (TW_IS_REVERSE_RUNNER (self), 0);

  g_hash_table_iter_init (&iter, self->tunnels);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += state_is_running (tw_reverse_tunnel_get_state (value));
  return n;
}

const char *
tw_reverse_runner_get_first_running (TwReverseRunner *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (TW_IS_REVERSE_RUNNER (self), NULL);

  g_hash_table_iter_init (&iter, self->tunnels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (state_is_running (tw_reverse_tunnel_get_state (value)))
      return key;
  return NULL;
}

char *
tw_reverse_runner_describe (TwReverseTunnel *tunnel)
{
  switch (tw_reverse_tunnel_get_state (tunnel))
    {
    case TW_REVERSE_TUNNEL_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));

    case TW_REVERSE_TUNNEL_STATE_UP:
      {
        g_autoptr(GDateTime) since = g_date_time_new_from_unix_local (tw_reverse_tunnel_get_up_since (tunnel) / G_USEC_PER_SEC);
        g_autofree char *time = g_date_time_format (since, "%H:%M");

        /* Translators: %s is a time of day, e.g. "Up since 10:30" */
        return g_strdup_printf (_("Up since %s"), time);
      }

    case TW_REVERSE_TUNNEL_STATE_RETRYING:
      {
        g_autoptr(GDateTime) next = g_date_time_new_from_unix_local (tw_reverse_tunnel_get_next_attempt_time (tunnel) / G_USEC_PER_SEC);
        g_autofree char *time = g_date_time_format (next, "%H:%M:%S");

        /* Translators: the tunnel is down and tries again at a time of day, e.g. 10:31:05 */
        return g_strdup_printf (_("Down, retrying at %s"), time);
      }

    case TW_REVERSE_TUNNEL_STATE_FAILED:
      return g_strdup (_("Stopped by an error"));

    case TW_REVERSE_TUNNEL_STATE_STOPPED:
    default:
      return g_strdup (_("Stopped"));
    }
}

static void
tw_reverse_runner_finalize (GObject *object)
{
  TwReverseRunner *self = TW_REVERSE_RUNNER (object);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->tunnels);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_signal_handlers_disconnect_by_func (value, on_state_changed, self);
      tw_reverse_tunnel_stop (value);
    }
  g_hash_table_unref (self->tunnels);
  g_hash_table_unref (self->start_errors);
  g_hash_table_unref (self->starting);

  G_OBJECT_CLASS (tw_reverse_runner_parent_class)->finalize (object);
}

static void
tw_reverse_runner_class_init (TwReverseRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tw_reverse_runner_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tw_reverse_runner_init (TwReverseRunner *self)
{
  self->tunnels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->start_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->starting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

TwReverseRunner *
tw_reverse_runner_new (GApplication *application)
{
  TwReverseRunner *self = g_object_new (TW_TYPE_REVERSE_RUNNER, NULL);

  self->application = application;
  return self;
}
