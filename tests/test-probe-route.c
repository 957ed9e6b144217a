/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin's own login the way their ssh already works: a user
 * certificate signed by a CA that sshd trusts (TrustedUserCAKeys), beside
 * the key or named by CertificateFile; and ProxyJump, through one or two
 * jump hosts, to a bastion this computer cannot reach directly. Real sshd
 * on loopback; the OpenSSH client says the same.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>

#include "tw-core.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

static const char * const login_only[] = { "login", NULL };
static const char * const login_forward[] = { "login", "forward", NULL };

static void
assert_has (const char *text,
            const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text ? text : "(null)", needle);
}

static void
run_tool (const char * const *argv)
{
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

/* ssh-keygen -s: a user certificate for @principal, valid for an hour */
static char *
sign_user_key (const char *ca,
               const char *key,
               const char *principal,
               const char *cert_path)
{
  g_autofree char *pub = g_strconcat (key, ".pub", NULL);
  g_autofree char *made = g_strconcat (key, "-cert.pub", NULL);
  const char * const argv[] = { "ssh-keygen", "-q", "-s", ca, "-I", "tw-test-user", "-n", principal,
                                "-V", "-5m:+1h", pub, NULL };

  g_unlink (made);
  run_tool (argv);
  if (cert_path != NULL && g_strcmp0 (cert_path, made) != 0)
    g_assert_cmpint (g_rename (made, cert_path), ==, 0);
  return g_strdup (cert_path ? cert_path : made);
}

static TwReport *
run_login (TwTestSshd          *sshd,
           guint                port,
           TwCredentials       *creds,
           const char          *known_hosts,
           const char * const  *checks)
{
  g_autoptr(TwProbe) probe = tw_test_probe_new (port, 10, tw_test_sshd_get_dir (sshd));
  g_autoptr(GError) error = NULL;
  TwReport *report;

  tw_probe_set_credentials (probe, creds);
  tw_probe_set_checks (probe, checks);
  if (known_hosts != NULL)
    tw_probe_set_known_hosts_file (probe, known_hosts);
  tw_tunnel_set_dest_host (tw_probe_get_tunnel (probe), "127.0.0.1");
  tw_tunnel_set_dest_port (tw_probe_get_tunnel (probe), tw_test_sshd_get_port (sshd));
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  return report;
}

/* A user certificate: sshd trusts the CA, not the key */
static void
test_user_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ca_dir = NULL, *ca = NULL, *trusted = NULL, *key = NULL, *cert = NULL;
  g_autofree char *elsewhere = NULL, *config_path = NULL, *config_text = NULL;
  g_autoptr(TwTestSshd) sshd = NULL;

  if (!tw_test_sshd_can_run ())
    return;

  ca_dir = g_dir_make_tmp ("tw-ca-XXXXXX", &error);
  g_assert_no_error (error);
  ca = g_build_filename (ca_dir, "ca", NULL);
  {
    const char * const argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tw-test-ca", "-f", ca, NULL };
    run_tool (argv);
  }
  trusted = g_strdup_printf ("TrustedUserCAKeys %s.pub", ca);
  {
    const char * const overrides[] = { trusted, NULL };
    sshd = tw_test_sshd_start (overrides);
  }
  /* Nothing in authorized_keys: only the certificate can get in. */
  tw_test_sshd_set_authorized_keys (sshd, "");
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);

  /* Without a certificate: refused, by ssh too */
  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, NULL);
    g_autoptr(TwReport) report = run_login (sshd, tw_test_sshd_get_port (sshd), creds, NULL, login_only);

    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_FAIL);
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, NULL), !=, 0);
  }

  /* KEY-cert.pub beside the key, for this user: in, as with ssh -i KEY */
  cert = sign_user_key (ca, key, TW_TEST_USER, NULL);
  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, NULL);
    g_autoptr(TwReport) report = run_login (sshd, tw_test_sshd_get_port (sshd), creds, NULL, login_only);

    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
    assert_has (tw_test_check_summary (report, "login"), "certificate");
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, NULL), ==, 0);
  }

  /* A certificate for another principal: refused, by ssh too */
  g_free (sign_user_key (ca, key, "someone-else", NULL));
  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, NULL);
    g_autoptr(TwReport) report = run_login (sshd, tw_test_sshd_get_port (sshd), creds, NULL, login_only);

    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_FAIL);
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, NULL), !=, 0);
  }

  /* The right one kept elsewhere, named by CertificateFile in ssh_config;
   * the login "with my SSH settings" finds key and certificate there. */
  elsewhere = g_build_filename (ca_dir, "work-cert.pub", NULL);
  g_free (sign_user_key (ca, key, TW_TEST_USER, elsewhere));
  g_unlink (cert);
  config_path = g_build_filename (ca_dir, "ssh_config", NULL);
  config_text = g_strdup_printf ("Host 127.0.0.1\n  Port %u\n  User %s\n  IdentityFile %s\n  CertificateFile %s\n",
                                 tw_test_sshd_get_port (sshd), TW_TEST_USER, key, elsewhere);
  g_assert_true (g_file_set_contents (config_path, config_text, -1, NULL));
  {
    g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (config_path, "127.0.0.1", &error);
    g_autoptr(TwCredentials) creds = tw_credentials_new_agent ();
    g_autoptr(TwReport) report = NULL;
    g_autofree char *option = g_strdup_printf ("CertificateFile=%s", elsewhere);
    const char * const extra[] = { "-o", option, NULL };
    g_autofree char *agent = g_strdup (g_getenv ("SSH_AUTH_SOCK"));

    g_assert_no_error (error);
    g_unsetenv ("SSH_AUTH_SOCK");
    tw_credentials_set_ssh_config (creds, config);
    report = run_login (sshd, tw_test_sshd_get_port (sshd), creds, NULL, login_only);
    if (agent != NULL)
      g_setenv ("SSH_AUTH_SOCK", agent, TRUE);

    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
    assert_has (tw_test_check_summary (report, "login"), elsewhere);
    g_assert_cmpint (tw_test_sshd_run_ssh (sshd, key, extra), ==, 0);
  }

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", ca_dir);
    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  }
}

