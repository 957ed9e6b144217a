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

/* Under AddressSanitizer (GCC 12, glibc 2.36) LeakSanitizer's tracer
 * crashes at exit reading the dynamic thread-local storage that GnuTLS,
 * loaded by glib-networking, leaves in GLib's pool threads ("Tracer caught
 * signal 11", "DTLS … at 0x48…"). Not tracking that storage avoids it;
 * an ASAN_OPTIONS in the environment still overrides other options. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}

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

typedef enum {
  DEST_POSTGRES,
  DEST_MARIADB,
  DEST_TLS_SERVER,     /* TLS from the first byte */
  DEST_TCP_ECHO,
} Dest;

typedef struct {
  const char      *path;
  Dest             dest;
  TwTestDbOptions  options;
  TwDestKind       kind;
  const char      *dest_host;
  gboolean         require_tls;
  guint            channels;           /* 0: the probe's default */
  gboolean         only_tls;           /* run the tls check alone */
  TwTestExpect     expect[6];
  gboolean         cert_fingerprint_in_detail;   /* the one openssl s_client sees */
  const char      *psql_sslmode;       /* the oracle: psql with this sslmode… */
  gboolean         psql_gets_in;       /* …gets in (or not) */
  const char      *log_has;
  const char      *log_lacks;
} DestCase;

static const DestCase dest_cases[] = {
  /* PostgreSQL with TLS: both settings pass through the tunnel; the
   * certificate is the one s_client sees; 4 handshakes at once. The rig's
   * CA is not the system's: reported, not hidden. */
  { "/tls-checks/postgres/tls/required", DEST_POSTGRES, { TW_TEST_CERT_VALID, 0, -1 }, TW_DEST_KIND_POSTGRES,
    "localhost", TRUE, 0, FALSE,
    { { "tls", TW_CHECK_STATUS_WARN, "TLS 1.", NULL, "CN=localhost" },
      { "tls", TW_CHECK_STATUS_WARN, "unknown authority", NULL, "SCRAM-SHA-256" },
      { "channels", TW_CHECK_STATUS_PASS, "4 connections at once" } },
    TRUE, "require", TRUE },
  { "/tls-checks/postgres/tls/not-required", DEST_POSTGRES, { TW_TEST_CERT_VALID, 0, -1 }, TW_DEST_KIND_POSTGRES,
    "localhost", FALSE, 0, FALSE,
    { { "tls", TW_CHECK_STATUS_WARN, "TLS 1.", NULL, "CN=localhost" },
      { "tls", TW_CHECK_STATUS_WARN, "unknown authority", NULL, "SCRAM-SHA-256" },
      { "channels", TW_CHECK_STATUS_PASS, "4 connections at once" } },
    TRUE, "require", TRUE },
  /* PostgreSQL without TLS, Require TLS on: a failure, and the server never
   * saw a startup packet (psql with sslmode=require agrees there is no TLS) */
  { "/tls-checks/postgres/no-tls-required", DEST_POSTGRES, { TW_TEST_CERT_NONE, 0, -1 }, TW_DEST_KIND_POSTGRES,
    "localhost", TRUE, 0, FALSE,
    { { "tls", TW_CHECK_STATUS_FAIL, "Require TLS is on", "ssl = on" },
      { "channels", TW_CHECK_STATUS_SKIP } },
    FALSE, "require", FALSE, NULL, "tunnel_wizard" },
  /* …and Require TLS off: clear text on a new connection, a warning */
  { "/tls-checks/postgres/clear-text-fallback", DEST_POSTGRES, { TW_TEST_CERT_NONE, 0, -1 },
    TW_DEST_KIND_POSTGRES, "localhost", FALSE, 0, FALSE,
    { { "tls", TW_CHECK_STATUS_WARN, "fall back to clear text", NULL, "SCRAM-SHA-256" },
      { "channels", TW_CHECK_STATUS_PASS } },
    FALSE, "disable", TRUE },
  /* max_connections 2 (none reserved): the third of four channels is
   * refused by PostgreSQL, and the hint says where the limit is */
  { "/tls-checks/channels/connection-limit", DEST_POSTGRES, { TW_TEST_CERT_VALID, 2, 0 }, TW_DEST_KIND_POSTGRES,
    "localhost", TRUE, 4, FALSE,
    { { "tls", TW_CHECK_STATUS_WARN },
      { "channels", TW_CHECK_STATUS_FAIL, "Only 2 of 4", "MaxSessions does not limit" },
      { "channels", TW_CHECK_STATUS_FAIL, "too many clients", "max_connections" },
      { "channels", TW_CHECK_STATUS_FAIL, NULL, "superuser_reserved_connections" } },
    FALSE, NULL, FALSE, "sorry, too many clients already" },
  /* …two at once fit */
  { "/tls-checks/channels/within-limit", DEST_POSTGRES, { TW_TEST_CERT_VALID, 2, 0 }, TW_DEST_KIND_POSTGRES,
    "localhost", TRUE, 2, FALSE,
    { { "channels", TW_CHECK_STATUS_PASS } } },
  /* MariaDB: TLS after the greeting */
  { "/tls-checks/mariadb/tls-expired", DEST_MARIADB, { TW_TEST_CERT_EXPIRED, 0, -1 }, TW_DEST_KIND_MYSQL,
    "localhost", TRUE, 0, FALSE,
    { { "tls", TW_CHECK_STATUS_WARN, "expired", "renew", "MariaDB" },
      { "channels", TW_CHECK_STATUS_PASS } } },
  /* …without TLS and Require TLS on, a failure */
  { "/tls-checks/mariadb/no-tls-required", DEST_MARIADB, { TW_TEST_CERT_NONE, 0, -1 }, TW_DEST_KIND_MYSQL,
    "localhost", TRUE, 0, FALSE,
    { { "tls", TW_CHECK_STATUS_FAIL, NULL, "ssl_cert" } } },
  /* Direct TLS with a certificate for another name: the name checked is
   * the destination host the service uses, not the address */
  { "/tls-checks/direct-tls/wrong-name", DEST_TLS_SERVER, { TW_TEST_CERT_WRONG_NAME, 0, -1 }, TW_DEST_KIND_TLS,
    "localhost", TRUE, 0, TRUE,
    { { "tls", TW_CHECK_STATUS_WARN, "another host name", "“localhost”", "CN=wrong.example" } } },
  /* Plain TCP: nothing to negotiate; with Require TLS on, a warning that the
   * service would not connect, pointing to the kinds that have TLS; the
   * connections count */
  { "/tls-checks/plain-tcp/tls-required", DEST_TCP_ECHO, { 0 }, TW_DEST_KIND_TCP, "127.0.0.1", TRUE, 0, FALSE,
    { { "tls", TW_CHECK_STATUS_WARN, "the destination is plain TCP", "direct TLS" },
      { "channels", TW_CHECK_STATUS_PASS } } },
  { "/tls-checks/plain-tcp/six-channels", DEST_TCP_ECHO, { 0 }, TW_DEST_KIND_TCP, "127.0.0.1", FALSE, 6, FALSE,
    { { "tls", TW_CHECK_STATUS_SKIP },
      { "channels", TW_CHECK_STATUS_PASS, "6 connections at once" } } },
};

