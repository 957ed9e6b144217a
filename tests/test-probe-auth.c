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

/* What the OpenSSH client does with the service key: the oracle. */
typedef enum {
  NOT_ASKED,
  GETS_IN,
  REFUSED,
} Oracle;

/* What ends up in authorized_keys */
typedef enum {
  INSTALL_KEY,           /* the service key on one line */
  INSTALL_OTHER_KEY,     /* another key only */
  INSTALL_BROKEN_LINE,   /* the service key, broken over two lines as a bad paste does */
  INSTALL_NOTHING,
} Install;

typedef struct {
  const char    *path;
  const char    *overrides[2];
  const char    *key_type;
  Install        install;
  guint          authorized_keys_mode;   /* 0: the rig's 0644 */
  const char    *service_key_text;       /* given instead of the key made ("" for none) */
  TwTestExpect   expect[4];
  TwCheckStatus  verdict;                /* PENDING: not looked at */
  Oracle         ssh;                    /* the client as it comes */
  Oracle         ssh_sha1_only;          /* the client offering ssh-rsa (SHA-1) only */
} ServiceKeyCase;

static const ServiceKeyCase service_key_cases[] = {
  { "/probe/service-key/accepted", { NULL }, "ed25519", INSTALL_KEY, 0, NULL,
    { { "auth-methods", TW_CHECK_STATUS_PASS, "publickey" },
      { "service-key", TW_CHECK_STATUS_PASS },
      { "service-key-sha1", TW_CHECK_STATUS_SKIP, "Not an RSA key" } },
    TW_CHECK_STATUS_PENDING, GETS_IN, NOT_ASKED },
  /* each failure cause the hint names, as the OpenSSH client sees it too */
  { "/probe/service-key/refused/other-key", { NULL }, "ed25519", INSTALL_OTHER_KEY, 0, NULL,
    { { "service-key", TW_CHECK_STATUS_FAIL, NULL, "1. The key is not in", "publickey" } },
    TW_CHECK_STATUS_PENDING, REFUSED, NOT_ASKED },
  { "/probe/service-key/refused/line-break", { NULL }, "ed25519", INSTALL_BROKEN_LINE, 0, NULL,
    { { "service-key", TW_CHECK_STATUS_FAIL, NULL, "line breaks" } },
    TW_CHECK_STATUS_PENDING, REFUSED, NOT_ASKED },
  { "/probe/service-key/strict-modes/ok", { "StrictModes yes" }, "ed25519", INSTALL_KEY, 0, NULL,
    { { "service-key", TW_CHECK_STATUS_PASS } },
    TW_CHECK_STATUS_PENDING, GETS_IN, NOT_ASKED },
  /* StrictModes: a group-writable authorized_keys is ignored */
  { "/probe/service-key/strict-modes/group-writable", { "StrictModes yes" }, "ed25519", INSTALL_KEY, 0664,
    NULL,
    { { "service-key", TW_CHECK_STATUS_FAIL, NULL, "StrictModes" } },
    TW_CHECK_STATUS_PENDING, REFUSED, NOT_ASKED },
  /* no key given, or one that does not parse: skipped, saying why */
  { "/probe/service-key/missing", { NULL }, "ed25519", INSTALL_NOTHING, 0, "",
    { { "service-key", TW_CHECK_STATUS_SKIP, "No service key" },
      { "service-key-sha1", TW_CHECK_STATUS_SKIP } },
    TW_CHECK_STATUS_PENDING, NOT_ASKED, NOT_ASKED },
  { "/probe/service-key/not-valid", { NULL }, "ed25519", INSTALL_NOTHING, 0, "ssh-ed25519 not-base64!",
    { { "service-key", TW_CHECK_STATUS_SKIP, "not valid" } },
    TW_CHECK_STATUS_PENDING, NOT_ASKED, NOT_ASKED },
  /* no publickey offered at all: auth-methods fails, service-key is skipped */
  { "/probe/auth-methods/no-publickey", { "PubkeyAuthentication no" }, "ed25519", INSTALL_NOTHING, 0, NULL,
    { { "auth-methods", TW_CHECK_STATUS_FAIL, NULL, "PubkeyAuthentication yes" },
      { "service-key", TW_CHECK_STATUS_SKIP } },
    TW_CHECK_STATUS_PENDING, NOT_ASKED, NOT_ASKED },
  /* RSA on a default OpenSSH 8.8+: accepted with SHA-2 (service-key passes,
   * which libssh gets wrong without server-sig-algs), refused with SHA-1 */
  { "/probe/service-key-sha1/refused", { NULL }, "rsa", INSTALL_KEY, 0, NULL,
    { { "service-key", TW_CHECK_STATUS_PASS },
      { "service-key-sha1", TW_CHECK_STATUS_WARN, NULL, "PubkeyAcceptedAlgorithms +ssh-rsa" } },
    TW_CHECK_STATUS_WARN, GETS_IN, REFUSED },
  { "/probe/service-key-sha1/allowed", { "PubkeyAcceptedAlgorithms +ssh-rsa" }, "rsa", INSTALL_KEY, 0, NULL,
    { { "service-key", TW_CHECK_STATUS_PASS },
      { "service-key-sha1", TW_CHECK_STATUS_PASS } },
    TW_CHECK_STATUS_PENDING, GETS_IN, GETS_IN },
};