/* @member of the check @id in tunnel-check's JSON (lives as long as the test) */
static const char *
json_check (const char *json,
            const char *id,
            const char *member)
{
  static GPtrArray *keep;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *checks;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  checks = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "checks");
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "id"), id))
        {
          if (keep == NULL)
            keep = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (keep, g_strdup (json_object_get_string_member (check, member)));
          return g_ptr_array_index (keep, keep->len - 1);
        }
    }
  return NULL;
}

/* IdentityAgent: the agent the admin's ssh uses for this host, even when
 * $SSH_AUTH_SOCK is not set; "none" turns it off. */
static void
test_identity_agent (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *key = NULL, *pub = NULL, *sock = NULL, *agent_path = NULL;
  g_autofree char *old_sock = g_strdup (g_getenv ("SSH_AUTH_SOCK"));
  const char * const agents[] = { NULL, "none" };
  GPid agent = 0;

  if (!tw_test_sshd_can_run ())
    return;
  agent_path = g_find_program_in_path ("ssh-agent");
  if (agent_path == NULL)
    {
      g_test_skip ("ssh-agent is needed");
      return;
    }
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  tw_test_sshd_set_authorized_keys (sshd, pub);

  sock = g_build_filename (tw_test_sshd_get_dir (sshd), "work-agent.sock", NULL);
  {
    const char *argv[] = { "ssh-agent", "-D", "-a", sock, NULL };
    g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                  G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &agent, NULL));
    for (guint i = 0; i < 200 && !g_file_test (sock, G_FILE_TEST_EXISTS); i++)
      g_usleep (10 * 1000);
  }
  {
    g_autofree char *env_sock = g_strdup_printf ("SSH_AUTH_SOCK=%s", sock);
    const char *argv[] = { "ssh-add", "-q", key, NULL };
    const char *envp[] = { env_sock, NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  /* The key reaches the login only through the agent named in ssh_config */
  g_unsetenv ("SSH_AUTH_SOCK");

  for (guint i = 0; i < G_N_ELEMENTS (agents); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (tw_test_sshd_get_dir (sshd), "agent_config", NULL);
      g_autofree char *text = g_strdup_printf ("Host 127.0.0.1\n  Port %u\n  User %s\n  IdentityAgent %s\n"
                                               "  IdentityFile %s/nothing-here\n",
                                               tw_test_sshd_get_port (sshd), TW_TEST_USER,
                                               agents[i] ? agents[i] : sock, tw_test_sshd_get_dir (sshd));
      g_autoptr(TwSshConfig) config = NULL;
      g_autoptr(TwCredentials) creds = tw_credentials_new_agent ();
      g_autoptr(TwReport) report = NULL;

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      config = tw_ssh_config_resolve (path, "127.0.0.1", &error);
      g_assert_no_error (error);
      tw_credentials_set_ssh_config (creds, config);
      report = run_login (sshd, tw_test_sshd_get_port (sshd), creds, NULL, login_only);
      if (agents[i] == NULL)
        {
          g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
          assert_has (tw_test_check_summary (report, "login"), "agent");
        }
      else
        g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_FAIL);
    }

  kill (agent, SIGTERM);
  g_spawn_close_pid (agent);
  if (old_sock != NULL)
    g_setenv ("SSH_AUTH_SOCK", old_sock, TRUE);
}

