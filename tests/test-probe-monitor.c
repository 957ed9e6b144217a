/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check for monitoring: saved tunnels by name (list, probe --tunnel, --all), the
 * Nagios plugin contract, and Prometheus metrics judged by promtool, against a real sshd.
 * The tunnels are saved in a throwaway XDG_CONFIG_HOME, as the app saves them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tw-core.h"
#include "tw-test-files.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

typedef struct
{
  TwTestSshd *sshd;
  char       *config_home;   /* XDG_CONFIG_HOME and XDG_STATE_HOME for tunnel-check */
  char       *known_hosts;
} Fixture;

static void
save_tunnel (Fixture    *fixture,
             const char *id,
             const char *name,
             const char *pinned)
{
  g_autofree char *dir = g_build_filename (fixture->config_home, "tunnel-wizard", "tunnels", NULL);
  g_autofree char *file = g_strdup_printf ("%s/%s.tunnel", dir, id);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *data = NULL;

  g_key_file_set_string (key_file, "Tunnel", "name", name);
  g_key_file_set_string (key_file, "Tunnel", "ssh-host", "127.0.0.1");
  g_key_file_set_integer (key_file, "Tunnel", "ssh-port", tw_test_sshd_get_port (fixture->sshd));
  g_key_file_set_string (key_file, "Tunnel", "user", TW_TEST_USER);
  g_key_file_set_string (key_file, "Tunnel", "pinned-fingerprint", pinned);
  data = g_key_file_to_data (key_file, NULL, NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, data, -1, NULL));
}

