/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reverse tunnel mode in the real window, against a real OpenSSH sshd on
 * loopback and a real local destination (an echo server): the admin walks
 * the reverse steps, starts the tunnel, and data reaches the destination
 * through the bastion's port; closing the window leaves it running; the
 * autostart entry; the saved tunnel after a store reload.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>

#include "tw-fingerprint-page.h"
#include "tw-prepare-page.h"
#include "tw-reverse-autostart.h"
#include "tw-reverse-key-page.h"
#include "tw-reverse-server-page.h"
#include "tw-reverse-status-page.h"
#include "tw-ssh-check-page.h"
#include "tw-test-sshd.h"
#include "tw-test-window.h"
#include "tw-tunnel-keyfile.h"

typedef struct {
  TwReverseRunner      *runner;
  const char           *id;
  TwReverseTunnelState  state;
} StateWait;

static gboolean
reached_state (gpointer data)
{
  StateWait *wait = data;
  TwReverseTunnel *engine = tw_reverse_runner_lookup (wait->runner, wait->id);

  return engine != NULL && tw_reverse_tunnel_get_state (engine) == wait->state;
}

static gboolean
checks_done (gpointer data)
{
  return !tw_check_page_get_running (TW_CHECK_PAGE (data));
}

static gboolean
status_has_entry (gpointer data)
{
  return tw_reverse_status_page_get_entry_id (data) != NULL;
}

static gboolean
window_back (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (data);

  return window != NULL && tw_window_get_loaded (TW_WINDOW (window)) && tw_window_get_step (TW_WINDOW (window)) >= 0;
}

static gboolean
no_window (gpointer data)
{
  return gtk_application_get_windows (data) == NULL;
}

static gboolean
port_closed (gpointer data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", GPOINTER_TO_UINT (data), NULL, NULL);

  return connection == NULL;
}

static void
set_spin (GtkWidget  *page,
          const char *name,
          guint       value)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tw_test_template_child (page, TW_TYPE_REVERSE_SERVER_PAGE, name)),
                             value);
}

