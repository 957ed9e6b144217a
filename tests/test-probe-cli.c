/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check probe as scripts use it: tunnel-check(1)'s options, its JSON, and
 * exit 0 (no check failed), 1 (one did), 2 (usage).
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "tw-core.h"
#include "tw-test-badserver.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

static int
run_cli (const char * const *args,
         char              **out,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *tool = g_getenv ("TUNNEL_CHECK");
  int status = 0;

  g_assert_nonnull (tool);
  g_ptr_array_add (argv, (char *) tool);
  g_ptr_array_add (argv, (char *) "probe");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, out, err, &status, NULL));
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli_usage (void)
{
  const char * const none[] = { NULL };
  const char * const no_user[] = { "--host", "127.0.0.1", NULL };
  const char * const bad_dest[] = { "--host", "h", "--user", "u", "--dest", "nowhere", NULL };
  const char * const bad_kind[] = { "--host", "h", "--user", "u", "--dest", "db:5432", "--dest-kind", "oracle", NULL };
  const char * const bad_port[] = { "--host", "h", "--user", "u", "--port", "0", NULL };
  const char * const both_tls[] = { "--host", "h", "--user", "u", "--require-tls", "--no-require-tls", NULL };
  const char * const two_logins[] = { "--host", "h", "--user", "u", "--agent", "--identity", "/x", NULL };
  const char * const no_env[] = { "--host", "h", "--user", "u", "--password-env", "TW_SURELY_UNSET_VAR", NULL };
  const char * const bad_key[] = { "--host", "h", "--user", "u", "--service-key", "/nonexistent/key.pub", NULL };
  const char * const unknown[] = { "--host", "h", "--user", "u", "--frobnicate", NULL };
  const char * const *cases[] = { none, no_user, bad_dest, bad_kind, bad_port, both_tls, two_logins,
                                  no_env, bad_key, unknown };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (cases[i], &out, &err), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, "tunnel-check probe:"));
    }
}

/* The whole story through the CLI: key accepted, fingerprint as expected,
 * password login, forward to a plain TCP service. */
static void
test_cli_json_pass (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwTestBadserver) dest = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *key = NULL, *pub = NULL, *content = NULL, *pub_file = NULL;
  g_autofree char *port = NULL, *dest_arg = NULL, *known_hosts = NULL;
  g_autofree char *out = NULL, *err = NULL;
  JsonObject *root;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  dest = tw_test_badserver_new (TW_BAD_GREETING);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, content);
  pub_file = g_strconcat (key, ".pub", NULL);
  port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  dest_arg = g_strdup_printf ("127.0.0.1:%u", tw_test_badserver_get_port (dest));
  known_hosts = g_build_filename (tw_test_sshd_get_dir (sshd), "empty", NULL);
  g_file_set_contents (known_hosts, "", 0, NULL);
  g_setenv ("TW_TEST_PASSWORD", TW_TEST_PASSWORD, TRUE);

  {
    const char * const args[] = {
      "--host", "127.0.0.1", "--port", port, "--user", TW_TEST_USER, "--service-key", pub_file,
      "--dest", dest_arg, "--dest-kind", "tcp", "--no-require-tls", "--password-env", "TW_TEST_PASSWORD",
      "--expect-fingerprint", tw_test_sshd_get_fingerprint (sshd), "--known-hosts", known_hosts,
      "--timeout", "5", "--json", NULL
    };
    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  }
  g_unsetenv ("TW_TEST_PASSWORD");

  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "host_key"), "fingerprint"),
                   ==, tw_test_sshd_get_fingerprint (sshd));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "host_key"), "type"),
                   ==, "ssh-ed25519");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_object_get_object_member (root, "server"),
                                                                  "software"), "OpenSSH_"));
  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "host-key"), "status"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "service-key"), "status"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "service-key-sha1"), "status"), ==, "skip");
  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "login"), "status"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "forward"), "status"), ==, "pass");
  /* the password is nowhere in the output */
  g_assert_null (strstr (out, TW_TEST_PASSWORD));
}

