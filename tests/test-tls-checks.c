/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tls and channels checks end to end: a real sshd on loopback, a real
 * database behind it, the probe logging in and going through the tunnel.
 * Oracles from outside: psql with sslmode=require/disable, openssl
 * s_client -starttls postgres (the certificate's fingerprint), the
 * server's own log.
 */
#include "config.h"

#include <string.h>

#include "tw-core.h"
#include "tw-test-badserver.h"
#include "tw-test-db.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

static const char * const tunnel_checks[] = { "login", "forward", "tls", "channels", NULL };

typedef struct
{
  TwTestSshd *sshd;
  char       *key;
} Bastion;

static gboolean
bastion_start (Bastion *bastion)
{
  g_autofree char *pub = NULL;
  g_autofree char *content = NULL;

  if (!tw_test_sshd_can_run ())
    return FALSE;
  bastion->sshd = tw_test_sshd_start (NULL);
  bastion->key = tw_test_sshd_make_key (bastion->sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (bastion->key);
  content = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (bastion->sshd, content);
  return TRUE;
}

static void
bastion_stop (Bastion *bastion)
{
  g_clear_pointer (&bastion->sshd, tw_test_sshd_stop);
  g_clear_pointer (&bastion->key, g_free);
}

static TwProbe *
probe_new (Bastion    *bastion,
           TwDestKind  kind,
           const char *dest_host,
           guint       dest_port,
           gboolean    require_tls,
           guint       timeout_s)
{
  TwProbe *probe = tw_test_probe_new (tw_test_sshd_get_port (bastion->sshd), timeout_s,
                                      tw_test_sshd_get_dir (bastion->sshd));
  g_autoptr(TwCredentials) creds = tw_credentials_new_identity_file (bastion->key, NULL);
  TwTunnel *tunnel = tw_probe_get_tunnel (probe);

  tw_tunnel_set_dest_host (tunnel, dest_host);
  tw_tunnel_set_dest_port (tunnel, dest_port);
  tw_tunnel_set_dest_kind (tunnel, kind);
  tw_tunnel_set_require_tls (tunnel, require_tls);
  tw_probe_set_credentials (probe, creds);
  tw_probe_set_checks (probe, tunnel_checks);
  return probe;
}

static TwReport *
run_probe (TwProbe *probe)
{
  g_autoptr(GError) error = NULL;
  TwReport *report = tw_test_run_probe (probe, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (tw_test_check_status (report, "forward"), ==, TW_CHECK_STATUS_PASS);
  for (const char * const *id = tunnel_checks; *id; id++)
    g_test_message ("%s (%u ms): %s | %s | %s", *id,
                    tw_check_result_get_duration_ms (tw_report_get_check (report, *id)),
                    tw_test_check_summary (report, *id),
                    tw_test_check_detail (report, *id) ? tw_test_check_detail (report, *id) : "",
                    tw_test_check_hint (report, *id) ? tw_test_check_hint (report, *id) : "");
  return report;
}

static void
assert_has (const char *text,
            const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text ? text : "(null)", needle);
}

static TwTestDb *
start_or_skip (TwTestDb *db,
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

/* psql as the oracle: exit status of a query with @sslmode */
static int
psql (TwTestDb   *db,
      const char *sslmode)
{
  g_autofree char *conninfo = g_strdup_printf ("host=127.0.0.1 port=%u user=postgres dbname=postgres "
                                               "sslmode=%s connect_timeout=10",
                                               tw_test_db_get_port (db), sslmode);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "PGPASSWORD", tw_test_db_get_password (db), TRUE);
  const char *argv[] = { "psql", conninfo, "-Atc", "select 1", NULL };
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, env,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

/* openssl s_client -starttls postgres as the oracle: the SHA-256 of the
 * certificate the server presents, as "AB:CD:…" */
static char *
s_client_fingerprint (TwTestDb *db)
{
  g_autofree char *command = g_strdup_printf (
    "sh -c 'openssl s_client -starttls postgres -connect 127.0.0.1:%u </dev/null 2>/dev/null "
    "| openssl x509 -noout -fingerprint -sha256'", tw_test_db_get_port (db));
  g_autofree char *out = NULL;
  const char *eq;

  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, NULL, NULL));
  eq = strchr (out, '=');
  g_assert_nonnull (eq);
  return g_strstrip (g_strdup (eq + 1));
}

/* PostgreSQL with TLS: both settings pass through the tunnel; the
 * certificate is the one s_client sees; 4 handshakes at once. */
static void
test_postgres_tls (void)
{
  TwTestDbOptions options = { TW_TEST_CERT_VALID, 0, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = NULL;
  g_autofree char *fingerprint = NULL;
  Bastion bastion = { 0 };

  if (!bastion_start (&bastion))
    return;
  db = start_or_skip (tw_test_db_start_postgres (&options, &error), error);
  if (db == NULL)
    {
      bastion_stop (&bastion);
      return;
    }

  g_assert_cmpint (psql (db, "require"), ==, 0);
  fingerprint = s_client_fingerprint (db);

  for (int require = 1; require >= 0; require--)
    {
      g_autoptr(TwProbe) probe = probe_new (&bastion, TW_DEST_KIND_POSTGRES, "localhost",
                                            tw_test_db_get_port (db), require, 10);
      g_autoptr(TwReport) report = run_probe (probe);

      /* The rig's CA is not the system's: reported, not hidden. */
      g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_WARN);
      assert_has (tw_test_check_summary (report, "tls"), "TLS 1.");
      assert_has (tw_test_check_summary (report, "tls"), "unknown authority");
      assert_has (tw_test_check_detail (report, "tls"), fingerprint);
      assert_has (tw_test_check_detail (report, "tls"), "CN=localhost");
      assert_has (tw_test_check_detail (report, "tls"), "SCRAM-SHA-256");
      g_assert_cmpint (tw_test_check_status (report, "channels"), ==, TW_CHECK_STATUS_PASS);
      assert_has (tw_test_check_summary (report, "channels"), "4 connections at once");
    }

  bastion_stop (&bastion);
}

/* PostgreSQL without TLS, Require TLS on: a failure, and the server never
 * saw a startup packet (psql with sslmode=require agrees there is no TLS). */
static void
test_postgres_no_tls_required (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autofree char *log = NULL;
  Bastion bastion = { 0 };

  if (!bastion_start (&bastion))
    return;
  db = start_or_skip (tw_test_db_start_postgres (NULL, &error), error);
  if (db == NULL)
    {
      bastion_stop (&bastion);
      return;
    }

  probe = probe_new (&bastion, TW_DEST_KIND_POSTGRES, "localhost", tw_test_db_get_port (db), TRUE, 10);
  report = run_probe (probe);
  g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_FAIL);
  assert_has (tw_test_check_summary (report, "tls"), "Require TLS is on");
  assert_has (tw_test_check_hint (report, "tls"), "ssl = on");
  g_assert_cmpint (tw_test_check_status (report, "channels"), ==, TW_CHECK_STATUS_SKIP);

  log = tw_test_db_read_log (db);
  g_assert_null (strstr (log, "tunnel_wizard"));
  g_assert_cmpint (psql (db, "require"), !=, 0);

  bastion_stop (&bastion);
}

