/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Set Up on the Server" in the real window, against a real sshd (StrictModes yes) that runs in
 * a private mount namespace with a throwaway /etc and /home (tests/setup/window-namespace.sh):
 * the dialog logs in over loopback with the admin's key, so what it changes lands in the
 * namespace only. Proves cancel, sudo refusing a wrong password in its own words, the dry run
 * list that changes nothing, the live step rows, the sudo password in the keyring only when
 * asked, step 4's checks running again by themselves (and passing now), step 6 keeping the
 * login, and a second run finding nothing to do. The OpenSSH client is the oracle for the
 * server's state. Needs root; skipped otherwise.
 */
#include "config.h"

#include <string.h>

#include "tw-check-row.h"
#include "tw-code-block.h"
#include "tw-destination-page.h"
#include "tw-setup-apply-dialog.h"
#include "tw-setup-step-list.h"
#include "tw-ssh-check-page.h"
#include "tw-test-namespace.h"
#include "tw-test-net.h"
#include "tw-test-window.h"
#include "tw-window-private.h"

#define TUNNEL_USER "tw-live-test"
#define ADMIN "tw-live-admin"
#define WAIT_S 90

typedef struct {
  GSubprocess      *process;
  GDataInputStream *out;
  char             *dir;
  char             *fingerprint;
  guint             ssh_port;
  guint             allowed_port;
} Server;

static Server server;

static void
start_server (const char *password)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "setup", "window-namespace.sh", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  g_autofree char *ssh_port = NULL;
  g_autofree char *allowed_port = NULL;
  g_autofree char *other_port = NULL;

  server.dir = g_dir_make_tmp ("tw-window-apply-XXXXXX", &error);
  g_assert_no_error (error);
  server.ssh_port = tw_test_free_port ();
  server.allowed_port = tw_test_free_port ();
  ssh_port = g_strdup_printf ("%u", server.ssh_port);
  allowed_port = g_strdup_printf ("%u", server.allowed_port);
  other_port = g_strdup_printf ("%u", tw_test_free_port ());

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "TW_SSH_PORT", ssh_port, TRUE);
  g_subprocess_launcher_setenv (launcher, "TW_ALLOWED_PORT", allowed_port, TRUE);
  g_subprocess_launcher_setenv (launcher, "TW_OTHER_PORT", other_port, TRUE);
  server.process = g_subprocess_launcher_spawn (launcher, &error, "unshare", "-m", "--propagation", "private",
                                                "--", "bash", script, server.dir, NULL);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (server.process), input, strlen (input),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  server.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server.process));

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (server.out, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("the test server ended before it was ready");
      g_test_message ("server: %s", line);
      if (g_str_has_prefix (line, "ready "))
        {
          server.fingerprint = g_strdup (line + strlen ("ready "));
          break;
        }
      g_assert_false (g_str_has_prefix (line, "Bail out!"));
    }
}

/* Ends the server; its last words are its own checks (the sudo password in no process's
 * command line or environment while it ran, in no file). */
static void
stop_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;
  g_autoptr(GString) said = g_string_new ("\n");
  const char *must_pass[] = {
    "the password was looked for in every process meanwhile",
    "no process had the sudo password on its command line or in its environment",
    "the sudo password is in no file under /etc, /home, /root, /run, /var/log",
    "nor in the server's log",
    NULL
  };

  if (server.process == NULL)
    return;
  g_output_stream_close (g_subprocess_get_stdin_pipe (server.process), NULL, NULL);
  for (char *line; (line = g_data_input_stream_read_line_utf8 (server.out, NULL, NULL, &error)) != NULL; g_free (line))
    g_string_append_printf (said, "%s\n", line);
  g_assert_no_error (error);
  rest = g_string_free (g_steal_pointer (&said), FALSE);
  g_subprocess_wait (server.process, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("server:\n%s", rest != NULL ? rest : "");
  tw_test_remove_tree (server.dir);
  tw_test_namespace_assert_passed (rest != NULL ? rest : "", g_subprocess_get_status (server.process),
                                   must_pass);
  g_clear_object (&server.out);
  g_clear_object (&server.process);
  g_clear_pointer (&server.dir, g_free);
  g_clear_pointer (&server.fingerprint, g_free);
}

static char *
work_file (const char *name)
{
  return g_build_filename (server.dir, name, NULL);
}