static char *
known_hosts_line (TwTestSshd *sshd)
{
  return g_strdup_printf ("[127.0.0.1]:%u %s\n", tw_test_sshd_get_port (sshd),
                          tw_test_sshd_get_host_key_line (sshd));
}

/* ProxyJump: the bastion's address as the service uses it does not answer
 * from here (nothing listens on that port); the admin's ssh_config says
 * "through the jump host", and only the jump sshd is reached directly. */
static void
test_proxy_jump (void)
{
  g_autoptr(TwTestSshd) jump = NULL;
  g_autoptr(TwTestSshd) bastion = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL, *line = NULL, *config_path = NULL, *config_text = NULL;
  g_autofree char *known = NULL, *known_text = NULL, *bastion_only = NULL, *bastion_line = NULL;
  g_autofree char *jump_line = NULL;
  const char * const debug[] = { "LogLevel DEBUG1", NULL };
  guint closed_port;

  if (!tw_test_sshd_can_run ())
    return;

  jump = tw_test_sshd_start (debug);
  bastion = tw_test_sshd_start (NULL);
  closed_port = tw_test_free_port ();
  key = tw_test_sshd_make_key (jump, "ed25519", NULL);
  line = tw_test_sshd_read_public_key (key);
  tw_test_sshd_set_authorized_keys (jump, line);
  tw_test_sshd_set_authorized_keys (bastion, line);

  config_path = g_build_filename (tw_test_sshd_get_dir (jump), "ssh_config", NULL);
  config_text = g_strdup_printf ("Host 127.0.0.1\n"
                                 "  Port %u\n"
                                 "  ProxyJump jumpy\n"
                                 "Host twohops\n"
                                 "  HostName 127.0.0.1\n"
                                 "  Port %u\n"
                                 "  ProxyJump jumpy,jumpy-again\n"
                                 "Host jumpy jumpy-again\n"
                                 "  HostName 127.0.0.1\n"
                                 "  Port %u\n"
                                 "Host *\n"
                                 "  User %s\n"
                                 "  IdentityFile %s\n",
                                 tw_test_sshd_get_port (bastion), tw_test_sshd_get_port (bastion),
                                 tw_test_sshd_get_port (jump), TW_TEST_USER, key);
  g_assert_true (g_file_set_contents (config_path, config_text, -1, NULL));

  bastion_line = known_hosts_line (bastion);
  jump_line = known_hosts_line (jump);
  known_text = g_strconcat (jump_line, bastion_line, NULL);
  known = g_build_filename (tw_test_sshd_get_dir (jump), "known_hosts_both", NULL);
  g_assert_true (g_file_set_contents (known, known_text, -1, NULL));
  bastion_only = g_build_filename (tw_test_sshd_get_dir (jump), "known_hosts_bastion", NULL);
  g_assert_true (g_file_set_contents (bastion_only, bastion_line, -1, NULL));

  /* Without the ssh_config: the bastion cannot be reached */
  {
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, NULL);
    g_autoptr(TwReport) report = run_login (jump, closed_port, creds, known, login_only);

    g_assert_cmpint (tw_test_check_status (report, "login"), !=, TW_CHECK_STATUS_PASS);
  }

  /* With it: through the jump host, login and forward pass */
  {
    g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (config_path, "127.0.0.1", &error);
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, NULL);
    g_autoptr(TwReport) report = NULL;
    g_autofree char *log = NULL;
    g_autofree char *target = g_strdup_printf ("target 127.0.0.1 port %u", tw_test_sshd_get_port (bastion));

    g_assert_no_error (error);
    tw_credentials_set_ssh_config (creds, config);
    report = run_login (jump, closed_port, creds, known, login_forward);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
    assert_has (tw_test_check_summary (report, "login"), "via jumpy");
    assert_has (tw_test_check_detail (report, "login"), "via jumpy");
    g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_PASS);

    /* The jump sshd opened the way to the bastion */
    log = tw_test_sshd_get_log (jump);
    assert_has (log, target);
  }

  /* Two hops: through the jump sshd, and from there through it again */
  {
    g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (config_path, "twohops", &error);
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, NULL);
    g_autoptr(TwReport) report = NULL;

    g_assert_no_error (error);
    tw_credentials_set_ssh_config (creds, config);
    report = run_login (jump, closed_port, creds, known, login_forward);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
    assert_has (tw_test_check_summary (report, "login"), "via jumpy, jumpy-again");
    g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_PASS);
  }

  /* The same from the command line, opted in with --ssh-config=FILE */
  {
    g_autofree char *port = g_strdup_printf ("%u", closed_port);
    g_autofree char *option = g_strdup_printf ("--ssh-config=%s", config_path);
    g_autofree char *dest = g_strdup_printf ("127.0.0.1:%u", tw_test_sshd_get_port (jump));
    g_autofree char *known_option = g_strdup_printf ("--known-hosts=%s", known);
    const char * const argv[] = { g_getenv ("TUNNEL_CHECK"), "probe", "--host", "127.0.0.1", "--port", port,
                                  "--user", TW_TEST_USER, option, known_option, "--dest", dest,
                                  "--dest-kind", "tcp", "--json", NULL };
    const char * const missing[] = { g_getenv ("TUNNEL_CHECK"), "probe", "--host", "127.0.0.1", "--user", "u",
                                     "--ssh-config=/nonexistent/ssh_config", NULL };
    const char * const spaced[] = { g_getenv ("TUNNEL_CHECK"), "probe", "--host", "127.0.0.1", "--user", "u",
                                    "--ssh-config", "/nonexistent/ssh_config", "--json", NULL };
    g_autofree char *out = NULL;
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &out, NULL, &status, NULL));
    /* the SSH port itself is closed: a failure, exit 1 */
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 1);
    g_assert_cmpstr (json_check (out, "login", "status"), ==, "pass");
    assert_has (json_check (out, "login", "detail"), "via jumpy");
    g_assert_cmpstr (json_check (out, "forward", "status"), ==, "pass");
    g_assert_cmpstr (json_check (out, "connect", "status"), ==, "fail");

    g_assert_true (g_spawn_sync (NULL, (char **) missing, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);
    g_assert_true (g_spawn_sync (NULL, (char **) spaced, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);
  }

  /* A jump host known_hosts does not vouch for is never used */
  {
    g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (config_path, "127.0.0.1", &error);
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, NULL);
    g_autoptr(TwReport) report = NULL;

    g_assert_no_error (error);
    tw_credentials_set_ssh_config (creds, config);
    report = run_login (jump, closed_port, creds, bastion_only, login_only);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_FAIL);
    assert_has (tw_test_check_summary (report, "login"), "Nothing vouches for the host key of jumpy");
  }

  /* Nor a bastion it does not vouch for, even through a known jump host */
  {
    g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (config_path, "127.0.0.1", &error);
    g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (key, NULL);
    g_autoptr(TwReport) report = NULL;
    g_autofree char *jump_only = g_build_filename (tw_test_sshd_get_dir (jump), "known_hosts_jump", NULL);

    g_assert_true (g_file_set_contents (jump_only, jump_line, -1, NULL));
    g_assert_no_error (error);
    tw_credentials_set_ssh_config (creds, config);
    report = run_login (jump, closed_port, creds, jump_only, login_only);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_FAIL);
    assert_has (tw_test_check_summary (report, "login"), "Nothing vouches");
    assert_has (tw_test_check_summary (report, "login"), "bastion");
  }
}

