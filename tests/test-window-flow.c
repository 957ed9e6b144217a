/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole wizard in the real window: the steps, Enter and Back, saving and a restart,
 * Check again against a real (closed) loopback port, and the draft of unsaved input.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tw-destination-page.h"
#include "tw-recheck-page.h"
#include "tw-summary-page.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"
#include "tw-test-window.h"

static void
test_flow_save_survives_restart (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  GtkWidget *server;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_key_page_set_text (tw_test_key_page (s.window), public_key);
  g_assert_true (tw_test_wait_until (tw_test_key_page_complete, tw_test_key_page (s.window)));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);

  /* Step 2: the Fivetran preset fills the user; a bad host blocks Next with its reason. */
  server = tw_window_get_step_page (s.window, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "user_row"))),
                   ==, "fivetran");
  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "host_row", "bastion example.com");
  g_assert_false (tw_server_page_get_complete (TW_SERVER_PAGE (server)));
  g_assert_false (tw_test_next_enabled (s.window));
  g_assert_true (gtk_widget_get_visible (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "server_problems")));
  tw_test_press_enter_in (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "host_row"));
  g_assert_cmpint (tw_window_get_step (s.window), ==, 1);
  tw_test_screenshot (s.window, "06-server-invalid");

  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "host_row", "bastion.example.com");
  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "dest_host_row", "10.0.0.12");
  g_assert_true (tw_server_page_get_complete (TW_SERVER_PAGE (server)));
  g_assert_true (tw_test_next_enabled (s.window));
  g_assert_cmpstr (tw_tunnel_get_ssh_host (tw_window_get_tunnel (s.window)), ==, "bastion.example.com");
  tw_test_screenshot (s.window, "07-server-valid");

  /* Enter in a field advances when the step is valid (the entry activates the default Next). */
  tw_test_press_enter_in (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "dest_host_row"));
  g_assert_cmpint (tw_window_get_step (s.window), ==, 2);
  tw_test_screenshot (s.window, "08-prepare");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 3);
  g_assert_false (tw_test_next_enabled (s.window));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 3);
  tw_test_screenshot (s.window, "09-ssh-check-not-run");

  /* Saving (Ctrl+S) works from any step; the name is the summary's field. */
  tw_test_set_entry (tw_window_get_step_page (s.window, 6), tw_summary_page_get_type (), "name_row", "Warehouse");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.save", NULL);
  g_assert_true (tw_test_wait_until (tw_test_back_on_start, s.window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tw_window_get_store (s.window))), ==, 1);
  tw_test_screenshot (s.window, "10-start-saved");
  tw_test_session_close (&s);

  /* A restarted app: a new process reads the same files. */
  g_test_trap_subprocess ("/window/flow/saved-tunnel-after-restart", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_flow_saved_tunnel_after_restart (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = NULL;
  g_autoptr(TwTunnelEntry) entry = NULL;
  TwTunnel *saved;

  /* Only meaningful as the subprocess of save-survives-restart, which saved the tunnel. */
  if (!g_test_subprocess ())
    {
      g_test_skip ("runs as part of /window/flow/save-survives-restart");
      return;
    }

  public_key = g_strstrip (tw_test_read_key ("service.pub"));
  tw_test_session_open (&s);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tw_window_get_store (s.window))), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (tw_window_get_store (s.window)), 0);
  saved = tw_tunnel_entry_get_tunnel (entry);
  g_assert_cmpstr (tw_tunnel_get_name (saved), ==, "Warehouse");
  g_assert_cmpstr (tw_tunnel_get_ssh_host (saved), ==, "bastion.example.com");
  g_assert_cmpstr (tw_tunnel_get_user (saved), ==, "fivetran");
  g_assert_cmpstr (tw_tunnel_get_dest_host (saved), ==, "10.0.0.12");
  g_assert_cmpstr (tw_tunnel_get_service_key (saved), ==, public_key);
  /* No draft is offered once the tunnel is saved. */
  g_assert_null (tw_start_page_get_draft (TW_START_PAGE (tw_window_get_start_page (s.window))));

  /* Opening it shows the summary. */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.open-tunnel", "s", tw_tunnel_entry_get_id (entry));
  g_assert_cmpint (tw_window_get_step (s.window), ==, 6);
  g_assert_false (tw_test_next_enabled (s.window));
  /* The values for the service's form name the destination too */
  {
    g_autofree char *text = tw_summary_page_dup_text (TW_SUMMARY_PAGE (tw_window_get_step_page (s.window, 6)));
    g_autofree char *expected = g_strdup_printf ("Destination (as the tunnel server reaches it): 10.0.0.12:%u\n",
                                                 tw_tunnel_get_dest_port (saved));

    g_assert_nonnull (strstr (text, expected));
  }
  tw_test_screenshot (s.window, "11-summary");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.back", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 5);
  tw_test_screenshot (s.window, "12-destination");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.back", NULL);
  tw_test_screenshot (s.window, "13-fingerprint");

  tw_test_session_close (&s);
}