/* What comes back through `ssh -W` with the service's key as the tunnel user: the oracle. */
static char *
forward_with_service_key (void)
{
  g_autofree char *key = work_file ("service-key");
  g_autofree char *port = g_strdup_printf ("%u", server.ssh_port);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", server.allowed_port);
  g_autofree char *out = NULL;
  const char *argv[] = {
    "ssh", "-F", "/dev/null", "-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
    "-o", "ConnectTimeout=10", "-p", port, "-W", target, TUNNEL_USER "@127.0.0.1", NULL
  };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL,
                               NULL, NULL, &out, NULL, NULL, NULL));
  return g_strstrip (g_steal_pointer (&out));
}

/* ---- the dialog ---------------------------------------------------------------------------- */

static gboolean
wait_long (TwTestCondition condition,
           gpointer        data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static TwSetupApplyDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (TW_IS_SETUP_APPLY_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TW_SETUP_APPLY_DIALOG (window);
    }
  return NULL;
}

static TwSetupApplyDialog *
open_dialog (TwWindow *window)
{
  TwSetupApplyDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.set-up-server", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  return dialog;
}

/* The row of check @id under @root */
static TwCheckRow *
find_check_row (GtkWidget  *root,
                const char *id)
{
  if (TW_IS_CHECK_ROW (root) && tw_check_row_get_result (TW_CHECK_ROW (root)) != NULL &&
      g_str_equal (tw_check_result_get_id (tw_check_row_get_result (TW_CHECK_ROW (root))), id))
    return TW_CHECK_ROW (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      TwCheckRow *row = find_check_row (c, id);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static GtkWidget *
fix_button (GtkWidget  *page,
            const char *id)
{
  TwCheckRow *row = find_check_row (page, id);

  g_assert_nonnull (row);
  return tw_test_template_child (GTK_WIDGET (row), TW_TYPE_CHECK_ROW, "fix_button");
}

static GtkWidget *
child (TwSetupApplyDialog *dialog,
       const char         *name)
{
  return tw_test_template_child (GTK_WIDGET (dialog), TW_TYPE_SETUP_APPLY_DIALOG, name);
}

static const char *
status_text (TwSetupApplyDialog *dialog)
{
  return gtk_label_get_label (GTK_LABEL (child (dialog, "status_label")));
}

static const char *
button_label (TwSetupApplyDialog *dialog)
{
  return gtk_button_get_label (GTK_BUTTON (child (dialog, "action_button")));
}

/* Not running: the action button works again */
static gboolean
dialog_idle (gpointer data)
{
  return gtk_widget_get_sensitive (child (data, "login_group")) ||
         g_str_equal (button_label (data), "_Close");
}

static gboolean
dialog_done (gpointer data)
{
  return g_str_equal (button_label (data), "_Close");
}

/* The row of step @id, or NULL */
static GtkWidget *
step_row (TwSetupApplyDialog *dialog,
          const char         *id)
{
  return tw_test_find_named (child (dialog, "steps_list"), id);
}

static int
step_status (TwSetupApplyDialog *dialog,
             const char         *id)
{
  int status = tw_setup_step_list_get_status (TW_SETUP_STEP_LIST (child (dialog, "steps_list")), id);

  /* A reported step is a row on the screen, not only a status */
  if (status != -1)
    g_assert_nonnull (step_row (dialog, id));
  return status;
}

/* A step row already says Done while the run still goes on: the rows are live. */
static gboolean
a_row_done_while_running (gpointer data)
{
  if (dialog_idle (data))
    g_error ("the run ended before any row said Done: %s", status_text (data));
  return step_status (data, "user") == TW_SETUP_STEP_CHANGED;
}

static void
set_login (TwSetupApplyDialog *dialog,
           const char         *user,
           const char         *sudo_password)
{
  g_autofree char *key = work_file ("admin-key");
  g_autoptr(TwCredentials) credentials = tw_credentials_new_identity_file (key, NULL);

  tw_credentials_set_user (credentials, user);
  tw_setup_apply_dialog_set_credentials (dialog, credentials);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "sudo_row")), sudo_password != NULL ? sudo_password : "");
}

static void
go (TwSetupApplyDialog *dialog)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.go", NULL));
}

static gboolean
ssh_checks_done (gpointer data)
{
  TwSshCheckPage *page = data;
  TwReport *report = tw_check_page_get_report (TW_CHECK_PAGE (page));

  return report != NULL && tw_report_get_finished (report) &&
         !tw_check_page_get_running (TW_CHECK_PAGE (page));
}

