/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Secrets audit: the whole wizard in the real window against a real sshd and a real
 * PostgreSQL behind it, with a key file with a passphrase and a password the admin asks to
 * remember (a reverse tunnel's generated key pair is audited by test-window-reverse). Then the report is exported (Markdown and JSON) and
 * the tunnel saved. None of the secrets may appear in any file under the config, data, cache
 * or home dirs, in the exports, in the debug log (G_MESSAGES_DEBUG=all, every record
 * captured) or in the process environment; the password must be in gnome-keyring, which
 * proves the test held the real secret. Run in
 * tests/rig/keyring-session.sh under Xvfb.
 */
#include "config.h"

#define _GNU_SOURCE  /* memmem() */
#include <glib/gstdio.h>
#include <string.h>

#include "tw-destination-page.h"
#include "tw-secrets.h"
#include "tw-ssh-check-page.h"
#include "tw-summary-page.h"
#include "tw-test-db.h"
#include "tw-test-sshd.h"
#include "tw-test-window.h"

#ifdef __SANITIZE_ADDRESS__
/* The file chooser makes GLib and libcloudproviders keep memory on purpose (tests/lsan.supp).
 * GLib is built without frame pointers, so only the slow unwinder records the callers that
 * those suppressions name. ASAN_OPTIONS from the environment still wins for its own keys. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}
#endif

/* ---- the debug log ------------------------------------------------------------------- */

static GMutex log_lock;
static GByteArray *log_bytes;

/* Keeps every field of every record (workers log too), then lets GLib print it as usual. */
static GLogWriterOutput
record_and_forward (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  g_mutex_lock (&log_lock);
  for (gsize i = 0; i < n_fields; i++)
    {
      gsize length = fields[i].length < 0 ? strlen (fields[i].value) : (gsize) fields[i].length;

      g_byte_array_append (log_bytes, (const guint8 *) fields[i].key, strlen (fields[i].key));
      g_byte_array_append (log_bytes, (const guint8 *) "=", 1);
      g_byte_array_append (log_bytes, fields[i].value, length);
      g_byte_array_append (log_bytes, (const guint8 *) "\n", 1);
    }
  g_mutex_unlock (&log_lock);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* ---- the secrets and where to look for them ---------------------------------------------- */

typedef struct
{
  const char *what;
  GBytes     *bytes;
} Needle;

static void
add_needle (GArray     *needles,
            const char *what,
            gconstpointer data,
            gsize       length)
{
  Needle needle = { what, g_bytes_new (data, length) };

  g_assert_cmpuint (length, >=, 8);
  g_array_append_val (needles, needle);
}

static void
clear_needle (gpointer data)
{
  g_bytes_unref (((Needle *) data)->bytes);
}

static const Needle *
find_needle (GArray       *needles,
             gconstpointer haystack,
             gsize         length)
{
  for (guint i = 0; i < needles->len; i++)
    {
      const Needle *needle = &g_array_index (needles, Needle, i);
      gsize needle_length;
      gconstpointer needle_data = g_bytes_get_data (needle->bytes, &needle_length);

      /* memmem, not strstr: binary files and NUL bytes must not end the search early. */
      if (memmem (haystack, length, needle_data, needle_length) != NULL)
        return needle;
    }
  return NULL;
}

static void
assert_clean (GArray       *needles,
              const char   *where,
              gconstpointer haystack,
              gsize         length)
{
  const Needle *found = find_needle (needles, haystack, length);

  /* Says what and where, never the secret itself. */
  if (found != NULL)
    g_error ("%s appears in %s", found->what, where);
}

static guint
assert_tree_clean (GArray     *needles,
                   const char *path,
                   const char *skip)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n_files = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (skip != NULL && g_str_equal (child, skip))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        n_files += assert_tree_clean (needles, child, skip);
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        {
          g_autoptr(GError) error = NULL;

          g_file_get_contents (child, &contents, &length, &error);
          g_assert_no_error (error);
          assert_clean (needles, child, contents, length);
          n_files++;
        }
    }
  return n_files;
}

static gboolean
file_contains (const char *path,
               const char *text)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  return g_file_get_contents (path, &contents, &length, NULL) &&
         memmem (contents, length, text, strlen (text)) != NULL;
}

/* ---- driving the window ---------------------------------------------------------------- */