static void
assert_oracle (TwTestSshd         *sshd,
               const char         *key,
               const char * const *extra,
               Oracle              expected)
{
  if (expected == NOT_ASKED)
    return;
  if (expected == GETS_IN)
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, extra), ==, 0);
  else
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, extra), !=, 0);
}

static void
test_service_key (gconstpointer data)
{
  const ServiceKeyCase *c = data;
  const char * const sha1_only[] = { "-o", "PubkeyAcceptedAlgorithms=ssh-rsa", NULL };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *installed = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (c->overrides);
  key = tw_test_sshd_make_key (sshd, c->key_type, NULL);
  pub = tw_test_sshd_read_public_key (key);
  switch (c->install)
    {
    case INSTALL_KEY:
      installed = g_strconcat (pub, "\n", NULL);
      break;
    case INSTALL_OTHER_KEY:
      {
        g_autofree char *other = tw_test_sshd_make_key (sshd, c->key_type, NULL);
        g_autofree char *other_pub = tw_test_sshd_read_public_key (other);

        installed = g_strconcat (other_pub, "\n", NULL);
      }
      break;
    case INSTALL_BROKEN_LINE:
      installed = g_strdup_printf ("%.*s\n%s\n", (int) strlen (pub) / 2, pub, pub + strlen (pub) / 2);
      break;
    case INSTALL_NOTHING:
      installed = g_strdup ("");
      break;
    }
  tw_test_sshd_set_authorized_keys (sshd, installed);
  if (c->authorized_keys_mode != 0)
    g_assert_cmpint (g_chmod (tw_test_sshd_get_authorized_keys (sshd), c->authorized_keys_mode), ==, 0);

  report = run_probe (sshd, c->service_key_text == NULL ? pub :
                            *c->service_key_text == '\0' ? NULL : c->service_key_text,
                      NULL, ssh_port);
  tw_test_assert_checks (report, c->expect, G_N_ELEMENTS (c->expect));
  if (c->verdict != TW_CHECK_STATUS_PENDING)
    g_assert_cmpint (tw_report_get_verdict (report), ==, c->verdict);
  assert_oracle (sshd, key, NULL, c->ssh);
  assert_oracle (sshd, key, sha1_only, c->ssh_sha1_only);
}

/* The causes of a refused key, most likely first. */
static void
test_service_key_hint_order (void)
{
  static const char * const causes[] = {
    "1. The key is not in", "line breaks", "StrictModes", "Another user", "AuthorizedKeysFile",
    "algorithm is refused", "from=",
  };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  const char *hint;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  report = run_probe (sshd, pub, NULL, ssh_port);
  hint = tw_test_check_hint (report, "service-key");
  for (guint i = 0; i + 1 < G_N_ELEMENTS (causes); i++)
    {
      tw_test_assert_has (hint, causes[i + 1]);
      g_assert_true (strstr (hint, causes[i]) < strstr (hint, causes[i + 1]));
    }
}

static const char * const login_only[] = { "login", NULL };

typedef enum {
  LOGIN_PASSWORD,
  LOGIN_KEY_FILE,        /* the key made for the case, with passphrase "secret phrase" */
} LoginWith;

