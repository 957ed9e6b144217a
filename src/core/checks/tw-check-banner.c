/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * banner: the server's SSH identification string ("SSH-2.0-OpenSSH_9.2p1 …"),
 * looked at with MSG_PEEK so that libssh still reads it in `kex`. A port that
 * speaks something else is named from its first bytes; many services (HTTP,
 * TLS, PostgreSQL) wait for the client, so after a quiet moment we send
 * PostgreSQL's SSLRequest, which each of them answers in its own way.
 */
/* POLLRDHUP: the peer's EOF while peeked bytes keep the socket readable */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "tw-probe-private.h"

/* OpenSSH sends its banner at once; a silent service is nudged after this. */
#define QUIET_MS 1500
/* RFC 4253 4.2: at most 255 characters including CR LF. */
#define MAX_BANNER 255

static const guint8 ssl_request[] = { 0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f };

static char *
printable_prefix (const guint8 *data,
                  gsize         len)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < len && i < 40; i++)
    {
      if (data[i] >= 0x20 && data[i] < 0x7f)
        g_string_append_c (text, data[i]);
      else
        g_string_append_printf (text, "\\x%02x", data[i]);
    }
  return g_string_free (text, FALSE);
}

/* Names the protocol behind non-SSH bytes, or NULL. */
static char *
name_protocol (const guint8 *data,
               gsize         len,
               gboolean      nudged)
{
  if (len >= 5 && memcmp (data, "HTTP/", 5) == 0)
    return g_strdup (_("a web server (HTTP)"));
  if (len >= 2 && (data[0] == 0x16 || data[0] == 0x15) && data[1] == 0x03)
    return g_strdup (_("a TLS service (HTTPS or similar)"));
  if (len >= 5 && data[3] == 0x00 && data[4] == 0x0a)
    {
      /* MySQL/MariaDB handshake v10: 3-byte length, sequence 0, protocol 10,
       * then the server version, NUL-terminated. */
      gsize end = 5;
      g_autofree char *version = NULL;

      while (end < len && end < 64 && data[end] != 0)
        end++;
      version = printable_prefix (data + 5, end - 5);
      return g_strdup_printf (_("a MySQL or MariaDB server (%s)"), version);
    }
  if (len >= 5 && data[3] == 0x00 && data[4] == 0xff)
    return g_strdup (_("a MySQL or MariaDB server (it sent an error)"));
  if (nudged && len >= 1 && (data[0] == 'S' || data[0] == 'N') && (len == 1))
    return g_strdup (_("a PostgreSQL server"));
  if (nudged && len >= 1 && data[0] == 'E')
    return g_strdup (_("a PostgreSQL server (it sent an error)"));
  if (len >= 4 && memcmp (data, "220 ", 4) == 0)
    return g_strdup (_("a mail or FTP server"));
  if ((len >= 3 && memcmp (data, "+OK", 3) == 0) || (len >= 4 && memcmp (data, "* OK", 4) == 0))
    return g_strdup (_("a mail server (POP3 or IMAP)"));
  if (len >= 4 && memcmp (data, "-ERR", 4) == 0)
    return g_strdup (_("a Redis-like service"));
  return NULL;
}

static TwCheckStatus
not_ssh (TwProbeContext *ctx,
         const guint8   *data,
         gsize           len,
         gboolean        nudged,
         TwCheckOutcome *out)
{
  g_autofree char *what = name_protocol (data, len, nudged);
  g_autofree char *bytes = printable_prefix (data, len);

  if (what != NULL)
    out->summary = g_strdup_printf (_("Port %u speaks another protocol: %s"), ctx->port, what);
  else
    out->summary = g_strdup_printf (_("Port %u does not speak SSH"), ctx->port);
  out->detail = g_strdup_printf (_("First bytes: %s"), bytes);
  out->hint = g_strdup (_("The SSH port is wrong, or another service took it. Give the port "
                          "sshd listens on (“Port” in sshd_config, 22 by default) — not the "
                          "database’s port: that one is the destination behind the bastion."));
  return TW_CHECK_STATUS_FAIL;
}

