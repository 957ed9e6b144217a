/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TLS negotiation by destination kind, straight over TCP to real servers:
 * PostgreSQL and MariaDB with and without TLS, openssl s_server with good
 * and bad certificates, a plain TCP echo — under both Require-TLS settings.
 * With Require TLS on and no TLS, every byte the client sent is recorded
 * and must be only the request for TLS.
 */
#include "config.h"

#include <string.h>

#include "tw-core.h"
#include "tw-tls-negotiation.h"
#include "tw-test-db.h"

/* An output stream that keeps a copy of everything written through it */

#define RECORDING_TYPE_OUTPUT_STREAM (recording_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (RecordingOutputStream, recording_output_stream, RECORDING, OUTPUT_STREAM, GOutputStream)

struct _RecordingOutputStream
{
  GOutputStream  parent_instance;
  GOutputStream *base;
  GByteArray    *bytes;
};

/* Pollable: GIO's TLS needs a pollable base stream. */
static void recording_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RecordingOutputStream, recording_output_stream, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM, recording_pollable_init))

static gboolean
recording_can_poll (GPollableOutputStream *stream)
{
  return TRUE;
}

static gboolean
recording_is_writable (GPollableOutputStream *stream)
{
  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (RECORDING_OUTPUT_STREAM (stream)->base));
}

static GSource *
recording_create_source (GPollableOutputStream *stream,
                         GCancellable          *cancellable)
{
  GPollableOutputStream *base = G_POLLABLE_OUTPUT_STREAM (RECORDING_OUTPUT_STREAM (stream)->base);
  g_autoptr(GSource) base_source = g_pollable_output_stream_create_source (base, cancellable);
  GSource *source = g_pollable_source_new (G_OBJECT (stream));

  g_source_set_dummy_callback (base_source);
  g_source_add_child_source (source, base_source);
  return source;
}

static gssize
recording_write_nonblocking (GPollableOutputStream  *stream,
                             const void             *buffer,
                             gsize                   count,
                             GError                **error)
{
  RecordingOutputStream *self = RECORDING_OUTPUT_STREAM (stream);
  gssize n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                         buffer, count, NULL, error);

  if (n > 0)
    g_byte_array_append (self->bytes, buffer, (guint) n);
  return n;
}

static void
recording_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = recording_can_poll;
  iface->is_writable = recording_is_writable;
  iface->create_source = recording_create_source;
  iface->write_nonblocking = recording_write_nonblocking;
}

static gssize
recording_write (GOutputStream  *stream,
                 const void     *buffer,
                 gsize           count,
                 GCancellable   *cancellable,
                 GError        **error)
{
  RecordingOutputStream *self = RECORDING_OUTPUT_STREAM (stream);
  gssize n = g_output_stream_write (self->base, buffer, count, cancellable, error);

  if (n > 0)
    g_byte_array_append (self->bytes, buffer, (guint) n);
  return n;
}

static gboolean
recording_flush (GOutputStream  *stream,
                 GCancellable   *cancellable,
                 GError        **error)
{
  return g_output_stream_flush (RECORDING_OUTPUT_STREAM (stream)->base, cancellable, error);
}

static void
recording_finalize (GObject *object)
{
  RecordingOutputStream *self = RECORDING_OUTPUT_STREAM (object);

  g_clear_object (&self->base);
  g_byte_array_unref (self->bytes);
  G_OBJECT_CLASS (recording_output_stream_parent_class)->finalize (object);
}

static void
recording_output_stream_class_init (RecordingOutputStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = recording_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = recording_write;
  G_OUTPUT_STREAM_CLASS (klass)->flush = recording_flush;
}

static void
recording_output_stream_init (RecordingOutputStream *self)
{
  self->bytes = g_byte_array_new ();
}

/* A TCP connection to the rig server, its output recorded */
typedef struct
{
  GSocketConnection     *connection;
  RecordingOutputStream *recorder;
  GIOStream             *stream;
} Tap;

static void
tap_free (Tap *tap)
{
  g_clear_object (&tap->stream);
  g_clear_object (&tap->recorder);
  g_clear_object (&tap->connection);
  g_free (tap);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tap, tap_free)

