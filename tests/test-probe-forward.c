/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * forward: the direct-tcpip channel to the destination, with `ssh -W` as the
 * oracle: allowed, prohibited (AllowTcpForwarding, PermitOpen matching the
 * text literally) and unreachable destinations told apart.
 */
#include "config.h"

#include <string.h>

#include "tw-core.h"
#include "tw-test-badserver.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

static const char * const tunnel_checks[] = { "login", "forward", NULL };

typedef struct
{
  TwTestSshd      *sshd;
  TwTestBadserver *dest;
  char            *key;
} Fixture;

static void
fixture_start (Fixture            *fixture,
               const char * const *overrides)
{
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;

  fixture->sshd = tw_test_sshd_start (overrides);
  fixture->dest = tw_test_badserver_new (TW_BAD_GREETING);
  fixture->key = tw_test_sshd_make_key (fixture->sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (fixture->key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (fixture->sshd, content);
}

static void
fixture_stop (Fixture *fixture)
{
  g_clear_pointer (&fixture->sshd, tw_test_sshd_stop);
  g_clear_pointer (&fixture->dest, tw_test_badserver_free);
  g_clear_pointer (&fixture->key, g_free);
}

static TwReport *
probe_forward (Fixture    *fixture,
               const char *dest_host,
               guint       dest_port)
{
  g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (fixture->sshd), 10,
                                                tw_test_sshd_get_dir (fixture->sshd));
  g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (fixture->key, NULL);
  g_autoptr(GError) error = NULL;
  TwReport *report;

  tw_tunnel_set_dest_host (tw_probe_get_tunnel (probe), dest_host);
  tw_tunnel_set_dest_port (tw_probe_get_tunnel (probe), dest_port);
  tw_tunnel_set_dest_kind (tw_probe_get_tunnel (probe), TW_DEST_KIND_TCP);
  tw_probe_set_credentials (probe, creds);
  tw_probe_set_checks (probe, tunnel_checks);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
  return report;
}

static int
oracle_w (Fixture    *fixture,
          const char *dest_host,
          guint       dest_port)
{
  g_autofree char *target = g_strdup_printf ("%s:%u", dest_host, dest_port);
  const char * const extra[] = { "-W", target, NULL };

  return tw_test_sshd_run_ssh (fixture->sshd, fixture->key, extra);
}

static void
assert_has (const char *text,
            const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text ? text : "(null)", needle);
}

static void
test_forward_ok (void)
{
  Fixture fixture = { 0 };
  g_autoptr(TwReport) report = NULL;
  guint port;

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture, NULL);
  port = tw_test_badserver_get_port (fixture.dest);

  report = probe_forward (&fixture, "127.0.0.1", port);
  g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (oracle_w (&fixture, "127.0.0.1", port), ==, 0);
  fixture_stop (&fixture);
}

static void
test_forward_prohibited (void)
{
  const char * const overrides[] = { "AllowTcpForwarding no", NULL };
  Fixture fixture = { 0 };
  g_autoptr(TwReport) report = NULL;
  guint port;

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture, overrides);
  port = tw_test_badserver_get_port (fixture.dest);

  report = probe_forward (&fixture, "127.0.0.1", port);
  g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_FAIL);
  assert_has (tw_test_check_summary (report, "forward"), "administratively prohibited");
  assert_has (tw_test_check_hint (report, "forward"), "AllowTcpForwarding");
  g_assert_cmpint (oracle_w (&fixture, "127.0.0.1", port), !=, 0);
  fixture_stop (&fixture);
}

/* PermitOpen compares text: "localhost:P" does not admit "127.0.0.1:P". */
static void
test_forward_permit_open_literal (void)
{
  Fixture fixture = { 0 };
  g_autofree char *permit = NULL;
  guint port;

  if (!tw_test_sshd_can_run ())
    return;
  /* the port is needed in the config: take the destination first */
  {
    g_autoptr(TwTestBadserver) dest = tw_test_badserver_new (TW_BAD_GREETING);
    const char *overrides[] = { NULL, NULL };

    port = tw_test_badserver_get_port (dest);
    permit = g_strdup_printf ("PermitOpen localhost:%u", port);
    overrides[0] = permit;
    fixture_start (&fixture, overrides);
    tw_test_badserver_free (fixture.dest);
    fixture.dest = g_steal_pointer (&dest);
  }

  {
    g_autoptr(TwReport) report = probe_forward (&fixture, "127.0.0.1", port);
    g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_FAIL);
    assert_has (tw_test_check_summary (report, "forward"), "administratively prohibited");
    assert_has (tw_test_check_hint (report, "forward"), "PermitOpen");
    g_assert_cmpint (oracle_w (&fixture, "127.0.0.1", port), !=, 0);
  }
  {
    g_autoptr(TwReport) report = probe_forward (&fixture, "localhost", port);
    g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_PASS);
    g_assert_cmpint (oracle_w (&fixture, "localhost", port), ==, 0);
  }
  fixture_stop (&fixture);
}

/* Allowed, but nothing listens at the destination: "connect failed". */
static void
test_forward_connect_failed (void)
{
  Fixture fixture = { 0 };
  g_autoptr(TwReport) report = NULL;
  guint port = tw_test_free_port ();

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture, NULL);

  report = probe_forward (&fixture, "127.0.0.1", port);
  g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_FAIL);
  assert_has (tw_test_check_summary (report, "forward"), "cannot reach");
  assert_has (tw_test_check_hint (report, "forward"), "nc -zv");
  g_assert_cmpint (oracle_w (&fixture, "127.0.0.1", port), !=, 0);
  fixture_stop (&fixture);
}

/* No credentials: login and forward are skipped with the reason. */
static void
test_forward_without_login (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autoptr(GError) error = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
  tw_tunnel_set_dest_host (tw_probe_get_tunnel (probe), "127.0.0.1");
  tw_probe_set_checks (probe, tunnel_checks);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_SKIP);
  g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_SKIP);
  assert_has (tw_test_check_summary (report, "forward"), "No login credentials");
  g_assert_cmpint (tw_report_get_verdict (report), ==, TW_CHECK_STATUS_SKIP);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe/forward/ok", test_forward_ok);
  g_test_add_func ("/probe/forward/prohibited", test_forward_prohibited);
  g_test_add_func ("/probe/forward/permit-open-literal", test_forward_permit_open_literal);
  g_test_add_func ("/probe/forward/connect-failed", test_forward_connect_failed);
  g_test_add_func ("/probe/forward/without-login", test_forward_without_login);

  return g_test_run ();
}