/* …and Require TLS off: clear text on a new connection, a warning. */
static void
test_postgres_clear_text_fallback (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  Bastion bastion = { 0 };

  if (!bastion_start (&bastion))
    return;
  db = start_or_skip (tw_test_db_start_postgres (NULL, &error), error);
  if (db == NULL)
    {
      bastion_stop (&bastion);
      return;
    }

  probe = probe_new (&bastion, TW_DEST_KIND_POSTGRES, "localhost", tw_test_db_get_port (db), FALSE, 10);
  report = run_probe (probe);
  g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_WARN);
  assert_has (tw_test_check_summary (report, "tls"), "fall back to clear text");
  assert_has (tw_test_check_detail (report, "tls"), "SCRAM-SHA-256");
  g_assert_cmpint (tw_test_check_status (report, "channels"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpint (psql (db, "disable"), ==, 0);

  bastion_stop (&bastion);
}

/* max_connections 2 (none reserved): the third of four channels is refused
 * by PostgreSQL, and the hint says where the limit is. */
static void
test_channels_connection_limit (void)
{
  TwTestDbOptions options = { TW_TEST_CERT_VALID, 2, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autofree char *log = NULL;
  Bastion bastion = { 0 };

  if (!bastion_start (&bastion))
    return;
  db = start_or_skip (tw_test_db_start_postgres (&options, &error), error);
  if (db == NULL)
    {
      bastion_stop (&bastion);
      return;
    }

  probe = probe_new (&bastion, TW_DEST_KIND_POSTGRES, "localhost", tw_test_db_get_port (db), TRUE, 10);
  tw_probe_set_channels (probe, 4);
  report = run_probe (probe);
  g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_WARN);
  g_assert_cmpint (tw_test_check_status (report, "channels"), ==, TW_CHECK_STATUS_FAIL);
  assert_has (tw_test_check_summary (report, "channels"), "Only 2 of 4");
  assert_has (tw_test_check_summary (report, "channels"), "too many clients");
  assert_has (tw_test_check_hint (report, "channels"), "MaxSessions does not limit");
  assert_has (tw_test_check_hint (report, "channels"), "max_connections");
  assert_has (tw_test_check_hint (report, "channels"), "superuser_reserved_connections");

  log = tw_test_db_read_log (db);
  assert_has (log, "sorry, too many clients already");

  /* Two at once fit. */
  {
    g_autoptr(TwProbe) two = probe_new (&bastion, TW_DEST_KIND_POSTGRES, "localhost",
                                        tw_test_db_get_port (db), TRUE, 10);
    g_autoptr(TwReport) two_report = NULL;

    tw_probe_set_channels (two, 2);
    two_report = run_probe (two);
    g_assert_cmpint (tw_test_check_status (two_report, "channels"), ==, TW_CHECK_STATUS_PASS);
  }

  bastion_stop (&bastion);
}

/* MariaDB: TLS after the greeting; without TLS and Require TLS on, a failure. */
static void
test_mariadb (void)
{
  TwTestDbOptions options = { TW_TEST_CERT_EXPIRED, 0, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) with_tls = NULL;
  g_autoptr(TwTestDb) without_tls = NULL;
  Bastion bastion = { 0 };

  if (!bastion_start (&bastion))
    return;
  with_tls = start_or_skip (tw_test_db_start_mariadb (&options, &error), error);
  if (with_tls == NULL)
    {
      bastion_stop (&bastion);
      return;
    }
  without_tls = tw_test_db_start_mariadb (NULL, &error);
  g_assert_no_error (error);

  {
    g_autoptr(TwProbe) probe = probe_new (&bastion, TW_DEST_KIND_MYSQL, "localhost",
                                          tw_test_db_get_port (with_tls), TRUE, 10);
    g_autoptr(TwReport) report = run_probe (probe);

    g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_WARN);
    assert_has (tw_test_check_summary (report, "tls"), "expired");
    assert_has (tw_test_check_hint (report, "tls"), "renew");
    assert_has (tw_test_check_detail (report, "tls"), "MariaDB");
    g_assert_cmpint (tw_test_check_status (report, "channels"), ==, TW_CHECK_STATUS_PASS);
  }
  {
    g_autoptr(TwProbe) probe = probe_new (&bastion, TW_DEST_KIND_MYSQL, "localhost",
                                          tw_test_db_get_port (without_tls), TRUE, 10);
    g_autoptr(TwReport) report = run_probe (probe);

    g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_FAIL);
    assert_has (tw_test_check_hint (report, "tls"), "ssl_cert");
  }

  bastion_stop (&bastion);
}

