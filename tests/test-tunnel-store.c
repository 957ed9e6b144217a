/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "tw-core.h"
#include "tw-tunnel-store.h"
#include "tw-test-files.h"

typedef struct {
  char          *base;
  TwTunnelStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->base = g_dir_make_tmp ("tw-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = tw_tunnel_store_new (fixture->base);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  /* A worker thread drops its reference to the task (and so to the store) just after the
   * callback may already have run. */
  while (G_OBJECT (fixture->store)->ref_count > 1 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_finalize_object (fixture->store);
  tw_test_remove_tree (fixture->base);
  g_free (fixture->base);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
load (TwTunnelStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tw_tunnel_store_load_async (store, NULL, on_done, &result);
  g_assert_true (tw_tunnel_store_load_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static TwTunnel *
make_tunnel (const char *name)
{
  TwTunnel *tunnel = tw_tunnel_new ();

  tw_tunnel_set_name (tunnel, name);
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_ssh_port (tunnel, 2222);
  tw_tunnel_set_user (tunnel, "fivetran");
  tw_tunnel_set_dest_host (tunnel, "db.internal");
  tw_tunnel_set_dest_port (tunnel, 3306);
  tw_tunnel_set_dest_kind (tunnel, TW_DEST_KIND_MYSQL);
  tw_tunnel_set_require_tls (tunnel, FALSE);
  tw_tunnel_set_service_key (tunnel, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDkey fivetran");
  tw_tunnel_set_pinned_fingerprint (tunnel, "SHA256:abc");
  return tunnel;
}

static void
save (TwTunnelStore *store,
      TwTunnelEntry *entry)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tw_tunnel_store_save_async (store, entry, NULL, on_done, &result);
  g_assert_true (tw_tunnel_store_save_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

/* A saved tunnel comes back field for field in a new store (a restarted app), with its last
 * result, and its file is private to the user. */
static void
test_store_round_trip (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(TwTunnel) tunnel = make_tunnel ("Production DB");
  g_autoptr(TwTunnelEntry) entry = tw_tunnel_store_create_entry (fixture->store, tunnel);
  g_autoptr(GDateTime) checked = g_date_time_new_utc (2026, 11, 24, 10, 30, 0);
  g_autoptr(TwTunnelStore) again = NULL;
  g_autoptr(TwTunnelEntry) loaded = NULL;
  TwTunnel *copy;
  GStatBuf st;

  tw_tunnel_entry_set_last_result (entry, "warn", checked);
  tw_tunnel_entry_set_last_checks (entry, (const char * const []) { "resolve", "connect", NULL });
  save (fixture->store, entry);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);

  g_assert_cmpint (g_stat (tw_tunnel_entry_get_path (entry), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (tw_tunnel_store_get_tunnels_dir (fixture->store), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  again = tw_tunnel_store_new (fixture->base);
  load (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_false (tw_tunnel_entry_is_broken (loaded));
  g_assert_cmpstr (tw_tunnel_entry_get_id (loaded), ==, tw_tunnel_entry_get_id (entry));
  copy = tw_tunnel_entry_get_tunnel (loaded);
  g_assert_cmpstr (tw_tunnel_get_name (copy), ==, "Production DB");
  g_assert_cmpstr (tw_tunnel_get_ssh_host (copy), ==, "bastion.example.com");
  g_assert_cmpuint (tw_tunnel_get_ssh_port (copy), ==, 2222);
  g_assert_cmpstr (tw_tunnel_get_user (copy), ==, "fivetran");
  g_assert_cmpstr (tw_tunnel_get_dest_host (copy), ==, "db.internal");
  g_assert_cmpuint (tw_tunnel_get_dest_port (copy), ==, 3306);
  g_assert_cmpint (tw_tunnel_get_dest_kind (copy), ==, TW_DEST_KIND_MYSQL);
  g_assert_false (tw_tunnel_get_require_tls (copy));
  g_assert_cmpstr (tw_tunnel_get_service_key (copy), ==, tw_tunnel_get_service_key (tunnel));
  g_assert_cmpstr (tw_tunnel_get_pinned_fingerprint (copy), ==, "SHA256:abc");
  g_assert_cmpstr (tw_tunnel_entry_get_last_verdict (loaded), ==, "warn");
  g_assert_true (g_date_time_equal (tw_tunnel_entry_get_last_checked (loaded), checked));
  g_assert_true (g_strv_equal (tw_tunnel_entry_get_last_checks (loaded),
                               (const char * const []) { "resolve", "connect", NULL }));
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Broken files are listed with their error, the good one still loads, and neither a save nor a
 * delete touches a broken file. */
static void
test_store_corrupt_file (Fixture       *fixture,
                         gconstpointer  user_data)
{
  const char *dir = tw_tunnel_store_get_tunnels_dir (fixture->store);
  const char *garbage = "\x01\x02 this is not a key file\n[[[";
  const char *bad_port = "[Tunnel]\nname=Bad port\nssh-port=seventy\n";
  g_autoptr(TwTunnel) good = make_tunnel ("Good");
  g_autoptr(TwTunnelEntry) entry = tw_tunnel_store_create_entry (fixture->store, good);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *garbage_path = g_build_filename (dir, "garbage.tunnel", NULL);
  g_autofree char *contents = NULL;
  guint n_broken = 0;

  save (fixture->store, entry);
  write_file (dir, "garbage.tunnel", garbage);
  write_file (dir, "bad-port.tunnel", bad_port);
  write_file (dir, "notes.txt", "not a tunnel");
  /* Unreadable: a directory where a file should be (root reads any file, whatever its mode). */
  {
    g_autofree char *unreadable = g_build_filename (dir, "folder.tunnel", NULL);

    g_assert_cmpint (g_mkdir (unreadable, 0700), ==, 0);
  }

  load (fixture->store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 4);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(TwTunnelEntry) item = g_list_model_get_item (G_LIST_MODEL (fixture->store), i);

      if (!tw_tunnel_entry_is_broken (item))
        {
          g_assert_cmpstr (tw_tunnel_get_name (tw_tunnel_entry_get_tunnel (item)), ==, "Good");
          continue;
        }
      n_broken++;
      g_assert_null (tw_tunnel_entry_get_tunnel (item));
      g_assert_nonnull (tw_tunnel_entry_get_error (item)->message);
      if (g_str_equal (tw_tunnel_entry_get_id (item), "bad-port"))
        {
          g_assert_error (tw_tunnel_entry_get_error (item), TW_TUNNEL_STORE_ERROR,
                          TW_TUNNEL_STORE_ERROR_CORRUPT);
          g_assert_nonnull (strstr (tw_tunnel_entry_get_error (item)->message, "ssh-port"));
        }
    }
  g_assert_cmpuint (n_broken, ==, 3);

  {
    TwTunnelEntry *broken = tw_tunnel_store_find (fixture->store, "garbage");

    tw_tunnel_store_save_async (fixture->store, broken, NULL, on_done, &result);
    g_assert_false (tw_tunnel_store_save_finish (fixture->store, wait_for (&result), &error));
    g_assert_error (error, TW_TUNNEL_STORE_ERROR, TW_TUNNEL_STORE_ERROR_BROKEN_ENTRY);
    g_clear_error (&error);
    g_clear_object (&result);

    tw_tunnel_store_delete_async (fixture->store, broken, NULL, on_done, &result);
    g_assert_false (tw_tunnel_store_delete_finish (fixture->store, wait_for (&result), &error));
    g_assert_error (error, TW_TUNNEL_STORE_ERROR, TW_TUNNEL_STORE_ERROR_BROKEN_ENTRY);
  }

  g_file_get_contents (garbage_path, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, garbage);
}

/* Delete is undoable until the file is removed: remove/restore only touch the model. */
static void
test_store_delete (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(TwTunnel) tunnel = make_tunnel ("Gone soon");
  g_autoptr(TwTunnelEntry) entry = tw_tunnel_store_create_entry (fixture->store, tunnel);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  save (fixture->store, entry);
  tw_tunnel_store_remove (fixture->store, entry);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  g_assert_true (g_file_test (tw_tunnel_entry_get_path (entry), G_FILE_TEST_EXISTS));
  tw_tunnel_store_restore (fixture->store, entry);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);

  tw_tunnel_store_delete_async (fixture->store, entry, NULL, on_done, &result);
  g_assert_true (tw_tunnel_store_delete_finish (fixture->store, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (tw_tunnel_entry_get_path (entry), G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
}

/* The draft keeps unsaved input across a restart and goes away when cleared. */
static void
test_store_draft (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(TwTunnel) tunnel = make_tunnel ("Half done");
  g_autoptr(TwTunnel) draft = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *entry_id = NULL;

  tw_tunnel_store_load_draft_async (fixture->store, NULL, on_done, &result);
  g_assert_null (tw_tunnel_store_load_draft_finish (fixture->store, wait_for (&result), NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  tw_tunnel_store_save_draft_async (fixture->store, tunnel, "edited-id", NULL, on_done, &result);
  g_assert_true (tw_tunnel_store_save_draft_finish (fixture->store, wait_for (&result), &error));
  g_clear_object (&result);

  tw_tunnel_store_load_draft_async (fixture->store, NULL, on_done, &result);
  draft = tw_tunnel_store_load_draft_finish (fixture->store, wait_for (&result), &entry_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpstr (entry_id, ==, "edited-id");
  g_assert_cmpstr (tw_tunnel_get_name (draft), ==, "Half done");
  g_assert_cmpuint (tw_tunnel_get_dest_port (draft), ==, 3306);

  tw_tunnel_store_clear_draft (fixture->store);
  g_assert_false (g_file_test (tw_tunnel_store_get_draft_path (fixture->store), G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tunnel-store/round-trip", Fixture, NULL, fixture_set_up, test_store_round_trip, fixture_tear_down);
  g_test_add ("/tunnel-store/corrupt-file", Fixture, NULL, fixture_set_up, test_store_corrupt_file, fixture_tear_down);
  g_test_add ("/tunnel-store/delete", Fixture, NULL, fixture_set_up, test_store_delete, fixture_tear_down);
  g_test_add ("/tunnel-store/draft", Fixture, NULL, fixture_set_up, test_store_draft, fixture_tear_down);

  return g_test_run ();
}
