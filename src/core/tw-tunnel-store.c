/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saved tunnels: one GKeyFile per tunnel under the user's config dir. Every
 * read and write runs in a worker thread so that a slow home directory (NFS)
 * never freezes the window; the model only changes on the main context.
 *
 * TwTunnel holds no secrets by design: passwords and private keys live in the
 * keyring, so nothing written here needs protecting beyond mode 0600.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "tw-tunnel-keyfile.h"
#include "tw-tunnel-store-private.h"

#define RESULT_GROUP "Last check"
#define TUNNEL_SUFFIX ".tunnel"
/* g_file_set_contents_full() writes "PATH.XXXXXX" and renames it over PATH; a kill between
 * the two leaves it behind. One this old is no longer being written by anyone. */
#define STALE_TEMP_AGE_S 10

G_DEFINE_QUARK (tw-tunnel-store-error-quark, tw_tunnel_store_error)

struct _TwTunnelStore
{
  GObject    parent_instance;

  char      *tunnels_dir;
  char      *draft_path;
  GPtrArray *entries;
};

static void tw_tunnel_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TwTunnelStore, tw_tunnel_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tw_tunnel_store_list_model_init))

static GType
tw_tunnel_store_get_item_type (GListModel *model)
{
  return TW_TYPE_TUNNEL_ENTRY;
}

static guint
tw_tunnel_store_get_n_items (GListModel *model)
{
  return TW_TUNNEL_STORE (model)->entries->len;
}

static gpointer
tw_tunnel_store_get_item (GListModel *model,
                          guint       position)
{
  TwTunnelStore *self = TW_TUNNEL_STORE (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
tw_tunnel_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tw_tunnel_store_get_item_type;
  iface->get_n_items = tw_tunnel_store_get_n_items;
  iface->get_item = tw_tunnel_store_get_item;
}

static void
tw_tunnel_store_finalize (GObject *object)
{
  TwTunnelStore *self = TW_TUNNEL_STORE (object);

  g_free (self->tunnels_dir);
  g_free (self->draft_path);
  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (tw_tunnel_store_parent_class)->finalize (object);
}

static void
tw_tunnel_store_class_init (TwTunnelStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_tunnel_store_finalize;
}

static void
tw_tunnel_store_init (TwTunnelStore *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}

TwTunnelStore *
tw_tunnel_store_new (const char *base_dir)
{
  TwTunnelStore *self = g_object_new (TW_TYPE_TUNNEL_STORE, NULL);
  g_autofree char *base = NULL;

  base = base_dir ? g_strdup (base_dir)
                  : g_build_filename (g_get_user_config_dir (), "tunnel-wizard", NULL);
  self->tunnels_dir = g_build_filename (base, "tunnels", NULL);
  self->draft_path = g_build_filename (base, "draft" TUNNEL_SUFFIX, NULL);
  return self;
}

const char *
tw_tunnel_store_get_tunnels_dir (TwTunnelStore *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_STORE (self), NULL);
  return self->tunnels_dir;
}

const char *
tw_tunnel_store_get_draft_path (TwTunnelStore *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_STORE (self), NULL);
  return self->draft_path;
}

/* ---- loading --------------------------------------------------------------- */

static TwTunnelEntry *
load_entry (const char *id,
            const char *path)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTunnel) tunnel = NULL;
  g_autofree char *verdict = NULL;
  g_autofree char *checked_text = NULL;
  g_autoptr(GDateTime) checked = NULL;
  TwTunnelEntry *entry;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error) ||
      !(tunnel = tw_tunnel_from_key_file (key_file, &error)))
    return tw_tunnel_entry_new_broken (id, path, error);

  verdict = g_key_file_get_string (key_file, RESULT_GROUP, "verdict", NULL);
  checked_text = g_key_file_get_string (key_file, RESULT_GROUP, "checked", NULL);
  if (checked_text != NULL)
    checked = g_date_time_new_from_iso8601 (checked_text, NULL);

  entry = tw_tunnel_entry_new (id, path, tunnel);
  tw_tunnel_entry_set_last_result (entry, verdict, checked);
  {
    g_auto(GStrv) checks = g_key_file_get_string_list (key_file, RESULT_GROUP, "checks", NULL, NULL);

    tw_tunnel_entry_set_last_checks (entry, (const char * const *) checks);
  }
  return entry;
}