static TwCheckStatus
parse_banner (TwProbeContext *ctx,
              const guint8   *data,
              gsize           len,
              TwCheckOutcome *out)
{
  const char *proto, *software;
  const guint8 *newline = memchr (data, '\n', len);
  gsize line_len = newline != NULL ? (gsize) (newline - data) : len;
  g_autofree char *line = NULL;

  if (line_len > 0 && data[line_len - 1] == '\r')
    line_len--;

  /* RFC 4253 allows printable US-ASCII only; anything else would reach the
   * labels and the JSON report as invalid UTF-8 (or end the string early). */
  for (gsize i = 0; i < line_len; i++)
    if (data[i] < 0x20 || data[i] >= 0x7f)
      {
        g_autofree char *bytes = printable_prefix (data, line_len);

        out->summary = g_strdup (_("The SSH identification string holds bytes that are not text"));
        out->detail = g_strdup_printf (_("First bytes: %s"), bytes);
        out->hint = g_strdup (_("The server does not follow the SSH protocol: a broken or "
                                "hostile service listens on this port."));
        return TW_CHECK_STATUS_FAIL;
      }

  line = g_strndup ((const char *) data, line_len);
  ctx->banner = g_strdup (line);

  proto = line + strlen ("SSH-");
  software = strchr (proto, '-');
  if (software == NULL)
    {
      out->summary = g_strdup (_("The SSH identification string is malformed"));
      out->detail = g_strdup (line);
      return TW_CHECK_STATUS_FAIL;
    }
  ctx->software = g_strndup (software + 1, strcspn (software + 1, " "));

  if (!g_str_has_prefix (proto, "2.0-") && !g_str_has_prefix (proto, "1.99-"))
    {
      out->summary = g_strdup_printf (_("The server only speaks the obsolete SSH protocol 1 (%s)"),
                                      ctx->software);
      out->detail = g_strdup (line);
      out->hint = g_strdup (_("SSH 1 has been insecure and unsupported for twenty years; "
                              "install a current OpenSSH on the bastion."));
      return TW_CHECK_STATUS_FAIL;
    }

  out->summary = g_strdup_printf (_("The server runs %s"), ctx->software);
  out->detail = g_strdup (line);
  return TW_CHECK_STATUS_PASS;
}

/* After a nudge the connection is spoiled for SSH: take a fresh one. */
static gboolean
reconnect (TwProbeContext *ctx,
           TwCheckOutcome *out)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, ctx->timeout_s);
  /* Straight to the bastion: no proxy lookup (libproxy may even fetch a PAC file). */
  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (ctx->address),
                                        ctx->cancellable, &error);
  if (connection == NULL)
    {
      out->summary = g_strdup_printf (_("A second connection failed: %s"), error->message);
      return FALSE;
    }
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 0);
  g_clear_object (&ctx->connection);
  ctx->connection = connection;
  return TRUE;
}

