/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stand-in key: `tunnel-check stand-in` makes a key pair and the line for the tunnel
 * user's authorized_keys (the service's options, an hour's expiry-time), and
 * `tunnel-check probe --stand-in-key` runs the checks through the tunnel as the tunnel user.
 * Where a Match User block treats the tunnel user differently from the admin, the stand-in
 * sees what the service will see; the OpenSSH client with the same key agrees.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "tw-core.h"
#include "tw-test-files.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

typedef struct {
  const char    *path;
  const char    *overrides[3];
  const char    *expiry;              /* replaces the line's expiry-time, or NULL */
  TwCheckStatus  login;
  TwCheckStatus  forward;             /* as the stand-in */
  TwCheckStatus  forward_as_admin;    /* as root with its own key; PENDING: not run */
  const char    *text_has;            /* in the login or forward check's texts */
  gboolean       without_permitopen;  /* the line lacks permitopen=: least privilege is not in effect */
} StandInCase;

static const StandInCase cases[] = {
  { "/probe/stand-in/forward-allowed", { NULL }, NULL,
    TW_CHECK_STATUS_PASS, TW_CHECK_STATUS_PASS, TW_CHECK_STATUS_PENDING,
    "Tested as the tunnel user “" TW_TEST_USER "” with a stand-in key" },
  /* The admin may forward, the tunnel user may not: only the stand-in tells. */
  { "/probe/stand-in/match-user-forbids", { "PermitRootLogin prohibit-password",
                                            "Match User " TW_TEST_USER "\n    AllowTcpForwarding no" }, NULL,
    TW_CHECK_STATUS_PASS, TW_CHECK_STATUS_FAIL, TW_CHECK_STATUS_PASS, "administratively prohibited" },
  /* Its hour is over: sshd refuses it, and the login says why it may be. */
  { "/probe/stand-in/expired", { NULL }, "20200101000000Z",
    TW_CHECK_STATUS_FAIL, TW_CHECK_STATUS_SKIP, TW_CHECK_STATUS_PENDING, "expiry-time" },
  /* Nothing limits the tunnel user to the destination: the forward works, and warns. */
  { "/probe/stand-in/least-privilege-not-in-effect", { NULL }, NULL,
    TW_CHECK_STATUS_PASS, TW_CHECK_STATUS_WARN, TW_CHECK_STATUS_PENDING,
    "least privilege is not in effect", TRUE },
};

/* tunnel-check probe --json with @login_args; the parsed report */
static JsonParser *
probe (TwTestSshd         *sshd,
       const char         *dest,
       const char * const *login_args)
{
  g_autofree char *port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *fixed[] = { "probe", "--json", "--host", "127.0.0.1", "--port", port, "--user", TW_TEST_USER,
                          "--dest", dest, "--dest-kind", "tcp", "--timeout", "10", "--least-privilege" };
  JsonParser *parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (args, (gpointer) fixed[i]);
  for (guint i = 0; login_args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) login_args[i]);
  g_ptr_array_add (args, NULL);
  out = tw_test_run_tunnel_check ((const char * const *) args->pdata, NULL, &status);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return parser;
}