/* "ID.tunnel.XXXXXX" with the six characters g_mkstemp() puts there: ours and nothing else. */
static gboolean
is_our_temp_name (const char *name,
                  const char *stem)
{
  const char *suffix = strstr (name, TUNNEL_SUFFIX ".");
  const char *random;

  if (suffix == NULL || suffix == name || name[0] == '.')
    return FALSE;
  if (stem != NULL && (strlen (stem) != (gsize) (suffix - name) || strncmp (name, stem, suffix - name) != 0))
    return FALSE;
  random = suffix + strlen (TUNNEL_SUFFIX ".");
  if (strlen (random) != 6)
    return FALSE;
  for (const char *c = random; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c))
      return FALSE;
  return TRUE;
}

void
tw_tunnel_store_remove_stale_temps (const char *dir_path,
                                    const char *stem)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf info;

      if (!is_our_temp_name (name, stem))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      /* lstat: a link is nothing we wrote; a file still being written is left to its writer. */
      if (g_lstat (path, &info) != 0 || !S_ISREG (info.st_mode) ||
          now - (gint64) info.st_mtime < STALE_TEMP_AGE_S)
        continue;
      if (g_unlink (path) == 0)
        g_debug ("Removed %s, left by a save that was interrupted", path);
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  TwTunnelEntry *ea = *(TwTunnelEntry **) a;
  TwTunnelEntry *eb = *(TwTunnelEntry **) b;
  TwTunnel *ta = tw_tunnel_entry_get_tunnel (ea);
  TwTunnel *tb = tw_tunnel_entry_get_tunnel (eb);
  const char *na = ta ? tw_tunnel_get_name (ta) : NULL;
  const char *nb = tb ? tw_tunnel_get_name (tb) : NULL;
  int cmp = g_utf8_collate (na ? na : "", nb ? nb : "");

  return cmp != 0 ? cmp : g_strcmp0 (tw_tunnel_entry_get_id (ea), tw_tunnel_entry_get_id (eb));
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *dir_path = task_data;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  const char *name;

  if (dir == NULL)
    {
      /* No directory yet simply means no tunnel saved yet. */
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tw_tunnel_store_remove_stale_temps (dir_path, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *id = NULL;
      g_autofree char *path = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      if (!g_str_has_suffix (name, TUNNEL_SUFFIX) || name[0] == '.')
        continue;

      id = g_strndup (name, strlen (name) - strlen (TUNNEL_SUFFIX));
      path = g_build_filename (dir_path, name, NULL);
      g_ptr_array_add (entries, load_entry (id, path));
    }

  g_ptr_array_sort (entries, compare_entries);
  g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_ptr_array_unref);
}

void
tw_tunnel_store_load_async (TwTunnelStore       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TW_IS_TUNNEL_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_tunnel_store_load_async);
  g_task_set_task_data (task, g_strdup (self->tunnels_dir), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
tw_tunnel_store_load_finish (TwTunnelStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  guint removed;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  entries = g_task_propagate_pointer (G_TASK (result), error);
  if (entries == NULL)
    return FALSE;

  removed = self->entries->len;
  g_ptr_array_set_size (self->entries, 0);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (self->entries, g_object_ref (g_ptr_array_index (entries, i)));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->entries->len);
  return TRUE;
}

/* ---- saving and deleting ------------------------------------------------------ */

TwTunnelEntry *
tw_tunnel_store_create_entry (TwTunnelStore *self,
                              TwTunnel      *tunnel)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *file = g_strconcat (id, TUNNEL_SUFFIX, NULL);
  g_autofree char *path = g_build_filename (self->tunnels_dir, file, NULL);

  return tw_tunnel_entry_new (id, path, tunnel);
}

TwTunnelEntry *
tw_tunnel_store_find (TwTunnelStore *self,
                      const char    *id)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      TwTunnelEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (tw_tunnel_entry_get_id (entry), id) == 0)
        return entry;
    }
  return NULL;
}

