/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard's unfinished tunnel, kept beside the saved ones so that closing
 * the window mid-way loses nothing. Written through the store's worker-thread
 * writer, read in a worker thread too: a slow home directory never freezes
 * the window.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "tw-tunnel-keyfile.h"
#include "tw-tunnel-store-private.h"

#define DRAFT_GROUP "Draft"

typedef struct {
  TwTunnel *tunnel;
  char     *entry_id;
} Draft;

static void
draft_free (Draft *draft)
{
  g_clear_object (&draft->tunnel);
  g_free (draft->entry_id);
  g_free (draft);
}

void
tw_tunnel_store_save_draft_async (TwTunnelStore       *self,
                                  TwTunnel            *tunnel,
                                  const char          *entry_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GKeyFile) key_file = NULL;

  g_return_if_fail (TW_IS_TUNNEL_STORE (self));
  g_return_if_fail (TW_IS_TUNNEL (tunnel));

  key_file = tw_tunnel_to_key_file (tunnel);
  if (entry_id != NULL)
    g_key_file_set_string (key_file, DRAFT_GROUP, "entry", entry_id);
  tw_tunnel_store_run_write (self, tw_tunnel_store_save_draft_async,
                             tw_tunnel_store_get_draft_path (self), key_file, NULL,
                             cancellable, callback, user_data);
}

gboolean
tw_tunnel_store_save_draft_finish (TwTunnelStore  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
load_draft_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (task_data);
  g_autofree char *stem = g_path_get_basename (task_data);
  TwTunnel *tunnel;

  /* Only the draft's own leftovers: the folder above the tunnels may hold anything. */
  if (g_str_has_suffix (stem, ".tunnel"))
    stem[strlen (stem) - strlen (".tunnel")] = '\0';
  tw_tunnel_store_remove_stale_temps (dir, stem);
  if (!g_key_file_load_from_file (key_file, task_data, G_KEY_FILE_NONE, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_task_return_pointer (task, NULL, NULL);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tunnel = tw_tunnel_from_key_file (key_file, &error);
  if (tunnel == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      Draft *draft = g_new0 (Draft, 1);

      draft->tunnel = tunnel;
      draft->entry_id = g_key_file_get_string (key_file, DRAFT_GROUP, "entry", NULL);
      g_task_return_pointer (task, draft, (GDestroyNotify) draft_free);
    }
}

void
tw_tunnel_store_load_draft_async (TwTunnelStore       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TW_IS_TUNNEL_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_tunnel_store_load_draft_async);
  g_task_set_task_data (task, g_strdup (tw_tunnel_store_get_draft_path (self)), g_free);
  g_task_run_in_thread (task, load_draft_thread);
}

TwTunnel *
tw_tunnel_store_load_draft_finish (TwTunnelStore  *self,
                                   GAsyncResult   *result,
                                   char          **entry_id,
                                   GError        **error)
{
  Draft *draft;
  TwTunnel *tunnel;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (entry_id != NULL)
    *entry_id = NULL;
  draft = g_task_propagate_pointer (G_TASK (result), error);
  if (draft == NULL)
    return NULL;

  tunnel = g_steal_pointer (&draft->tunnel);
  if (entry_id != NULL)
    *entry_id = g_steal_pointer (&draft->entry_id);
  draft_free (draft);
  return tunnel;
}

void
tw_tunnel_store_clear_draft (TwTunnelStore *self)
{
  const char *path;

  g_return_if_fail (TW_IS_TUNNEL_STORE (self));

  path = tw_tunnel_store_get_draft_path (self);
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Could not remove the draft %s: %s", path, g_strerror (errno));
}
