/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Misbehaving servers for the probe tests. One thread per server accepts,
 * one thread per connection misbehaves (the channels check opens several at
 * once); every wait polls a stop flag so the test can end it at once.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tw-test-badserver.h"

struct _TwTestBadserver
{
  TwBadKind  kind;
  int        listen_fd;
  int        filler_fd;   /* TW_BAD_BLACK_HOLE: the connection that fills the queue */
  guint      port;
  GThread   *thread;
  GPtrArray *handlers;    /* GThread, one per connection; joined at the end */
  gint       stop;
  gint       hits;
  gint       finished;
  guint64    bytes_sent;  /* atomic builtins: GLib has no 64-bit atomics */
};

typedef struct
{
  TwTestBadserver *server;
  int              fd;
} Connection;

static const char banner[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";

static gboolean
stopping (TwTestBadserver *server)
{
  return g_atomic_int_get (&server->stop);
}

/* Waits up to @ms for input, in slices so a stop is seen within 50 ms.
 * Returns bytes read, 0 on EOF or stop, -1 on timeout. */
static gssize
read_some (TwTestBadserver *server,
           int              fd,
           char            *buf,
           gsize            size,
           int              ms)
{
  for (int waited = 0; waited < ms && !stopping (server); waited += 50)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };

      if (poll (&pfd, 1, 50) > 0)
        {
          gssize n = read (fd, buf, size);
          return n > 0 ? n : 0;
        }
    }
  return stopping (server) ? 0 : -1;
}

/* Reads exactly @size bytes (a message that a proxy such as sshd may hand
 * over in pieces); FALSE if the client goes or @ms pass between pieces. */
static gboolean
read_exact (TwTestBadserver *server,
            int              fd,
            char            *buf,
            gsize            size,
            int              ms)
{
  for (gsize got = 0; got < size;)
    {
      gssize n = read_some (server, fd, buf + got, size - got, ms);

      if (n <= 0)
        return FALSE;
      got += (gsize) n;
    }
  return TRUE;
}

/* Sends all of @data unless the client goes or the test ends; a client
 * that stops reading holds it here (polled, so a stop is seen). FALSE when
 * the data did not all go. */
