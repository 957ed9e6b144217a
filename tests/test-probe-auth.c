/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * auth-methods, service-key, service-key-sha1 and login against a real
 * sshd, with the OpenSSH client saying whether the key really gets in.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "tw-core.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

static const char * const ssh_port[] = {
  "resolve", "connect", "banner", "kex", "host-key", "auth-methods", "service-key",
  "service-key-sha1", NULL
};

static TwReport *
run_probe (TwTestSshd          *sshd,
           const char          *service_key,
           TwCredentials       *credentials,
           const char * const  *checks)
{
  g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
  g_autoptr(GError) error = NULL;
  TwReport *report;

  tw_tunnel_set_service_key (tw_probe_get_tunnel (probe), service_key);
  tw_probe_set_credentials (probe, credentials);
  tw_probe_set_checks (probe, checks);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  return report;
}

static void
assert_has (const char *text,
            const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text ? text : "(null)", needle);
}

/* The usual good case: an Ed25519 key on one line in authorized_keys. */
static void
test_service_key_accepted (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *line = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  line = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, line);

  report = run_probe (sshd, pub, NULL, ssh_port);
  g_assert_cmpint (tw_test_check_status (report, "auth-methods"), ==, TW_CHECK_STATUS_PASS);
  assert_has (tw_test_check_summary (report, "auth-methods"), "publickey");
  g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "service-key-sha1"), ==, TW_CHECK_STATUS_SKIP);
  assert_has (tw_test_check_summary (report, "service-key-sha1"), "Not an RSA key");
  /* The oracle agrees */
  g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, NULL), ==, 0);
}

/* Each failure cause the hint names, as the OpenSSH client sees it too. */
static void
test_service_key_refused (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *other_key = NULL;
  g_autofree char *other_pub = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  other_key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  other_pub = tw_test_sshd_read_public_key (other_key);

  /* Not there: another key only */
  {
    g_autofree char *content = g_strconcat (other_pub, "\n", NULL);
    g_autoptr(TwReport) report = NULL;
    const char *hint;

    tw_test_sshd_set_authorized_keys (sshd, content);
    report = run_probe (sshd, pub, NULL, ssh_port);
    g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_FAIL);
    hint = tw_test_check_hint (report, "service-key");
    /* the causes, most likely first */
    assert_has (hint, "1. The key is not in");
    g_assert_true (strstr (hint, "line breaks") < strstr (hint, "StrictModes"));
    g_assert_true (strstr (hint, "StrictModes") < strstr (hint, "Another user"));
    g_assert_true (strstr (hint, "Another user") < strstr (hint, "AuthorizedKeysFile"));
    g_assert_true (strstr (hint, "AuthorizedKeysFile") < strstr (hint, "algorithm is refused"));
    g_assert_true (strstr (hint, "algorithm is refused") < strstr (hint, "from="));
    assert_has (tw_test_check_detail (report, "service-key"), "publickey");
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, NULL), !=, 0);
  }

  /* Pasted with a line break in the middle of the base64 */
  {
    gsize half = strlen (pub) / 2;
    g_autofree char *broken = g_strdup_printf ("%.*s\n%s\n", (int) half, pub, pub + half);
    g_autoptr(TwReport) report = NULL;

    tw_test_sshd_set_authorized_keys (sshd, broken);
    report = run_probe (sshd, pub, NULL, ssh_port);
    g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_FAIL);
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, NULL), !=, 0);
  }
}

/* StrictModes: a group-writable authorized_keys is ignored. */
static void
test_service_key_strict_modes (void)
{
  const char * const overrides[] = { "StrictModes yes", NULL };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (overrides);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, content);

  {
    g_autoptr(TwReport) report = run_probe (sshd, pub, NULL, ssh_port);
    g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_PASS);
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, NULL), ==, 0);
  }

  g_assert_cmpint (g_chmod (tw_test_sshd_get_authorized_keys (sshd), 0664), ==, 0);
  {
    g_autoptr(TwReport) report = run_probe (sshd, pub, NULL, ssh_port);
    g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_FAIL);
    assert_has (tw_test_check_hint (report, "service-key"), "StrictModes");
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, NULL), !=, 0);
  }
}

/* No publickey offered at all: auth-methods fails, service-key is skipped. */
static void
test_auth_methods_no_publickey (void)
{
  const char * const overrides[] = { "PubkeyAuthentication no", NULL };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (overrides);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);

  report = run_probe (sshd, pub, NULL, ssh_port);
  g_assert_cmpint (tw_test_check_status (report, "auth-methods"), ==, TW_CHECK_STATUS_FAIL);
  assert_has (tw_test_check_hint (report, "auth-methods"), "PubkeyAuthentication yes");
  g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_SKIP);
}

