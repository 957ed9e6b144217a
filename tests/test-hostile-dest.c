/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hostile destinations behind a real sshd: databases that refuse TLS while
 * Require TLS is on, certificates that are expired or self-signed, greetings
 * that lie about their length, and servers that flood the channel. The tls
 * (and channels) check names each within the timeout, with bounded memory.
 */
#include "config.h"

#include <string.h>

#include "tw-core.h"
#include "tw-tls-negotiation.h"
#include "tw-test-badserver.h"
#include "tw-test-db.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

/* See test-tls-checks.c: LeakSanitizer and GnuTLS's thread-local data. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}

#define SLACK_S 3.0
#define TIMEOUT_S 4

typedef struct
{
  TwTestSshd *sshd;
  char       *key;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  fixture->sshd = tw_test_sshd_start (NULL);
  fixture->key = tw_test_sshd_make_key (fixture->sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (fixture->key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (fixture->sshd, content);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->sshd, tw_test_sshd_stop);
  g_clear_pointer (&fixture->key, g_free);
}

typedef struct
{
  TwReport *report;
  double    elapsed_s;
  gint64    hwm_growth_kib;   /* the process's peak RSS, how much it grew */
} Run;

static gint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

/* A hung engine would only be stopped by meson's timeout, minutes later:
 * say which case hung, and at once. */
static gboolean
watchdog (gpointer data)
{
  g_error ("%s: the checks did not finish within %u s", g_test_get_path (), GPOINTER_TO_UINT (data));
  return G_SOURCE_REMOVE;
}

/* Logs in to the bastion and runs @checks against @dest_host:@dest_port. */
static Run
run_through (Fixture            *fixture,
             const char * const *checks,
             TwDestKind          kind,
             const char         *dest_host,
             guint               dest_port,
             gboolean            require_tls)
{
  g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (fixture->sshd), TIMEOUT_S,
                                                tw_test_sshd_get_dir (fixture->sshd));
  g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (fixture->key, NULL);
  g_autoptr(GError) error = NULL;
  TwTunnel *tunnel = tw_probe_get_tunnel (probe);
  gint64 hwm = peak_rss_kib ();
  gint64 start = g_get_monotonic_time ();
  guint watchdog_id;
  Run run;

  tw_tunnel_set_dest_host (tunnel, dest_host);
  tw_tunnel_set_dest_port (tunnel, dest_port);
  tw_tunnel_set_dest_kind (tunnel, kind);
  tw_tunnel_set_require_tls (tunnel, require_tls);
  tw_probe_set_credentials (probe, creds);
  tw_probe_set_checks (probe, checks);
  /* login, then per connection at most one timeout each for TLS and channels */
  watchdog_id = g_timeout_add_seconds (3 * TIMEOUT_S + 10, watchdog, GUINT_TO_POINTER (3 * TIMEOUT_S + 10));
  run.report = tw_test_run_probe (probe, 0, NULL, &error);
  g_source_remove (watchdog_id);
  g_assert_no_error (error);
  run.elapsed_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  run.hwm_growth_kib = peak_rss_kib () - hwm;

  for (const char * const *id = checks; *id; id++)
    g_test_message ("%s: %s — %s | %s | %s", *id,
                    tw_check_status_to_string (tw_test_check_status (run.report, *id)),
                    tw_test_check_summary (run.report, *id),
                    tw_test_check_detail (run.report, *id) ? tw_test_check_detail (run.report, *id) : "",
                    tw_test_check_hint (run.report, *id) ? tw_test_check_hint (run.report, *id) : "");
  g_test_message ("%.2f s, peak RSS +%" G_GINT64_FORMAT " KiB", run.elapsed_s, run.hwm_growth_kib);
  return run;
}

static const char * const tls_only[] = { "tls", NULL };
static const char * const tls_and_channels[] = { "tls", "channels", NULL };

static void
assert_has (const char *what,
            const char *text,
            const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("%s “%s” lacks “%s”", what, text ? text : "(null)", needle);
}

static void
assert_check (TwReport      *report,
              const char    *id,
              TwCheckStatus  status,
              const char    *summary)
{
  g_assert_cmpint (tw_test_check_status (report, id), ==, status);
  g_assert_cmpstr (tw_test_check_summary (report, id), ==, summary);
}

static TwTestDb *
start_db (TwTestDb *db,
          GError   *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_test_skip (error->message);
      return NULL;
    }
  g_assert_no_error (error);
  return db;
}