static gboolean
wait_long (TwTestCondition condition,
           gpointer        data)
{
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
page_idle (gpointer data)
{
  gboolean running;

  g_object_get (data, "running", &running, NULL);
  return !running;
}

/* Runs the page's checks as its button does and returns the finished report (transfer none).
 * A change to the tunnel that lands during the run gives the page a new probe and report:
 * then the run is repeated, as the admin would. */
static TwReport *
run_page (GtkWidget *page)
{
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_autoptr(TwReport) report = NULL;

      tw_test_spin (200);
      g_assert_true (gtk_widget_activate_action (page, "page.run", NULL));
      g_assert_false (page_idle (page));
      g_assert_true (wait_long (page_idle, page));
      g_object_get (page, "report", &report, NULL);
      if (report != NULL && tw_report_get_finished (report))
        return report;
      g_test_message ("the run was superseded; running again");
    }
  g_error ("the checks never finished");
  return NULL;
}

static void
assert_check (TwReport      *report,
              const char    *id,
              TwCheckStatus  status)
{
  TwCheckResult *result = tw_report_get_check (report, id);

  g_assert_nonnull (result);
  if (tw_check_result_get_status (result) != status)
    g_error ("check %s: %d %s — %s", id, tw_check_result_get_status (result),
             tw_check_result_get_summary (result), tw_check_result_get_detail (result));
}

static gboolean
file_chooser_shown (gpointer data)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_FILE_CHOOSER_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        *(GtkWidget **) data = l->data;
        return TRUE;
      }
  return FALSE;
}

static gboolean
file_written (gpointer data)
{
  GStatBuf info;

  return g_stat (data, &info) == 0 && info.st_size > 0;
}

/* "Export" as the admin does it: the action opens the file chooser (GTK's own dialog, no
 * portal in this session), a name is typed, Save. The chooser opens in the current directory
 * and (in GTK 4.8) does not follow gtk_file_chooser_set_current_folder() before it is shown,
 * so the test goes to the export folder first. */
static void
export_report (GtkWidget  *summary,
               const char *format,
               const char *path)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  GtkWidget *dialog = NULL;

  g_assert_cmpint (g_chdir (folder), ==, 0);
  g_assert_true (gtk_widget_activate_action (summary, "summary.export", "s", format));
  g_assert_true (tw_test_wait_until (file_chooser_shown, &dialog));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  /* The name entry settles on the next iterations; Save before that saves nothing. A
   * loaded CI machine under ASan needed more than 300 ms. */
  tw_test_spin (1000);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (tw_test_wait_until (file_written, (gpointer) path));
  g_assert_cmpint (g_chdir (cwd), ==, 0);
}

