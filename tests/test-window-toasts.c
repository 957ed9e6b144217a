/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Delete with Undo while another toast is showing. libadwaita 1.2.2 aborts
 * (adw-toast-overlay.c:244, `!info->widget`) when a high-priority toast that pushed another
 * one aside is dismissed before that one's hide animation has ended: these are the ways an
 * admin gets there — closing the window at once, undoing at once, deleting twice.
 */
#include "config.h"

#include "tw-test-window.h"
#include "tw-window-private.h"

typedef struct {
  char *dir;
  char *one;
  char *two;
} Files;

static void
files_write (Files *files)
{
  tw_test_reset_config ();
  files->dir = g_build_filename (tw_test_config_home (), "tunnel-wizard", "tunnels", NULL);
  files->one = g_build_filename (files->dir, "one.tunnel", NULL);
  files->two = g_build_filename (files->dir, "two.tunnel", NULL);
  g_assert_cmpint (g_mkdir_with_parents (files->dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (files->one, "[Tunnel]\nname=One\nssh-host=one.example.com\n", -1, NULL));
  g_assert_true (g_file_set_contents (files->two, "[Tunnel]\nname=Two\nssh-host=two.example.com\n", -1, NULL));
}

static void
files_clear (Files *files)
{
  g_free (files->dir);
  g_free (files->one);
  g_free (files->two);
}

/* Any toast on screen: "Unsaved input discarded" is the cheapest to get. */
static void
show_a_toast (TwWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.discard-draft", NULL);
  /* On screen, not only queued: a frame or two. */
  tw_test_spin (50);
}

static guint
n_tunnels (TwWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (tw_window_get_store (window)));
}

/* The reported crash: a toast, a delete, the window closed at once. The file still goes. */
static void
test_delete_over_toast_then_close (void)
{
  TwTestSession s = { 0 };
  Files files = { 0 };

  files_write (&files);
  tw_test_session_open (&s);
  show_a_toast (s.window);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-tunnel", "s", "one");
  g_assert_cmpuint (n_tunnels (s.window), ==, 1);
  tw_test_session_close (&s);

  g_assert_false (g_file_test (files.one, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (files.two, G_FILE_TEST_EXISTS));
  files_clear (&files);
}

/* Undo pressed at once (the toast's button, then the dismissal the toast does itself). */
static void
test_undo_at_once_over_toast (void)
{
  TwTestSession s = { 0 };
  Files files = { 0 };
  AdwToast *toast;

  files_write (&files);
  tw_test_session_open (&s);
  show_a_toast (s.window);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-tunnel", "s", "one");
  g_assert_cmpuint (s.window->pending_deletes->len, ==, 1);
  toast = g_object_ref (g_ptr_array_index (s.window->pending_deletes, 0));
  g_signal_emit_by_name (toast, "button-clicked");
  adw_toast_dismiss (toast);
  g_object_unref (toast);
  g_assert_cmpuint (s.window->pending_deletes->len, ==, 0);
  g_assert_cmpuint (n_tunnels (s.window), ==, 2);
  tw_test_spin (400);  /* past every animation: nothing aborts late */
  tw_test_session_close (&s);

  g_assert_true (g_file_test (files.one, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (files.two, G_FILE_TEST_EXISTS));
  files_clear (&files);
}

/* Two deletes in a row over a toast, the second Undo dismissed at once (Escape, the close
 * button, its timeout): both files go, one now and one when the window closes. */
static void
test_two_deletes_then_dismiss (void)
{
  TwTestSession s = { 0 };
  Files files = { 0 };

  files_write (&files);
  tw_test_session_open (&s);
  show_a_toast (s.window);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-tunnel", "s", "one");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-tunnel", "s", "two");
  g_assert_cmpuint (n_tunnels (s.window), ==, 0);
  g_assert_cmpuint (s.window->pending_deletes->len, ==, 2);
  adw_toast_dismiss (g_ptr_array_index (s.window->pending_deletes, 1));
  g_assert_cmpuint (s.window->pending_deletes->len, ==, 1);
  tw_test_spin (400);
  g_assert_true (g_file_test (files.one, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (files.two, G_FILE_TEST_EXISTS));

  tw_test_session_close (&s);
  g_assert_false (g_file_test (files.one, G_FILE_TEST_EXISTS));
  files_clear (&files);
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);

  g_test_add_func ("/window/toasts/delete-over-toast-then-close", test_delete_over_toast_then_close);
  g_test_add_func ("/window/toasts/undo-at-once-over-toast", test_undo_at_once_over_toast);
  g_test_add_func ("/window/toasts/two-deletes-then-dismiss", test_two_deletes_then_dismiss);

  return tw_test_window_finish (g_test_run ());
}
