/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The few messages of PostgreSQL's and MySQL's wire protocols that come
 * before (and, for PostgreSQL, just after) TLS: enough to ask for TLS and to
 * see that the server takes the connection, never a login.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-dest-protocol.h"
#include "tw-tls-negotiation.h"

#define PG_PROTOCOL_3_0       196608
#define PG_STARTUP_USER       "tunnel_wizard"
#define MAX_MESSAGE           65536

#define MYSQL_CLIENT_LONG_PASSWORD     0x00000001
#define MYSQL_CLIENT_PROTOCOL_41       0x00000200
#define MYSQL_CLIENT_SSL               0x00000800
#define MYSQL_CLIENT_SECURE_CONNECTION 0x00008000
#define MYSQL_ER_CON_COUNT_ERROR       1040

static gboolean
read_exact (GIOStream     *stream,
            guint8        *buf,
            gsize          len,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize got = 0;

  if (!g_input_stream_read_all (g_io_stream_get_input_stream (stream), buf, len,
                                &got, cancellable, error))
    return FALSE;

  if (got < len)
    {
      g_set_error_literal (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_CLOSED,
                           _("The destination closed the connection"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_all (GIOStream     *stream,
           const void    *buf,
           gsize          len,
           GCancellable  *cancellable,
           GError       **error)
{
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  return g_output_stream_write_all (out, buf, len, NULL, cancellable, error) &&
         g_output_stream_flush (out, cancellable, error);
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* PostgreSQL */

gboolean
tw_postgres_request_tls (GIOStream     *stream,
                      gboolean      *offered,
                      GCancellable  *cancellable,
                      GError       **error)
{
  /* length 8, then the code 1234 << 16 | 5679 */
  static const guint8 ssl_request[8] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };
  guint8 answer;

  if (!write_all (stream, ssl_request, sizeof ssl_request, cancellable, error) ||
      !read_exact (stream, &answer, 1, cancellable, error))
    return FALSE;

  if (answer != 'S' && answer != 'N')
    {
      g_set_error_literal (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_PROTOCOL,
                           _("The destination did not answer like PostgreSQL"));
      return FALSE;
    }

  *offered = answer == 'S';
  return TRUE;
}

static char *
postgres_error_field (const guint8 *payload,
                      gsize         len,
                      char          field)
{
  gsize i = 0;

  while (i < len && payload[i] != 0)
    {
      char type = (char) payload[i++];
      const char *value = (const char *) payload + i;
      gsize value_len = strnlen (value, len - i);

      /* The server's text reaches labels and JSON: it must be UTF-8. */
      if (type == field)
        return g_utf8_make_valid (value, value_len);
      i += value_len + 1;
    }

  return NULL;
}

static char *
postgres_describe_auth (guint32 code)
{
  switch (code)
    {
    case 0: return g_strdup (_("PostgreSQL accepted the connection without a password"));
    case 3: return g_strdup (_("PostgreSQL asked for a password (clear text)"));
    case 5: return g_strdup (_("PostgreSQL asked for a password (MD5)"));
    case 7: return g_strdup (_("PostgreSQL asked for GSSAPI authentication"));
    case 10: return g_strdup (_("PostgreSQL asked for a password (SCRAM-SHA-256)"));
    default: return g_strdup_printf (_("PostgreSQL asked for authentication (method %u)"), code);
    }
}

/* Sends the StartupMessage and reads until the server asks for
 * authentication or refuses: either proves that the connection reached a
 * PostgreSQL backend that took it. The connection limit shows here, as
 * SQLSTATE 53300, not at the SSLRequest. */
gboolean
tw_postgres_startup (GIOStream     *stream,
                     char         **answer,
                     GCancellable  *cancellable,
                     GError       **error)
{
  static const char params[] = "user\0" PG_STARTUP_USER "\0"
                               "database\0" PG_STARTUP_USER "\0"
                               "application_name\0tunnel-wizard\0";
  g_autoptr(GByteArray) message = g_byte_array_new ();
  guint32 len = 8 + sizeof params;  /* the final NUL of params ends the list */
  guint8 header[8] = { len >> 24, len >> 16, len >> 8, len,
                       PG_PROTOCOL_3_0 >> 24, (PG_PROTOCOL_3_0 >> 16) & 0xff, 0, 0 };

  g_byte_array_append (message, header, sizeof header);
  g_byte_array_append (message, (const guint8 *) params, sizeof params);
  if (!write_all (stream, message->data, message->len, cancellable, error))
    return FALSE;

  /* NoticeResponse and NegotiateProtocolVersion may come first. */
  for (guint n_messages = 0; n_messages < 16; n_messages++)
    {
      g_autofree guint8 *payload = NULL;
      guint8 head[5];
      guint32 payload_len;

      if (!read_exact (stream, head, sizeof head, cancellable, error))
        return FALSE;

      payload_len = read_be32 (head + 1);
      if (payload_len < 4 || payload_len > MAX_MESSAGE)
        break;
      payload_len -= 4;
      payload = g_malloc (payload_len + 1);
      if (!read_exact (stream, payload, payload_len, cancellable, error))
        return FALSE;
      payload[payload_len] = 0;

      if (head[0] == 'R' && payload_len >= 4)
        {
          *answer = postgres_describe_auth (read_be32 (payload));
          return TRUE;
        }
      else if (head[0] == 'E')
        {
          g_autofree char *code = postgres_error_field (payload, payload_len, 'C');
          g_autofree char *text = postgres_error_field (payload, payload_len, 'M');

          if (g_strcmp0 (code, "53300") == 0)
            {
              g_set_error (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_TOO_MANY,
                           _("PostgreSQL refused the connection: %s"), text ? text : code);
              return FALSE;
            }
          if (code != NULL && g_str_has_prefix (code, "57P"))
            {
              g_set_error (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_REFUSED,
                           _("PostgreSQL refused the connection: %s"), text ? text : code);
              return FALSE;
            }

          /* A login refusal (no pg_hba.conf entry, no such role) still means
           * the server took the connection: the service logs in as its own user. */
          *answer = g_strdup_printf (_("PostgreSQL answered: %s"), text ? text : code);
          return TRUE;
        }
      else if (head[0] != 'N' && head[0] != 'v')
        break;
    }

  g_set_error_literal (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_PROTOCOL,
                       _("The destination did not answer like PostgreSQL"));
  return FALSE;
}

/* MySQL and MariaDB: the server speaks first. */

gboolean
tw_mysql_read_greeting (GIOStream     *stream,
                        gboolean      *offers_tls,
                        char         **answer,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree guint8 *payload = NULL;
  guint8 head[4];
  guint32 len;
  gsize version_len;
  gsize caps_at;
  const char *version;
  g_autofree char *valid_version = NULL;

  if (!read_exact (stream, head, sizeof head, cancellable, error))
    return FALSE;
  len = head[0] | (head[1] << 8) | (head[2] << 16);
  if (len < 1 || len > MAX_MESSAGE)
    goto not_mysql;
  payload = g_malloc0 (len + 1);
  if (!read_exact (stream, payload, len, cancellable, error))
    return FALSE;

  if (payload[0] == 0xff && len >= 3)
    {
      guint code = payload[1] | (payload[2] << 8);
      gsize at = len >= 9 && payload[3] == '#' ? 9 : 3;
      g_autofree char *text = g_utf8_make_valid ((const char *) payload + at, len - at);

      g_set_error (error, TW_TLS_NEGOTIATION_ERROR,
                   code == MYSQL_ER_CON_COUNT_ERROR ? TW_TLS_NEGOTIATION_ERROR_TOO_MANY
                                                    : TW_TLS_NEGOTIATION_ERROR_REFUSED,
                   _("The database refused the connection: %s (error %u)"), text, code);
      return FALSE;
    }

  if (payload[0] != 10)
    goto not_mysql;

  version = (const char *) payload + 1;
  version_len = strnlen (version, len - 1);
  /* version NUL, thread id (4), scramble (8), filler (1), then the flags */
  caps_at = 1 + version_len + 1 + 4 + 8 + 1;
  if (caps_at + 2 > len)
    goto not_mysql;

  /* MariaDB prefixes its version with "5.5.5-" for old clients. */
  if (g_str_has_prefix (version, "5.5.5-"))
    version += strlen ("5.5.5-");
  valid_version = g_utf8_make_valid (version, -1);
  *answer = g_strdup_printf (_("Server version %s"), valid_version);
  *offers_tls = (payload[caps_at] | (payload[caps_at + 1] << 8)) & MYSQL_CLIENT_SSL;
  return TRUE;

not_mysql:
  g_set_error_literal (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_PROTOCOL,
                       _("The destination did not answer like MySQL or MariaDB"));
  return FALSE;
}

gboolean
tw_mysql_request_tls (GIOStream     *stream,
                   GCancellable  *cancellable,
                   GError       **error)
{
  const guint32 caps = MYSQL_CLIENT_LONG_PASSWORD | MYSQL_CLIENT_PROTOCOL_41 |
                       MYSQL_CLIENT_SSL | MYSQL_CLIENT_SECURE_CONNECTION;
  const guint32 max_packet = 16 * 1024 * 1024;
  guint8 packet[4 + 32] = { 32, 0, 0, 1 };

  packet[4] = caps & 0xff;
  packet[5] = (caps >> 8) & 0xff;
  packet[6] = (caps >> 16) & 0xff;
  packet[7] = caps >> 24;
  packet[8] = max_packet & 0xff;
  packet[9] = (max_packet >> 8) & 0xff;
  packet[10] = (max_packet >> 16) & 0xff;
  packet[11] = max_packet >> 24;
  packet[12] = 45;  /* utf8mb4_general_ci; the rest stays zero */

  return write_all (stream, packet, sizeof packet, cancellable, error);
}