static void
next (TwWindow *window)
{
  int step = tw_window_get_step (window);

  g_assert_true (tw_test_next_enabled (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL);
  g_assert_cmpint (tw_window_get_step (window), ==, step + 1);
}

static char *
read_file (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static char *
keyring_private_key (const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  tw_secrets_lookup_async (id, TW_SECRET_PRIVATE_KEY, NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  secret = tw_secrets_lookup_finish (result, &error);
  g_assert_no_error (error);
  return secret;
}

/* The whole story: the reverse steps, start, data through, window closed, back, stop. */
static void
test_reverse_wizard (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *known_hosts = NULL;
  g_autofree char *authorized = NULL;
  g_autofree char *id = NULL;
  g_autofree char *autostart_path = NULL;
  g_autoptr(GError) error = NULL;
  TwTestSession s = { 0 };
  TwReverseRunner *runner;
  TwTunnel *tunnel;
  GtkWidget *page;
  TwTestEcho *echo;
  guint remote_port;
  StateWait wait;
  char *private_key;

  if (!tw_test_sshd_can_run ())
    return;

  sshd = tw_test_sshd_start (NULL);
  known_hosts = tw_test_sshd_write_known_hosts (sshd, tw_test_sshd_get_host_key_line (sshd));
  echo = tw_test_echo_start ();
  remote_port = tw_test_free_port ();

  tw_test_reset_config ();
  tw_test_session_open (&s);
  runner = tw_application_get_runner (s.app);
  tw_test_screenshot (s.window, "reverse-0-choice");

  /* "This machine opens the tunnel" starts the reverse steps. */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-reverse-tunnel", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 0);
  tunnel = tw_window_get_tunnel (s.window);
  g_assert_cmpint (tw_tunnel_get_mode (tunnel), ==, TW_TUNNEL_MODE_REVERSE);

  /* Step 1: a key pair made here; the public key shown, the private one held for the keyring. */
  page = tw_window_get_step_page (s.window, 0);
  g_assert_true (TW_IS_REVERSE_KEY_PAGE (page));
  g_assert_false (tw_test_next_enabled (s.window));
  tw_test_screenshot (s.window, "reverse-1-key-empty");
  g_assert_true (gtk_widget_activate_action (page, "page.generate", NULL));
  g_assert_true (g_str_has_prefix (tw_tunnel_get_service_key (tunnel), "ssh-ed25519 "));
  g_assert_nonnull (tw_reverse_key_page_get_private_key (TW_REVERSE_KEY_PAGE (page)));
  g_assert_true (g_str_has_prefix (tw_reverse_key_page_get_private_key (TW_REVERSE_KEY_PAGE (page)),
                                   "-----BEGIN OPENSSH PRIVATE KEY-----"));
  tw_test_screenshot (s.window, "reverse-1-key");
  next (s.window);

  /* Step 2: the bastion, the port it listens on, the local destination, the keepalive. */
  page = tw_window_get_step_page (s.window, 1);
  g_assert_true (TW_IS_REVERSE_SERVER_PAGE (page));
  g_assert_cmpuint (tw_tunnel_get_remote_port (tunnel), ==, 55432);
  g_assert_cmpstr (tw_tunnel_get_dest_host (tunnel), ==, "localhost");
  g_assert_cmpuint (tw_tunnel_get_dest_port (tunnel), ==, 5432);
  g_assert_cmpuint (tw_tunnel_get_keepalive_interval (tunnel), ==, 5);
  g_assert_false (tw_test_next_enabled (s.window));
  tw_test_set_entry (page, TW_TYPE_REVERSE_SERVER_PAGE, "host_row", "127.0.0.1");
  set_spin (page, "port_spin", tw_test_sshd_get_port (sshd));
  tw_test_set_entry (page, TW_TYPE_REVERSE_SERVER_PAGE, "user_row", TW_TEST_USER);
  set_spin (page, "remote_port_spin", remote_port);
  tw_test_set_entry (page, TW_TYPE_REVERSE_SERVER_PAGE, "dest_host_row", "127.0.0.1");
  set_spin (page, "dest_port_spin", tw_test_echo_get_port (echo));
  set_spin (page, "keepalive_spin", 2);
  g_assert_cmpstr (tw_tunnel_get_ssh_host (tunnel), ==, "127.0.0.1");
  g_assert_cmpuint (tw_tunnel_get_remote_port (tunnel), ==, remote_port);
  g_assert_cmpuint (tw_tunnel_get_keepalive_interval (tunnel), ==, 2);

  /* Other hosts: the GatewayPorts explanation shows; back to the bastion only. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (tw_test_template_child (page, TW_TYPE_REVERSE_SERVER_PAGE, "bind_row")), 1);
  g_assert_cmpstr (tw_tunnel_get_remote_address (tunnel), ==, "*");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (tw_test_template_child (page, TW_TYPE_REVERSE_SERVER_PAGE,
                                                                                       "gateway_revealer"))));
  tw_test_screenshot (s.window, "reverse-2-server");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tw_test_template_child (page, TW_TYPE_REVERSE_SERVER_PAGE, "bind_row")), 0);
  g_assert_cmpstr (tw_tunnel_get_remote_address (tunnel), ==, "localhost");
  next (s.window);

  /* Step 3: the forward mode's instructions, with this machine's key in them. */
  page = tw_window_get_step_page (s.window, 2);
  g_assert_true (TW_IS_PREPARE_PAGE (page));
  tw_test_screenshot (s.window, "reverse-3-prepare");
  /* …which the admin follows on the bastion: */
  authorized = g_strdup_printf ("%s\n", tw_tunnel_get_service_key (tunnel));
  tw_test_sshd_set_authorized_keys (sshd, authorized);
  next (s.window);

  /* Step 4: the SSH checks, with this machine's key as the key the bastion must accept. */
  page = tw_window_get_step_page (s.window, 3);
  g_assert_true (TW_IS_SSH_CHECK_PAGE (page));
  tw_check_page_set_known_hosts_file (TW_CHECK_PAGE (page), known_hosts);
  g_assert_true (gtk_widget_activate_action (page, "page.run", NULL));
  g_assert_true (tw_test_wait_until (checks_done, page));
  g_assert_true (tw_ssh_check_page_get_complete (TW_SSH_CHECK_PAGE (page)));
  next (s.window);

  /* Step 5: the fingerprint, compared and pinned as in forward mode. */
  page = tw_window_get_step_page (s.window, 4);
  g_assert_true (TW_IS_FINGERPRINT_PAGE (page));
  gtk_editable_set_text (GTK_EDITABLE (tw_test_find_named (page, "pasted-fingerprint")), tw_test_sshd_get_fingerprint (sshd));
  g_assert_true (gtk_widget_activate_action (page, "page.confirm", NULL));
  g_assert_cmpstr (tw_tunnel_get_pinned_fingerprint (tunnel), ==, tw_test_sshd_get_fingerprint (sshd));
  next (s.window);

  /* Step 6: the status page; Start saves the tunnel and opens it. */
  page = tw_window_get_step_page (s.window, 5);
  g_assert_true (TW_IS_REVERSE_STATUS_PAGE (page));
  g_assert_cmpstr (tw_reverse_status_page_get_state_text (TW_REVERSE_STATUS_PAGE (page)), ==, "Stopped");
  g_assert_false (tw_test_next_enabled (s.window));
  tw_test_screenshot (s.window, "reverse-4-status-stopped");
  g_assert_true (gtk_widget_activate_action (page, "page.start", NULL));
  g_assert_true (tw_test_wait_until (status_has_entry, page));
  id = g_strdup (tw_reverse_status_page_get_entry_id (TW_REVERSE_STATUS_PAGE (page)));
  wait = (StateWait) { runner, id, TW_REVERSE_TUNNEL_STATE_UP };
  g_assert_true (tw_test_wait_until (reached_state, &wait));
  g_assert_cmpstr (tw_reverse_status_page_get_state_text (TW_REVERSE_STATUS_PAGE (page)), ==, "Up");

  /* A client on the bastion's port reaches the local destination, both ways, intact. */
  g_assert_true (tw_test_echo_roundtrip (remote_port, 1 << 20, 7, &error));
  g_assert_no_error (error);
  tw_test_spin (600);
  g_assert_cmpuint (tw_reverse_tunnel_get_bytes_received (tw_reverse_runner_lookup (runner, id)), >=, 1 << 20);
  g_assert_cmpuint (tw_reverse_tunnel_get_bytes_sent (tw_reverse_runner_lookup (runner, id)), >=, 1 << 20);
  tw_test_screenshot (s.window, "reverse-5-status-up");

  /* The private key is in the keyring, and nowhere in the tunnel files. */
  private_key = keyring_private_key (id);
  g_assert_nonnull (private_key);
  g_assert_true (g_str_has_prefix (private_key, "-----BEGIN OPENSSH PRIVATE KEY-----"));
  {
    g_autofree char *store_dir = g_build_filename (tw_test_config_home (), "tunnel-wizard", NULL);

    g_assert_false (tw_test_tree_contains (store_dir, "PRIVATE KEY"));
  }
  secret_password_free (private_key);

  /* Start at login: an autostart entry that starts this tunnel without a window; off removes it. */
  autostart_path = tw_reverse_autostart_get_path (id);
  g_assert_true (g_str_has_prefix (autostart_path, tw_test_config_home ()));
  gtk_switch_set_active (GTK_SWITCH (tw_test_template_child (page, TW_TYPE_REVERSE_STATUS_PAGE, "autostart_switch")), TRUE);
  {
    g_autofree char *contents = read_file (autostart_path);
    g_autofree char *exec = g_strdup_printf ("\nExec=tunnel-wizard --start-tunnel=%s\n", id);
    g_autoptr(GKeyFile) key_file = g_key_file_new ();

    g_assert_nonnull (strstr (contents, exec));
    g_assert_true (g_key_file_load_from_data (key_file, contents, -1, G_KEY_FILE_NONE, &error));
    g_assert_no_error (error);
    g_assert_true (g_key_file_get_boolean (key_file, "Desktop Entry", "X-GNOME-Autostart-enabled", NULL));
  }
  gtk_switch_set_active (GTK_SWITCH (tw_test_template_child (page, TW_TYPE_REVERSE_STATUS_PAGE, "autostart_switch")), FALSE);
  g_assert_false (g_file_test (autostart_path, G_FILE_TEST_EXISTS));

  /* The window closes; the app stays (held) and the tunnel still carries data. */
  gtk_window_close (GTK_WINDOW (s.window));
  s.window = NULL;
  g_assert_true (tw_test_wait_until (no_window, s.app));
  tw_test_spin (200);
  g_assert_true (tw_reverse_runner_is_running (runner, id));
  g_assert_true (tw_test_echo_roundtrip (remote_port, 256 * 1024, 8, &error));
  g_assert_no_error (error);

  /* Opening the app again shows the running tunnel's status page. */
  g_application_activate (G_APPLICATION (s.app));
  g_assert_true (tw_test_wait_until (window_back, s.app));
  s.window = TW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (s.app)));
  if (g_getenv ("TW_SCREENSHOT_WIDTH") != NULL)
    gtk_window_set_default_size (GTK_WINDOW (s.window), atoi (g_getenv ("TW_SCREENSHOT_WIDTH")), 760);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 5);
  page = tw_window_get_step_page (s.window, 5);
  g_assert_cmpstr (tw_reverse_status_page_get_entry_id (TW_REVERSE_STATUS_PAGE (page)), ==, id);
  g_assert_cmpstr (tw_reverse_status_page_get_state_text (TW_REVERSE_STATUS_PAGE (page)), ==, "Up");

  /* The start page lists it with its live state. */
  for (int i = 0; i < 6; i++)
    gtk_widget_activate_action (GTK_WIDGET (s.window), "win.back", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, -1);
  {
    GtkListBox *list = tw_start_page_get_list (TW_START_PAGE (tw_window_get_start_page (s.window)));
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0);

    g_assert_nonnull (row);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Up since"));
  }
  tw_test_screenshot (s.window, "reverse-7-start-page");
  tw_window_show_reverse_tunnel (s.window, id);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 5);

  /* Stop: the bastion no longer listens. */
  g_assert_true (gtk_widget_activate_action (page, "page.stop", NULL));
  wait.state = TW_REVERSE_TUNNEL_STATE_STOPPED;
  g_assert_true (tw_test_wait_until (reached_state, &wait));
  g_assert_true (tw_test_wait_until (port_closed, GUINT_TO_POINTER (remote_port)));
  g_assert_cmpstr (tw_reverse_status_page_get_state_text (TW_REVERSE_STATUS_PAGE (page)), ==, "Stopped");

  /* Start again from the reopened window: the key now comes from the keyring. */
  g_assert_null (tw_reverse_key_page_get_private_key (TW_REVERSE_KEY_PAGE (tw_window_get_step_page (s.window, 0))));
  g_assert_true (gtk_widget_activate_action (page, "page.start", NULL));
  wait.state = TW_REVERSE_TUNNEL_STATE_UP;
  g_assert_true (tw_test_wait_until (reached_state, &wait));
  g_assert_true (tw_test_echo_roundtrip (remote_port, 64 * 1024, 10, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (page, "page.stop", NULL));
  wait.state = TW_REVERSE_TUNNEL_STATE_STOPPED;
  g_assert_true (tw_test_wait_until (reached_state, &wait));

  /* Deleting the tunnel takes its login entry with it. */
  gtk_switch_set_active (GTK_SWITCH (tw_test_template_child (page, TW_TYPE_REVERSE_STATUS_PAGE, "autostart_switch")), TRUE);
  g_assert_true (g_file_test (autostart_path, G_FILE_TEST_EXISTS));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-tunnel", "s", id);
  /* Closed at once: the deletion still happens (tests/test-window-toasts.c covers a delete
   * over another toast, which used to abort in libadwaita 1.2.2). */
  tw_test_session_close (&s);
  g_assert_false (g_file_test (autostart_path, G_FILE_TEST_EXISTS));
  tw_test_echo_stop (echo);
}

