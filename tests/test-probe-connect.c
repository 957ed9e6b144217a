/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * resolve and connect: refused, black-holed and cancelled connections told
 * apart, each with its hint, within the timeout.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tw-core.h"
#include "tw-test-badserver.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

static const char * const ssh_port[] = { "resolve", "connect", "banner", "kex", "host-key", NULL };

static char *
make_dir (void)
{
  return g_dir_make_tmp ("tw-connect-XXXXXX", NULL);
}

static void
remove_dir (char *dir)
{
  g_autofree char *kh = g_build_filename (dir, "empty_known_hosts", NULL);

  g_unlink (kh);
  g_rmdir (dir);
  g_free (dir);
}

static TwReport *
probe_host (const char *host,
            guint       port,
            guint       timeout_s,
            double     *elapsed_s)
{
  char *dir = make_dir ();
  g_autoptr(TwProbe) probe = tw_test_probe_new (port, timeout_s, dir);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  TwReport *report;

  tw_tunnel_set_ssh_host (tw_probe_get_tunnel (probe), host);
  tw_probe_set_checks (probe, ssh_port);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  if (elapsed_s != NULL)
    *elapsed_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  remove_dir (dir);
  return report;
}

/* Nothing listens: "refused", and the hint is about sshd, not a firewall. */
static void
test_connect_refused (void)
{
  g_autoptr(TwReport) report = probe_host ("127.0.0.1", tw_test_free_port (), 5, NULL);

  g_assert_cmpint (tw_test_check_status (report, "resolve"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "connect"), ==, TW_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (tw_test_check_summary (report, "connect"), "refused"));
  g_assert_nonnull (strstr (tw_test_check_hint (report, "connect"), "sshd is not running"));
  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_SKIP);
  g_assert_cmpint (tw_report_get_verdict (report), ==, TW_CHECK_STATUS_FAIL);
}

static void
test_connect_refused_ipv6 (void)
{
  g_autoptr(GSocket) probe6 = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(TwReport) report = NULL;

  if (probe6 == NULL)
    {
      g_test_skip ("no IPv6 here");
      return;
    }
  report = probe_host ("::1", tw_test_free_port (), 5, NULL);
  g_assert_cmpint (tw_test_check_status (report, "connect"), ==, TW_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (tw_test_check_summary (report, "connect"), "[::1]"));
}

/* Dropped SYNs (a firewall's DROP): fails at the timeout with the firewall hint. */
static void
test_connect_black_hole (void)
{
  g_autoptr(TwTestBadserver) hole = tw_test_badserver_new (TW_BAD_BLACK_HOLE);
  double elapsed;
  g_autoptr(TwReport) report = probe_host ("127.0.0.1", tw_test_badserver_get_port (hole), 2, &elapsed);

  g_assert_cmpint (tw_test_check_status (report, "connect"), ==, TW_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (tw_test_check_summary (report, "connect"), "No answer"));
  g_assert_nonnull (strstr (tw_test_check_hint (report, "connect"), "firewall"));
  g_test_message ("black hole, timeout 2 s: failed after %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, 1.5);
  g_assert_cmpfloat (elapsed, <, 4.0);
}

static void
cancel_at (TwBadKind kind)
{
  g_autoptr(TwTestBadserver) server = tw_test_badserver_new (kind);
  char *dir = make_dir ();
  g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_badserver_get_port (server), 30, dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReport) report = NULL;
  double callback_ms = -1;

  report = tw_test_run_probe (probe, 300, &callback_ms, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancel → callback: %.2f ms", callback_ms);
  g_assert_cmpfloat (callback_ms, >=, 0);
  g_assert_cmpfloat (callback_ms, <, 1000);
  remove_dir (dir);
}

/* Cancel while connecting to a black hole, and in the key exchange. */
static void
test_cancel_connect (void)
{
  cancel_at (TW_BAD_BLACK_HOLE);
}

static void
test_cancel_kex (void)
{
  cancel_at (TW_BAD_STALL_KEX);
}

/* A name, not only an address, resolves (through GResolver). */
static void
test_resolve_name (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwReport) report = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  report = probe_host ("localhost", tw_test_sshd_get_port (sshd), 5, NULL);
  g_assert_cmpint (tw_test_check_status (report, "resolve"), ==, TW_CHECK_STATUS_PASS);
  g_assert_nonnull (strstr (tw_test_check_summary (report, "resolve"), "localhost resolves to"));
  g_assert_cmpint (tw_test_check_status (report, "connect"), !=, TW_CHECK_STATUS_FAIL);
  g_assert_cmpint (tw_test_check_status (report, "kex"), ==, TW_CHECK_STATUS_PASS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe/connect/refused", test_connect_refused);
  g_test_add_func ("/probe/connect/refused-ipv6", test_connect_refused_ipv6);
  g_test_add_func ("/probe/connect/black-hole", test_connect_black_hole);
  g_test_add_func ("/probe/cancel/connect", test_cancel_connect);
  g_test_add_func ("/probe/cancel/kex", test_cancel_kex);
  g_test_add_func ("/probe/resolve/name", test_resolve_name);

  return g_test_run ();
}