/* RSA on a default OpenSSH 8.8+: accepted with SHA-2 (service-key passes,
 * which libssh gets wrong without server-sig-algs), refused with SHA-1. */
static void
test_rsa_sha1 (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;
  const char * const sha1_only[] = { "-o", "PubkeyAcceptedAlgorithms=ssh-rsa", NULL };

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "rsa", NULL);
  pub = tw_test_sshd_read_public_key (key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, content);

  {
    g_autoptr(TwReport) report = run_probe (sshd, pub, NULL, ssh_port);

    g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_PASS);
    g_assert_cmpint (tw_test_check_status (report, "service-key-sha1"), ==, TW_CHECK_STATUS_WARN);
    assert_has (tw_test_check_hint (report, "service-key-sha1"), "PubkeyAcceptedAlgorithms +ssh-rsa");
    g_assert_cmpint (tw_report_get_verdict (report), ==, TW_CHECK_STATUS_WARN);
  }
  g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, NULL), ==, 0);
  g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, sha1_only), !=, 0);
}

static void
test_rsa_sha1_allowed (void)
{
  const char * const overrides[] = { "PubkeyAcceptedAlgorithms +ssh-rsa", NULL };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;
  const char * const sha1_only[] = { "-o", "PubkeyAcceptedAlgorithms=ssh-rsa", NULL };

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (overrides);
  key = tw_test_sshd_make_key (sshd, "rsa", NULL);
  pub = tw_test_sshd_read_public_key (key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, content);

  report = run_probe (sshd, pub, NULL, ssh_port);
  g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "service-key-sha1"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, sha1_only), ==, 0);
}

/* No key given, or one that does not parse: skipped, saying why. */
static void
test_service_key_missing (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  {
    g_autoptr(TwReport) report = run_probe (sshd, NULL, NULL, ssh_port);
    g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_SKIP);
    assert_has (tw_test_check_summary (report, "service-key"), "No service key");
    g_assert_cmpint (tw_test_check_status (report, "service-key-sha1"), ==, TW_CHECK_STATUS_SKIP);
  }
  {
    g_autoptr(TwReport) report = run_probe (sshd, "ssh-ed25519 not-base64!", NULL, ssh_port);
    g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_SKIP);
    assert_has (tw_test_check_summary (report, "service-key"), "not valid");
  }
}

static const char * const login_only[] = { "login", NULL };

/* The admin's own login: password, key file with passphrase, agent —
 * even after the service key was refused on the same server. */
static void
test_login (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "ed25519", "secret phrase");
  pub = tw_test_sshd_read_public_key (key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, content);

  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_password (TW_TEST_PASSWORD);
    g_autoptr(TwReport) report = run_probe (sshd, NULL, creds, login_only);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
  }
  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_password ("wrong");
    g_autoptr(TwReport) report = run_probe (sshd, NULL, creds, login_only);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_FAIL);
    assert_has (tw_test_check_summary (report, "login"), "refused");
  }
  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, "secret phrase");
    g_autoptr(TwReport) report = NULL;
    g_autofree char *other = tw_test_sshd_make_key (sshd, "ed25519", NULL);
    g_autofree char *other_pub = tw_test_sshd_read_public_key (other);
    g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
    g_autoptr(GError) error = NULL;

    /* all checks: the refused service key must not spoil the login */
    tw_tunnel_set_service_key (tw_probe_get_tunnel (probe), other_pub);
    tw_probe_set_credentials (probe, creds);
    report = tw_test_run_probe (probe, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_FAIL);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
  }
  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, "wrong phrase");
    g_autoptr(TwReport) report = run_probe (sshd, NULL, creds, login_only);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_FAIL);
    assert_has (tw_test_check_hint (report, "login"), "passphrase");
  }
}