typedef struct {
  char  *path;
  char  *data;
  gsize  length;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  g_free (job->path);
  g_free (job->data);
  g_free (job);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteJob *job = task_data;
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return;
    }

  /* CONSISTENT writes a temporary file and renames it over the old one, so a crash mid-write
   * leaves either the old tunnel or the new one, never half of each. */
  if (!g_file_set_contents_full (job->path, job->data, job->length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tw_tunnel_store_run_write (TwTunnelStore       *self,
                           gpointer             source_tag,
                           const char          *path,
                           GKeyFile            *key_file,
                           gpointer             entry,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  WriteJob *job = g_new0 (WriteJob, 1);

  g_task_set_source_tag (task, source_tag);
  job->path = g_strdup (path);
  job->data = g_key_file_to_data (key_file, &job->length, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) write_job_free);
  if (entry != NULL)
    g_object_set_data_full (G_OBJECT (task), "entry", g_object_ref (entry), g_object_unref);
  g_task_run_in_thread (task, write_thread);
}

void
tw_tunnel_store_save_async (TwTunnelStore       *self,
                            TwTunnelEntry       *entry,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GKeyFile) key_file = NULL;
  GDateTime *checked;

  g_return_if_fail (TW_IS_TUNNEL_STORE (self));
  g_return_if_fail (TW_IS_TUNNEL_ENTRY (entry));

  if (tw_tunnel_entry_is_broken (entry))
    {
      g_task_report_new_error (self, callback, user_data, tw_tunnel_store_save_async,
                               TW_TUNNEL_STORE_ERROR, TW_TUNNEL_STORE_ERROR_BROKEN_ENTRY,
                               _("%s could not be read, so it is left as it is"),
                               tw_tunnel_entry_get_path (entry));
      return;
    }

  /* Serialised here, on the main context, because the tunnel is bound to widgets. */
  key_file = tw_tunnel_to_key_file (tw_tunnel_entry_get_tunnel (entry));
  if (tw_tunnel_entry_get_last_verdict (entry) != NULL)
    g_key_file_set_string (key_file, RESULT_GROUP, "verdict", tw_tunnel_entry_get_last_verdict (entry));
  checked = tw_tunnel_entry_get_last_checked (entry);
  if (checked != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (checked);

      g_key_file_set_string (key_file, RESULT_GROUP, "checked", text);
    }
  if (tw_tunnel_entry_get_last_checks (entry) != NULL)
    g_key_file_set_string_list (key_file, RESULT_GROUP, "checks", tw_tunnel_entry_get_last_checks (entry),
                                g_strv_length ((char **) tw_tunnel_entry_get_last_checks (entry)));

  tw_tunnel_store_run_write (self, tw_tunnel_store_save_async, tw_tunnel_entry_get_path (entry), key_file,
             entry, cancellable, callback, user_data);
}

gboolean
tw_tunnel_store_save_finish (TwTunnelStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  TwTunnelEntry *entry;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  entry = g_object_get_data (G_OBJECT (result), "entry");
  if (entry != NULL && !g_ptr_array_find (self->entries, entry, NULL))
    {
      TwTunnelEntry *old = tw_tunnel_store_find (self, tw_tunnel_entry_get_id (entry));
      guint position;

      /* An edited tunnel is saved as a new entry with the old id: it takes the old one's place. */
      if (old != NULL && g_ptr_array_find (self->entries, old, &position))
        {
          g_ptr_array_index (self->entries, position) = g_object_ref (entry);
          g_object_unref (old);
          g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
        }
      else
        {
          g_ptr_array_add (self->entries, g_object_ref (entry));
          g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
        }
    }
  return TRUE;
}

void
tw_tunnel_store_remove (TwTunnelStore *self,
                        TwTunnelEntry *entry)
{
  guint position;

  g_return_if_fail (TW_IS_TUNNEL_STORE (self));

  if (g_ptr_array_find (self->entries, entry, &position))
    {
      g_ptr_array_remove_index (self->entries, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }
}

void
tw_tunnel_store_restore (TwTunnelStore *self,
                         TwTunnelEntry *entry)
{
  guint position = 0;

  g_return_if_fail (TW_IS_TUNNEL_STORE (self));

  if (g_ptr_array_find (self->entries, entry, NULL))
    return;

  while (position < self->entries->len &&
         compare_entries (&g_ptr_array_index (self->entries, position), &entry) < 0)
    position++;
  g_ptr_array_insert (self->entries, position, g_object_ref (entry));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *path = task_data;

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               _("Could not delete %s: %s"), path, g_strerror (saved_errno));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
tw_tunnel_store_delete_async (TwTunnelStore       *self,
                              TwTunnelEntry       *entry,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TW_IS_TUNNEL_STORE (self));
  g_return_if_fail (TW_IS_TUNNEL_ENTRY (entry));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_tunnel_store_delete_async);

  if (tw_tunnel_entry_is_broken (entry))
    {
      g_task_return_new_error (task, TW_TUNNEL_STORE_ERROR, TW_TUNNEL_STORE_ERROR_BROKEN_ENTRY,
                               _("%s could not be read, so it is left as it is"),
                               tw_tunnel_entry_get_path (entry));
      return;
    }

  tw_tunnel_store_remove (self, entry);
  g_task_set_task_data (task, g_strdup (tw_tunnel_entry_get_path (entry)), g_free);
  g_task_run_in_thread (task, delete_thread);
}

gboolean
tw_tunnel_store_delete_finish (TwTunnelStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
