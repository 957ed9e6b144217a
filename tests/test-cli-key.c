/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check key, as a script uses it: JSON on stdout and exit 0 for a
 * key, a message on stderr and exit 2 for anything else; never an echo of
 * a private key.
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sys/wait.h>

#include "key-test-util.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_free (result->out);
  g_free (result->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static void
run_cli (const char *arg,
         const char *stdin_text,
         CliResult  *result)
{
  const char *tunnel_check = g_getenv ("TUNNEL_CHECK");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (tunnel_check);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              tunnel_check, "key", arg, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
}

static JsonObject *
parse_json (const char *text,
            JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_describes (JsonObject     *object,
                  const KtOracle *oracle,
                  const char     *line)
{
  g_assert_cmpstr (json_object_get_string_member (object, "fingerprint"), ==, oracle->fingerprint);
  g_assert_cmpint (json_object_get_int_member (object, "bits"), ==, oracle->bits);
  g_assert_cmpstr (json_object_get_string_member (object, "label"), ==, oracle->label);
  g_assert_cmpstr (json_object_get_string_member (object, "randomart"), ==, oracle->randomart);
  g_assert_cmpstr (json_object_get_string_member (object, "authorized_keys"), ==, line);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "warnings")));
}

static void
test_file_and_stdin (void)
{
  g_autofree char *dir = kt_tmpdir ();
  g_autofree char *path = kt_keygen (dir, "service@example", "rsa", 3072, NULL, NULL);
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
  g_autofree char *pub = kt_read (pub_path);
  const char *export_argv[] = { "ssh-keygen", "-e", "-f", pub_path, NULL };
  g_autofree char *rfc4716 = kt_run (export_argv);
  g_autofree char *options_line = g_strdup_printf ("restrict,permitopen=\"db:5432\" %s", pub);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(KtOracle) oracle = { 0 };
  g_auto(CliResult) from_file = { 0 };
  g_auto(CliResult) from_dash = { 0 };
  g_auto(CliResult) from_default = { 0 };
  g_auto(CliResult) with_options = { 0 };
  JsonObject *object;
  JsonArray *warnings;
  gboolean sha2_advice = FALSE;

  kt_oracle (pub_path, &oracle);
  g_strchomp (pub);

  run_cli (pub_path, NULL, &from_file);
  g_assert_cmpint (from_file.status, ==, 0);
  g_assert_cmpstr (from_file.err, ==, "");
  object = parse_json (from_file.out, parser);
  assert_describes (object, &oracle, pub);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "ssh-rsa");
  g_assert_cmpstr (json_object_get_string_member (object, "comment"), ==, "service@example");
  g_assert_false (json_object_has_member (object, "options"));
  warnings = json_object_get_array_member (object, "warnings");
  for (guint i = 0; i < json_array_get_length (warnings); i++)
    if (strstr (json_array_get_string_element (warnings, i), "rsa-sha2-256") != NULL)
      sha2_advice = TRUE;
  g_assert_true (sha2_advice);

  /* "-" and no argument both read standard input; here an RFC 4716 export. */
  run_cli ("-", rfc4716, &from_dash);
  g_assert_cmpint (from_dash.status, ==, 0);
  object = parse_json (from_dash.out, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "fingerprint"), ==, oracle.fingerprint);
  g_assert_cmpstr (json_object_get_string_member (object, "randomart"), ==, oracle.randomart);

  run_cli (NULL, pub, &from_default);
  g_assert_cmpint (from_default.status, ==, 0);
  object = parse_json (from_default.out, parser);
  assert_describes (object, &oracle, pub);

  run_cli ("-", options_line, &with_options);
  g_assert_cmpint (with_options.status, ==, 0);
  object = parse_json (with_options.out, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "options"), ==, "restrict,permitopen=\"db:5432\"");
  assert_describes (object, &oracle, pub);

  kt_rmdir (dir);
}

static void
test_invalid_input (void)
{
  static const char * const texts[] = {
    "", "not a key at all\n", "ssh-dss AAAAB3NzaC1kc3MAAACBAP\n",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiEl\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_auto(CliResult) result = { 0 };

      run_cli ("-", texts[i], &result);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_true (g_str_has_prefix (result.err, "tunnel-check key: "));
      g_assert_cmpuint (strlen (result.err), >, strlen ("tunnel-check key: ") + 10);
    }

  {
    g_auto(CliResult) missing = { 0 };

    run_cli ("/nonexistent/key.pub", NULL, &missing);
    g_assert_cmpint (missing.status, ==, 2);
    g_assert_nonnull (strstr (missing.err, "/nonexistent/key.pub"));
  }
}

/* The classic mistake: the private key file instead of the .pub. */
static void
test_private_key_file (void)
{
  g_autofree char *dir = kt_tmpdir ();
  g_autofree char *path = kt_keygen (dir, "mine", "ed25519", 0, NULL, NULL);
  g_autofree char *pem = kt_keygen (dir, "mine-pem", "rsa", 2048, "PEM", NULL);
  const char *paths[] = { path, pem };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *secret = kt_read (paths[i]);
      g_auto(CliResult) by_name = { 0 };
      g_auto(CliResult) by_pipe = { 0 };

      run_cli (paths[i], NULL, &by_name);
      g_assert_cmpint (by_name.status, ==, 2);
      g_assert_cmpstr (by_name.out, ==, "");
      g_assert_nonnull (strstr (by_name.err, "private key"));
      kt_assert_no_secret (by_name.err, secret);

      run_cli ("-", secret, &by_pipe);
      g_assert_cmpint (by_pipe.status, ==, 2);
      g_assert_cmpstr (by_pipe.out, ==, "");
      kt_assert_no_secret (by_pipe.err, secret);
    }

  kt_rmdir (dir);
}

static void
test_usage (void)
{
  const char *tunnel_check = g_getenv ("TUNNEL_CHECK");
  const char *help_argv[] = { tunnel_check, "key", "--help", NULL };
  const char *bad_argv[] = { tunnel_check, "key", "a.pub", "b.pub", NULL };
  g_autofree char *help = kt_run (help_argv);
  int status = 0;

  g_assert_nonnull (strstr (help, "tunnel-check key [FILE|-]"));
  g_spawn_sync (NULL, (char **) bad_argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, NULL);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/key/file-and-stdin", test_file_and_stdin);
  g_test_add_func ("/cli/key/invalid-input", test_invalid_input);
  g_test_add_func ("/cli/key/private-key-file", test_private_key_file);
  g_test_add_func ("/cli/key/usage", test_usage);

  return g_test_run ();
}
