/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SSH-port checks against a real sshd: resolve, connect, banner, kex and
 * the host key, compared with ssh-keygen's own view of the key.
 */
#include "config.h"

#include "tw-core.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

static const char * const ssh_only[] = { "resolve", "connect", "banner", "kex", "host-key", NULL };

static TwReport *
probe_host_key (TwTestSshd *sshd,
                const char *expected,
                const char *known_hosts)
{
  g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10,
                                                tw_test_sshd_get_dir (sshd));
  g_autoptr(GError) error = NULL;
  TwReport *report;

  tw_probe_set_checks (probe, ssh_only);
  tw_probe_set_expected_fingerprint (probe, expected);
  if (known_hosts != NULL)
    tw_probe_set_known_hosts_file (probe, known_hosts);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  return report;
}

/* A healthy server, nothing to compare with: every step passes, the key is
 * shown exactly as ssh-keygen shows it, and the admin is told to compare. */
static void
test_host_key_unknown (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwReport) report = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  report = probe_host_key (sshd, NULL, NULL);

  g_assert_cmpint (tw_test_check_status (report, "resolve"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "connect"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "kex"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_WARN);
  g_assert_true (g_str_has_prefix (tw_report_get_server_software (report), "OpenSSH_"));
  g_assert_true (g_str_has_prefix (tw_report_get_server_banner (report), "SSH-2.0-OpenSSH_"));
  g_assert_cmpstr (tw_report_get_host_key_type (report), ==, "ssh-ed25519");
  g_assert_cmpstr (tw_report_get_host_key_fingerprint (report), ==, tw_test_sshd_get_fingerprint (sshd));
  g_assert_cmpstr (tw_report_get_host_key_randomart (report), ==, tw_test_sshd_get_randomart (sshd));
  g_assert_cmpint (tw_report_get_known_hosts_status (report), ==, TW_KNOWN_HOSTS_UNKNOWN);
  g_assert_cmpint (tw_report_get_verdict (report), ==, TW_CHECK_STATUS_WARN);
  g_assert_true (tw_report_get_finished (report));
}

/* The fingerprint as the service shows it, bare, or in MD5 colon-hex. */
static void
test_host_key_expected (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  const char *fp;
  g_autofree char *bare = NULL;
  g_autofree char *md5 = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  fp = tw_test_sshd_get_fingerprint (sshd);
  bare = g_strdup (fp + strlen ("SHA256:"));
  {
    g_autofree char *pub = g_build_filename (tw_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);
    const char *argv[] = { "ssh-keygen", "-E", "md5", "-lf", pub, NULL };
    g_autofree char *out = NULL;
    g_auto(GStrv) fields = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out, NULL, NULL, NULL));
    fields = g_strsplit (out, " ", 3);
    md5 = g_strdup (fields[1]);   /* "MD5:ab:cd:…" */
  }

  for (guint i = 0; i < 4; i++)
    {
      const char *expected[] = { fp, bare, md5, md5 + strlen ("MD5:") };
      g_autoptr(TwReport) report = probe_host_key (sshd, expected[i], NULL);

      g_test_message ("expected: %s", expected[i]);
      g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_PASS);
    }
}

/* Another key's fingerprint: a failure, and the server gets nothing more. */
static void
test_host_key_mismatch (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
  tw_probe_set_expected_fingerprint (probe, "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (tw_test_check_hint (report, "host-key"), "Nothing more was sent"));
  g_assert_cmpint (tw_test_check_status (report, "auth-methods"), ==, TW_CHECK_STATUS_SKIP);
  g_assert_cmpint (tw_test_check_status (report, "service-key"), ==, TW_CHECK_STATUS_SKIP);
  g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_SKIP);
  g_assert_cmpint (tw_report_get_verdict (report), ==, TW_CHECK_STATUS_FAIL);
  {
    /* No authentication request reached sshd */
    g_autofree char *log = tw_test_sshd_get_log (sshd);
    g_assert_null (strstr (log, "Failed none"));
    g_assert_null (strstr (log, "userauth"));
  }
}

/* known_hosts: this key → known; another key for the host → CHANGED, a
 * failure; the tunnel step (login) is blocked by the hidden host-key check. */
static void
test_host_key_known_hosts (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *same = NULL;
  g_autofree char *other = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);

  same = tw_test_sshd_write_known_hosts (sshd, tw_test_sshd_get_host_key_line (sshd));
  {
    g_autoptr(TwReport) report = probe_host_key (sshd, NULL, same);

    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_PASS);
    g_assert_cmpint (tw_report_get_known_hosts_status (report), ==, TW_KNOWN_HOSTS_KNOWN);
  }

  other = tw_test_sshd_write_known_hosts (sshd, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
  {
    g_autoptr(TwReport) report = probe_host_key (sshd, NULL, other);

    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_FAIL);
    g_assert_cmpint (tw_report_get_known_hosts_status (report), ==, TW_KNOWN_HOSTS_CHANGED);
  }

  /* The window's second step: only the checks through the tunnel are shown */
  {
    g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
    g_autoptr(TwCredentials) creds = tw_credentials_new_password (TW_TEST_PASSWORD);
    g_autoptr(TwReport) report = NULL;
    g_autoptr(GError) error = NULL;

    tw_probe_set_checks (probe, tw_probe_get_tunnel_check_ids ());
    tw_probe_set_known_hosts_file (probe, other);
    tw_probe_set_credentials (probe, creds);
    report = tw_test_run_probe (probe, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (tw_report_get_check (report, "host-key"));
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_FAIL);
    g_assert_nonnull (strstr (tw_test_check_summary (report, "login"), "CHANGED"));
    g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_SKIP);
  }
}

/* The fingerprint pinned in the saved tunnel; the server's key swapped
 * since (another server answers there now): blocked. */
static void
test_host_key_pinned_swapped (void)
{
  g_autoptr(TwTestSshd) first = NULL;
  g_autoptr(TwTestSshd) second = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  first = tw_test_sshd_start (NULL);
  second = tw_test_sshd_start (NULL);
  g_assert_cmpstr (tw_test_sshd_get_fingerprint (first), !=, tw_test_sshd_get_fingerprint (second));

  probe = tw_test_probe_new (tw_test_sshd_get_port (first), 10, tw_test_sshd_get_dir (first));
  tw_tunnel_set_pinned_fingerprint (tw_probe_get_tunnel (probe), tw_test_sshd_get_fingerprint (first));
  {
    g_autoptr(TwReport) report = tw_test_run_probe (probe, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_PASS);
  }

  tw_tunnel_set_ssh_port (tw_probe_get_tunnel (probe), tw_test_sshd_get_port (second));
  {
    g_autoptr(TwReport) report = tw_test_run_probe (probe, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_FAIL);
    g_assert_cmpint (tw_test_check_status (report, "auth-methods"), ==, TW_CHECK_STATUS_SKIP);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe/host-key/unknown", test_host_key_unknown);
  g_test_add_func ("/probe/host-key/expected", test_host_key_expected);
  g_test_add_func ("/probe/host-key/mismatch", test_host_key_mismatch);
  g_test_add_func ("/probe/host-key/known-hosts", test_host_key_known_hosts);
  g_test_add_func ("/probe/host-key/pinned-swapped", test_host_key_pinned_swapped);

  return g_test_run ();
}
