/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A port that is not (quite) SSH: the banner and kex checks name what they
 * found, fail within the timeout, and a cancel stops them at once.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tw-core.h"
#include "tw-test-badserver.h"
#include "tw-test-probe-run.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("tw-banner-XXXXXX", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *kh = g_build_filename (fixture->dir, "empty_known_hosts", NULL);

  g_unlink (kh);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}


static void
assert_summary_has (TwReport   *report,
                    const char *id,
                    const char *needle)
{
  const char *summary = tw_test_check_summary (report, id);

  if (strstr (summary, needle) == NULL)
    g_error ("“%s” summary “%s” lacks “%s”", id, summary, needle);
}

/* Silence: fails at the timeout (3 s here), not later, and says so. */
static void
test_banner_silent (Fixture       *fixture,
                    gconstpointer  data)
{
  double elapsed;
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, TW_BAD_SILENT, 3, &elapsed);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_FAIL);
  assert_summary_has (report, "banner", "No SSH identification string");
  g_assert_cmpint (tw_test_check_status (report, "kex"), ==, TW_CHECK_STATUS_SKIP);
  g_assert_cmpfloat (elapsed, >=, 2.5);
  g_assert_cmpfloat (elapsed, <, 6.0);
}

/* Services that wait for the client are named after the nudge. */
static void
test_banner_http (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, TW_BAD_HTTP, 5, NULL);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_FAIL);
  assert_summary_has (report, "banner", "HTTP");
}

static void
test_banner_tls (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, TW_BAD_TLS, 5, NULL);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_FAIL);
  assert_summary_has (report, "banner", "TLS");
}

static void
test_banner_postgres (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, TW_BAD_POSTGRES, 5, NULL);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_FAIL);
  assert_summary_has (report, "banner", "PostgreSQL");
}

/* MySQL and MariaDB speak first: named at once, with their version. */
static void
test_banner_mysql (Fixture       *fixture,
                   gconstpointer  data)
{
  double elapsed;
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, TW_BAD_MYSQL, 5, &elapsed);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_FAIL);
  assert_summary_has (report, "banner", "MariaDB");
  assert_summary_has (report, "banner", "10.11.6");
  g_assert_cmpfloat (elapsed, <, 1.0);
}

static void
test_banner_endless (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, TW_BAD_ENDLESS_BANNER, 5, NULL);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_FAIL);
  assert_summary_has (report, "banner", "never ends");
}

/* One byte a second: not a working server; fails at the timeout. */
static void
test_banner_drip (Fixture       *fixture,
                  gconstpointer  data)
{
  double elapsed;
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, TW_BAD_DRIP, 3, &elapsed);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_FAIL);
  assert_summary_has (report, "banner", "only");
  g_assert_cmpfloat (elapsed, <, 6.0);
}

/* A banner, then nothing: banner passes, the key exchange fails. */
static void
test_kex_closed (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, TW_BAD_CLOSE_AFTER_BANNER, 5, NULL);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpstr (tw_report_get_server_software (report), ==, "OpenSSH_9.2p1");
  g_assert_cmpint (tw_test_check_status (report, "kex"), ==, TW_CHECK_STATUS_FAIL);
  g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_SKIP);
}

static void
test_kex_reset (Fixture       *fixture,
                gconstpointer  data)
{
  double elapsed;
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, TW_BAD_RESET_MID_KEX, 5, &elapsed);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "kex"), ==, TW_CHECK_STATUS_FAIL);
  g_assert_cmpfloat (elapsed, <, 3.0);
}

/* Cancel while waiting for a banner, and while a banner drips: the
 * callback comes at once (generous bound: 1 s; the benchmark measures). */
static void
cancel_during (Fixture   *fixture,
               TwBadKind  kind)
{
  g_autoptr(TwTestBadserver) server = tw_test_badserver_new (kind);
  g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_badserver_get_port (server), 30, fixture->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReport) report = NULL;
  double callback_ms = -1;

  report = tw_test_run_probe (probe, 500, &callback_ms, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
  g_test_message ("cancel → callback: %.1f ms", callback_ms);
  g_assert_cmpfloat (callback_ms, >=, 0);
  g_assert_cmpfloat (callback_ms, <, 1000);

  report = g_object_ref (tw_probe_get_report (probe));
  g_assert_true (tw_report_get_finished (report));
  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_SKIP);
  g_assert_cmpstr (tw_test_check_summary (report, "banner"), ==, "Cancelled");
}

static void
test_cancel_silent (Fixture       *fixture,
                    gconstpointer  data)
{
  cancel_during (fixture, TW_BAD_SILENT);
}

static void
test_cancel_drip (Fixture       *fixture,
                  gconstpointer  data)
{
  cancel_during (fixture, TW_BAD_DRIP);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/probe/banner/silent", test_banner_silent);
  ADD ("/probe/banner/http", test_banner_http);
  ADD ("/probe/banner/tls", test_banner_tls);
  ADD ("/probe/banner/postgres", test_banner_postgres);
  ADD ("/probe/banner/mysql", test_banner_mysql);
  ADD ("/probe/banner/endless", test_banner_endless);
  ADD ("/probe/banner/drip", test_banner_drip);
  ADD ("/probe/kex/closed-after-banner", test_kex_closed);
  ADD ("/probe/kex/reset", test_kex_reset);
  ADD ("/probe/cancel/silent", test_cancel_silent);
  ADD ("/probe/cancel/drip", test_cancel_drip);
#undef ADD

  return g_test_run ();
}
