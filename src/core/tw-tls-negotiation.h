/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-tunnel.h"

G_BEGIN_DECLS

#define TW_TLS_NEGOTIATION_ERROR (tw_tls_negotiation_error_quark ())

/**
 * TwTlsNegotiationError:
 * @TW_TLS_NEGOTIATION_ERROR_NOT_OFFERED: the server does not offer TLS
 *   (PostgreSQL answered 'N', MySQL's greeting lacks CLIENT_SSL)
 * @TW_TLS_NEGOTIATION_ERROR_HANDSHAKE: TLS was started but the handshake failed
 * @TW_TLS_NEGOTIATION_ERROR_PROTOCOL: the server does not speak the
 *   destination kind's protocol
 * @TW_TLS_NEGOTIATION_ERROR_TOO_MANY: the server refused the connection because
 *   of its connection limit (PostgreSQL SQLSTATE 53300, MySQL error 1040)
 * @TW_TLS_NEGOTIATION_ERROR_REFUSED: the server refused the connection for
 *   another reason (the message says which)
 * @TW_TLS_NEGOTIATION_ERROR_CLOSED: the server closed the connection
 *
 * Errors of a negotiation. Cancellation and I/O errors keep their GIO codes.
 */
typedef enum {
  TW_TLS_NEGOTIATION_ERROR_NOT_OFFERED,
  TW_TLS_NEGOTIATION_ERROR_HANDSHAKE,
  TW_TLS_NEGOTIATION_ERROR_PROTOCOL,
  TW_TLS_NEGOTIATION_ERROR_TOO_MANY,
  TW_TLS_NEGOTIATION_ERROR_REFUSED,
  TW_TLS_NEGOTIATION_ERROR_CLOSED,
} TwTlsNegotiationError;

GQuark tw_tls_negotiation_error_quark (void);

#define TW_TYPE_TLS_NEGOTIATION (tw_tls_negotiation_get_type ())
G_DECLARE_FINAL_TYPE (TwTlsNegotiation, tw_tls_negotiation, TW, TLS_NEGOTIATION, GObject)

/*
 * One destination's way to TLS, on a GIOStream the caller connected (a TCP
 * connection, or a TwChannelStream through the tunnel). The run functions
 * block: call them from a worker thread. One negotiation records one
 * connection's outcome; use a new one per connection.
 *
 * @server_host is the destination's host name as the service will use it
 * (what the certificate must name and what SNI sends), @server_port its port.
 */
TwTlsNegotiation *tw_tls_negotiation_new               (TwDestKind         kind,
                                                        const char        *server_host,
                                                        guint16            server_port);

/* Trust these CA certificates (PEM) instead of the system's; NULL = system */
void              tw_tls_negotiation_set_ca_file       (TwTlsNegotiation  *self,
                                                        const char        *ca_file);
/* After TLS (or clear text), complete the destination's own handshake:
 * PostgreSQL's StartupMessage answered by an authentication request or an
 * error. Default TRUE. */
void              tw_tls_negotiation_set_complete_startup (TwTlsNegotiation *self,
                                                        gboolean           complete);

/*
 * Negotiates TLS the destination kind's way and completes the handshake.
 * The certificate is accepted whatever its errors, so that it can be
 * reported: see get_certificate_errors(). Before TLS, no clear-text
 * protocol data is sent except what asks for TLS: PostgreSQL's SSLRequest,
 * MySQL's SSL request packet (after only reading the greeting).
 *
 * If the server declines TLS and @allow_clear_text, goes on in clear text
 * on the same connection (as a client that prefers TLS does) and returns
 * TRUE with get_tls() FALSE; otherwise fails with
 * TW_TLS_NEGOTIATION_ERROR_NOT_OFFERED having sent nothing more.
 * Returns the TLS connection (or @stream in clear text) in @out_stream.
 */
gboolean          tw_tls_negotiation_run               (TwTlsNegotiation  *self,
                                                        GIOStream         *stream,
                                                        gboolean           allow_clear_text,
                                                        GIOStream        **out_stream,
                                                        GCancellable      *cancellable,
                                                        GError           **error);
/* The clear-text handshake only, on a new connection: what a service that
 * falls back to clear text does. */
gboolean          tw_tls_negotiation_run_clear_text    (TwTlsNegotiation  *self,
                                                        GIOStream         *stream,
                                                        GCancellable      *cancellable,
                                                        GError           **error);

TwDestKind            tw_tls_negotiation_get_kind               (TwTlsNegotiation *self);
const char           *tw_tls_negotiation_get_server_host        (TwTlsNegotiation *self);
/* TRUE once a TLS handshake completed */
gboolean              tw_tls_negotiation_get_tls                (TwTlsNegotiation *self);
/* "TLS 1.3" …, NULL before TLS */
const char           *tw_tls_negotiation_get_protocol           (TwTlsNegotiation *self);
/* As the TLS library names it, e.g. "TLS_AES_256_GCM_SHA384" */
const char           *tw_tls_negotiation_get_ciphersuite        (TwTlsNegotiation *self);
GTlsCertificate      *tw_tls_negotiation_get_certificate        (TwTlsNegotiation *self);
GTlsCertificateFlags  tw_tls_negotiation_get_certificate_errors (TwTlsNegotiation *self);
const char           *tw_tls_negotiation_get_subject            (TwTlsNegotiation *self);
const char           *tw_tls_negotiation_get_issuer             (TwTlsNegotiation *self);
GDateTime            *tw_tls_negotiation_get_not_valid_before   (TwTlsNegotiation *self);
GDateTime            *tw_tls_negotiation_get_not_valid_after    (TwTlsNegotiation *self);
/* SHA-256 of the certificate's DER, "AB:CD:…" as openssl x509 -fingerprint prints it */
const char           *tw_tls_negotiation_get_sha256             (TwTlsNegotiation *self);
/* What the server said: MySQL's version from the greeting, or the answer to
 * PostgreSQL's StartupMessage ("asked for a password (SCRAM-SHA-256)"); may be NULL */
const char           *tw_tls_negotiation_get_server_answer      (TwTlsNegotiation *self);

/* "unknown authority, expired" (translated); NULL for no error */
char                 *tw_tls_certificate_flags_to_string        (GTlsCertificateFlags flags);
/* Several lines: protocol, cipher suite, certificate (translated); NULL before TLS */
char                 *tw_tls_negotiation_describe               (TwTlsNegotiation *self);

G_END_DECLS