/* ---- check again --------------------------------------------------------------------------- */

static gboolean
entry_has_result (gpointer data)
{
  return tw_tunnel_entry_get_last_verdict (data) != NULL;
}

/* "Check again" runs the SSH checks at once, and the start page shows the result and its time,
 * also after a restart. Against a loopback port nobody listens on: the connect check fails. */
static void
test_check_again_records_result (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  g_autofree char *dir = g_build_filename (tw_test_config_home (), "tunnel-wizard", "tunnels", NULL);
  g_autofree char *path = g_build_filename (dir, "local.tunnel", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  TwTunnelEntry *entry;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  tw_test_reset_config ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  contents = g_strdup_printf ("[Tunnel]\nname=Local\nssh-host=127.0.0.1\nssh-port=%u\nuser=tunnel\n"
                              "service-key=%s\n", port, public_key);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  tw_test_session_open (&s);
  entry = tw_tunnel_store_find (tw_window_get_store (s.window), "local");
  g_assert_nonnull (entry);
  g_assert_null (tw_tunnel_entry_get_last_verdict (entry));

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.check-again", "s", "local");
  /* Outside the wizard: no step, the results with a way back */
  g_assert_cmpint (tw_window_get_step (s.window), ==, -1);
  g_assert_nonnull (tw_window_get_recheck_page (s.window));
  g_assert_true (gtk_widget_get_mapped (tw_window_get_recheck_page (s.window)));
  g_assert_true (tw_test_wait_until (entry_has_result, entry));
  g_assert_cmpstr (tw_tunnel_entry_get_last_verdict (entry), ==, "fail");
  g_assert_nonnull (tw_tunnel_entry_get_last_checked (entry));
  /* No login saved with it: only the SSH port's checks ran, and the list says which */
  g_assert_true (g_strv_contains (tw_tunnel_entry_get_last_checks (entry), "connect"));
  g_assert_false (g_strv_contains (tw_tunnel_entry_get_last_checks (entry), "login"));
  g_assert_false (tw_test_next_enabled (s.window));
  tw_test_screenshot (s.window, "17-check-again-failed");

  /* Done (or Escape): one step back to the list */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.back", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, -1);
  g_assert_null (tw_window_get_recheck_page (s.window));
  g_assert_null (tw_window_get_tunnel (s.window));
  tw_test_screenshot (s.window, "18-start-last-result");
  tw_test_session_close (&s);

  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "verdict=fail"));
  g_assert_nonnull (strstr (saved, "ssh-host=127.0.0.1"));
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (tw_secrets_store_finish (result, NULL));
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* With the login saved with the tunnel (step 6's choices) and its password in the keyring,
 * "Check again" also runs the checks through the tunnel, logged in as that user, against a
 * real sshd; "Open in the Wizard" then shows the same tunnel. */
static void
test_check_again_through_tunnel (void)
{
  TwTestSession s = { 0 };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  g_autofree char *dir = g_build_filename (tw_test_config_home (), "tunnel-wizard", "tunnels", NULL);
  g_autofree char *path = g_build_filename (dir, "through.tunnel", NULL);
  g_autofree char *contents = NULL;
  gboolean stored = FALSE;
  TwTunnelEntry *entry;
  TwReport *report;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  tw_test_reset_config ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  contents = g_strdup_printf ("[Tunnel]\nname=Through\nssh-host=127.0.0.1\nssh-port=%u\nuser=%s\n"
                              "service-key=%s\npinned-fingerprint=%s\ndest-host=127.0.0.1\ndest-port=%u\n"
                              "dest-kind=tcp\nrequire-tls=false\nlogin-user=%s\nlogin-method=password\n",
                              tw_test_sshd_get_port (sshd), TW_TEST_USER, public_key,
                              tw_test_sshd_get_fingerprint (sshd), tw_test_sshd_get_port (sshd), TW_TEST_USER);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  tw_secrets_store_async ("through", TW_SECRET_PASSWORD, "test", TW_TEST_PASSWORD, NULL, on_stored, &stored);
  g_assert_true (tw_test_wait_until (is_true, &stored));

  tw_test_session_open (&s);
  entry = tw_tunnel_store_find (tw_window_get_store (s.window), "through");
  g_assert_nonnull (entry);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.check-again", "s", "through");
  g_assert_true (tw_test_wait_until (entry_has_result, entry));
  report = tw_recheck_page_get_report (TW_RECHECK_PAGE (tw_window_get_recheck_page (s.window)));
  g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpstr (tw_report_get_login_user (report), ==, TW_TEST_USER);
  g_assert_true (g_strv_contains (tw_tunnel_entry_get_last_checks (entry), "forward"));
  g_assert_true (g_strv_contains (tw_tunnel_entry_get_last_checks (entry), "host-key"));
  tw_test_screenshot (s.window, "19-check-again-through-tunnel");

  /* The login came back with the tunnel, not from the page's last use */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.open-tunnel", "s", "through");
  g_assert_null (tw_window_get_recheck_page (s.window));
  g_assert_cmpint (tw_window_get_step (s.window), ==, 6);
  /* …with the run's report still there to export */
  g_assert_true (tw_summary_page_get_report (TW_SUMMARY_PAGE (tw_window_get_step_page (s.window, 6))) == report);
  {
    TwDestinationPage *destination = TW_DESTINATION_PAGE (tw_window_get_step_page (s.window, 5));

    g_assert_cmpstr (tw_destination_page_get_login_user (destination), ==, TW_TEST_USER);
    g_assert_cmpint (tw_destination_page_get_login_kind (destination), ==, TW_CREDENTIALS_PASSWORD);
  }
  tw_test_session_close (&s);
}

/* ---- the draft ------------------------------------------------------------------------ */

static void
test_draft_survives_close (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  TwTunnel *draft;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_key_page_set_text (tw_test_key_page (s.window), public_key);
  g_assert_true (tw_test_wait_until (tw_test_key_page_complete, tw_test_key_page (s.window)));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);
  tw_test_set_entry (tw_window_get_step_page (s.window, 1), TW_TYPE_SERVER_PAGE, "host_row", "draft.example.com");
  /* Closed at once, before the draft's timer: close-request must write it. */
  tw_test_session_close (&s);

  tw_test_session_open (&s);
  draft = tw_start_page_get_draft (TW_START_PAGE (tw_window_get_start_page (s.window)));
  g_assert_nonnull (draft);
  g_assert_cmpstr (tw_tunnel_get_ssh_host (draft), ==, "draft.example.com");
  tw_test_screenshot (s.window, "14-start-draft");

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.resume-draft", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 0);
  g_assert_true (tw_key_page_get_complete (tw_test_key_page (s.window)));
  g_assert_cmpstr (tw_tunnel_get_ssh_host (tw_window_get_tunnel (s.window)), ==, "draft.example.com");
  tw_test_session_close (&s);
}