static char *
keyring_lookup (const char   *tunnel_id,
                TwSecretKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  tw_secrets_lookup_async (tunnel_id, kind, NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  secret = tw_secrets_lookup_finish (result, &error);
  g_assert_no_error (error);
  return secret;
}

/* The keyring store is asynchronous and starts with the save: ask until it is there. */
static char *
keyring_wait (const char   *tunnel_id,
              TwSecretKind  kind)
{
  for (guint i = 0; i < 50; i++)
    {
      char *secret = keyring_lookup (tunnel_id, kind);

      if (secret != NULL)
        return secret;
      tw_test_spin (100);
    }
  return NULL;
}

/* ---- the audit ------------------------------------------------------------------------- */

static void
test_no_secret_leaves_the_keyring (void)
{
  TwTestDbOptions options = { .cert = TW_TEST_CERT_VALID, .superuser_reserved_connections = -1 };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwTestDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) needles = g_array_new (FALSE, TRUE, sizeof (Needle));
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *passphrase = g_strconcat ("audit-passphrase-", uuid, NULL);
  g_autofree char *service_key = NULL;
  g_autofree char *service_pub = g_strstrip (tw_test_read_key ("service.pub"));
  g_autofree char *admin_key = NULL;
  g_autofree char *admin_pub = NULL;
  g_autofree char *authorized = NULL;
  g_autofree char *export_dir = NULL;
  g_autofree char *markdown_path = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *environ_text = NULL;
  g_autofree char *stored_password = NULL;
  g_autofree char *keyrings_dir = NULL;
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autoptr(GByteArray) log_copy = g_byte_array_new ();
  TwTestSession s = { 0 };
  GtkWidget *server, *ssh_page, *fingerprint_page, *destination, *summary;
  TwReport *report;
  gsize environ_length = 0;
  guint n_files;

  g_array_set_clear_func (needles, clear_needle);
  /* It reads every file of the home directory: only a throwaway one. */
  if (strstr (g_get_home_dir (), "tw-keyring-") == NULL)
    {
      g_test_skip ("needs the throwaway home of tests/rig/keyring-session.sh");
      return;
    }
  if (!tw_test_sshd_can_run ())
    return;
  db = tw_test_db_start_postgres (&options, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);
  sshd = tw_test_sshd_start (NULL);
  export_dir = g_dir_make_tmp ("tw-audit-export-XXXXXX", &error);
  g_assert_no_error (error);
  markdown_path = g_build_filename (export_dir, "tunnel-report.md", NULL);
  json_path = g_build_filename (export_dir, "tunnel-report.json", NULL);

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);

  /* Step 1: the service's public key (a forward tunnel's key is always the service's) */
  tw_key_page_set_text (tw_test_key_page (s.window), service_pub);
  g_assert_true (tw_test_wait_until (tw_test_key_page_complete, tw_test_key_page (s.window)));
  service_key = g_strdup (tw_tunnel_get_service_key (tw_window_get_tunnel (s.window)));
  g_assert_true (g_str_has_prefix (service_key, "ssh-ed25519 "));

  /* The admin's own key file, with a passphrase, and the service's key: both authorized. */
  admin_key = tw_test_sshd_make_key (sshd, "ed25519", passphrase);
  admin_pub = tw_test_sshd_read_public_key (admin_key);
  authorized = g_strdup_printf ("%s\n%s\n", service_key, admin_pub);
  tw_test_sshd_set_authorized_keys (sshd, authorized);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);

  /* Step 2: the rig's bastion and the database behind it. */
  server = tw_window_get_step_page (s.window, 1);
  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "host_row", "127.0.0.1");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "port_spin")),
                             tw_test_sshd_get_port (sshd));
  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "user_row", TW_TEST_USER);
  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "dest_host_row", "127.0.0.1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "kind_row")),
                              TW_DEST_KIND_POSTGRES);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "dest_port_spin")),
                             tw_test_db_get_port (db));
  g_assert_cmpuint (tw_tunnel_get_ssh_port (tw_window_get_tunnel (s.window)), ==, tw_test_sshd_get_port (sshd));
  g_assert_cmpuint (tw_tunnel_get_dest_port (tw_window_get_tunnel (s.window)), ==, tw_test_db_get_port (db));
  g_assert_true (tw_test_next_enabled (s.window));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);

  /* Step 4: the SSH checks, the generated key accepted. */
  g_assert_cmpint (tw_window_get_step (s.window), ==, 3);
  ssh_page = tw_window_get_step_page (s.window, 3);
  assert_check (run_page (ssh_page), "service-key", TW_CHECK_STATUS_PASS);
  g_assert_true (tw_test_next_enabled (s.window));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);

  /* Step 5: the fingerprint compared and confirmed. */
  fingerprint_page = tw_window_get_step_page (s.window, 4);
  gtk_editable_set_text (GTK_EDITABLE (tw_test_find_named (fingerprint_page, "pasted-fingerprint")),
                         tw_test_sshd_get_fingerprint (sshd));
  g_assert_true (gtk_widget_activate_action (fingerprint_page, "page.confirm", NULL));
  g_assert_cmpstr (tw_tunnel_get_pinned_fingerprint (tw_window_get_tunnel (s.window)), ==,
                   tw_test_sshd_get_fingerprint (sshd));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);

  /* Step 6: first with the key file and its passphrase, then with the password to remember. */
  g_assert_cmpint (tw_window_get_step (s.window), ==, 5);
  destination = tw_window_get_step_page (s.window, 5);
  tw_destination_page_set_login_kind (TW_DESTINATION_PAGE (destination), TW_CREDENTIALS_IDENTITY_FILE);
  tw_destination_page_set_identity_file (TW_DESTINATION_PAGE (destination), admin_key);
  tw_test_set_entry (destination, TW_TYPE_DESTINATION_PAGE, "passphrase_row", passphrase);
  assert_check (run_page (destination), "login", TW_CHECK_STATUS_PASS);

  tw_destination_page_set_login_kind (TW_DESTINATION_PAGE (destination), TW_CREDENTIALS_PASSWORD);
  tw_destination_page_set_password (TW_DESTINATION_PAGE (destination), TW_TEST_PASSWORD);
  tw_destination_page_set_remember_password (TW_DESTINATION_PAGE (destination), TRUE);
  report = run_page (destination);
  assert_check (report, "login", TW_CHECK_STATUS_PASS);
  assert_check (report, "forward", TW_CHECK_STATUS_PASS);
  assert_check (report, "channels", TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_check_result_get_status (tw_report_get_check (report, "tls")), !=, TW_CHECK_STATUS_FAIL);
  g_assert_true (tw_test_next_enabled (s.window));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);

  /* Step 7: the report exported both ways, the tunnel saved. */
  g_assert_cmpint (tw_window_get_step (s.window), ==, 6);
  summary = tw_window_get_step_page (s.window, 6);
  g_assert_true (tw_summary_page_get_report (TW_SUMMARY_PAGE (summary)) == report);
  export_report (summary, "markdown", markdown_path);
  export_report (summary, "json", json_path);
  tw_test_set_entry (summary, tw_summary_page_get_type (), "name_row", "Audit");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.save", NULL);
  g_assert_true (tw_test_wait_until (tw_test_back_on_start, s.window));
  entry = g_list_model_get_item (G_LIST_MODEL (tw_window_get_store (s.window)), 0);
  g_assert_nonnull (entry);

  /* The keyring holds the password: the test saw the real secret. */
  stored_password = keyring_wait (tw_tunnel_entry_get_id (entry), TW_SECRET_PASSWORD);
  g_assert_cmpstr (stored_password, ==, TW_TEST_PASSWORD);
  tw_test_session_close (&s);

  /* What may appear: the exports hold the checks, the tunnel file the public key, the log
   * the checks' debug lines. The search would see them, so it can see a secret. */
  g_assert_true (file_contains (markdown_path, "login"));
  g_assert_true (file_contains (json_path, "\"login\""));
  g_assert_true (tw_test_tree_contains (tw_test_config_home (), strchr (service_key, ' ') + 1));
  g_mutex_lock (&log_lock);
  g_byte_array_append (log_copy, log_bytes->data, log_bytes->len);
  g_mutex_unlock (&log_lock);
  g_assert_nonnull (memmem (log_copy->data, log_copy->len, "check login", strlen ("check login")));

  add_needle (needles, "the password", TW_TEST_PASSWORD, strlen (TW_TEST_PASSWORD));
  add_needle (needles, "the passphrase", passphrase, strlen (passphrase));

  n_files = assert_tree_clean (needles, tw_test_config_home (), NULL);
  g_assert_cmpuint (n_files, >=, 2);
  /* gnome-keyring's own files are encrypted, and are where the secrets belong. */
  keyrings_dir = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  n_files += assert_tree_clean (needles, g_get_user_data_dir (), keyrings_dir);
  n_files += assert_tree_clean (needles, g_get_user_cache_dir (), NULL);
  n_files += assert_tree_clean (needles, g_get_home_dir (), keyrings_dir);
  n_files += assert_tree_clean (needles, export_dir, NULL);
  assert_clean (needles, "the captured debug log", log_copy->data, log_copy->len);
  g_assert_true (g_file_get_contents ("/proc/self/environ", &environ_text, &environ_length, NULL));
  assert_clean (needles, "/proc/self/environ", environ_text, environ_length);
  /* No private key of any kind in what leaves the app. */
  g_assert_null (memmem (log_copy->data, log_copy->len, "PRIVATE KEY", strlen ("PRIVATE KEY")));
  g_assert_false (file_contains (markdown_path, "PRIVATE KEY"));
  g_assert_false (file_contains (json_path, "PRIVATE KEY"));
  g_test_message ("%u files, %u bytes of debug log and %" G_GSIZE_FORMAT " bytes of environment hold "
                  "none of %u secret patterns", n_files, log_copy->len, environ_length, needles->len);

  tw_test_remove_tree (export_dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Everything GLib would log when an admin turns debugging on, from the very start. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_bytes = g_byte_array_new ();
  /* Debug lines on stdout would break the TAP stream. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (record_and_forward, NULL, NULL);
  tw_test_window_init (&argc, &argv);

  g_test_add_func ("/secrets-audit/no-secret-leaves-the-keyring", test_no_secret_leaves_the_keyring);

  status = tw_test_window_finish (g_test_run ());
  g_byte_array_unref (log_bytes);
  return status;
}