/* A host key other than the pinned one: the tunnel stops and the page says why. */
static void
test_reverse_host_key_changed (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autofree char *private_path = NULL;
  g_autofree char *private_key = NULL;
  g_autofree char *public_key = NULL;
  TwTestSession s = { 0 };
  TwReverseRunner *runner;
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TwReverseStatusPage *page;
  const char *id;
  StateWait wait;

  if (!tw_test_sshd_can_run ())
    return;

  sshd = tw_test_sshd_start (NULL);
  private_path = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  public_key = tw_test_sshd_read_public_key (private_path);
  tw_test_sshd_set_authorized_keys (sshd, public_key);
  g_assert_true (g_file_get_contents (private_path, &private_key, NULL, NULL));

  tw_test_reset_config ();
  tw_test_session_open (&s);
  runner = tw_application_get_runner (s.app);

  tw_tunnel_set_mode (tunnel, TW_TUNNEL_MODE_REVERSE);
  tw_tunnel_set_name (tunnel, "office database");
  tw_tunnel_set_ssh_host (tunnel, "127.0.0.1");
  tw_tunnel_set_ssh_port (tunnel, tw_test_sshd_get_port (sshd));
  tw_tunnel_set_user (tunnel, TW_TEST_USER);
  tw_tunnel_set_remote_port (tunnel, tw_test_free_port ());
  tw_tunnel_set_service_key (tunnel, public_key);
  /* the right length and alphabet, but another key */
  tw_tunnel_set_pinned_fingerprint (tunnel, "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");

  /* Saved through the window's store, then opened on its status page as the start page would. */
  entry = tw_tunnel_store_create_entry (tw_window_get_store (s.window), tunnel);
  tw_tunnel_store_save_async (tw_window_get_store (s.window), entry, NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  g_assert_true (tw_tunnel_store_save_finish (tw_window_get_store (s.window), result, NULL));
  id = tw_tunnel_entry_get_id (entry);
  tw_window_show_reverse_tunnel (s.window, id);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 5);
  page = TW_REVERSE_STATUS_PAGE (tw_window_get_step_page (s.window, 5));
  g_assert_cmpstr (tw_reverse_status_page_get_entry_id (page), ==, id);

  tw_reverse_runner_start (runner, id, tunnel, private_key);
  wait = (StateWait) { runner, id, TW_REVERSE_TUNNEL_STATE_FAILED };
  g_assert_true (tw_test_wait_until (reached_state, &wait));
  g_assert_true (g_error_matches (tw_reverse_tunnel_get_error (tw_reverse_runner_lookup (runner, id)),
                                  TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_HOST_KEY_CHANGED));
  g_assert_cmpstr (tw_reverse_status_page_get_state_text (page), ==, "Stopped: the bastion’s host key has changed");
  g_assert_false (tw_reverse_runner_is_running (runner, id));
  tw_test_screenshot (s.window, "reverse-6-host-key-changed");

  tw_test_session_close (&s);
}