static void
test_stand_in (gconstpointer data)
{
  const StandInCase *c = data;
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(JsonParser) report = NULL;
  g_autofree char *key = NULL, *dest = NULL, *out = NULL, *line = NULL, *keys = NULL, *texts = NULL;
  g_auto(GStrv) lines = NULL;
  TwTestEcho *echo;
  JsonObject *root, *login;
  int status;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (c->overrides);
  echo = tw_test_echo_start ();
  dest = g_strdup_printf ("127.0.0.1:%u", tw_test_echo_get_port (echo));
  key = g_build_filename (tw_test_sshd_get_dir (sshd), "stand-in", NULL);

  {
    const char *args[] = { "stand-in", "--user", TW_TEST_USER, "--dest", dest, "--least-privilege",
                           "--key-file", key, NULL };

    out = tw_test_run_tunnel_check (args, NULL, &status);
    g_assert_cmpint (status, ==, 0);
  }
  lines = g_strsplit (out, "\n", -1);
  line = g_strdup (lines[1]);
  g_assert_true (g_str_has_prefix (line, "restrict,port-forwarding,permitopen=\"127.0.0.1:"));
  g_assert_nonnull (strstr (line, ",expiry-time=\""));
  g_assert_true (g_str_has_suffix (line, " " TW_STAND_IN_MARKER));
  if (c->without_permitopen)
    {
      char *start = strstr (line, "permitopen=\"");
      char *end = strchr (start + strlen ("permitopen=\""), '"') + 2;  /* past the quote and comma */

      memmove (start, end, strlen (end) + 1);
    }
  if (c->expiry != NULL)
    {
      char *at = strstr (line, "expiry-time=\"") + strlen ("expiry-time=\"");

      memcpy (at, c->expiry, strlen (c->expiry));
    }
  keys = g_strconcat (line, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, keys);

  {
    const char *login_args[] = { "--stand-in-key", key, NULL };

    report = probe (sshd, dest, login_args);
  }
  root = json_node_get_object (json_parser_get_root (report));
  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "login"), "status"), ==,
                   tw_check_status_to_string (c->login));
  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "forward"), "status"), ==,
                   tw_check_status_to_string (c->forward));
  {
    g_autofree char *login_texts = tw_test_json_check_texts (tw_test_json_check (root, "login"));
    g_autofree char *forward_texts = tw_test_json_check_texts (tw_test_json_check (root, "forward"));

    texts = g_strconcat (login_texts, forward_texts, NULL);
  }
  tw_test_assert_has (texts, c->text_has);
  if (c->login == TW_CHECK_STATUS_PASS)
    {
      login = json_object_get_object_member (root, "login");
      g_assert_cmpstr (json_object_get_string_member (login, "user"), ==, TW_TEST_USER);
      g_assert_true (json_object_get_boolean_member (login, "is_tunnel_user"));
      g_assert_true (json_object_get_boolean_member (login, "stand_in_key"));
    }

  /* The OpenSSH client with the stand-in key, as the tunnel user, agrees. */
  {
    const char *extra[] = { "-W", dest, NULL };

    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, extra) == 0, ==,
                     c->forward == TW_CHECK_STATUS_PASS || c->forward == TW_CHECK_STATUS_WARN);
  }
  /* …and forwards elsewhere (another echo server) exactly when the check says least privilege
   * is not in effect. */
  if (c->forward == TW_CHECK_STATUS_PASS || c->forward == TW_CHECK_STATUS_WARN)
    {
      TwTestEcho *other = tw_test_echo_start ();
      g_autofree char *elsewhere = g_strdup_printf ("127.0.0.1:%u", tw_test_echo_get_port (other));
      const char *extra[] = { "-W", elsewhere, NULL };

      g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, extra) == 0, ==, c->forward == TW_CHECK_STATUS_WARN);
      tw_test_echo_stop (other);
    }

  /* The admin's own login passes where the tunnel user's forward does not. */
  if (c->forward_as_admin != TW_CHECK_STATUS_PENDING)
    {
      g_autofree char *admin = tw_test_sshd_make_key (sshd, "ed25519", NULL);
      g_autofree char *admin_pub = tw_test_sshd_read_public_key (admin);
      g_autofree char *root_keys = g_build_filename (tw_test_sshd_get_dir (sshd), "keys", "root", NULL);
      const char *login_args[] = { "--login-user", "root", "--identity", admin, NULL };
      g_autoptr(JsonParser) admin_report = NULL;

      g_assert_true (g_file_set_contents (root_keys, admin_pub, -1, NULL));
      admin_report = probe (sshd, dest, login_args);
      root = json_node_get_object (json_parser_get_root (admin_report));
      g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "forward"), "status"), ==,
                       tw_check_status_to_string (c->forward_as_admin));
    }
  tw_test_echo_stop (echo);
}