static void
fixture_start (Fixture *fixture)
{
  fixture->sshd = tw_test_sshd_start (NULL);
  fixture->config_home = g_dir_make_tmp ("tw-monitor-XXXXXX", NULL);
  fixture->known_hosts = g_build_filename (fixture->config_home, "known_hosts", NULL);
  g_assert_true (g_file_set_contents (fixture->known_hosts, "", 0, NULL));
  save_tunnel (fixture, "a1", "warehouse", tw_test_sshd_get_fingerprint (fixture->sshd));
  /* Another key was confirmed for this one: the server's differs */
  save_tunnel (fixture, "b2", "it's \"moved\"", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
}

static void
fixture_stop (Fixture *fixture)
{
  tw_test_remove_tree (fixture->config_home);
  g_free (fixture->config_home);
  g_free (fixture->known_hosts);
  g_clear_pointer (&fixture->sshd, tw_test_sshd_stop);
}

/* tunnel-check ARGS… with the fixture's config home; stdout, and the exit status */
static char *
run (Fixture            *fixture,
     const char * const *args,
     int                *exit_status)
{
  g_autofree char *state = g_build_filename (fixture->config_home, "state", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_CONFIG_HOME", fixture->config_home, TRUE);

  env = g_environ_setenv (env, "XDG_STATE_HOME", state, TRUE);
  return tw_test_run_tunnel_check (args, (const char * const *) env, exit_status);
}

static void
test_list (void)
{
  Fixture fixture = { 0 };
  g_autofree char *out = NULL;
  int status;

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture);
  out = run (&fixture, (const char * const []) { "list", "--json", NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  tw_test_assert_has (out, "\"name\" : \"warehouse\"");
  tw_test_assert_has (out, "\"name\" : \"it's \\\"moved\\\"\"");
  tw_test_assert_has (out, "\"pinned\" : true");
  fixture_stop (&fixture);
}

/* The Nagios plugin contract: one status line with perfdata, exit 0 / 2 / (usage) 2 */
static void
test_nagios (void)
{
  Fixture fixture = { 0 };
  g_autofree char *ok = NULL, *critical = NULL, *missing = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture);
  ok = run (&fixture, (const char * const []) { "probe", "--tunnel", "warehouse", "--format", "nagios",
                                                "--known-hosts", fixture.known_hosts, NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (ok, "TUNNEL OK - "));
  lines = g_strsplit (ok, "\n", -1);
  g_assert_cmpstr (lines[1], ==, "");        /* exactly one line */
  tw_test_assert_has (ok, "| 'warehouse resolve'=");
  tw_test_assert_has (ok, "'warehouse host-key'=");

  critical = run (&fixture, (const char * const []) { "probe", "--tunnel", "it's \"moved\"", "--format", "nagios",
                                                      "--known-hosts", fixture.known_hosts, NULL }, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_true (g_str_has_prefix (critical, "TUNNEL CRITICAL - it's \"moved\": host-key: "));
  /* a quote in the perfdata label is doubled */
  tw_test_assert_has (critical, "'it''s \"moved\" host-key'=");

  missing = run (&fixture, (const char * const []) { "probe", "--tunnel", "nowhere", NULL }, &status);
  g_assert_cmpint (status, ==, 2);
  fixture_stop (&fixture);
}

/* --all with Prometheus metrics in a textfile: promtool accepts them, and they say which
 * tunnel is fine and whose host key changed. */
static void
test_prometheus_textfile (void)
{
  Fixture fixture = { 0 };
  g_autofree char *out = NULL, *textfile = NULL, *metrics = NULL, *promtool_err = NULL;
  g_autofree char *promtool = g_find_program_in_path ("promtool");
  int status, promtool_status = 0;

  if (!tw_test_sshd_can_run ())
    return;
  if (promtool == NULL)
    {
      g_test_skip ("promtool (Debian package prometheus) is not installed");
      return;
    }
  fixture_start (&fixture);
  textfile = g_build_filename (fixture.config_home, "tunnels.prom", NULL);
  out = run (&fixture, (const char * const []) { "probe", "--all", "--format", "nagios", "--textfile", textfile,
                                                 "--known-hosts", fixture.known_hosts, NULL }, &status);
  g_assert_cmpint (status, ==, 2);
  tw_test_assert_has (out, "TUNNEL CRITICAL - it's \"moved\": host-key: ");
  g_assert_true (g_file_get_contents (textfile, &metrics, NULL, NULL));
  tw_test_assert_has (metrics, "tunnel_check_success{tunnel=\"warehouse\"} 1\n");
  tw_test_assert_has (metrics, "tunnel_check_success{tunnel=\"it's \\\"moved\\\"\"} 0\n");
  tw_test_assert_has (metrics, "tunnel_check_host_key_changed{tunnel=\"warehouse\"} 0\n");
  tw_test_assert_has (metrics, "tunnel_check_host_key_changed{tunnel=\"it's \\\"moved\\\"\"} 1\n");
  tw_test_assert_has (metrics, "tunnel_check_status{tunnel=\"warehouse\",check=\"host-key\"} 0\n");
  {
    g_autofree char *command = g_strdup_printf ("promtool check metrics < '%s'", textfile);
    const char *argv[] = { "/bin/sh", "-c", command, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, NULL, &promtool_err,
                                 &promtool_status, NULL));
  }
  g_test_message ("promtool: %s", promtool_err);
  g_assert_true (g_spawn_check_wait_status (promtool_status, NULL));
  /* written whole, with no temporary file left beside it */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture.config_home, 0, NULL);
    const char *entry;

    while ((entry = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (entry, "tunnels.prom."));
  }
  fixture_stop (&fixture);
}

/* --notify-changes keeps each saved tunnel's last verdict and host key, and tells when they
 * change; standard output keeps the format's one line */
static void
test_notify_changes (void)
{
  Fixture fixture = { 0 };
  g_autofree char *first = NULL, *second = NULL, *state_file = NULL, *before = NULL, *after = NULL;
  g_autofree char *expected = NULL;
  int status;

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture);
  state_file = g_build_filename (fixture.config_home, "state", "tunnel-wizard", "monitor", "a1.state", NULL);
  first = run (&fixture, (const char * const []) { "probe", "--tunnel", "warehouse", "--notify-changes",
                                                   "--format", "nagios", "--known-hosts", fixture.known_hosts, NULL },
               &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (state_file, &before, NULL, NULL));
  expected = g_strdup_printf ("pass %s", tw_test_sshd_get_fingerprint (fixture.sshd));
  g_assert_cmpstr (before, ==, expected);

  /* The key confirmed for it is now another one's: the next run fails, and says so */
  save_tunnel (&fixture, "a1", "warehouse", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  second = run (&fixture, (const char * const []) { "probe", "--tunnel", "warehouse", "--notify-changes",
                                                    "--format", "nagios", "--known-hosts", fixture.known_hosts, NULL },
                &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_true (g_str_has_prefix (second, "TUNNEL CRITICAL - "));
  /* one line, and only that */
  g_assert_nonnull (strchr (second, '\n'));
  g_assert_cmpstr (strchr (second, '\n'), ==, "\n");
  g_assert_true (g_file_get_contents (state_file, &after, NULL, NULL));
  g_assert_true (g_str_has_prefix (after, "fail "));
  fixture_stop (&fixture);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tw_secrets_store_finish (result, &error));
  g_assert_no_error (error);
  g_main_loop_quit (user_data);
}

/* probe --tunnel --format json: {"tunnels": [{"name", "report"}]}; the first one's report */
static JsonObject *
first_report (JsonParser *parser,
              const char *out)
{
  g_autoptr(GError) error = NULL;
  JsonArray *tunnels;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  tunnels = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "tunnels");
  g_assert_cmpuint (json_array_get_length (tunnels), ==, 1);
  return json_object_get_object_member (json_array_get_object_element (tunnels, 0), "report");
}

static const char *
json_check_status (const char *out,
                   const char *id)
{
  static char status[16];
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_strlcpy (status, json_object_get_string_member (tw_test_json_check (first_report (parser, out), id), "status"),
             sizeof status);
  return status;
}

/* probe --tunnel logs in as the app saved it: the login user and method from the tunnel's file,
 * the password from the keyring (a real gnome-keyring in this test's own D-Bus session) */
static void
test_saved_login (void)
{
  Fixture fixture = { 0 };
  g_autofree char *dir = NULL, *file = NULL, *data = NULL, *err_out = NULL;
  g_autofree char *without = NULL, *with = NULL, *given = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const char *args[] = { "probe", "--tunnel", "c3", "--format", "json", "--known-hosts", NULL, NULL };
  int status;

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture);
  args[6] = fixture.known_hosts;
  dir = g_build_filename (fixture.config_home, "tunnel-wizard", "tunnels", NULL);
  file = g_build_filename (dir, "c3.tunnel", NULL);
  g_key_file_set_string (key_file, "Tunnel", "name", "with a login");
  g_key_file_set_string (key_file, "Tunnel", "ssh-host", "127.0.0.1");
  g_key_file_set_integer (key_file, "Tunnel", "ssh-port", tw_test_sshd_get_port (fixture.sshd));
  g_key_file_set_string (key_file, "Tunnel", "user", "fivetran");
  g_key_file_set_string (key_file, "Tunnel", "pinned-fingerprint", tw_test_sshd_get_fingerprint (fixture.sshd));
  g_key_file_set_string (key_file, "Tunnel", "dest-host", "127.0.0.1");
  g_key_file_set_integer (key_file, "Tunnel", "dest-port", tw_test_sshd_get_port (fixture.sshd));
  g_key_file_set_string (key_file, "Tunnel", "dest-kind", "tcp");
  g_key_file_set_boolean (key_file, "Tunnel", "require-tls", FALSE);
  g_key_file_set_string (key_file, "Tunnel", "login-user", TW_TEST_USER);
  g_key_file_set_string (key_file, "Tunnel", "login-method", "password");
  data = g_key_file_to_data (key_file, NULL, NULL);
  g_assert_true (g_file_set_contents (file, data, -1, NULL));

  /* No password in the keyring yet: the SSH port is checked, the login is not tried */
  without = run (&fixture, args, &status);
  g_assert_cmpstr (json_check_status (without, "connect"), ==, "pass");
  g_assert_cmpstr (json_check_status (without, "login"), !=, "pass");
  g_assert_cmpstr (json_check_status (without, "forward"), !=, "pass");

  tw_secrets_store_async ("c3", TW_SECRET_PASSWORD, "test", TW_TEST_PASSWORD, NULL, on_stored, loop);
  g_main_loop_run (loop);
  with = run (&fixture, args, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (json_check_status (with, "login"), ==, "pass");
  g_assert_cmpstr (json_check_status (with, "forward"), ==, "pass");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    JsonObject *login = json_object_get_object_member (first_report (parser, with), "login");

    g_assert_cmpstr (json_object_get_string_member (login, "user"), ==, TW_TEST_USER);
  }

  /* A login given on the command line wins over the saved one: a wrong password fails */
  {
    const char *wrong_args[] = { "probe", "--tunnel", "c3", "--format", "json", "--known-hosts", fixture.known_hosts,
                                 "--login-user", TW_TEST_USER, "--password-env", "TW_WRONG", NULL };
    g_autofree char *state = g_build_filename (fixture.config_home, "state", NULL);
    g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_CONFIG_HOME", fixture.config_home, TRUE);

    env = g_environ_setenv (env, "XDG_STATE_HOME", state, TRUE);
    env = g_environ_setenv (env, "TW_WRONG", "not-the-password", TRUE);
    given = tw_test_run_tunnel_check (wrong_args, (const char * const *) env, &status);
    g_assert_cmpstr (json_check_status (given, "login"), ==, "fail");
  }
  fixture_stop (&fixture);
}