static void
count_runs (TwSshCheckPage *page,
            GParamSpec     *pspec,
            guint          *runs)
{
  if (tw_check_page_get_running (TW_CHECK_PAGE (page)))
    (*runs)++;
}

static char *
sudo_password_in_keyring (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf (ADMIN "@127.0.0.1:%u", server.ssh_port);
  char *secret;

  tw_secrets_lookup_async (id, TW_SECRET_SUDO_PASSWORD, NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  secret = tw_secrets_lookup_finish (result, &error);
  g_assert_no_error (error);
  return secret;
}

static void
test_setup_apply_window (void)
{
  const char *tools[] = { "unshare", "ssh", "ssh-keygen", "socat", "useradd", "chpasswd", "sudo", NULL };
  TwTestSession s = { 0 };
  TwSetupApplyDialog *dialog;
  TwTunnel *tunnel;
  TwSshCheckPage *ssh_page;
  TwDestinationPage *destination;
  g_autofree char *password = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *service_key = NULL;
  g_autofree char *path = NULL;
  g_autofree char *known_hosts = NULL;
  g_autofree char *forwarded = NULL;
  char *secret;
  guint ssh_runs = 0;

  if (!tw_test_namespace_can_run (tools))
    return;

  /* Random, so that finding it can only mean it went there. */
  password = g_strdup_printf ("tw-sudo-%08x%08x", g_random_int (), g_random_int ());
  wrong = g_strconcat ("wrong-", password, NULL);
  start_server (password);

  path = work_file ("service-key.pub");
  g_assert_true (g_file_get_contents (path, &service_key, NULL, NULL));
  known_hosts = work_file ("empty-known-hosts");
  g_assert_true (g_file_set_contents (known_hosts, "", 0, NULL));

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tunnel = tw_window_get_tunnel (s.window);
  tw_tunnel_set_service_key (tunnel, g_strstrip (service_key));
  tw_tunnel_set_ssh_host (tunnel, "127.0.0.1");
  tw_tunnel_set_ssh_port (tunnel, server.ssh_port);
  tw_tunnel_set_user (tunnel, TUNNEL_USER);
  tw_tunnel_set_dest_host (tunnel, "127.0.0.1");
  tw_tunnel_set_dest_port (tunnel, server.allowed_port);
  tw_tunnel_set_least_privilege (tunnel, TRUE);
  /* Confirmed by the pin alone: known_hosts knows nothing of the server. */
  tw_tunnel_set_pinned_fingerprint (tunnel, server.fingerprint);
  ssh_page = TW_SSH_CHECK_PAGE (tw_window_get_step_page (s.window, 3));
  destination = TW_DESTINATION_PAGE (tw_window_get_step_page (s.window, 5));
  tw_check_page_set_known_hosts_file (TW_CHECK_PAGE (ssh_page), known_hosts);

  /* Step 4 before: the server does not know the service's key yet. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ssh_page), "page.run", NULL));
  g_assert_true (wait_long (ssh_checks_done, ssh_page));
  g_assert_false (tw_ssh_check_page_get_complete (ssh_page));

  g_signal_connect (ssh_page, "notify::running", G_CALLBACK (count_runs), &ssh_runs);
  /* Its failed check has a remedy on the bastion: "Fix on the Server"; a passing one has none. */
  tw_window_show_step (s.window, 3);
  g_assert_true (gtk_widget_get_visible (fix_button (GTK_WIDGET (ssh_page), "service-key")));
  g_assert_false (gtk_widget_get_visible (fix_button (GTK_WIDGET (ssh_page), "connect")));
  tw_test_screenshot (s.window, "setup-apply-step4-fix-button");
  g_signal_emit_by_name (fix_button (GTK_WIDGET (ssh_page), "service-key"), "clicked");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Fix on the Server");
  g_assert_nonnull (strstr (status_text (dialog), "To fix “"));
  g_assert_cmpstr (tw_code_block_get_text (TW_CODE_BLOCK (child (dialog, "script_block"))), !=, NULL);
  g_assert_true (gtk_widget_get_visible (child (dialog, "sshd_block")));

  /* Cancel at once: nothing changes, and the dialog can go on. */
  set_login (dialog, "root", NULL);
  g_assert_false (gtk_widget_get_visible (child (dialog, "sudo_row")));
  go (dialog);
  g_assert_false (dialog_idle (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.cancel", NULL));
  g_assert_true (wait_long (dialog_idle, dialog));
  g_assert_nonnull (strstr (status_text (dialog), "Stopped. Nothing was changed"));
  g_assert_cmpstr (button_label (dialog), ==, "Check What _Would Change");

  /* A wrong sudo password: sudo's refusal in plain words, nothing changed, nothing kept. */
  set_login (dialog, ADMIN, wrong);
  g_assert_true (gtk_widget_get_visible (child (dialog, "sudo_row")));
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "remember_switch")), TRUE);
  go (dialog);
  g_assert_true (wait_long (dialog_idle, dialog));
  g_test_message ("wrong sudo password: %s", status_text (dialog));
  g_assert_nonnull (strstr (status_text (dialog), "sudo refused the password"));
  g_assert_true (gtk_widget_has_css_class (child (dialog, "status_label"), "error"));
  g_assert_cmpstr (button_label (dialog), ==, "Check What _Would Change");
  secret = sudo_password_in_keyring ();
  g_assert_null (secret);

  /* The dry run: the list of what would change, and the server still as it was. */
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "sudo_row")), password);
  go (dialog);
  g_assert_true (wait_long (dialog_idle, dialog));
  g_test_message ("dry run: %s", status_text (dialog));
  g_assert_cmpstr (button_label (dialog), ==, "_Apply Changes");
  g_assert_cmpint (step_status (dialog, "login"), ==, TW_SETUP_STEP_OK);
  g_assert_cmpint (step_status (dialog, "user"), ==, TW_SETUP_STEP_WOULD_CHANGE);
  g_assert_cmpint (step_status (dialog, "key"), ==, TW_SETUP_STEP_WOULD_CHANGE);
  g_assert_cmpint (step_status (dialog, "sshd-config"), ==, TW_SETUP_STEP_WOULD_CHANGE);
  g_assert_nonnull (strstr (tw_code_block_get_text (TW_CODE_BLOCK (child (dialog, "output_block"))),
                            "+Match User " TUNNEL_USER));
  forwarded = forward_with_service_key ();
  g_assert_cmpstr (forwarded, !=, "allowed-port");
  g_clear_pointer (&forwarded, g_free);
  secret = sudo_password_in_keyring ();
  g_assert_null (secret);
  tw_test_screenshot ((TwWindow *) dialog, "setup-apply-dry-run");
  if (g_getenv ("TW_SCREENSHOT_DIR") != NULL)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child (dialog, "scroller")));
      double value = gtk_adjustment_get_value (adjustment);

      gtk_adjustment_set_value (adjustment, value + gtk_adjustment_get_page_size (adjustment));
      tw_test_screenshot ((TwWindow *) dialog, "setup-apply-dry-run-2");
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      tw_test_screenshot ((TwWindow *) dialog, "setup-apply-dry-run-3");
      gtk_adjustment_set_value (adjustment, value);
    }

  /* Apply: the rows update while it runs; at the end step 4 runs again by itself. */
  go (dialog);
  g_assert_true (wait_long (a_row_done_while_running, dialog));
  g_assert_true (wait_long (dialog_done, dialog));
  g_test_message ("applied: %s", status_text (dialog));
  g_assert_nonnull (strstr (status_text (dialog), "The server is set up"));
  g_assert_false (gtk_widget_has_css_class (child (dialog, "status_label"), "error"));
  g_assert_cmpint (step_status (dialog, "user"), ==, TW_SETUP_STEP_CHANGED);
  g_assert_cmpint (step_status (dialog, "key"), ==, TW_SETUP_STEP_CHANGED);
  g_assert_cmpint (step_status (dialog, "sshd-reload"), ==, TW_SETUP_STEP_CHANGED);
  g_assert_cmpint (step_status (dialog, "sshd-confirm"), ==, TW_SETUP_STEP_CHANGED);
  tw_test_screenshot ((TwWindow *) dialog, "setup-apply-done");
  g_assert_cmpuint (ssh_runs, ==, 1);
  g_assert_true (wait_long (ssh_checks_done, ssh_page));
  g_assert_true (tw_ssh_check_page_get_complete (ssh_page));
  g_assert_false (gtk_widget_get_visible (fix_button (GTK_WIDGET (ssh_page), "service-key")));

  /* The OpenSSH client: the service's key logs in and forwards now. */
  forwarded = forward_with_service_key ();
  g_assert_cmpstr (forwarded, ==, "allowed-port");

  /* "Remember in keyring" was on: the sudo password is there, for this account only. */
  secret = sudo_password_in_keyring ();
  g_assert_cmpstr (secret, ==, password);
  secret_password_free (secret);

  /* Step 6 has the login now: asked once. */
  g_assert_cmpstr (tw_destination_page_get_login_user (destination), ==, ADMIN);
  g_assert_cmpint (tw_destination_page_get_login_kind (destination), ==, TW_CREDENTIALS_IDENTITY_FILE);
  g_assert_true (g_str_has_suffix (tw_destination_page_get_identity_file (destination), "/admin-key"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.go", NULL));
  g_assert_null (find_dialog ());

  /* Again from step 3, as root this time, starting from step 6's login: nothing to do. */
  tw_window_show_step (s.window, 2);
  dialog = open_dialog (s.window);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Set Up on the Server");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "login_user_row"))), ==, ADMIN);
  set_login (dialog, "root", NULL);
  go (dialog);
  g_assert_true (wait_long (dialog_idle, dialog));
  g_test_message ("again: %s", status_text (dialog));
  g_assert_true (dialog_done (dialog));
  g_assert_nonnull (strstr (status_text (dialog), "nothing had to change"));
  g_assert_cmpint (step_status (dialog, "user"), ==, TW_SETUP_STEP_OK);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (ssh_runs, ==, 2);
  g_assert_true (wait_long (ssh_checks_done, ssh_page));

  /* Closed in the middle of a run: it stops, and nothing runs again afterwards. */
  dialog = open_dialog (s.window);
  set_login (dialog, "root", NULL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  go (dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_null (find_dialog ());
  tw_test_spin (3000);
  g_assert_null (dialog);
  g_assert_cmpuint (ssh_runs, ==, 2);
  g_signal_handlers_disconnect_by_func (ssh_page, count_runs, &ssh_runs);

  tw_test_session_close (&s);
  /* Nor in what the wizard keeps: the tunnel store, the draft, the settings. */
  g_assert_false (tw_test_tree_contains (tw_test_config_home (), password));
  stop_server ();
  tw_test_assert_machine_untouched (TUNNEL_USER);
}

/* A forward refused as the tunnel user: the fix shows sshd lines that let the tunnel user forward,
 * even for a case that needs no sshd lines otherwise, before anything runs. */
static void
test_fix_forward_preview (void)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autofree char *dir = g_dir_make_tmp ("tw-fix-forward-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "service", NULL);
  g_autofree char *pub = g_strconcat (key, ".pub", NULL);
  g_autofree char *line = NULL;
  TwSetupApplyDialog *dialog;
  const char *sshd_script;

  g_assert_true (g_spawn_sync (NULL, (char *[]) { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key, NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
  g_assert_true (g_file_get_contents (pub, &line, NULL, NULL));
  tw_tunnel_set_service_key (tunnel, g_strstrip (line));
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_user (tunnel, "fivetran");
  tw_tunnel_set_dest_host (tunnel, "10.0.0.5");
  tw_tunnel_set_dest_port (tunnel, 5432);

  dialog = tw_setup_apply_dialog_new (tunnel, NULL);
  /* An Ed25519 key without least privilege: sshd needs no lines for the setup itself */
  g_assert_false (gtk_widget_get_visible (child (dialog, "sshd_block")));
  tw_setup_apply_dialog_set_fix_for (dialog, "forward", "Forward to the destination");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Fix on the Server");
  g_assert_true (gtk_widget_get_visible (child (dialog, "sshd_block")));
  sshd_script = tw_code_block_get_text (TW_CODE_BLOCK (child (dialog, "sshd_block")));
  g_assert_nonnull (strstr (sshd_script, "Match User fivetran"));
  g_assert_nonnull (strstr (sshd_script, "AllowTcpForwarding local"));
  g_assert_nonnull (strstr (sshd_script, "PermitOpen any"));
  g_assert_nonnull (strstr (status_text (dialog), "let the tunnel user forward"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  tw_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);

  g_test_add_func ("/window/setup-apply/fix-forward-preview", test_fix_forward_preview);
  g_test_add_func ("/window/setup-apply/live", test_setup_apply_window);

  return tw_test_window_finish (g_test_run ());
}