static gboolean
send_all (TwTestBadserver *server,
          int              fd,
          const void      *data,
          gsize            len)
{
  while (len > 0 && !stopping (server))
    {
      struct pollfd pfd = { fd, POLLOUT, 0 };
      gssize n;

      if (poll (&pfd, 1, 50) <= 0)
        continue;
      n = send (fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (n <= 0)
        return FALSE;
      __atomic_add_fetch (&server->bytes_sent, (guint64) n, __ATOMIC_RELAXED);
      data = (const char *) data + n;
      len -= n;
    }
  return len == 0;
}

/* The old name, for the cases that ignore the outcome */
static void
write_all (TwTestBadserver *server,
           int              fd,
           const void      *data,
           gsize            len)
{
  send_all (server, fd, data, len);
}

/* PostgreSQL: the client's SSLRequest gets 'N'; returns once the next
 * message (the StartupMessage) is in, FALSE if the client went. */
static gboolean
postgres_until_startup (TwTestBadserver *server,
                        int              fd)
{
  char buf[4096];
  gssize n = read_some (server, fd, buf, sizeof buf, 30000);

  if (n == 8 && buf[4] == 0x04 && (guint8) buf[5] == 0xd2)
    {
      if (!send_all (server, fd, "N", 1))
        return FALSE;
      n = read_some (server, fd, buf, sizeof buf, 30000);
    }
  return n > 0;
}

static void
put_be32 (guint8  *p,
          guint32  v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* Holds the connection until the client goes or the test ends. */
static void
hold (TwTestBadserver *server,
      int              fd)
{
  char buf[4096];

  while (!stopping (server))
    if (read_some (server, fd, buf, sizeof buf, 200) == 0)
      return;
}

static void
handle (TwTestBadserver *server,
        int              fd)
{
  char buf[4096];

  switch (server->kind)
    {
    case TW_BAD_SILENT:
      hold (server, fd);
      break;

    case TW_BAD_HTTP:
      if (read_some (server, fd, buf, sizeof buf, 30000) > 0)
        {
          static const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
          write_all (server, fd, reply, strlen (reply));
        }
      break;

    case TW_BAD_CLOSE_AFTER_BANNER:
      write_all (server, fd, banner, strlen (banner));
      break;

    case TW_BAD_ENDLESS_BANNER:
      write_all (server, fd, "SSH-2.0-", 8);
      memset (buf, 'A', sizeof buf);
      for (guint i = 0; i < 64 && !stopping (server); i++)
        write_all (server, fd, buf, sizeof buf);
      hold (server, fd);
      break;

    case TW_BAD_RESET_MID_KEX:
      {
        struct linger linger = { 1, 0 };

        write_all (server, fd, banner, strlen (banner));
        /* the client's banner, then its KEXINIT */
        read_some (server, fd, buf, sizeof buf, 10000);
        read_some (server, fd, buf, sizeof buf, 200);
        setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
      }
      break;

    case TW_BAD_DRIP:
      for (gsize i = 0; i < strlen (banner) && !stopping (server); i++)
        {
          write_all (server, fd, banner + i, 1);
          if (read_some (server, fd, buf, sizeof buf, 1000) == 0)
            break;
        }
      hold (server, fd);
      break;

    case TW_BAD_STALL_KEX:
      write_all (server, fd, banner, strlen (banner));
      hold (server, fd);
      break;

    case TW_BAD_MYSQL:
      {
        /* length 0x4a, sequence 0, protocol 10, version, thread id … */
        static const guint8 greeting[] = {
          0x4a, 0x00, 0x00, 0x00, 0x0a, '1', '0', '.', '1', '1', '.', '6', '-', 'M', 'a', 'r',
          'i', 'a', 'D', 'B', 0x00, 0x08, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g',
          'h', 0x00, 0xfe, 0xff, 0x2d, 0x02, 0x00, 0xff, 0x81, 0x15
        };
        write_all (server, fd, greeting, sizeof greeting);
        hold (server, fd);
      }
      break;

    case TW_BAD_POSTGRES:
      if (read_exact (server, fd, buf, 8, 30000) && buf[4] == 0x04 && (guint8) buf[5] == 0xd2)
        {
          write_all (server, fd, "N", 1);
          hold (server, fd);
        }
      break;

    case TW_BAD_TLS:
      if (read_some (server, fd, buf, sizeof buf, 30000) > 0)
        {
          /* fatal alert: handshake_failure */
          static const guint8 alert[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 };
          write_all (server, fd, alert, sizeof alert);
        }
      break;

    case TW_BAD_GREETING:
      write_all (server, fd, "hello\n", 6);
      break;

    case TW_BAD_ENDLESS_LINES:
      /* RFC 4253 lets a server send other lines before its banner; these never stop. */
      for (guint64 i = 0; !stopping (server); i++)
        {
          g_autofree char *line = g_strdup_printf ("Welcome, line %" G_GUINT64_FORMAT " of many\r\n", i);

          if (!send_all (server, fd, line, strlen (line)))
            break;
        }
      break;

    case TW_BAD_NUL_BANNER:
      write_all (server, fd, "SSH-2.0-Open\0SSH_9.2\r\n", 22);
      hold (server, fd);
      break;

    case TW_BAD_HUGE_LINE:
      {
        g_autofree char *line = g_malloc (1024 * 1024);

        memset (line, 'A', 1024 * 1024);
        if (send_all (server, fd, "SSH-2.0-", 8))
          send_all (server, fd, line, 1024 * 1024);
        hold (server, fd);
      }
      break;

    case TW_BAD_PARTIAL_BANNER_EOF:
      write_all (server, fd, "SSH-2.0-", 8);
      shutdown (fd, SHUT_WR);
      hold (server, fd);
      break;

    case TW_BAD_RESET_AFTER_BANNER:
      {
        struct linger linger = { 1, 0 };

        write_all (server, fd, banner, strlen (banner));
        /* the client's own banner, so that it is inside the key exchange */
        read_some (server, fd, buf, sizeof buf, 10000);
        setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
      }
      break;

    case TW_BAD_PG_LIE_LONGER:
    case TW_BAD_PG_LIE_HUGE:
    case TW_BAD_PG_LIE_NEGATIVE:
      if (postgres_until_startup (server, fd))
        {
          /* 'R', a length, AuthenticationOk (0) and 4 bytes more */
          guint8 message[1 + 4 + 8] = { 'R' };

          put_be32 (message + 1, server->kind == TW_BAD_PG_LIE_LONGER ? 1000
                                 : server->kind == TW_BAD_PG_LIE_HUGE ? 0x7fffffffu : 0xfffffff0u);
          write_all (server, fd, message, sizeof message);
          hold (server, fd);
        }
      break;

    case TW_BAD_PG_NOTICE_FLOOD:
      if (postgres_until_startup (server, fd))
        {
          /* NoticeResponse: 'N', length, fields ("S" severity, "M" message), NUL */
          gsize size = 60 * 1024;
          g_autofree guint8 *message = g_malloc0 (size);

          message[0] = 'N';
          put_be32 (message + 1, size - 1);
          message[5] = 'S';
          memcpy (message + 6, "NOTICE", 6);
          message[13] = 'M';
          memset (message + 14, 'x', size - 14 - 2);
          while (send_all (server, fd, message, size))
            ;
        }
      break;

    case TW_BAD_MYSQL_LIE_HUGE:
      {
        static const guint8 greeting[] = { 0xff, 0xff, 0xff, 0x00, 0x0a, '1', '0', '.', '1', '1', 0x00 };

        write_all (server, fd, greeting, sizeof greeting);
        hold (server, fd);
      }
      break;

    case TW_BAD_FLOOD:
      memset (buf, 'x', sizeof buf);
      while (send_all (server, fd, buf, sizeof buf))
        ;
      break;

    case TW_BAD_BLACK_HOLE:
    default:
      break;
    }
}

static gpointer
handle_connection (gpointer data)
{
  Connection *connection = data;

  handle (connection->server, connection->fd);
  close (connection->fd);
  g_atomic_int_inc (&connection->server->finished);
  g_free (connection);
  return NULL;
}

static gpointer
serve (gpointer data)
{
  TwTestBadserver *server = data;

  while (!stopping (server))
    {
      struct pollfd pfd = { server->listen_fd, POLLIN, 0 };
      Connection *connection;
      int fd;

      if (poll (&pfd, 1, 50) <= 0)
        continue;
      fd = accept (server->listen_fd, NULL, NULL);
      if (fd < 0)
        continue;
      g_atomic_int_inc (&server->hits);
      connection = g_new0 (Connection, 1);
      connection->server = server;
      connection->fd = fd;
      g_ptr_array_add (server->handlers, g_thread_new ("badserver-conn", handle_connection, connection));
    }
  return NULL;
}

TwTestBadserver *
tw_test_badserver_new (TwBadKind kind)
{
  TwTestBadserver *server = g_new0 (TwTestBadserver, 1);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int one = 1;

  server->kind = kind;
  server->filler_fd = -1;
  server->handlers = g_ptr_array_new ();
  server->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  setsockopt (server->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  g_assert_cmpint (bind (server->listen_fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (server->listen_fd, (struct sockaddr *) &addr, &len), ==, 0);
  server->port = ntohs (addr.sin_port);

  if (kind == TW_BAD_BLACK_HOLE)
    {
      /* Linux drops SYNs to a listener whose accept queue is full: with a
       * backlog of 0 one unaccepted connection fills it, and any further
       * connect sees silence — a firewall's DROP, on loopback. */
      g_assert_cmpint (listen (server->listen_fd, 0), ==, 0);
      server->filler_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      g_assert_cmpint (connect (server->filler_fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
      return server;
    }

  g_assert_cmpint (listen (server->listen_fd, 16), ==, 0);
  server->thread = g_thread_new ("badserver", serve, server);
  return server;
}

guint
tw_test_badserver_get_port (TwTestBadserver *server)
{
  return server->port;
}

guint
tw_test_badserver_get_hits (TwTestBadserver *server)
{
  return g_atomic_int_get (&server->hits);
}

guint64
tw_test_badserver_get_bytes_sent (TwTestBadserver *server)
{
  return __atomic_load_n (&server->bytes_sent, __ATOMIC_RELAXED);
}

guint
tw_test_badserver_get_finished (TwTestBadserver *server)
{
  return g_atomic_int_get (&server->finished);
}

void
tw_test_badserver_free (TwTestBadserver *server)
{
  if (server == NULL)
    return;

  g_atomic_int_set (&server->stop, 1);
  if (server->thread != NULL)
    g_thread_join (server->thread);
  for (guint i = 0; i < server->handlers->len; i++)
    g_thread_join (g_ptr_array_index (server->handlers, i));
  g_ptr_array_unref (server->handlers);
  if (server->filler_fd >= 0)
    close (server->filler_fd);
  close (server->listen_fd);
  g_free (server);
}