TwCheckStatus
tw_check_banner_run (TwProbeContext *ctx,
                     TwCheckOutcome *out)
{
  GSocket *socket = g_socket_connection_get_socket (ctx->connection);
  int fd = g_socket_get_fd (socket);
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) ctx->timeout_s * G_USEC_PER_SEC;
  gint64 quiet = start + MIN ((gint64) QUIET_MS * 1000, deadline - start);
  guint8 data[MAX_BANNER + 1];
  gssize len = 0;
  gboolean nudged = FALSE, closed = FALSE, peer_gone = FALSE;
  TwCheckStatus status;

  tw_probe_context_watch_fd (ctx, fd);

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gssize n;

      if (tw_probe_context_is_cancelled (ctx))
        break;

      if (len == 0)
        {
          struct pollfd pfd = { fd, POLLIN, 0 };
          gint64 until = nudged ? deadline : quiet;

          poll (&pfd, 1, (int) MAX (0, (until - now + 999) / 1000));
        }
      else
        {
          /* Bytes already peeked keep the socket readable, and a peek
           * returns them again rather than EOF: wait a little for more
           * instead of spinning on POLLIN, but see a hang-up at once (a
           * partial banner then EOF would otherwise wait for the timeout). */
          struct pollfd pfd = { fd, POLLRDHUP, 0 };

          if (poll (&pfd, 1, 20) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0)
            peer_gone = TRUE;
        }

      n = recv (fd, data, sizeof data - 1, MSG_PEEK | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        n = len;
      else if (n <= 0)
        {
          /* EOF, a reset, or our own shutdown() on cancel */
          closed = TRUE;
          break;
        }
      len = n;

      if (len >= 4 && memcmp (data, "SSH-", 4) == 0)
        {
          if (memchr (data, '\n', len) != NULL || len >= MAX_BANNER)
            break;
        }
      else if (len > 0 && memcmp (data, "SSH-", MIN (len, 4)) != 0)
        break;  /* not SSH, whatever follows */

      /* What came before the hang-up has been peeked: nothing more will. */
      if (peer_gone)
        {
          closed = TRUE;
          break;
        }

      now = g_get_monotonic_time ();
      if (now >= deadline)
        break;
      if (!nudged && len == 0 && now >= quiet)
        {
          nudged = TRUE;
          if (send (fd, ssl_request, sizeof ssl_request, MSG_NOSIGNAL) != sizeof ssl_request)
            {
              closed = TRUE;
              break;
            }
        }
    }

  tw_probe_context_unwatch_fd (ctx, fd);
  if (tw_probe_context_is_cancelled (ctx))
    return TW_CHECK_STATUS_SKIP;

  /* "SSH-" itself may still be arriving (a server that drips) */
  if (len > 0 && memcmp (data, "SSH-", MIN (len, 4)) == 0)
    {
      if (memchr (data, '\n', len) == NULL)
        {
          if (len >= MAX_BANNER)
            {
              out->summary = g_strdup (_("The server’s identification string never ends"));
              out->hint = g_strdup (_("SSH allows 255 characters; this server sent more without "
                                      "a line break. It is not a working SSH server."));
            }
          else if (closed)
            {
              out->summary = g_strdup (_("The server closed the connection in the middle of its identification string"));
              out->hint = g_strdup (_("Not a working SSH server: it started to answer and hung up. "
                                      "sshd may have crashed or refused this address "
                                      "(“MaxStartups”, “PerSourcePenalties”); its log says why."));
            }
          else
            {
              out->summary = g_strdup_printf (_("The server sent only %zd bytes of its identification string in %u s"),
                                              len, ctx->timeout_s);
              out->hint = g_strdup (_("The server or the network is extremely slow, or something "
                                      "between here and the server holds the traffic back."));
            }
          data[len] = 0;
          out->detail = printable_prefix (data, len);
          return TW_CHECK_STATUS_FAIL;
        }

      status = parse_banner (ctx, data, len, out);
      if (status != TW_CHECK_STATUS_FAIL && nudged && !reconnect (ctx, out))
        return TW_CHECK_STATUS_FAIL;
      return status;
    }

  if (len > 0)
    return not_ssh (ctx, data, len, nudged, out);

  if (closed)
    {
      out->summary = g_strdup (_("The server closed the connection without an SSH identification string"));
      out->hint = g_strdup (nudged
                            ? _("The port accepted a connection but closed it when sent a few "
                                "bytes: probably not SSH (a database such as PostgreSQL does this). "
                                "Check the SSH port.")
                            : _("sshd may refuse this address (“tcpwrappers”, “MaxStartups”, "
                                "“PerSourcePenalties”, a “DenyUsers”-like rule) or be overloaded; "
                                "its log says why."));
      return TW_CHECK_STATUS_FAIL;
    }

  out->summary = g_strdup_printf (_("No SSH identification string within %u s"), ctx->timeout_s);
  out->hint = g_strdup (_("Something accepts connections on this port but says nothing: not "
                          "sshd, or an sshd that hangs (check its log), or a proxy or "
                          "firewall that accepts connections and holds them."));
  return TW_CHECK_STATUS_FAIL;
}
