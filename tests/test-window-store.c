/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saved tunnels in the real window: a broken file shown and left alone, delete with Undo,
 * and a remembered password that lives in gnome-keyring only (run in
 * tests/rig/keyring-session.sh).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tw-destination-page.h"
#include "tw-secrets.h"
#include "tw-tunnel-row.h"
#include "tw-test-window.h"

/* ---- broken files ---------------------------------------------------------------------- */

static void
test_corrupt_file_shown_untouched (void)
{
  TwTestSession s = { 0 };
  g_autofree char *dir = g_build_filename (tw_test_config_home (), "tunnel-wizard", "tunnels", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.tunnel", NULL);
  g_autofree char *good = g_build_filename (dir, "good.tunnel", NULL);
  const char *garbage = "[Tunnel\nthis is = not [a key file\n";
  g_autofree char *after = NULL;
  GtkListBox *list;
  GtkListBoxRow *row;
  gboolean found = FALSE;

  tw_test_reset_config ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  g_assert_true (g_file_set_contents (good, "[Tunnel]\nname=Still loads\nssh-host=ok.example.com\nuser=fivetran\n", -1, NULL));

  tw_test_session_open (&s);
  list = tw_start_page_get_list (TW_START_PAGE (tw_window_get_start_page (s.window)));
  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      if (g_str_equal (title, "broken.tunnel"))
        {
          found = TRUE;
          g_assert_nonnull (strstr (subtitle, "Could not be read"));
        }
      else
        g_assert_cmpstr (title, ==, "Still loads");
    }
  g_assert_true (found);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tw_window_get_store (s.window))), ==, 2);
  tw_test_screenshot (s.window, "15-start-broken-file");

  /* Neither delete nor open touches it. */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-tunnel", "s", "broken");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.open-tunnel", "s", "broken");
  g_assert_cmpint (tw_window_get_step (s.window), ==, -1);
  tw_test_session_close (&s);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
}

/* Delete removes the row at once, and the file when the Undo toast goes. */
static void
test_delete_with_undo (void)
{
  TwTestSession s = { 0 };
  g_autofree char *dir = g_build_filename (tw_test_config_home (), "tunnel-wizard", "tunnels", NULL);
  g_autofree char *path = g_build_filename (dir, "gone.tunnel", NULL);
  TwTunnelStore *store;

  tw_test_reset_config ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "[Tunnel]\nname=Gone\nssh-host=gone.example.com\n", -1, NULL));

  tw_test_session_open (&s);
  store = tw_window_get_store (s.window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-tunnel", "s", "gone");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  tw_test_screenshot (s.window, "16-start-deleted-undo");

  /* Closing the window carries out the deletion the Undo toast still offered. */
  tw_test_session_close (&s);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static gboolean
password_recalled (gpointer data)
{
  g_autoptr(TwCredentials) credentials = tw_destination_page_dup_credentials (data);

  return credentials != NULL && tw_credentials_get_kind (credentials) == TW_CREDENTIALS_PASSWORD &&
         g_strcmp0 (tw_credentials_get_password (credentials), "horse-battery-4711") == 0;
}

/* "Remember in keyring": the password is in gnome-keyring, nowhere under the config dir, and
 * back in the field when the tunnel is opened again. Needs tests/rig/keyring-session.sh. */
static void
test_remembered_password_in_keyring_only (void)
{
  TwTestSession s = { 0 };
  const char *password = "horse-battery-4711";
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  g_autoptr(TwTunnelEntry) entry = NULL;
  TwDestinationPage *destination;
  char *found;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_key_page_set_text (tw_test_key_page (s.window), public_key);
  tw_test_set_entry (tw_window_get_step_page (s.window, 1), TW_TYPE_SERVER_PAGE, "host_row", "bastion.example.com");
  destination = TW_DESTINATION_PAGE (tw_window_get_step_page (s.window, 5));
  tw_destination_page_set_login_kind (destination, TW_CREDENTIALS_PASSWORD);
  tw_destination_page_set_password (destination, password);
  tw_destination_page_set_remember_password (destination, TRUE);
  tw_test_spin (600);  /* past the draft's delay: the draft is written too */

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.save", NULL);
  g_assert_true (tw_test_wait_until (tw_test_back_on_start, s.window));
  entry = g_list_model_get_item (G_LIST_MODEL (tw_window_get_store (s.window)), 0);

  found = tw_test_keyring_lookup (tw_tunnel_entry_get_id (entry));
  if (found == NULL)
    {
      /* The store is asynchronous: give it a moment, then ask again. */
      tw_test_spin (500);
      found = tw_test_keyring_lookup (tw_tunnel_entry_get_id (entry));
    }
  g_assert_cmpstr (found, ==, password);
  secret_password_free (found);
  g_assert_false (tw_test_tree_contains (tw_test_config_home (), password));

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.open-tunnel", "s", tw_tunnel_entry_get_id (entry));
  g_assert_true (tw_test_wait_until (password_recalled, destination));
  tw_test_session_close (&s);
  g_assert_false (tw_test_tree_contains (tw_test_config_home (), password));
}

/* The saved list claims what the last run checked: the SSH port's checks alone after a
 * "Check again", a count otherwise, never "all" */
static void
test_row_names_what_ran (void)
{
  g_autoptr(TwTunnelStore) store = tw_tunnel_store_new (tw_test_config_home ());
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autoptr(GDateTime) checked = g_date_time_new_now_utc ();
  const char * const ssh_only[] = { "resolve", "connect", "banner", "kex", "host-key", NULL };
  const char * const with_forward[] = { "resolve", "connect", "banner", "kex", "host-key", "login", "forward", NULL };
  TwTunnelRow *row;

  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_user (tunnel, "fivetran");
  entry = tw_tunnel_store_create_entry (store, tunnel);
  tw_tunnel_entry_set_last_result (entry, "pass", checked);
  tw_tunnel_entry_set_last_checks (entry, ssh_only);
  row = g_object_ref_sink (tw_tunnel_row_new (entry));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "The SSH port’s 5 checks passed"));

  tw_tunnel_entry_set_last_checks (entry, with_forward);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "7 checks passed"));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "All checks"));
  /* no padding before a one-digit day: neither spaces nor a figure space */
  {
    g_autoptr(GDateTime) fifth = g_date_time_new_utc (2026, 12, 5, 12, 0, 0);

    tw_tunnel_entry_set_last_result (entry, "pass", fifth);
    g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ",  "));
    g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "\u2007"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ", 5 Dec 2026"));
  }
  g_object_unref (row);
}