/* Cancelling while the TLS check waits on a destination that never answers,
 * through a jump host: the run ends at once, jump threads and all. */
static void
test_cancel_through_jump (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(GSocketAddress) silent_address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(TwSshConfig) config = NULL;
  g_autoptr(TwCredentials) creds = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autofree char *key = NULL, *line = NULL, *config_path = NULL, *config_text = NULL;
  g_autofree char *known = NULL, *known_text = NULL;
  const char * const checks[] = { "login", "forward", "tls", NULL };
  double callback_ms = -1;
  guint silent_port;

  if (!tw_test_sshd_can_run ())
    return;

  /* One sshd is both the jump host and the bastion behind it. */
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  line = tw_test_sshd_read_public_key (key);
  tw_test_sshd_set_authorized_keys (sshd, line);

  /* Accepts TCP (the kernel's backlog) and never says a word */
  silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);

    g_assert_true (g_socket_bind (silent, any, TRUE, &error));
    g_assert_true (g_socket_listen (silent, &error));
  }
  silent_address = g_socket_get_local_address (silent, &error);
  g_assert_no_error (error);
  silent_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (silent_address));

  config_path = g_build_filename (tw_test_sshd_get_dir (sshd), "ssh_config", NULL);
  config_text = g_strdup_printf ("Host 127.0.0.1\n  Port %u\n  ProxyJump jumpy\n"
                                 "Host jumpy\n  HostName 127.0.0.1\n  Port %u\n"
                                 "Host *\n  User %s\n  IdentityFile %s\n",
                                 tw_test_sshd_get_port (sshd), tw_test_sshd_get_port (sshd), TW_TEST_USER, key);
  g_assert_true (g_file_set_contents (config_path, config_text, -1, NULL));
  known = g_build_filename (tw_test_sshd_get_dir (sshd), "known_hosts_jump", NULL);
  known_text = known_hosts_line (sshd);
  g_assert_true (g_file_set_contents (known, known_text, -1, NULL));

  config = tw_ssh_config_resolve (config_path, "127.0.0.1", &error);
  g_assert_no_error (error);
  creds = tw_credentials_new_identity_file (key, NULL);
  tw_credentials_set_ssh_config (creds, config);

  probe = tw_test_probe_new (tw_test_free_port (), 10, tw_test_sshd_get_dir (sshd));
  tw_probe_set_credentials (probe, creds);
  tw_probe_set_checks (probe, checks);
  tw_probe_set_known_hosts_file (probe, known);
  tw_tunnel_set_dest_host (tw_probe_get_tunnel (probe), "127.0.0.1");
  tw_tunnel_set_dest_port (tw_probe_get_tunnel (probe), silent_port);
  tw_tunnel_set_dest_kind (tw_probe_get_tunnel (probe), TW_DEST_KIND_POSTGRES);

  report = tw_test_run_probe (probe, 1500, &callback_ms, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
  g_test_message ("run ended %.1f ms after the cancel", callback_ms);
  g_assert_cmpfloat (callback_ms, >=, 0);
  g_assert_cmpfloat (callback_ms, <, 1000);

  /* The cancel came while the TLS check waited inside the tunnel */
  g_assert_cmpint (tw_test_check_status (tw_probe_get_report (probe), "login"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (tw_probe_get_report (probe), "forward"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (tw_probe_get_report (probe), "tls"), ==, TW_CHECK_STATUS_SKIP);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe-route/user-certificate", test_user_certificate);
  g_test_add_func ("/probe-route/identity-agent", test_identity_agent);
  g_test_add_func ("/probe-route/proxy-jump", test_proxy_jump);
  g_test_add_func ("/probe-route/cancel-through-jump", test_cancel_through_jump);

  return g_test_run ();
}
