/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file chooser for the admin's private key, driven for real. A test program of its own:
 * GTK's chooser takes GLib past 2048 quarks, and GLib then drops its first quark block on
 * purpose. tests/lsan.supp knows that block by _dl_init, which LeakSanitizer reaches only
 * with slow unwinding (GLib has no frame pointers) — too slow for the other window tests,
 * so meson gives this one program that setting alone.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tw-destination-page.h"
#include "tw-test-window.h"

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

static gboolean
file_chooser_shown (gpointer data)
{
  return find_file_chooser () != NULL;
}

/* The chooser shows a folder, and selects a file, once it has listed the folder */
static gboolean
folder_shown (gpointer data)
{
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (data);

  return folder != NULL;
}

static gboolean
file_selected (gpointer data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (data);

  return file != NULL;
}

/* "Choose…" for the login's key file (shared with the setup dialog): the chooser opens in
 * ~/.ssh, not on "Recent", and the file chosen becomes the login's */
static void
test_destination_key_file_chooser (void)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *page = tw_destination_page_new ();
  g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  /* Made for the test where the account has none (root in CI), and taken away after it */
  gboolean made_ssh_dir = !g_file_test (ssh_dir, G_FILE_TEST_IS_DIR);
  g_autofree char *key_dir = g_dir_make_tmp ("tw-chooser-XXXXXX", NULL);
  g_autofree char *key_path = g_build_filename (key_dir, "chosen_ed25519", NULL);
  g_autoptr(GFile) key_file = g_file_new_for_path (key_path);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *folder_path = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *chooser;

  g_assert_nonnull (key_dir);
  g_assert_true (g_file_set_contents (key_path, "not read here\n", -1, &error));
  g_assert_no_error (error);
  if (made_ssh_dir)
    g_assert_cmpint (g_mkdir (ssh_dir, 0700), ==, 0);
  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_present (window);
  tw_destination_page_set_login_kind (TW_DESTINATION_PAGE (page), TW_CREDENTIALS_IDENTITY_FILE);
  g_assert_null (tw_destination_page_get_identity_file (TW_DESTINATION_PAGE (page)));

  g_assert_true (gtk_widget_activate_action (page, "page.choose-key-file", NULL));
  g_assert_true (tw_test_wait_until (file_chooser_shown, NULL));
  chooser = find_file_chooser ();
  g_assert_true (tw_test_wait_until (folder_shown, chooser));
  folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
  folder_path = folder != NULL ? g_file_get_path (folder) : NULL;
  g_assert_cmpstr (folder_path, ==, ssh_dir);

  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), key_file, &error));
  g_assert_no_error (error);
  g_assert_true (tw_test_wait_until (file_selected, chooser));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  tw_test_spin (50);
  g_assert_cmpstr (tw_destination_page_get_identity_file (TW_DESTINATION_PAGE (page)), ==, key_path);
  g_assert_null (find_file_chooser ());

  gtk_window_destroy (window);
  if (made_ssh_dir)
    g_rmdir (ssh_dir);
  g_unlink (key_path);
  g_rmdir (key_dir);
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);
  g_test_add_func ("/window/chooser/private-key", test_destination_key_file_chooser);
  return tw_test_window_finish (g_test_run ());
}
