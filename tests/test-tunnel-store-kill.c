/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Data safety: a saved tunnel is never truncated. A child process saves one
 * tunnel over and over, alternating two versions, and is killed with
 * SIGKILL, half of the times at a random moment and half of the times the
 * instant inotify reports a file being opened or written in the tunnels
 * folder (the moment a writer that truncates in place would be caught with
 * an empty file). After every kill the store must load that tunnel whole,
 * as one version or the other, never half of each and never as a broken
 * entry. The temporary files such kills leave behind are removed by the next
 * load once no save can still be writing them; a fresh one (a save in
 * progress elsewhere) and files that are not ours stay.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <time.h>
#include <utime.h>
#include <unistd.h>

#include "tw-core.h"
#include "tw-tunnel-store.h"
#include "tw-test-files.h"

#define N_KILLS 30
/* Enough addresses that one save is many writes, not one small one. */
#define N_ADDRESSES 2000
/* The store's STALE_TEMP_AGE_S (tw-tunnel-store.c), and a second for the clock's granularity. */
#define STALE_TEMP_WAIT_S 11

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
load_store (TwTunnelStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tw_tunnel_store_load_async (store, NULL, on_done, &result);
  g_assert_true (tw_tunnel_store_load_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

/* Version V's addresses: "10.V.x.y/32", so that a mix of two versions shows. */
static GStrv
addresses_for (char version)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < N_ADDRESSES; i++)
    {
      g_autofree char *address = g_strdup_printf ("10.%d.%u.%u/32", version, i / 256, i % 256);

      g_strv_builder_add (builder, address);
    }
  return g_strv_builder_end (builder);
}

static void
set_version (TwTunnel *tunnel,
             char      version)
{
  g_autofree char *name = g_strdup_printf ("version %c", version);
  g_auto(GStrv) addresses = addresses_for (version);

  tw_tunnel_set_name (tunnel, name);
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_service_addresses (tunnel, (const char * const *) addresses);
}

/* The child: saves the store's one tunnel (created on the first round)
 * alternately as version A and B until it is killed. */
static int
save_loop (const char *base)
{
  g_autoptr(TwTunnelStore) store = tw_tunnel_store_new (base);
  g_autoptr(TwTunnelEntry) entry = NULL;

  load_store (store);
  if (g_list_model_get_n_items (G_LIST_MODEL (store)) > 0)
    entry = g_list_model_get_item (G_LIST_MODEL (store), 0);
  else
    {
      g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();

      set_version (tunnel, 'A');
      entry = tw_tunnel_store_create_entry (store, tunnel);
    }
  g_assert_false (tw_tunnel_entry_is_broken (entry));

  for (guint64 n = 0;; n++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      set_version (tw_tunnel_entry_get_tunnel (entry), n % 2 ? 'B' : 'A');
      tw_tunnel_store_save_async (store, entry, NULL, on_done, &result);
      g_assert_true (tw_tunnel_store_save_finish (store, wait_for (&result), &error));
      g_assert_no_error (error);
      if (n == 0)
        {
          /* One complete save on disk: the parent may start killing. */
          printf ("saved\n");
          fflush (stdout);
        }
    }
  return 0;
}

static void
assert_whole (TwTunnel *tunnel)
{
  const char *name = tw_tunnel_get_name (tunnel);
  const char * const *addresses = tw_tunnel_get_service_addresses (tunnel);
  g_auto(GStrv) expected = NULL;

  g_assert_true (g_strcmp0 (name, "version A") == 0 || g_strcmp0 (name, "version B") == 0);
  expected = addresses_for (name[strlen (name) - 1]);
  g_assert_nonnull (addresses);
  g_assert_true (g_strv_equal ((const char * const *) expected, addresses));
  g_assert_cmpstr (tw_tunnel_get_ssh_host (tunnel), ==, "bastion.example.com");
}

/* The temporary files of g_file_set_contents_full(): "ID.tunnel.XXXXXX" */
static guint
count_temp_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      const char *suffix = strstr (name, ".tunnel.");

      if (suffix != NULL && strlen (suffix) == strlen (".tunnel.") + 6)
        n++;
    }
  return n;
}

static void
write_file (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "[Tunnel]\nname=half\n", -1, &error);
  g_assert_no_error (error);
}