static Tap *
tap_connect (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  Tap *tap = g_new0 (Tap, 1);

  g_socket_client_set_timeout (client, 10);
  tap->connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  tap->recorder = g_object_new (RECORDING_TYPE_OUTPUT_STREAM, NULL);
  tap->recorder->base = g_object_ref (g_io_stream_get_output_stream (G_IO_STREAM (tap->connection)));
  tap->stream = g_simple_io_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (tap->connection)),
                                        G_OUTPUT_STREAM (tap->recorder));
  return tap;
}

/* The Require-TLS rule as the tls check applies it: TLS first; without TLS,
 * ON fails, OFF tries clear text on a new connection. Returns the status
 * the check would give. */
typedef enum { OUTCOME_TLS, OUTCOME_CLEAR_TEXT, OUTCOME_NO_TLS, OUTCOME_BROKEN } Outcome;

static Outcome
negotiate (TwTlsNegotiation  *negotiation,
           guint16            port,
           gboolean           require_tls,
           GByteArray       **sent,
           GError           **error)
{
  g_autoptr(Tap) first = tap_connect (port);
  g_autoptr(Tap) second = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) tls_error = NULL;
  gboolean ok;

  ok = tw_tls_negotiation_run (negotiation, first->stream, FALSE, &stream, NULL, &tls_error);
  if (sent != NULL)
    *sent = g_byte_array_ref (first->recorder->bytes);
  if (ok)
    return OUTCOME_TLS;

  g_test_message ("no TLS: %s", tls_error->message);
  if (require_tls)
    {
      g_propagate_error (error, g_steal_pointer (&tls_error));
      return OUTCOME_NO_TLS;
    }

  second = tap_connect (port);
  if (!tw_tls_negotiation_run_clear_text (negotiation, second->stream, NULL, error))
    return OUTCOME_BROKEN;
  return OUTCOME_CLEAR_TEXT;
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

static char *
openssl_fingerprint (const char *cert_file)
{
  g_autofree char *out = NULL;
  g_autofree char *command = g_strdup_printf ("openssl x509 -noout -fingerprint -sha256 -in %s", cert_file);
  const char *eq;

  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, NULL, NULL));
  eq = strchr (out, '=');
  g_assert_nonnull (eq);
  return g_strstrip (g_strdup (eq + 1));
}

static void
assert_certificate (TwTlsNegotiation *negotiation,
                    TwTestDb         *db)
{
  g_autofree char *expected = openssl_fingerprint (tw_test_db_get_cert_file (db));
  g_autofree char *description = tw_tls_negotiation_describe (negotiation);

  g_assert_true (tw_tls_negotiation_get_tls (negotiation));
  g_assert_nonnull (tw_tls_negotiation_get_protocol (negotiation));
  g_assert_true (g_str_has_prefix (tw_tls_negotiation_get_protocol (negotiation), "TLS 1."));
  g_assert_nonnull (tw_tls_negotiation_get_ciphersuite (negotiation));
  g_assert_cmpstr (tw_tls_negotiation_get_sha256 (negotiation), ==, expected);
  g_assert_nonnull (tw_tls_negotiation_get_not_valid_before (negotiation));
  g_assert_nonnull (tw_tls_negotiation_get_not_valid_after (negotiation));
  g_test_message ("%s", description);
}

/* PostgreSQL */

static void
test_postgres_tls (void)
{
  TwTestDbOptions options = { TW_TEST_CERT_VALID, 0, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = start_or_skip (tw_test_db_start_postgres (&options, &error), error);
  g_autoptr(TwTlsNegotiation) negotiation = NULL;

  if (db == NULL)
    return;

  for (int require = 1; require >= 0; require--)
    {
      g_clear_object (&negotiation);
      negotiation = tw_tls_negotiation_new (TW_DEST_KIND_POSTGRES, "localhost", tw_test_db_get_port (db));
      tw_tls_negotiation_set_ca_file (negotiation, tw_test_db_get_ca_file (db));
      g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), require, NULL, &error), ==, OUTCOME_TLS);
      g_assert_no_error (error);
      assert_certificate (negotiation, db);
      g_assert_cmpint (tw_tls_negotiation_get_certificate_errors (negotiation), ==, 0);
      g_assert_true (strstr (tw_tls_negotiation_get_subject (negotiation), "CN=localhost"));
      g_assert_true (strstr (tw_tls_negotiation_get_issuer (negotiation), "Tunnel Wizard Test CA"));
      /* The StartupMessage went through TLS and PostgreSQL asked for a password. */
      g_assert_cmpstr (tw_tls_negotiation_get_server_answer (negotiation), ==,
                       "PostgreSQL asked for a password (SCRAM-SHA-256)");
    }
}

