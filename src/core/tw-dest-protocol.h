/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wire-protocol steps of the destinations, for tw-tls-negotiation.c. All
 * block on @stream; errors are TW_TLS_NEGOTIATION_ERROR or GIO's.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Sends PostgreSQL's SSLRequest (the only clear text before TLS) and reads
 * the one-byte answer: @offered is TRUE for 'S', FALSE for 'N'. */
gboolean tw_postgres_request_tls (GIOStream     *stream,
                                  gboolean      *offered,
                                  GCancellable  *cancellable,
                                  GError       **error);
/* Sends a StartupMessage and reads until an authentication request or an
 * error: @answer (transfer full) says which. The connection limit
 * (SQLSTATE 53300) is TW_TLS_NEGOTIATION_ERROR_TOO_MANY. */
gboolean tw_postgres_startup     (GIOStream     *stream,
                                  char         **answer,
                                  GCancellable  *cancellable,
                                  GError       **error);
/* Reads MySQL's/MariaDB's greeting, sending nothing: @offers_tls from the
 * CLIENT_SSL capability, @answer (transfer full) the server version. An
 * error packet instead (error 1040: TOO_MANY) fails. */
gboolean tw_mysql_read_greeting  (GIOStream     *stream,
                                  gboolean      *offers_tls,
                                  char         **answer,
                                  GCancellable  *cancellable,
                                  GError       **error);
/* Sends the SSL request packet that comes before the TLS handshake */
gboolean tw_mysql_request_tls    (GIOStream     *stream,
                                  GCancellable  *cancellable,
                                  GError       **error);

G_END_DECLS