static TwTestDb *
dest_start (const DestCase  *c,
            GError         **error)
{
  const TwTestDbOptions *options = c->options.cert == TW_TEST_CERT_NONE ? NULL : &c->options;

  switch (c->dest)
    {
    case DEST_POSTGRES:
      return tw_test_db_start_postgres (options, error);
    case DEST_MARIADB:
      return tw_test_db_start_mariadb (options, error);
    case DEST_TLS_SERVER:
      return tw_test_db_start_tls_server (c->options.cert, error);
    case DEST_TCP_ECHO:
      return tw_test_db_start_tcp_echo (error);
    }
  g_assert_not_reached ();
}

static void
test_destination (gconstpointer data)
{
  const DestCase *c = data;
  const char * const only_tls[] = { "tls", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  Bastion bastion = { 0 };

  if (!bastion_start (&bastion))
    return;
  db = start_or_skip (dest_start (c, &error), error);
  if (db == NULL)
    {
      bastion_stop (&bastion);
      return;
    }

  probe = probe_new (&bastion, c->kind, c->dest_host, tw_test_db_get_port (db), c->require_tls, 10);
  if (c->channels > 0)
    tw_probe_set_channels (probe, c->channels);
  if (c->only_tls)
    {
      tw_probe_set_checks (probe, only_tls);
      report = tw_test_run_probe (probe, 0, NULL, &error);
      g_assert_no_error (error);
    }
  else
    report = run_probe (probe);
  tw_test_assert_checks (report, c->expect, G_N_ELEMENTS (c->expect));

  if (c->cert_fingerprint_in_detail)
    {
      g_autofree char *fingerprint = s_client_fingerprint (db);

      tw_test_assert_has (tw_test_check_detail (report, "tls"), fingerprint);
    }
  if (c->psql_sslmode != NULL)
    g_assert_cmpint (psql (db, c->psql_sslmode) == 0, ==, c->psql_gets_in);
  if (c->log_has != NULL || c->log_lacks != NULL)
    {
      g_autofree char *log = tw_test_db_read_log (db);

      if (c->log_has != NULL)
        tw_test_assert_has (log, c->log_has);
      if (c->log_lacks != NULL)
        g_assert_null (strstr (log, c->log_lacks));
    }

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
    tw_test_assert_has (tw_test_check_summary (report, "tls"), "did not answer within 1 s");
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (dest_cases); i++)
    g_test_add_data_func (dest_cases[i].path, &dest_cases[i], test_destination);
  g_test_add_func ("/tls-checks/silent-destination", test_silent_destination);

  return g_test_run ();
}