static void
test_login_agent (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;
  g_autofree char *sock = NULL;
  g_autofree char *old_sock = g_strdup (g_getenv ("SSH_AUTH_SOCK"));
  GPid agent = 0;

  if (!tw_test_sshd_can_run ())
    return;
  g_autofree char *agent_path = g_find_program_in_path ("ssh-agent");

  if (agent_path == NULL)
    {
      g_test_skip ("ssh-agent is needed");
      return;
    }
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, content);

  sock = g_build_filename (tw_test_sshd_get_dir (sshd), "agent.sock", NULL);
  {
    const char *argv[] = { "ssh-agent", "-D", "-a", sock, NULL };
    g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                  G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &agent, NULL));
    for (guint i = 0; i < 200 && !g_file_test (sock, G_FILE_TEST_EXISTS); i++)
      g_usleep (10 * 1000);
  }
  g_setenv ("SSH_AUTH_SOCK", sock, TRUE);
  {
    const char *argv[] = { "ssh-add", "-q", key, NULL };
    int status = 0;
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_agent ();
    g_autoptr(TwReport) report = run_probe (sshd, NULL, creds, login_only);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
    assert_has (tw_test_check_summary (report, "login"), "agent");
  }

  kill (agent, SIGTERM);
  g_spawn_close_pid (agent);
  if (old_sock != NULL)
    g_setenv ("SSH_AUTH_SOCK", old_sock, TRUE);
  else
    g_unsetenv ("SSH_AUTH_SOCK");
}

/* Password login through keyboard-interactive (PAM), when the server has
 * plain "password" turned off. */
static void
test_login_keyboard_interactive (void)
{
  const char * const overrides[] = {
    "UsePAM yes", "KbdInteractiveAuthentication yes", "PasswordAuthentication no", NULL
  };
  g_autoptr(TwTestSshd) sshd = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (overrides);
  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_password (TW_TEST_PASSWORD);
    g_autoptr(TwReport) report = run_probe (sshd, NULL, creds, login_only);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
  }
  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_password ("wrong");
    g_autoptr(TwReport) report = run_probe (sshd, NULL, creds, login_only);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_FAIL);
  }
}

/* Cancel while PAM holds a refused password (its delay is ~2 s): the
 * callback still comes at once. */
static void
test_cancel_during_auth (void)
{
  const char * const overrides[] = {
    "UsePAM yes", "KbdInteractiveAuthentication yes", "PasswordAuthentication no", NULL
  };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwCredentials) creds = tw_credentials_new_password ("wrong");
  g_autoptr(TwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  double callback_ms = -1;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (overrides);
  probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
  tw_probe_set_credentials (probe, creds);
  tw_probe_set_checks (probe, login_only);
  report = tw_test_run_probe (probe, 400, &callback_ms, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancel in auth → callback: %.2f ms", callback_ms);
  g_assert_cmpfloat (callback_ms, >=, 0);
  g_assert_cmpfloat (callback_ms, <, 1000);
  g_assert_cmpint (tw_test_check_status (tw_probe_get_report (probe), "login"), ==, TW_CHECK_STATUS_SKIP);
}

/* Every session's socket is closed after a run, whatever the path through
 * the checks (fresh sessions for SHA-1 and login, a failed forward). */
static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_no_fd_leak (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;
  guint before;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "rsa", NULL);
  pub = tw_test_sshd_read_public_key (key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, content);

  before = count_fds ();
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
      g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, NULL);
      g_autoptr(TwReport) report = NULL;
      g_autoptr(GError) error = NULL;

      tw_tunnel_set_service_key (tw_probe_get_tunnel (probe), pub);
      tw_tunnel_set_dest_host (tw_probe_get_tunnel (probe), "127.0.0.1");
      tw_tunnel_set_dest_port (tw_probe_get_tunnel (probe), tw_test_free_port ());
      tw_probe_set_credentials (probe, creds);
      report = tw_test_run_probe (probe, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (tw_test_check_status (report, "service-key-sha1"), ==, TW_CHECK_STATUS_WARN);
      g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
      g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_FAIL);
    }
  g_assert_cmpuint (count_fds (), ==, before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe/service-key/accepted", test_service_key_accepted);
  g_test_add_func ("/probe/service-key/refused", test_service_key_refused);
  g_test_add_func ("/probe/service-key/strict-modes", test_service_key_strict_modes);
  g_test_add_func ("/probe/service-key/missing", test_service_key_missing);
  g_test_add_func ("/probe/auth-methods/no-publickey", test_auth_methods_no_publickey);
  g_test_add_func ("/probe/service-key-sha1/refused", test_rsa_sha1);
  g_test_add_func ("/probe/service-key-sha1/allowed", test_rsa_sha1_allowed);
  g_test_add_func ("/probe/login/password-and-key", test_login);
  g_test_add_func ("/probe/login/agent", test_login_agent);
  g_test_add_func ("/probe/login/keyboard-interactive", test_login_keyboard_interactive);
  g_test_add_func ("/probe/cancel/auth", test_cancel_during_auth);
  g_test_add_func ("/probe/sessions/no-fd-leak", test_no_fd_leak);

  return g_test_run ();
}
