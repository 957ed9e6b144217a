/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check probe --login-user: the checks through the tunnel run as the
 * admin's own account (the service's key stays with the service), pass or
 * fail exactly as the OpenSSH client does for that account, and the report
 * says as whom they ran.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "tw-core.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

typedef struct {
  const char    *path;
  const char    *overrides[2];
  gboolean       as_tunnel_user;     /* --user is the login user itself */
  TwCheckStatus  forward;
  const char    *forward_has;        /* in its summary, detail or hint */
} LoginUserCase;

static const LoginUserCase cases[] = {
  { "/probe/login-user/forward-allowed", { NULL }, FALSE, TW_CHECK_STATUS_PASS, "not as the tunnel user “fivetran”" },
  { "/probe/login-user/forward-prohibited", { "AllowTcpForwarding no" }, FALSE, TW_CHECK_STATUS_FAIL,
    "AllowTcpForwarding" },
  { "/probe/login-user/permit-open-elsewhere", { "PermitOpen 127.0.0.1:1" }, FALSE, TW_CHECK_STATUS_FAIL,
    "PermitOpen" },
  { "/probe/login-user/is-the-tunnel-user", { NULL }, TRUE, TW_CHECK_STATUS_PASS, "The bastion connects to" },
};

static void
test_login_user (gconstpointer data)
{
  const LoginUserCase *c = data;
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL, *pub = NULL, *authorized = NULL;
  g_autofree char *port = NULL, *dest = NULL, *out = NULL, *err = NULL, *text = NULL;
  TwTestEcho *echo;
  JsonObject *root, *forward, *login;
  int status = 0, oracle;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (c->overrides);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  authorized = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, authorized);
  echo = tw_test_echo_start ();
  port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  dest = g_strdup_printf ("127.0.0.1:%u", tw_test_echo_get_port (echo));

  {
    const char *argv[] = { g_getenv ("TUNNEL_CHECK"), "probe", "--json", "--host", "127.0.0.1", "--port", port,
                           "--user", c->as_tunnel_user ? TW_TEST_USER : "fivetran",
                           "--login-user", TW_TEST_USER, "--identity", key,
                           "--dest", dest, "--dest-kind", "tcp", "--timeout", "10", NULL };

    g_assert_nonnull (argv[0]);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, NULL));
  }
  g_test_message ("%s%s", out, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (tw_test_json_check (root, "login"), "status"), ==, "pass");
  login = json_object_get_object_member (root, "login");
  g_assert_nonnull (login);
  g_assert_cmpstr (json_object_get_string_member (login, "user"), ==, TW_TEST_USER);
  g_assert_cmpint (json_object_get_boolean_member (login, "is_tunnel_user"), ==, c->as_tunnel_user);

  forward = tw_test_json_check (root, "forward");
  g_assert_cmpstr (json_object_get_string_member (forward, "status"), ==,
                   tw_check_status_to_string (c->forward));
  text = tw_test_json_check_texts (forward);
  tw_test_assert_has (text, c->forward_has);
  if (c->as_tunnel_user)
    g_assert_null (strstr (text, "not as the tunnel user"));
  g_assert_cmpint (WIFEXITED (status) ? WEXITSTATUS (status) : -1, ==, c->forward == TW_CHECK_STATUS_FAIL);

  /* The OpenSSH client, as the same account with the same key, agrees. */
  {
    const char *extra[] = { "-W", dest, NULL };

    oracle = tw_test_sshd_run_ssh (sshd, key, extra);
  }
  g_assert_cmpint (oracle == 0, ==, c->forward == TW_CHECK_STATUS_PASS);
  tw_test_echo_stop (echo);
}

/* --login-user alone logs in with the agent, as ssh does without -i; a bad
 * name is a usage error. */
static void
test_login_user_usage (void)
{
  const char *argv[] = { g_getenv ("TUNNEL_CHECK"), "probe", "--host", "h", "--user", "u",
                         "--login-user", "two words", NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  g_assert_nonnull (argv[0]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, NULL));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  tw_test_assert_has (err, "--login-user");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_login_user);
  g_test_add_func ("/probe/login-user/usage", test_login_user_usage);

  return g_test_run ();
}