/* Changes to a saved tunnel are kept too, and saving the draft updates that tunnel. */
static void
test_draft_of_saved_tunnel (void)
{
  TwTestSession s = { 0 };
  g_autofree char *dir = g_build_filename (tw_test_config_home (), "tunnel-wizard", "tunnels", NULL);
  g_autofree char *path = g_build_filename (dir, "kept.tunnel", NULL);
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  g_autofree char *contents = g_strdup_printf ("[Tunnel]\nname=Kept\nssh-host=old.example.com\nuser=fivetran\n"
                                               "service-key=%s\n", public_key);
  g_autoptr(TwTunnelEntry) entry = NULL;
  TwTunnelStore *store;

  tw_test_reset_config ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  /* Opened and closed unchanged: no draft. */
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.open-tunnel", "s", "kept");
  tw_test_session_close (&s);
  tw_test_session_open (&s);
  g_assert_null (tw_start_page_get_draft (TW_START_PAGE (tw_window_get_start_page (s.window))));

  /* Changed, then closed: the change is offered again and saves over the same tunnel. */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.open-tunnel", "s", "kept");
  tw_test_set_entry (tw_window_get_step_page (s.window, 1), TW_TYPE_SERVER_PAGE, "host_row", "new.example.com");
  tw_test_session_close (&s);
  tw_test_session_open (&s);
  g_assert_nonnull (tw_start_page_get_draft (TW_START_PAGE (tw_window_get_start_page (s.window))));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.resume-draft", NULL);
  g_assert_cmpstr (tw_tunnel_get_ssh_host (tw_window_get_tunnel (s.window)), ==, "new.example.com");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.save", NULL);
  g_assert_true (tw_test_wait_until (tw_test_back_on_start, s.window));
  store = tw_window_get_store (s.window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (tw_tunnel_entry_get_id (entry), ==, "kept");
  g_assert_cmpstr (tw_tunnel_get_ssh_host (tw_tunnel_entry_get_tunnel (entry)), ==, "new.example.com");
  tw_test_session_close (&s);
}

static guint
count_toplevels (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  return g_list_length (toplevels);
}

static gboolean
has_windows (gpointer data)
{
  return count_toplevels () >= GPOINTER_TO_UINT (data);
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

/* The primary menu's About and Keyboard Shortcuts open their windows (no warning on the way). */
/* The start-up names an empty GTK theme while the display's settings are made (so GTK does
 * not parse its default theme for libadwaita to replace): libadwaita must still take the
 * theme over, and the variable must not reach the processes the app starts. */
static void
test_startup_theme (void)
{
  TwTestSession s = { 0 };
  g_autofree char *theme_name = NULL;
  g_auto(GStrv) child_environment = NULL;

  if (g_getenv ("GTK_THEME") != NULL)
    {
      g_test_skip ("GTK_THEME is set in the test's environment");
      return;
    }
  tw_test_reset_config ();
  tw_test_session_open (&s);

  g_object_get (gtk_settings_get_default (), "gtk-theme-name", &theme_name, NULL);
  g_assert_cmpstr (theme_name, ==, "Adwaita-empty");
  g_assert_null (g_getenv ("GTK_THEME"));
  child_environment = g_get_environ ();
  g_assert_null (g_environ_getenv (child_environment, "GTK_THEME"));

  tw_test_session_close (&s);
}

static void
test_about_and_shortcuts (void)
{
  TwTestSession s = { 0 };
  GtkShortcutsWindow *shortcuts;
  g_auto(GStrv) accels = NULL;
  guint before;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  before = count_toplevels ();

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (s.app), "about"));
  g_action_group_activate_action (G_ACTION_GROUP (s.app), "about", NULL);
  g_assert_true (tw_test_wait_until (has_windows, GUINT_TO_POINTER (before + 1)));

  /* Built when first asked for, not with the window; Ctrl+? asks too */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (s.window)));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (s.app), "win.show-help-overlay");
  g_assert_cmpstr (accels[0], ==, "<Control>question");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.show-help-overlay", NULL));
  shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (s.window));
  g_assert_nonnull (shortcuts);
  g_assert_true (tw_test_wait_until (is_visible, shortcuts));
  /* Closed and asked for again: the same window, shown again */
  gtk_window_close (GTK_WINDOW (shortcuts));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.show-help-overlay", NULL));
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (s.window)) == shortcuts);
  g_assert_true (tw_test_wait_until (is_visible, shortcuts));

  tw_test_session_close (&s);
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);

  g_test_add_func ("/window/flow/save-survives-restart", test_flow_save_survives_restart);
  g_test_add_func ("/window/flow/saved-tunnel-after-restart", test_flow_saved_tunnel_after_restart);
  g_test_add_func ("/window/flow/check-again-records-result", test_check_again_records_result);
  g_test_add_func ("/window/flow/check-again-through-tunnel", test_check_again_through_tunnel);
  g_test_add_func ("/window/about-and-shortcuts", test_about_and_shortcuts);
  g_test_add_func ("/window/startup-theme", test_startup_theme);
  g_test_add_func ("/window/draft/survives-close", test_draft_survives_close);
  g_test_add_func ("/window/draft/of-saved-tunnel", test_draft_of_saved_tunnel);

  return tw_test_window_finish (g_test_run ());
}
