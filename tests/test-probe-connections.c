/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * connections: N SSH connections at once, each with its own key exchange,
 * login and forward, as the service opens them. sshd's own log is the
 * oracle for why some were dropped.
 */
#include "config.h"

#include <string.h>

#include "tw-core.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

typedef struct {
  const char    *path;
  const char    *overrides[2];
  guint          n;
  TwTestExpect   expect;
  const char    *sshd_log_has;
} ConnectionsCase;

static const ConnectionsCase cases[] = {
  { "/probe/connections/pass", { NULL }, 6,
    { "connections", TW_CHECK_STATUS_PASS, "6 SSH connections at once, each logged in as “" TW_TEST_USER "”" } },
  /* From the third connection waiting for its login on, every one is dropped
   * (how many of the six get through depends on what sshd still counts from
   * the checks before). */
  { "/probe/connections/max-startups", { "MaxStartups 3:100:3" }, 6,
    { "connections", TW_CHECK_STATUS_FAIL, "of 6 SSH connections at once got through", "MaxStartups" },
    "past MaxStartups" },
  /* Only one connection may wait for its login (sshd may still count the
   * login check's own for a moment, so none may get through). */
  { "/probe/connections/max-startups-1", { "MaxStartups 1:100:1" }, 4,
    { "connections", TW_CHECK_STATUS_FAIL, "of 4 SSH connections at once got through", "MaxStartups" },
    "past MaxStartups" },
};

static void
test_connections (gconstpointer data)
{
  const ConnectionsCase *c = data;
  const char * const only[] = { "connections", NULL };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwCredentials) creds = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL, *pub = NULL, *authorized = NULL, *log = NULL;
  TwTestEcho *echo;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (c->overrides);
  /* sshd still counts the rig's probe of its port for a moment */
  g_usleep (300 * 1000);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  authorized = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, authorized);
  echo = tw_test_echo_start ();

  probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
  tw_tunnel_set_dest_host (tw_probe_get_tunnel (probe), "127.0.0.1");
  tw_tunnel_set_dest_port (tw_probe_get_tunnel (probe), tw_test_echo_get_port (echo));
  creds = tw_credentials_new_identity_file (key, NULL);
  tw_probe_set_credentials (probe, creds);
  tw_probe_set_channels (probe, c->n);
  tw_probe_set_checks (probe, only);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", tw_test_check_detail (report, "connections") ?: "");
  tw_test_assert_checks (report, &c->expect, 1);

  log = tw_test_sshd_get_log (sshd);
  if (c->sshd_log_has != NULL)
    tw_test_assert_has (log, c->sshd_log_has);
  else
    g_assert_null (strstr (log, "MaxStartups"));
  tw_test_echo_stop (echo);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_connections);

  return g_test_run ();
}