static void
test_postgres_no_tls_required (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = start_or_skip (tw_test_db_start_postgres (NULL, &error), error);
  g_autoptr(TwTlsNegotiation) negotiation = NULL;
  g_autoptr(GByteArray) sent = NULL;
  g_autofree char *log = NULL;
  static const guint8 ssl_request[] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };

  if (db == NULL)
    return;

  negotiation = tw_tls_negotiation_new (TW_DEST_KIND_POSTGRES, "localhost", tw_test_db_get_port (db));
  g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), TRUE, &sent, &error), ==, OUTCOME_NO_TLS);
  g_assert_error (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_NOT_OFFERED);
  g_assert_false (tw_tls_negotiation_get_tls (negotiation));

  /* Not one byte of clear-text protocol: only the SSLRequest. */
  g_assert_cmpmem (sent->data, sent->len, ssl_request, sizeof ssl_request);

  /* And the server saw no startup packet: no user name in its log. */
  g_usleep (100 * 1000);
  log = tw_test_db_read_log (db);
  g_assert_null (strstr (log, "tunnel_wizard"));
}

static void
test_postgres_clear_text_fallback (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = start_or_skip (tw_test_db_start_postgres (NULL, &error), error);
  g_autoptr(TwTlsNegotiation) negotiation = NULL;
  g_autoptr(TwTlsNegotiation) same_connection = NULL;
  g_autoptr(Tap) tap = NULL;

  if (db == NULL)
    return;

  negotiation = tw_tls_negotiation_new (TW_DEST_KIND_POSTGRES, "localhost", tw_test_db_get_port (db));
  g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), FALSE, NULL, &error), ==, OUTCOME_CLEAR_TEXT);
  g_assert_no_error (error);
  g_assert_false (tw_tls_negotiation_get_tls (negotiation));
  g_assert_cmpstr (tw_tls_negotiation_get_server_answer (negotiation), ==,
                   "PostgreSQL asked for a password (SCRAM-SHA-256)");

  /* A client that prefers TLS goes on after 'N' on the same connection. */
  same_connection = tw_tls_negotiation_new (TW_DEST_KIND_POSTGRES, "localhost", tw_test_db_get_port (db));
  tap = tap_connect (tw_test_db_get_port (db));
  g_assert_true (tw_tls_negotiation_run (same_connection, tap->stream, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (tw_tls_negotiation_get_tls (same_connection));
  g_assert_nonnull (tw_tls_negotiation_get_server_answer (same_connection));
}

/* MariaDB */

static void
test_mariadb_tls (void)
{
  TwTestDbOptions options = { TW_TEST_CERT_SELF_SIGNED, 0, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = start_or_skip (tw_test_db_start_mariadb (&options, &error), error);
  g_autoptr(TwTlsNegotiation) negotiation = NULL;

  if (db == NULL)
    return;

  negotiation = tw_tls_negotiation_new (TW_DEST_KIND_MYSQL, "localhost", tw_test_db_get_port (db));
  g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), TRUE, NULL, &error), ==, OUTCOME_TLS);
  g_assert_no_error (error);
  assert_certificate (negotiation, db);
  g_assert_cmpint (tw_tls_negotiation_get_certificate_errors (negotiation) & G_TLS_CERTIFICATE_UNKNOWN_CA, !=, 0);
  g_assert_true (g_str_has_prefix (tw_tls_negotiation_get_server_answer (negotiation), "Server version 1"));
}

static void
test_mariadb_no_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = start_or_skip (tw_test_db_start_mariadb (NULL, &error), error);
  g_autoptr(TwTlsNegotiation) negotiation = NULL;
  g_autoptr(GByteArray) sent = NULL;

  if (db == NULL)
    return;

  /* Require TLS on: the greeting is read, nothing at all is sent. */
  negotiation = tw_tls_negotiation_new (TW_DEST_KIND_MYSQL, "localhost", tw_test_db_get_port (db));
  g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), TRUE, &sent, &error), ==, OUTCOME_NO_TLS);
  g_assert_error (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_NOT_OFFERED);
  g_assert_cmpuint (sent->len, ==, 0);
  g_clear_error (&error);

  /* Off: clear text on a new connection. */
  g_clear_object (&negotiation);
  negotiation = tw_tls_negotiation_new (TW_DEST_KIND_MYSQL, "localhost", tw_test_db_get_port (db));
  g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), FALSE, NULL, &error), ==, OUTCOME_CLEAR_TEXT);
  g_assert_no_error (error);
  g_assert_true (strstr (tw_tls_negotiation_get_server_answer (negotiation), "MariaDB"));
}