/* The systemd user units that check a tunnel in the background: systemd-analyze accepts them
 * without a word, and --remove takes them away */
static void
test_systemd_units (void)
{
  Fixture fixture = { 0 };
  g_autofree char *out = NULL, *service = NULL, *timer = NULL, *service_text = NULL, *timer_text = NULL;
  g_autofree char *analyze = g_find_program_in_path ("systemd-analyze");
  g_autofree char *analyze_err = NULL, *removed = NULL, *real_tool = NULL, *exec_start = NULL;
  int status, analyze_status = 0;

  if (!tw_test_sshd_can_run ())
    return;
  if (analyze == NULL)
    {
      g_test_skip ("systemd-analyze (Debian package systemd) is not installed");
      return;
    }
  fixture_start (&fixture);
  out = run (&fixture, (const char * const []) { "monitor", "--install", "warehouse", "--every", "5", NULL }, &status);
  /* 1 when no systemd user manager runs here to start the timer: the files are written anyway */
  g_assert_true (status == 0 || status == 1);
  service = g_build_filename (fixture.config_home, "systemd", "user", "tunnel-wizard-check-a1.service", NULL);
  timer = g_build_filename (fixture.config_home, "systemd", "user", "tunnel-wizard-check-a1.timer", NULL);
  g_assert_true (g_file_get_contents (service, &service_text, NULL, NULL));
  g_assert_true (g_file_get_contents (timer, &timer_text, NULL, NULL));
  real_tool = realpath (g_getenv ("TUNNEL_CHECK"), NULL);
  exec_start = g_strdup_printf ("ExecStart=%s probe --tunnel a1 --notify-changes\n", real_tool);
  tw_test_assert_has (service_text, exec_start);
  tw_test_assert_has (timer_text, "OnUnitActiveSec=5min\n");
  tw_test_assert_has (timer_text, "WantedBy=timers.target\n");
  {
    const char *argv[] = { analyze, "verify", "--man=no", service, timer, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                                 &analyze_err, &analyze_status, NULL));
  }
  g_test_message ("systemd-analyze: %s", analyze_err);
  g_assert_true (g_spawn_check_wait_status (analyze_status, NULL));
  g_assert_cmpstr (analyze_err, ==, "");

  removed = run (&fixture, (const char * const []) { "monitor", "--remove", "warehouse", NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_false (g_file_test (service, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (timer, G_FILE_TEST_EXISTS));
  fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe/monitor/list", test_list);
  g_test_add_func ("/probe/monitor/nagios", test_nagios);
  g_test_add_func ("/probe/monitor/prometheus-textfile", test_prometheus_textfile);
  g_test_add_func ("/probe/monitor/notify-changes", test_notify_changes);
  g_test_add_func ("/probe/monitor/systemd-units", test_systemd_units);
  g_test_add_func ("/probe/monitor/saved-login", test_saved_login);

  return g_test_run ();
}