/* Direct TLS with a certificate for another name: the name checked is the
 * destination host the service uses, not the address. */
static void
test_direct_tls_wrong_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) server = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  const char * const only_tls[] = { "tls", NULL };
  Bastion bastion = { 0 };

  if (!bastion_start (&bastion))
    return;
  server = tw_test_db_start_tls_server (TW_TEST_CERT_WRONG_NAME, &error);
  g_assert_no_error (error);

  probe = probe_new (&bastion, TW_DEST_KIND_TLS, "localhost", tw_test_db_get_port (server), TRUE, 10);
  tw_probe_set_checks (probe, only_tls);
  {
    g_autoptr(GError) run_error = NULL;

    report = tw_test_run_probe (probe, 0, NULL, &run_error);
    g_assert_no_error (run_error);
  }
  g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_WARN);
  assert_has (tw_test_check_summary (report, "tls"), "another host name");
  assert_has (tw_test_check_hint (report, "tls"), "“localhost”");
  assert_has (tw_test_check_detail (report, "tls"), "CN=wrong.example");

  bastion_stop (&bastion);
}

/* A destination that takes the connection and never answers: the tls
 * check fails at its timeout; cancelling in the middle ends the run at once. */
static void
test_silent_destination (void)
{
  g_autoptr(TwTestBadserver) silent = NULL;
  const char * const only_tls[] = { "tls", NULL };
  Bastion bastion = { 0 };

  if (!bastion_start (&bastion))
    return;
  silent = tw_test_badserver_new (TW_BAD_SILENT);

  {
    g_autoptr(TwProbe) probe = probe_new (&bastion, TW_DEST_KIND_MYSQL, "127.0.0.1",
                                          tw_test_badserver_get_port (silent), TRUE, 1);
    g_autoptr(TwReport) report = NULL;
    g_autoptr(GError) error = NULL;
    gint64 start = g_get_monotonic_time ();

    tw_probe_set_checks (probe, only_tls);
    report = tw_test_run_probe (probe, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_FAIL);
    assert_has (tw_test_check_summary (report, "tls"), "did not answer within 1 s");
    g_assert_cmpint (g_get_monotonic_time () - start, <, 8 * G_USEC_PER_SEC);
  }
  {
    g_autoptr(TwProbe) probe = probe_new (&bastion, TW_DEST_KIND_MYSQL, "127.0.0.1",
                                          tw_test_badserver_get_port (silent), TRUE, 30);
    g_autoptr(TwReport) report = NULL;
    g_autoptr(GError) error = NULL;
    double callback_ms = -1;

    tw_probe_set_checks (probe, only_tls);
    /* login and the forward take well under a second on loopback */
    report = tw_test_run_probe (probe, 1500, &callback_ms, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_test_message ("cancel → callback: %.1f ms", callback_ms);
    g_assert_cmpfloat (callback_ms, >=, 0);
    g_assert_cmpfloat (callback_ms, <, 1000);
  }

  bastion_stop (&bastion);
}

/* Plain TCP: nothing to negotiate. Require TLS on is a contradiction the
 * check names; off, tls is not applicable and the connections still count. */
static void
test_plain_tcp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) echo = NULL;
  Bastion bastion = { 0 };

  if (!bastion_start (&bastion))
    return;
  echo = tw_test_db_start_tcp_echo (&error);
  g_assert_no_error (error);

  {
    g_autoptr(TwProbe) probe = probe_new (&bastion, TW_DEST_KIND_TCP, "127.0.0.1",
                                          tw_test_db_get_port (echo), TRUE, 10);
    g_autoptr(TwReport) report = run_probe (probe);

    g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_FAIL);
    assert_has (tw_test_check_hint (report, "tls"), "direct TLS");
    g_assert_cmpint (tw_test_check_status (report, "channels"), ==, TW_CHECK_STATUS_PASS);
  }
  {
    g_autoptr(TwProbe) probe = probe_new (&bastion, TW_DEST_KIND_TCP, "127.0.0.1",
                                          tw_test_db_get_port (echo), FALSE, 10);
    g_autoptr(TwReport) report = NULL;

    tw_probe_set_channels (probe, 6);
    report = run_probe (probe);
    g_assert_cmpint (tw_test_check_status (report, "tls"), ==, TW_CHECK_STATUS_SKIP);
    g_assert_cmpint (tw_test_check_status (report, "channels"), ==, TW_CHECK_STATUS_PASS);
    assert_has (tw_test_check_summary (report, "channels"), "6 connections at once");
  }

  bastion_stop (&bastion);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tls-checks/postgres/tls", test_postgres_tls);
  g_test_add_func ("/tls-checks/postgres/no-tls-required", test_postgres_no_tls_required);
  g_test_add_func ("/tls-checks/postgres/clear-text-fallback", test_postgres_clear_text_fallback);
  g_test_add_func ("/tls-checks/channels/connection-limit", test_channels_connection_limit);
  g_test_add_func ("/tls-checks/mariadb", test_mariadb);
  g_test_add_func ("/tls-checks/direct-tls/wrong-name", test_direct_tls_wrong_name);
  g_test_add_func ("/tls-checks/plain-tcp", test_plain_tcp);
  g_test_add_func ("/tls-checks/silent-destination", test_silent_destination);

  return g_test_run ();
}