static gboolean
button_idle (gpointer data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (data));
}

/* "Check in the Background" on a saved tunnel writes its systemd user units (systemd-analyze
 * judges them in test-probe-monitor) and takes them away again, off the main thread */
static void
test_background_check_toggle (void)
{
  g_autoptr(TwTunnelStore) store = tw_tunnel_store_new (NULL);
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autofree char *tool_dir = g_path_get_dirname (g_getenv ("TUNNEL_CHECK"));
  g_autofree char *path = g_strconcat (tool_dir, ":", g_getenv ("PATH"), NULL);
  g_autofree char *timer = NULL, *unit = NULL;
  GtkWidget *button;
  TwTunnelRow *row;

  /* The test program has no tunnel-check beside it: the built one, from PATH */
  g_setenv ("PATH", path, TRUE);
  tw_tunnel_set_name (tunnel, "warehouse");
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_user (tunnel, "fivetran");
  entry = tw_tunnel_store_create_entry (store, tunnel);
  unit = tw_monitor_unit_name (tw_tunnel_entry_get_id (entry));
  timer = g_strdup_printf ("%s/systemd/user/%s.timer", g_get_user_config_dir (), unit);
  row = g_object_ref_sink (tw_tunnel_row_new (entry));
  button = tw_test_find_named (GTK_WIDGET (row), "background-check");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  g_assert_false (gtk_widget_get_sensitive (button));      /* while it works */
  g_assert_true (tw_test_wait_until (button_idle, button));
  g_assert_true (g_file_test (timer, G_FILE_TEST_EXISTS));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_true (tw_monitor_is_installed (tw_tunnel_entry_get_id (entry)));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), FALSE);
  g_assert_true (tw_test_wait_until (button_idle, button));
  g_assert_false (g_file_test (timer, G_FILE_TEST_EXISTS));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_object_unref (row);
}

static gboolean
button_active (gpointer data)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (data));
}

/* A row learns off the main thread whether its tunnel is checked in the background: the
 * button follows the units already there, and following them installs nothing */
static void
test_background_state_found_off_main_thread (void)
{
  g_autoptr(TwTunnelStore) store = tw_tunnel_store_new (NULL);
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autofree char *unit = NULL, *dir = NULL, *timer = NULL, *service = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *button;
  TwTunnelRow *row;

  tw_tunnel_set_name (tunnel, "lake");
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_user (tunnel, "fivetran");
  entry = tw_tunnel_store_create_entry (store, tunnel);
  unit = tw_monitor_unit_name (tw_tunnel_entry_get_id (entry));
  dir = g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
  timer = g_strdup_printf ("%s/%s.timer", dir, unit);
  service = g_strdup_printf ("%s/%s.service", dir, unit);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (timer, "[Timer]\n", -1, &error));
  g_assert_no_error (error);
  g_assert_true (tw_monitor_is_installed (tw_tunnel_entry_get_id (entry)));

  row = g_object_ref_sink (tw_tunnel_row_new (entry));
  button = tw_test_find_named (GTK_WIDGET (row), "background-check");
  /* Nothing was asked on this thread: the answer comes through the main loop */
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_true (tw_test_wait_until (button_active, button));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_false (g_file_test (service, G_FILE_TEST_EXISTS));    /* no install ran */
  g_object_unref (row);

  g_assert_true (tw_monitor_remove (tw_tunnel_entry_get_id (entry)));
  g_assert_false (g_file_test (timer, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);

  g_test_add_func ("/window/store/corrupt-file-shown-untouched", test_corrupt_file_shown_untouched);
  g_test_add_func ("/window/store/row-names-what-ran", test_row_names_what_ran);
  g_test_add_func ("/window/store/background-check-toggle", test_background_check_toggle);
  g_test_add_func ("/window/store/background-state-found-off-main-thread",
                   test_background_state_found_off_main_thread);
  g_test_add_func ("/window/store/delete-with-undo", test_delete_with_undo);
  g_test_add_func ("/window/secrets/remembered-password-in-keyring-only", test_remembered_password_in_keyring_only);

  return tw_test_window_finish (g_test_run ());
}
