/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A port that is not (quite) SSH: the banner and kex checks name what they
 * found, fail within the timeout, and a cancel stops them at once.
 */
#include "config.h"

#include <glib/gstdio.h>

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


/* A server that is not (quite) SSH; times in seconds, 0 where not looked at. */
typedef struct {
  const char   *path;
  TwBadKind     kind;
  guint         timeout_s;
  TwTestExpect  expect[3];
  const char   *server_software;
  double        at_least_s;
  double        under_s;
} BadServerCase;

static const BadServerCase bad_server_cases[] = {
  /* silence: fails at the timeout, not later, and says so */
  { "/probe/banner/silent", TW_BAD_SILENT, 3,
    { { "banner", TW_CHECK_STATUS_FAIL, "No SSH identification string" },
      { "kex", TW_CHECK_STATUS_SKIP } },
    NULL, 2.5, 6.0 },
  /* services that wait for the client are named after the nudge */
  { "/probe/banner/http", TW_BAD_HTTP, 5, { { "banner", TW_CHECK_STATUS_FAIL, "HTTP" } } },
  { "/probe/banner/tls", TW_BAD_TLS, 5, { { "banner", TW_CHECK_STATUS_FAIL, "TLS" } } },
  { "/probe/banner/postgres", TW_BAD_POSTGRES, 5, { { "banner", TW_CHECK_STATUS_FAIL, "PostgreSQL" } } },
  /* MySQL and MariaDB speak first: named at once, with their version */
  { "/probe/banner/mysql", TW_BAD_MYSQL, 5,
    { { "banner", TW_CHECK_STATUS_FAIL, "MariaDB" },
      { "banner", TW_CHECK_STATUS_FAIL, "10.11.6" } },
    NULL, 0, 1.0 },
  { "/probe/banner/endless", TW_BAD_ENDLESS_BANNER, 5, { { "banner", TW_CHECK_STATUS_FAIL, "never ends" } } },
  /* one byte a second: not a working server; fails at the timeout */
  { "/probe/banner/drip", TW_BAD_DRIP, 3, { { "banner", TW_CHECK_STATUS_FAIL, "only" } }, NULL, 0, 6.0 },
  /* a banner, then nothing: banner passes, the key exchange fails */
  { "/probe/kex/closed-after-banner", TW_BAD_CLOSE_AFTER_BANNER, 5,
    { { "banner", TW_CHECK_STATUS_PASS },
      { "kex", TW_CHECK_STATUS_FAIL },
      { "host-key", TW_CHECK_STATUS_SKIP } },
    "OpenSSH_9.2p1" },
  { "/probe/kex/reset", TW_BAD_RESET_MID_KEX, 5,
    { { "banner", TW_CHECK_STATUS_PASS },
      { "kex", TW_CHECK_STATUS_FAIL } },
    NULL, 0, 3.0 },
};

static void
test_bad_server (Fixture       *fixture,
                 gconstpointer  data)
{
  const BadServerCase *c = data;
  double elapsed;
  g_autoptr(TwReport) report = tw_test_probe_bad_server (fixture->dir, c->kind, c->timeout_s, &elapsed);

  g_test_message ("%.2f s", elapsed);
  tw_test_assert_checks (report, c->expect, G_N_ELEMENTS (c->expect));
  if (c->server_software != NULL)
    g_assert_cmpstr (tw_report_get_server_software (report), ==, c->server_software);
  g_assert_cmpfloat (elapsed, >=, c->at_least_s);
  if (c->under_s > 0)
    g_assert_cmpfloat (elapsed, <, c->under_s);
}

/* Cancel while waiting for a banner, and while a banner drips: the
 * callback comes at once (generous bound: 1 s; the benchmark measures). */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  TwBadKind kind = GPOINTER_TO_INT (data);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_server_cases); i++)
    g_test_add (bad_server_cases[i].path, Fixture, &bad_server_cases[i], fixture_setup, test_bad_server,
                fixture_teardown);
  g_test_add ("/probe/cancel/silent", Fixture, GINT_TO_POINTER (TW_BAD_SILENT), fixture_setup, test_cancel,
              fixture_teardown);
  g_test_add ("/probe/cancel/drip", Fixture, GINT_TO_POINTER (TW_BAD_DRIP), fixture_setup, test_cancel,
              fixture_teardown);

  return g_test_run ();
}