/* The generator refuses what it cannot embed and never writes over a file. */
static void
test_stand_in_usage (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tw-stand-in-XXXXXX", NULL);
  g_autofree char *existing = g_build_filename (dir, "existing", NULL);
  const char *bad_user[] = { "stand-in", "--user", "root", "--dest", "db:5432", "--key-file", "/nonexistent/x", NULL };
  const char *over[] = { "stand-in", "--user", "fivetran", "--dest", "db:5432", "--key-file", existing, NULL };
  const char *both[] = { "probe", "--host", "h", "--user", "u", "--stand-in-key", "/x", "--agent", NULL };
  const char * const *cases_[] = { bad_user, over, both };
  g_autofree char *content = NULL;

  g_assert_true (g_file_set_contents (existing, "keep me", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases_); i++)
    {
      g_autofree char *out = NULL;
      int status;

      out = tw_test_run_tunnel_check (cases_[i], NULL, &status);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
    }
  g_assert_true (g_file_get_contents (existing, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "keep me");
  tw_test_remove_tree (dir);
}

/* The commands the admin copies: the install command puts the line in the tunnel user's own
 * ~/.ssh/authorized_keys (where this sshd looks), the probe passes as the tunnel user, the
 * remove command takes it out again and the same probe is refused. */
static void
test_install_and_remove_commands (void)
{
  const char * const overrides[] = { "AuthorizedKeysFile .ssh/authorized_keys", NULL };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *key = NULL, *dest = NULL, *out = NULL, *home = NULL, *ssh_dir = NULL, *keys_file = NULL;
  g_autofree char *install = NULL, *remove = NULL, *before = NULL, *after = NULL;
  const char *install_at, *remove_at;
  TwTestEcho *echo;
  int status;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (overrides);
  echo = tw_test_echo_start ();
  dest = g_strdup_printf ("127.0.0.1:%u", tw_test_echo_get_port (echo));
  key = g_build_filename (tw_test_sshd_get_dir (sshd), "stand-in", NULL);
  {
    const char *args[] = { "stand-in", "--user", TW_TEST_USER, "--dest", dest, "--key-file", key, NULL };

    out = tw_test_run_tunnel_check (args, NULL, &status);
    g_assert_cmpint (status, ==, 0);
  }
  /* The printed commands, between their comment lines */
  install_at = strstr (out, "as root:\n");
  remove_at = strstr (out, "next run):\n");
  g_assert_nonnull (install_at);
  g_assert_nonnull (remove_at);
  install_at += strlen ("as root:\n");
  install = g_strndup (install_at, strstr (install_at, "\n\n") - install_at);
  remove = g_strdup (remove_at + strlen ("next run):\n"));

  /* The tunnel user's authorized_keys as the setup script leaves it, with a key of its own */
  {
    const char *argv[] = { "sh", "-c", "h=$(getent passwd " TW_TEST_USER " | cut -d: -f6); mkdir -p \"$h/.ssh\" && "
                           "echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOVn0gcu1oKtPQQK9pxHp8ikVQi7D36v2GnlaIbpeBWK keep' "
                           "> \"$h/.ssh/authorized_keys\" && chown -R " TW_TEST_USER " \"$h/.ssh\" && echo \"$h\"", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &home, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_strstrip (home);
  }
  ssh_dir = g_build_filename (home, ".ssh", NULL);
  keys_file = g_build_filename (ssh_dir, "authorized_keys", NULL);
  g_assert_true (g_file_get_contents (keys_file, &before, NULL, NULL));

  {
    const char *argv[] = { "bash", "-c", install, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  {
    const char *extra[] = { "-W", dest, NULL };

    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, extra), ==, 0);
  }
  {
    const char *argv[] = { "bash", "-c", remove, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_true (g_file_get_contents (keys_file, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
  {
    const char *extra[] = { "-W", dest, NULL };

    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, extra), !=, 0);
  }
  tw_test_remove_tree (ssh_dir);
  tw_test_echo_stop (echo);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_stand_in);
  g_test_add_func ("/probe/stand-in/usage", test_stand_in_usage);
  g_test_add_func ("/probe/stand-in/install-and-remove", test_install_and_remove_commands);

  return g_test_run ();
}