/* The same peer without the tunnel, straight to the negotiation: the error
 * code a caller can test (the check's text comes from its message). */
static void
assert_negotiation_error (TwDestKind  kind,
                          guint       port,
                          gboolean    allow_clear_text,
                          GQuark      domain,
                          int         code)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(TwTlsNegotiation) negotiation = tw_tls_negotiation_new (kind, "127.0.0.1", port);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  /* a lie that leaves the reader waiting ends at the socket's timeout */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), TIMEOUT_S);
  g_assert_false (tw_tls_negotiation_run (negotiation, G_IO_STREAM (connection), allow_clear_text,
                                          NULL, NULL, &error));
  g_test_message ("negotiation: %s (%s %d) in %.2f s", error->message, g_quark_to_string (error->domain),
                  error->code, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_error (error, domain, code);
  g_assert_cmpfloat ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, <, TIMEOUT_S + SLACK_S);
}

/* TLS downgrade: the database says "no TLS" while Require TLS is on. The
 * tls check fails with the rule, names the server's answer, and sends
 * nothing in clear text; channels is not even tried. */
static void
assert_downgrade_refused (Run        *run,
                          const char *answer)
{
  assert_check (run->report, "tls", TW_CHECK_STATUS_FAIL,
                "No TLS, and Require TLS is on: the service will not connect");
  assert_has ("detail", tw_test_check_detail (run->report, "tls"), answer);
  assert_has ("detail", tw_test_check_detail (run->report, "tls"),
              "Nothing was sent in clear text but the request for TLS.");
  assert_has ("hint", tw_test_check_hint (run->report, "tls"), "Or switch Require TLS off");
  assert_check (run->report, "channels", TW_CHECK_STATUS_SKIP,
                "Not tried: TLS is required but the destination does not offer it");
  g_assert_cmpfloat (run->elapsed_s, <, TIMEOUT_S + SLACK_S);
}

static void
test_downgrade_postgres (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = NULL;
  g_autofree char *log = NULL;
  Run run;

  if (fixture->sshd == NULL || (db = start_db (tw_test_db_start_postgres (NULL, &error), error)) == NULL)
    return;
  run = run_through (fixture, tls_and_channels, TW_DEST_KIND_POSTGRES, "localhost",
                     tw_test_db_get_port (db), TRUE);
  assert_downgrade_refused (&run, "PostgreSQL answered that it does not offer TLS (ssl is off)");
  assert_has ("hint", tw_test_check_hint (run.report, "tls"), "ssl = on");
  /* No StartupMessage reached the server: it never saw our user name. */
  log = tw_test_db_read_log (db);
  g_assert_null (strstr (log, "tunnel_wizard"));
  g_object_unref (run.report);
}

static void
test_downgrade_mariadb (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = NULL;
  Run run;

  if (fixture->sshd == NULL || (db = start_db (tw_test_db_start_mariadb (NULL, &error), error)) == NULL)
    return;
  run = run_through (fixture, tls_and_channels, TW_DEST_KIND_MYSQL, "localhost",
                     tw_test_db_get_port (db), TRUE);
  assert_downgrade_refused (&run, "The database does not offer TLS (no certificate configured)");
  assert_has ("hint", tw_test_check_hint (run.report, "tls"), "ssl_cert");
  g_object_unref (run.report);
}

/* A fake PostgreSQL that answers every SSLRequest with 'N' */
static void
test_downgrade_fake_n (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TwTestBadserver) server = tw_test_badserver_new (TW_BAD_POSTGRES);
  Run run;

  if (fixture->sshd == NULL)
    return;
  run = run_through (fixture, tls_and_channels, TW_DEST_KIND_POSTGRES, "127.0.0.1",
                     tw_test_badserver_get_port (server), TRUE);
  assert_downgrade_refused (&run, "PostgreSQL answered that it does not offer TLS (ssl is off)");
  g_object_unref (run.report);
  assert_negotiation_error (TW_DEST_KIND_POSTGRES, tw_test_badserver_get_port (server), FALSE,
                            TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_NOT_OFFERED);
}

/* tunnel-check(1): the tls check reports the certificate; the tls check's
 * contract (src/core/checks/tw-check-tls.c) makes a certificate that a
 * verifying service would refuse a WARN — the connection is encrypted — with
 * the problems in the summary and what to do in the hint. */