/* Direct TLS */

static void
test_direct_tls_certificates (void)
{
  static const struct {
    TwTestCert           cert;
    GTlsCertificateFlags errors;
  } cases[] = {
    { TW_TEST_CERT_VALID, 0 },
    { TW_TEST_CERT_SELF_SIGNED, G_TLS_CERTIFICATE_UNKNOWN_CA },
    { TW_TEST_CERT_EXPIRED, G_TLS_CERTIFICATE_EXPIRED },
    { TW_TEST_CERT_WRONG_NAME, G_TLS_CERTIFICATE_BAD_IDENTITY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TwTestDb) db = tw_test_db_start_tls_server (cases[i].cert, &error);
      g_autoptr(TwTlsNegotiation) negotiation = NULL;
      g_autofree char *problems = NULL;

      g_assert_no_error (error);
      negotiation = tw_tls_negotiation_new (TW_DEST_KIND_TLS, "localhost", tw_test_db_get_port (db));
      if (cases[i].cert != TW_TEST_CERT_SELF_SIGNED)
        tw_tls_negotiation_set_ca_file (negotiation, tw_test_db_get_ca_file (db));
      g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), TRUE, NULL, &error), ==, OUTCOME_TLS);
      g_assert_no_error (error);
      assert_certificate (negotiation, db);
      problems = tw_tls_certificate_flags_to_string (tw_tls_negotiation_get_certificate_errors (negotiation));
      g_test_message ("case %u: %s", i, problems ? problems : "no problem");
      g_assert_cmpint (tw_tls_negotiation_get_certificate_errors (negotiation), ==, cases[i].errors);
    }
}

/* Plain TCP: a server that does not speak TLS at all */

static void
test_plain_tcp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTestDb) db = tw_test_db_start_tcp_echo (&error);
  g_autoptr(TwTlsNegotiation) negotiation = NULL;

  g_assert_no_error (error);

  /* Kind "direct TLS" against it: the handshake fails; ON fails… */
  negotiation = tw_tls_negotiation_new (TW_DEST_KIND_TLS, "localhost", tw_test_db_get_port (db));
  g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), TRUE, NULL, &error), ==, OUTCOME_NO_TLS);
  g_assert_error (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_HANDSHAKE);
  g_clear_error (&error);

  /* …OFF falls back to clear text. */
  g_clear_object (&negotiation);
  negotiation = tw_tls_negotiation_new (TW_DEST_KIND_TLS, "localhost", tw_test_db_get_port (db));
  g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), FALSE, NULL, &error), ==, OUTCOME_CLEAR_TEXT);
  g_assert_no_error (error);

  /* Kind "plain TCP": nothing to negotiate, nothing sent. */
  g_clear_object (&negotiation);
  negotiation = tw_tls_negotiation_new (TW_DEST_KIND_TCP, "localhost", tw_test_db_get_port (db));
  g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), FALSE, NULL, &error), ==, OUTCOME_CLEAR_TEXT);
  g_assert_no_error (error);

  /* PostgreSQL expected, an echo found: the echoed SSLRequest is no answer. */
  g_clear_object (&negotiation);
  negotiation = tw_tls_negotiation_new (TW_DEST_KIND_POSTGRES, "localhost", tw_test_db_get_port (db));
  g_assert_cmpint (negotiate (negotiation, tw_test_db_get_port (db), TRUE, NULL, &error), ==, OUTCOME_NO_TLS);
  g_assert_error (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_PROTOCOL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tls-negotiation/postgres/tls", test_postgres_tls);
  g_test_add_func ("/tls-negotiation/postgres/no-tls-required", test_postgres_no_tls_required);
  g_test_add_func ("/tls-negotiation/postgres/clear-text-fallback", test_postgres_clear_text_fallback);
  g_test_add_func ("/tls-negotiation/mariadb/tls", test_mariadb_tls);
  g_test_add_func ("/tls-negotiation/mariadb/no-tls", test_mariadb_no_tls);
  g_test_add_func ("/tls-negotiation/direct-tls/certificates", test_direct_tls_certificates);
  g_test_add_func ("/tls-negotiation/plain-tcp", test_plain_tcp);

  return g_test_run ();
}