static gboolean
file_exists (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* After the kills: what they left is gone after the next load, once old enough; a fresh
 * temporary file (someone else's save in progress) and files that are not ours stay. */
static void
assert_leftovers_removed (const char *base,
                          const char *tunnels_dir)
{
  g_autoptr(TwTunnelStore) store = tw_tunnel_store_new (base);
  g_autoptr(TwTunnelEntry) entry = NULL;
  guint left = count_temp_files (tunnels_dir);

  g_test_message ("%u temporary files left by the kills", left);
  g_usleep (STALE_TEMP_WAIT_S * G_USEC_PER_SEC);
  write_file (tunnels_dir, "other.tunnel.Ab3xY9");
  write_file (tunnels_dir, "notes.tunnel.bak");
  write_file (tunnels_dir, "copy.tunnel.1234567");
  write_file (tunnels_dir, "readme.txt");
  write_file (base, "draft.tunnel.Zz9Yx8");

  load_store (store);
  g_assert_cmpuint (count_temp_files (tunnels_dir), ==, 1);
  g_assert_true (file_exists (tunnels_dir, "other.tunnel.Ab3xY9"));
  g_assert_true (file_exists (tunnels_dir, "notes.tunnel.bak"));
  g_assert_true (file_exists (tunnels_dir, "copy.tunnel.1234567"));
  g_assert_true (file_exists (tunnels_dir, "readme.txt"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_false (tw_tunnel_entry_is_broken (entry));
  assert_whole (tw_tunnel_entry_get_tunnel (entry));
  g_assert_true (file_exists (base, "draft.tunnel.Zz9Yx8"));
}

/* Waits for the next open or write in the folder (events already queued
 * are dropped first): the saver is then in the middle of a save. */
static void
wait_for_write (int inotify_fd)
{
  char buffer[4096];

  while (read (inotify_fd, buffer, sizeof buffer) > 0)
    ;
  for (;;)
    {
      struct timeval timeout = { 2, 0 };
      fd_set fds;

      FD_ZERO (&fds);
      FD_SET (inotify_fd, &fds);
      if (select (inotify_fd + 1, &fds, NULL, NULL, &timeout) <= 0)
        g_error ("the saver wrote nothing for 2 s");
      if (read (inotify_fd, buffer, sizeof buffer) > 0)
        return;
    }
}

static void
test_kill_during_saves (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_dir_make_tmp ("tw-store-kill-XXXXXX", &error);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *tunnels_dir = g_build_filename (base, "tunnels", NULL);
  g_autoptr(GRand) rand = g_rand_new ();
  guint n_a = 0, n_b = 0;
  int inotify_fd = -1;

  g_assert_no_error (error);

  for (guint round = 0; round < N_KILLS; round++)
    {
      g_autoptr(GSubprocess) saver = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(TwTunnelStore) store = tw_tunnel_store_new (base);
      g_autoptr(TwTunnelEntry) entry = NULL;
      g_autofree char *line = NULL;

      saver = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                self, "--save-loop", base, NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (saver));
      line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "saved");

      if (inotify_fd < 0)
        {
          inotify_fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
          g_assert_cmpint (inotify_fd, >=, 0);
          g_assert_cmpint (inotify_add_watch (inotify_fd, tunnels_dir,
                                              IN_OPEN | IN_CREATE | IN_MODIFY | IN_MOVED_TO), >=, 0);
        }
      if (round % 2 == 0)
        g_usleep (g_rand_int_range (rand, 0, 30000));
      else
        wait_for_write (inotify_fd);
      g_subprocess_send_signal (saver, SIGKILL);
      g_subprocess_wait (saver, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (saver));
      g_assert_cmpint (g_subprocess_get_term_sig (saver), ==, SIGKILL);

      load_store (store);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
      entry = g_list_model_get_item (G_LIST_MODEL (store), 0);
      if (tw_tunnel_entry_is_broken (entry))
        g_error ("after kill %u the tunnel file does not load: %s",
                 round + 1, tw_tunnel_entry_get_error (entry)->message);
      assert_whole (tw_tunnel_entry_get_tunnel (entry));
      if (g_str_has_suffix (tw_tunnel_get_name (tw_tunnel_entry_get_tunnel (entry)), "A"))
        n_a++;
      else
        n_b++;
    }

  g_test_message ("%u kills: version A %u times, version B %u times", N_KILLS, n_a, n_b);
  /* A kill between writing the temporary file and renaming it leaves the temporary file
   * behind: not a loss, but clutter that must not pile up. */
  assert_leftovers_removed (base, tunnels_dir);
  close (inotify_fd);
  tw_test_remove_tree (base);
}

static void
backdate (const char *dir,
          const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct utimbuf old = { .actime = time (NULL) - 60, .modtime = time (NULL) - 60 };

  g_assert_cmpint (g_utime (path, &old), ==, 0);
}

/* Loading the draft clears the draft's own interrupted saves, nothing else in the folder. */
static void
test_draft_leftovers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_dir_make_tmp ("tw-store-draft-XXXXXX", &error);
  g_autoptr(TwTunnelStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TwTunnel) draft = NULL;

  g_assert_no_error (error);
  store = tw_tunnel_store_new (base);
  write_file (base, "draft.tunnel.Old123");
  write_file (base, "other.tunnel.Old123");
  write_file (base, "draft.tunnel.New123");
  backdate (base, "draft.tunnel.Old123");
  backdate (base, "other.tunnel.Old123");

  tw_tunnel_store_load_draft_async (store, NULL, on_done, &result);
  draft = tw_tunnel_store_load_draft_finish (store, wait_for (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_null (draft);
  g_assert_false (file_exists (base, "draft.tunnel.Old123"));
  g_assert_true (file_exists (base, "draft.tunnel.New123"));
  g_assert_true (file_exists (base, "other.tunnel.Old123"));
  tw_test_remove_tree (base);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--save-loop"))
    return save_loop (argv[2]);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tunnel-store/kill-during-saves", test_kill_during_saves);
  g_test_add_func ("/tunnel-store/draft-leftovers", test_draft_leftovers);
  return g_test_run ();
}