static void
test_certificate_expired (Fixture       *fixture,
                          gconstpointer  data)
{
  TwTestDbOptions options = { TW_TEST_CERT_EXPIRED, 0, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = NULL;
  Run run;

  if (fixture->sshd == NULL || (db = start_db (tw_test_db_start_postgres (&options, &error), error)) == NULL)
    return;
  run = run_through (fixture, tls_only, TW_DEST_KIND_POSTGRES, "localhost", tw_test_db_get_port (db), TRUE);
  g_assert_cmpint (tw_test_check_status (run.report, "tls"), ==, TW_CHECK_STATUS_WARN);
  assert_has ("summary", tw_test_check_summary (run.report, "tls"),
              ", but the certificate is issued by an unknown authority, expired");
  assert_has ("hint", tw_test_check_hint (run.report, "tls"),
              "The certificate has expired: renew it and reload the database.");
  assert_has ("detail", tw_test_check_detail (run.report, "tls"), "CN=localhost");
  g_assert_cmpfloat (run.elapsed_s, <, TIMEOUT_S + SLACK_S);
  g_object_unref (run.report);
}

static void
test_certificate_self_signed (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) server = NULL;
  Run run;

  if (fixture->sshd == NULL ||
      (server = start_db (tw_test_db_start_tls_server (TW_TEST_CERT_SELF_SIGNED, &error), error)) == NULL)
    return;
  run = run_through (fixture, tls_only, TW_DEST_KIND_TLS, "localhost", tw_test_db_get_port (server), TRUE);
  g_assert_cmpint (tw_test_check_status (run.report, "tls"), ==, TW_CHECK_STATUS_WARN);
  g_assert_true (g_str_has_suffix (tw_test_check_summary (run.report, "tls"),
                                   ", but the certificate is issued by an unknown authority"));
  assert_has ("hint", tw_test_check_hint (run.report, "tls"), "It is self-signed or from a private CA");
  g_assert_null (strstr (tw_test_check_hint (run.report, "tls"), "expired"));
  g_assert_cmpfloat (run.elapsed_s, <, TIMEOUT_S + SLACK_S);
  g_object_unref (run.report);
}

/* A PostgreSQL message whose length field lies. Require TLS off, so that
 * the check goes on to the clear-text StartupMessage the lie answers. */