/* The admin's own login: password (plain or through PAM's
 * keyboard-interactive), key file with passphrase. */
typedef struct {
  const char    *path;
  const char    *overrides[4];
  LoginWith      with;
  const char    *secret;
  TwTestExpect   expect;
} LoginCase;

#define PAM_ONLY { "UsePAM yes", "KbdInteractiveAuthentication yes", "PasswordAuthentication no" }

static const LoginCase login_cases[] = {
  { "/probe/login/password", { NULL }, LOGIN_PASSWORD, TW_TEST_PASSWORD,
    { "login", TW_CHECK_STATUS_PASS } },
  { "/probe/login/password-wrong", { NULL }, LOGIN_PASSWORD, "wrong",
    { "login", TW_CHECK_STATUS_FAIL, "refused" } },
  { "/probe/login/key-file", { NULL }, LOGIN_KEY_FILE, "secret phrase",
    { "login", TW_CHECK_STATUS_PASS } },
  { "/probe/login/key-file-wrong-passphrase", { NULL }, LOGIN_KEY_FILE, "wrong phrase",
    { "login", TW_CHECK_STATUS_FAIL, NULL, "passphrase" } },
  /* plain "password" turned off on the server */
  { "/probe/login/keyboard-interactive", PAM_ONLY, LOGIN_PASSWORD, TW_TEST_PASSWORD,
    { "login", TW_CHECK_STATUS_PASS } },
  { "/probe/login/keyboard-interactive-wrong", PAM_ONLY, LOGIN_PASSWORD, "wrong",
    { "login", TW_CHECK_STATUS_FAIL } },
};

static void
test_login (gconstpointer data)
{
  const LoginCase *c = data;
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwCredentials) creds = NULL;
  g_autoptr(TwReport) report = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (c->overrides);
  if (c->with == LOGIN_KEY_FILE)
    {
      g_autofree char *key = tw_test_sshd_make_key (sshd, "ed25519", "secret phrase");
      g_autofree char *pub = tw_test_sshd_read_public_key (key);
      g_autofree char *content = g_strconcat (pub, "\n", NULL);

      tw_test_sshd_set_authorized_keys (sshd, content);
      creds = tw_credentials_new_identity_file (key, c->secret);
    }
  else
    creds = tw_credentials_new_password (c->secret);

  report = run_probe (sshd, NULL, creds, login_only);
  tw_test_assert_checks (report, &c->expect, 1);
}

/* All checks: a refused service key must not spoil the admin's login on
 * the same server. */
static void
test_login_after_refused_service_key (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwCredentials) creds = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;
  g_autofree char *other = NULL;
  g_autofree char *other_pub = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "ed25519", "secret phrase");
  pub = tw_test_sshd_read_public_key (key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, content);
  other = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  other_pub = tw_test_sshd_read_public_key (other);
  creds = tw_credentials_new_identity_file (key, "secret phrase");

  report = run_probe (sshd, other_pub, creds, NULL);
  g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_FAIL);
  g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
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
    tw_test_assert_has (tw_test_check_summary (report, "login"), "agent");
  }

  kill (agent, SIGTERM);
  g_spawn_close_pid (agent);
  if (old_sock != NULL)
    g_setenv ("SSH_AUTH_SOCK", old_sock, TRUE);
  else
    g_unsetenv ("SSH_AUTH_SOCK");
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

  for (guint i = 0; i < G_N_ELEMENTS (service_key_cases); i++)
    g_test_add_data_func (service_key_cases[i].path, &service_key_cases[i], test_service_key);
  g_test_add_func ("/probe/service-key/hint-order", test_service_key_hint_order);
  for (guint i = 0; i < G_N_ELEMENTS (login_cases); i++)
    g_test_add_data_func (login_cases[i].path, &login_cases[i], test_login);
  g_test_add_func ("/probe/login/after-refused-service-key", test_login_after_refused_service_key);
  g_test_add_func ("/probe/login/agent", test_login_agent);
    g_test_add_func ("/probe/cancel/auth", test_cancel_during_auth);
  g_test_add_func ("/probe/sessions/no-fd-leak", test_no_fd_leak);

  return g_test_run ();
}