/* A failure: exit 1; human output without colour when not on a terminal. */
static void
test_cli_fail_human (void)
{
  g_autofree char *port = g_strdup_printf ("%u", tw_test_free_port ());
  const char * const args[] = { "--host", "127.0.0.1", "--port", port, "--user", "u", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "FAIL  TCP connection"));
  g_assert_nonnull (strstr (out, "Verdict: FAIL"));
  g_assert_null (strchr (out, '\033'));
}

static void
test_cli_fail_json (void)
{
  g_autofree char *port = g_strdup_printf ("%u", tw_test_free_port ());
  const char * const args[] = { "--host", "127.0.0.1", "--port", port, "--user", "u", "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *root;

  g_assert_cmpint (run_cli (args, &out, &err), ==, 1);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "fail");
  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "connect"), "status"), ==, "fail");
  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "banner"), "status"), ==, "skip");
}

/* The summaries line up in German too: titles are padded by characters, and umlauts are
 * two bytes each. */
static void
test_cli_columns_in_german (void)
{
  g_autofree char *port = g_strdup_printf ("%u", tw_test_free_port ());
  const char *argv[] = { g_getenv ("TUNNEL_CHECK"), "probe", "--host", "127.0.0.1", "--port", port,
                         "--user", "u", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_auto(GStrv) lines = NULL;
  g_autofree char *out = NULL;
  glong column = -1;
  guint n_skipped = 0;
  int status = 0;

  envp = g_environ_setenv (envp, "LANGUAGE", "de", TRUE);
  envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LC_ALL");
  envp = g_environ_unsetenv (envp, "LC_MESSAGES");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, NULL));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *summary = strstr (lines[i], "Übersprungen");

      if (!g_str_has_prefix (lines[i], "SKIP  ") || summary == NULL)
        continue;
      n_skipped++;
      if (column < 0)
        column = g_utf8_pointer_to_offset (lines[i], summary);
      else if (g_utf8_pointer_to_offset (lines[i], summary) != column)
        g_error ("out of line: %s", lines[i]);
    }
  /* Every check after the refused connection, titles with and without umlauts */
  g_assert_cmpuint (n_skipped, >=, 10);
}

/* Ctrl+C during a run: it ends at once, exit 1, and gives no verdict (the checks that never
 * ran are skipped, which must not read as a pass). */
static void
test_cli_interrupted (void)
{
  g_autoptr(TwTestBadserver) server = tw_test_badserver_new (TW_BAD_SILENT);
  g_autofree char *port = g_strdup_printf ("%u", tw_test_badserver_get_port (server));
  const char *argv[] = { g_getenv ("TUNNEL_CHECK"), "probe", "--host", "127.0.0.1", "--port", port,
                         "--user", "u", "--timeout", "60", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 interrupted_at;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  /* Interrupt once the server holds the connection: the banner wait has begun */
  while (tw_test_badserver_get_hits (server) == 0)
    g_usleep (10 * 1000);
  g_usleep (300 * 1000);
  g_subprocess_send_signal (process, SIGINT);
  interrupted_at = g_get_monotonic_time ();
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);

  /* Well inside the 60 s the banner would otherwise have had */
  g_assert_cmpint (g_get_monotonic_time () - interrupted_at, <, 10 * G_USEC_PER_SEC);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (out, "PASS  TCP connection"));
  g_assert_nonnull (strstr (out, "SKIP  SSH banner"));
  g_assert_nonnull (strstr (out, "Verdict: none, interrupted"));
  g_assert_null (strstr (out, "Verdict: PASS"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe/cli/usage", test_cli_usage);
  g_test_add_func ("/probe/cli/json-pass", test_cli_json_pass);
  g_test_add_func ("/probe/cli/fail-human", test_cli_fail_human);
  g_test_add_func ("/probe/cli/fail-json", test_cli_fail_json);
  g_test_add_func ("/probe/cli/interrupted", test_cli_interrupted);
  g_test_add_func ("/probe/cli/columns-in-german", test_cli_columns_in_german);

  return g_test_run ();
}