/* Saved reverse tunnels survive a reload; files from before reverse mode load as forward. */
static void
test_reverse_store (void)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(TwTunnel) loaded = NULL;
  g_autoptr(TwTunnel) old = NULL;
  g_autoptr(GKeyFile) old_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTunnelStore) store = NULL;
  g_autoptr(TwTunnelStore) reloaded = NULL;
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TwTunnelEntry *found;

  tw_test_reset_config ();
  tw_tunnel_set_mode (tunnel, TW_TUNNEL_MODE_REVERSE);
  tw_tunnel_set_name (tunnel, "office");
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_user (tunnel, "tunnel");
  tw_tunnel_set_remote_address (tunnel, "*");
  tw_tunnel_set_remote_port (tunnel, 60001);
  tw_tunnel_set_keepalive_interval (tunnel, 9);
  key_file = tw_tunnel_to_key_file (tunnel);
  {
    g_autofree char *mode = g_key_file_get_string (key_file, "Tunnel", "mode", NULL);

    g_assert_cmpstr (mode, ==, "reverse");
  }

  store = tw_tunnel_store_new (NULL);
  entry = tw_tunnel_store_create_entry (store, tunnel);
  tw_tunnel_store_save_async (store, entry, NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  g_assert_true (tw_tunnel_store_save_finish (store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  reloaded = tw_tunnel_store_new (NULL);
  tw_tunnel_store_load_async (reloaded, NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  g_assert_true (tw_tunnel_store_load_finish (reloaded, result, &error));
  g_assert_no_error (error);
  found = tw_tunnel_store_find (reloaded, tw_tunnel_entry_get_id (entry));
  g_assert_nonnull (found);
  loaded = g_object_ref (tw_tunnel_entry_get_tunnel (found));
  g_assert_cmpint (tw_tunnel_get_mode (loaded), ==, TW_TUNNEL_MODE_REVERSE);
  g_assert_cmpstr (tw_tunnel_get_remote_address (loaded), ==, "*");
  g_assert_cmpuint (tw_tunnel_get_remote_port (loaded), ==, 60001);
  g_assert_cmpuint (tw_tunnel_get_keepalive_interval (loaded), ==, 9);

  g_key_file_set_string (old_file, "Tunnel", "ssh-host", "bastion.example.com");
  g_key_file_set_string (old_file, "Tunnel", "user", "fivetran");
  old = tw_tunnel_from_key_file (old_file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tw_tunnel_get_mode (old), ==, TW_TUNNEL_MODE_FORWARD);

  g_key_file_set_string (old_file, "Tunnel", "mode", "sideways");
  g_assert_null (tw_tunnel_from_key_file (old_file, &error));
  g_assert_error (error, TW_TUNNEL_STORE_ERROR, TW_TUNNEL_STORE_ERROR_CORRUPT);
}

typedef struct {
  TwReverseStatusPage *page;
  const char          *text;
} TextWait;

static gboolean
state_text_changed (gpointer data)
{
  TextWait *wait = data;

  return g_strcmp0 (tw_reverse_status_page_get_state_text (wait->page), wait->text) != 0;
}

/* No bastion answers: the page says the tunnel is down and counts down to the next try. */
static void
test_reverse_retrying (void)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TwKeypair) keypair = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  char *private_key;
  TwTestSession s = { 0 };
  TwReverseRunner *runner;
  TwReverseStatusPage *page;
  const char *id;
  StateWait wait;
  TextWait text_wait;

  keypair = tw_keypair_generate ("test", &error);
  g_assert_no_error (error);
  private_key = tw_keypair_export_private (keypair);

  tw_test_reset_config ();
  tw_test_session_open (&s);
  runner = tw_application_get_runner (s.app);
  tw_tunnel_set_mode (tunnel, TW_TUNNEL_MODE_REVERSE);
  tw_tunnel_set_name (tunnel, "office database");
  tw_tunnel_set_ssh_host (tunnel, "127.0.0.1");
  /* nothing listens there: a connection refused is worth retrying */
  tw_tunnel_set_ssh_port (tunnel, tw_test_free_port ());
  tw_tunnel_set_user (tunnel, "tunnel");
  tw_tunnel_set_service_key (tunnel, tw_keypair_get_public_key (keypair));

  entry = tw_tunnel_store_create_entry (tw_window_get_store (s.window), tunnel);
  tw_tunnel_store_save_async (tw_window_get_store (s.window), entry, NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  g_assert_true (tw_tunnel_store_save_finish (tw_window_get_store (s.window), result, NULL));
  id = tw_tunnel_entry_get_id (entry);
  tw_window_show_reverse_tunnel (s.window, id);
  page = TW_REVERSE_STATUS_PAGE (tw_window_get_step_page (s.window, 5));

  tw_reverse_runner_start (runner, id, tunnel, private_key);
  tw_keypair_free_secret (private_key);
  wait = (StateWait) { runner, id, TW_REVERSE_TUNNEL_STATE_RETRYING };
  g_assert_true (tw_test_wait_until (reached_state, &wait));
  g_assert_true (tw_reverse_runner_is_running (runner, id));
  first = g_strdup (tw_reverse_status_page_get_state_text (page));
  g_assert_true (g_str_has_prefix (first, "Down, retrying in "));
  tw_test_screenshot (s.window, "reverse-8-retrying");
  /* the countdown moves on (or the next attempt starts) without the engine saying anything */
  text_wait = (TextWait) { page, first };
  g_assert_true (tw_test_wait_until (state_text_changed, &text_wait));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.stop", NULL));
  wait.state = TW_REVERSE_TUNNEL_STATE_STOPPED;
  g_assert_true (tw_test_wait_until (reached_state, &wait));
  tw_test_session_close (&s);
}

static gboolean
port_open (gpointer data)
{
  return !port_closed (data);
}

/* The login entry's command: the app starts the saved tunnel with no window, from the
 * keyring's key, and keeps it running. The built app is run as the session would. */
static void
test_reverse_start_at_login (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwTunnelStore) store = NULL;
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autofree char *private_path = NULL;
  g_autofree char *private_key = NULL;
  g_autofree char *public_key = NULL;
  g_autofree char *binary = NULL;
  g_autofree char *argument = NULL;
  TwTestEcho *echo;
  guint remote_port;

  if (!tw_test_sshd_can_run ())
    return;

  sshd = tw_test_sshd_start (NULL);
  private_path = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  public_key = tw_test_sshd_read_public_key (private_path);
  tw_test_sshd_set_authorized_keys (sshd, public_key);
  g_assert_true (g_file_get_contents (private_path, &private_key, NULL, NULL));
  echo = tw_test_echo_start ();
  remote_port = tw_test_free_port ();

  tw_test_reset_config ();
  tw_tunnel_set_mode (tunnel, TW_TUNNEL_MODE_REVERSE);
  tw_tunnel_set_name (tunnel, "office database");
  tw_tunnel_set_ssh_host (tunnel, "127.0.0.1");
  tw_tunnel_set_ssh_port (tunnel, tw_test_sshd_get_port (sshd));
  tw_tunnel_set_user (tunnel, TW_TEST_USER);
  tw_tunnel_set_remote_port (tunnel, remote_port);
  tw_tunnel_set_dest_host (tunnel, "127.0.0.1");
  tw_tunnel_set_dest_port (tunnel, tw_test_echo_get_port (echo));
  tw_tunnel_set_service_key (tunnel, public_key);
  tw_tunnel_set_pinned_fingerprint (tunnel, tw_test_sshd_get_fingerprint (sshd));

  store = tw_tunnel_store_new (NULL);
  entry = tw_tunnel_store_create_entry (store, tunnel);
  tw_tunnel_store_save_async (store, entry, NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  g_assert_true (tw_tunnel_store_save_finish (store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  tw_secrets_store_async (tw_tunnel_entry_get_id (entry), TW_SECRET_PRIVATE_KEY, "test key", private_key,
                          NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  g_assert_true (tw_secrets_store_finish (result, &error));
  g_assert_no_error (error);

  /* The command the autostart entry holds; the name works as well as the id. */
  binary = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "tunnel-wizard", NULL);
  argument = g_strdup_printf ("--start-tunnel=%s", "office database");
  app = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, binary, argument, NULL);
  g_assert_no_error (error);

  g_assert_true (tw_test_wait_until (port_open, GUINT_TO_POINTER (remote_port)));
  g_assert_true (tw_test_echo_roundtrip (remote_port, 512 * 1024, 9, &error));
  g_assert_no_error (error);
  /* Started hidden, it does not exit on its own: the running tunnel holds it. */
  tw_test_spin (300);
  g_assert_nonnull (g_subprocess_get_identifier (app));

  g_subprocess_send_signal (app, SIGTERM);
  g_subprocess_wait (app, NULL, NULL);
  g_assert_true (tw_test_wait_until (port_closed, GUINT_TO_POINTER (remote_port)));
  tw_test_echo_stop (echo);
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);

  g_test_add_func ("/window-reverse/store", test_reverse_store);
  g_test_add_func ("/window-reverse/wizard", test_reverse_wizard);
  g_test_add_func ("/window-reverse/host-key-changed", test_reverse_host_key_changed);
  g_test_add_func ("/window-reverse/retrying", test_reverse_retrying);
  g_test_add_func ("/window-reverse/start-at-login", test_reverse_start_at_login);

  return tw_test_window_finish (g_test_run ());
}