static void
test_greeting_lies (Fixture       *fixture,
                    gconstpointer  data)
{
  TwBadKind kind = GPOINTER_TO_INT (data);
  g_autoptr(TwTestBadserver) server = tw_test_badserver_new (kind);
  TwDestKind dest_kind = kind == TW_BAD_MYSQL_LIE_HUGE ? TW_DEST_KIND_MYSQL : TW_DEST_KIND_POSTGRES;
  Run run;

  if (fixture->sshd == NULL)
    return;
  run = run_through (fixture, tls_only, dest_kind, "127.0.0.1", tw_test_badserver_get_port (server), FALSE);
  g_assert_cmpint (tw_test_check_status (run.report, "tls"), ==, TW_CHECK_STATUS_FAIL);
  switch (kind)
    {
    case TW_BAD_PG_LIE_LONGER:
      /* 1000 bytes announced, 8 sent, then silence: it did not answer */
      g_assert_cmpstr (tw_test_check_summary (run.report, "tls"), ==,
                       "The destination did not answer within 4 s");
      assert_has ("hint", tw_test_check_hint (run.report, "tls"), "it stayed silent");
      break;
    case TW_BAD_MYSQL_LIE_HUGE:
      g_assert_cmpstr (tw_test_check_summary (run.report, "tls"), ==,
                       "The destination did not answer like MySQL or MariaDB");
      assert_has ("hint", tw_test_check_hint (run.report, "tls"), "but not as a mysql server");
      g_assert_cmpfloat (run.elapsed_s, <, SLACK_S);
      break;
    default:
      /* 2 GiB or negative: refused at once, nothing allocated for it */
      g_assert_cmpstr (tw_test_check_summary (run.report, "tls"), ==,
                       "The destination did not answer like PostgreSQL");
      assert_has ("hint", tw_test_check_hint (run.report, "tls"), "but not as a postgres server");
      g_assert_cmpfloat (run.elapsed_s, <, SLACK_S);
      g_assert_cmpint (run.hwm_growth_kib, <, 64 * 1024);
      break;
    }
  g_assert_cmpfloat (run.elapsed_s, <, TIMEOUT_S + SLACK_S);
  g_object_unref (run.report);

  if (kind == TW_BAD_PG_LIE_LONGER)
    assert_negotiation_error (dest_kind, tw_test_badserver_get_port (server), TRUE,
                              G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  else
    assert_negotiation_error (dest_kind, tw_test_badserver_get_port (server), TRUE,
                              TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_PROTOCOL);
}

/* Destinations that write without end: the checks read what they need (one
 * byte; at most 16 messages of a startup), stop, and let go of the channels
 * — the server sees them close; back-pressure held the flood to the SSH
 * windows, and the process's memory stayed bounded. */
static void
test_flood (Fixture       *fixture,
            gconstpointer  data)
{
  TwBadKind kind = GPOINTER_TO_INT (data);
  g_autoptr(TwTestBadserver) server = tw_test_badserver_new (kind);
  Run run;

  if (fixture->sshd == NULL)
    return;
  run = run_through (fixture, tls_and_channels, TW_DEST_KIND_POSTGRES, "127.0.0.1",
                     tw_test_badserver_get_port (server), kind == TW_BAD_FLOOD);
  g_test_message ("the flood sent %" G_GUINT64_FORMAT " KiB over %u connections",
                  tw_test_badserver_get_bytes_sent (server) / 1024, tw_test_badserver_get_hits (server));

  assert_check (run.report, "tls", TW_CHECK_STATUS_FAIL, "The destination did not answer like PostgreSQL");
  assert_has ("hint", tw_test_check_hint (run.report, "tls"), "but not as a postgres server");
  g_assert_cmpint (tw_test_check_status (run.report, "channels"), ==, TW_CHECK_STATUS_FAIL);
  assert_has ("summary", tw_test_check_summary (run.report, "channels"),
              "Only 0 of 4 connections at once completed the PostgreSQL handshake: "
              "The destination did not answer like PostgreSQL");
  g_assert_cmpfloat (run.elapsed_s, <, TIMEOUT_S + SLACK_S);
  g_assert_cmpint (run.hwm_growth_kib, <, 128 * 1024);
  g_assert_cmpuint (tw_test_badserver_get_bytes_sent (server), <, 64 * 1024 * 1024);

  /* Every connection let go: the flood ends on its own (sshd closes them). */
  for (guint i = 0; i < 100 && tw_test_badserver_get_finished (server) < tw_test_badserver_get_hits (server); i++)
    g_usleep (50 * 1000);
  g_assert_cmpuint (tw_test_badserver_get_finished (server), ==, tw_test_badserver_get_hits (server));
  g_object_unref (run.report);

  assert_negotiation_error (TW_DEST_KIND_POSTGRES, tw_test_badserver_get_port (server), kind != TW_BAD_FLOOD,
                            TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_PROTOCOL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/hostile/tls-downgrade/postgres-ssl-off", NULL, test_downgrade_postgres);
  ADD ("/hostile/tls-downgrade/mariadb-no-ssl", NULL, test_downgrade_mariadb);
  ADD ("/hostile/tls-downgrade/fake-answers-n", NULL, test_downgrade_fake_n);
  ADD ("/hostile/certificate/expired", NULL, test_certificate_expired);
  ADD ("/hostile/certificate/self-signed", NULL, test_certificate_self_signed);
  ADD ("/hostile/greeting/postgres-longer-than-data", GINT_TO_POINTER (TW_BAD_PG_LIE_LONGER), test_greeting_lies);
  ADD ("/hostile/greeting/postgres-huge-length", GINT_TO_POINTER (TW_BAD_PG_LIE_HUGE), test_greeting_lies);
  ADD ("/hostile/greeting/postgres-negative-length", GINT_TO_POINTER (TW_BAD_PG_LIE_NEGATIVE), test_greeting_lies);
  ADD ("/hostile/greeting/mysql-huge-length", GINT_TO_POINTER (TW_BAD_MYSQL_LIE_HUGE), test_greeting_lies);
  ADD ("/hostile/flood/raw-bytes", GINT_TO_POINTER (TW_BAD_FLOOD), test_flood);
  ADD ("/hostile/flood/postgres-notices", GINT_TO_POINTER (TW_BAD_PG_NOTICE_FLOOD), test_flood);
#undef ADD

  return g_test_run ();
}
