/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test rig: real database and TLS servers on 127.0.0.1, one per test, on a
 * random free port in a throwaway directory that goes away with the server.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TwTestCert:
 * @TW_TEST_CERT_NONE: no TLS
 * @TW_TEST_CERT_VALID: issued by the rig's CA for "localhost" and 127.0.0.1
 * @TW_TEST_CERT_SELF_SIGNED: for "localhost", signed by itself
 * @TW_TEST_CERT_EXPIRED: issued by the rig's CA for "localhost", expired
 * @TW_TEST_CERT_WRONG_NAME: issued by the rig's CA for "wrong.example" only
 */
typedef enum {
  TW_TEST_CERT_NONE,
  TW_TEST_CERT_VALID,
  TW_TEST_CERT_SELF_SIGNED,
  TW_TEST_CERT_EXPIRED,
  TW_TEST_CERT_WRONG_NAME,
} TwTestCert;

typedef struct
{
  TwTestCert cert;
  guint      max_connections;                /* 0 = the server's default */
  int        superuser_reserved_connections; /* PostgreSQL; < 0 = default */
} TwTestDbOptions;

typedef struct _TwTestDb TwTestDb;

/* Each fails with G_IO_ERROR_NOT_SUPPORTED when the server cannot run here
 * (not root, binaries missing): the test should skip then. */

/* PostgreSQL 15: host logins use scram-sha-256 (the superuser "postgres"
 * has tw_test_db_get_password()), log_connections on. */
TwTestDb   *tw_test_db_start_postgres   (const TwTestDbOptions *options,
                                         GError               **error);
/* MariaDB with --skip-grant-tables */
TwTestDb   *tw_test_db_start_mariadb    (const TwTestDbOptions *options,
                                         GError               **error);
/* openssl s_server -www: TLS from the first byte */
TwTestDb   *tw_test_db_start_tls_server (TwTestCert             cert,
                                         GError               **error);
/* A TCP echo server (socat) */
TwTestDb   *tw_test_db_start_tcp_echo   (GError               **error);

guint16     tw_test_db_get_port         (TwTestDb *self);
const char *tw_test_db_get_dir          (TwTestDb *self);
/* The rig CA (PEM) that issued the certificate; NULL without TLS */
const char *tw_test_db_get_ca_file      (TwTestDb *self);
/* The server's certificate (PEM); NULL without TLS */
const char *tw_test_db_get_cert_file    (TwTestDb *self);
const char *tw_test_db_get_password     (TwTestDb *self);
/* The server's log so far (transfer full) */
char       *tw_test_db_read_log         (TwTestDb *self);
/* Stops the server and removes its directory */
void        tw_test_db_free             (TwTestDb *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwTestDb, tw_test_db_free)

G_END_DECLS
