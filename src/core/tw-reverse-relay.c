/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The relay between the bastion's forwarded channels and the local
 * destination. One thread owns the ssh_session (libssh's threading rule), so
 * everything happens in one poll() loop over the SSH socket, the stop fd and
 * the local sockets. Back-pressure both ways:
 *  - local → bastion: a local socket is only polled for input while the
 *    channel's remote window is open, and never more than the window is read;
 *  - bastion → local: a channel is only read while the data read before has
 *    all reached the local socket. libssh grows our window only when we read,
 *    so the bastion stops sending when the local side is slow.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <libssh/server.h>   /* ssh_send_keepalive(), usable by clients too */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tw-reverse-relay.h"
#include "tw-reverse-tunnel.h"

/* local → bastion reads; the bastion → local batch and the most a socket
 * is left holding. */
#define CHUNK        (128 * 1024)
#define BATCH        CHUNK
#define MAX_PER_TURN (16 * CHUNK)

typedef struct {
  ssh_channel channel;
  int         fd;
  guint       address_index;
  gboolean    connecting;
  guint8     *pending;          /* bastion → local bytes the socket did not take yet */
  gsize       pending_len;
  gsize       pending_off;
  gboolean    local_eof;        /* the destination closed its side; EOF sent on the channel */
  gboolean    remote_eof;       /* the channel sent EOF */
  gboolean    shut_wr;
  gboolean    dead;
  uint32_t    window_seen;
} Conn;

static void
conn_fail (Conn       *conn,
           const char *why)
{
  g_debug ("Reverse tunnel: connection dropped: %s", why);
  conn->dead = TRUE;
}

static void
conn_free (Conn *conn)
{
  if (conn->fd >= 0)
    close (conn->fd);
  if (conn->channel != NULL)
    {
      if (ssh_channel_is_open (conn->channel))
        ssh_channel_close (conn->channel);
      ssh_channel_free (conn->channel);
    }
  g_free (conn->pending);
  g_free (conn);
}

static gboolean
conn_try_connect (Conn      *conn,
                  GPtrArray *addresses)
{
  while (conn->address_index < addresses->len)
    {
      GSocketAddress *address = g_ptr_array_index (addresses, conn->address_index);
      struct sockaddr_storage native;
      gsize len = g_socket_address_get_native_size (address);
      int one = 1;

      if (conn->fd >= 0)
        close (conn->fd);
      conn->fd = -1;

      if (!g_socket_address_to_native (address, &native, sizeof native, NULL))
        {
          conn->address_index++;
          continue;
        }

      conn->fd = socket (native.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (conn->fd < 0)
        return FALSE;
      setsockopt (conn->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

      if (connect (conn->fd, (struct sockaddr *) &native, len) == 0)
        {
          conn->connecting = FALSE;
          return TRUE;
        }
      if (errno == EINPROGRESS)
        {
          conn->connecting = TRUE;
          return TRUE;
        }
      conn->address_index++;
    }

  return FALSE;
}

/* The connect finished (POLLOUT): either it worked or the next address is tried. */
static void
conn_finish_connect (Conn      *conn,
                     GPtrArray *addresses)
{
  int err = 0;
  socklen_t len = sizeof err;

  if (getsockopt (conn->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
    err = errno;
  if (err == 0)
    {
      conn->connecting = FALSE;
      return;
    }

  g_debug ("Reverse tunnel: local destination refused: %s", g_strerror (err));
  conn->address_index++;
  if (!conn_try_connect (conn, addresses))
    conn_fail (conn, "the local destination refused");
}

/* Hands bastion → local bytes to the socket; keeps what it did not take. */
static void
conn_send_local (Conn          *conn,
                 const guint8  *data,
                 gsize          len)
{
  ssize_t n = send (conn->fd, data, len, MSG_NOSIGNAL);

  if (n < 0)
    {
      if (errno != EAGAIN && errno != EINTR)
        {
          conn_fail (conn, g_strerror (errno));
          return;
        }
      n = 0;
    }

  if ((gsize) n < len)
    {
      /* len <= BATCH, so one buffer of BATCH always holds the rest. */
      if (conn->pending == NULL)
        conn->pending = g_malloc (BATCH);
      memmove (conn->pending, data + n, len - n);
      conn->pending_len = len - n;
      conn->pending_off = 0;
    }
}

static void
conn_flush_pending (Conn *conn)
{
  gsize left = conn->pending_len - conn->pending_off;
  ssize_t n = send (conn->fd, conn->pending + conn->pending_off, left, MSG_NOSIGNAL);

  if (n < 0)
    {
      if (errno != EAGAIN && errno != EINTR)
        conn_fail (conn, g_strerror (errno));
      return;
    }
  conn->pending_off += n;
  if (conn->pending_off == conn->pending_len)
    conn->pending_len = conn->pending_off = 0;
}

/* local → bastion, never more than the channel's window. */
static void
conn_read_local (TwReverseRelay *relay,
                 Conn           *conn,
                 guint8         *scratch)
{
  uint32_t window = ssh_channel_window_size (conn->channel);
  ssize_t n;

  if (window == 0)
    return;

  n = recv (conn->fd, scratch, MIN (window, CHUNK), 0);
  if (n < 0)
    {
      if (errno != EAGAIN && errno != EINTR)
        conn_fail (conn, g_strerror (errno));
      return;
    }
  if (n == 0)
    {
      conn->local_eof = TRUE;
      if (ssh_channel_send_eof (conn->channel) != SSH_OK)
        conn_fail (conn, "EOF not sent");
      return;
    }

  if (ssh_channel_write (conn->channel, scratch, n) != n)
    {
      conn_fail (conn, ssh_get_error (ssh_channel_get_session (conn->channel)));
      return;
    }
  conn->window_seen = ssh_channel_window_size (conn->channel);
  __atomic_add_fetch (&relay->stats->bytes_sent, n, __ATOMIC_RELAXED);
}

/* bastion → local: what libssh has buffered for this channel, and what the
 * SSH socket still holds. Returns TRUE when the bastion showed signs of life
 * (data, EOF or a grown window).
 *
 * Where the time goes (perf, strace): libssh reads the SSH socket 4 KiB per
 * call (MAX_BUF_SIZE), one poll() each, so a 32 KiB data packet takes eight
 * calls, and seven of them leave the channel empty. Stopping at the first
 * empty answer cost a whole turn of the outer loop (another poll(), the
 * accept check) per 4 KiB. The socket counter tells an empty socket from a
 * packet that is not complete yet, so the loop goes on while libssh still
 * reads something. What arrives is gathered into one local send() of up to
 * BATCH bytes instead of one per SSH packet: fewer syscalls and fewer wakeups
 * of the destination. */
static gboolean
conn_read_channel (TwReverseRelay *relay,
                   Conn           *conn,
                   guint8         *scratch,
                   ssh_counter     socket_counter)
{
  gboolean alive = FALSE;
  gsize filled = 0;
  gsize moved = 0;
  uint32_t window;

  window = ssh_channel_window_size (conn->channel);
  if (window > conn->window_seen)
    alive = TRUE;
  conn->window_seen = window;

  if (conn->connecting || conn->pending_len > 0 || conn->remote_eof)
    return alive;

  /* Bounded, so the other channels and the local sockets get their turn. */
  while (moved < MAX_PER_TURN)
    {
      uint64_t socket_before = socket_counter->in_bytes;
      int avail;
      int n;

      avail = ssh_channel_poll (conn->channel, 0);
      if (avail == SSH_EOF)
        {
          conn->remote_eof = TRUE;
          alive = TRUE;
          break;
        }
      if (avail == SSH_ERROR)
        {
          conn_fail (conn, "channel poll failed");
          break;
        }
      if (avail == 0)
        {
          /* libssh read part of a packet: there is more to come at once. */
          if (socket_counter->in_bytes != socket_before)
            {
              /* Maybe another channel's packet: its turn comes next, and
               * poll() must not sleep on a socket libssh has emptied. */
              moved += socket_counter->in_bytes - socket_before;
              alive = TRUE;
              continue;
            }
          break;
        }

      n = ssh_channel_read_nonblocking (conn->channel, scratch + filled,
                                        MIN ((gsize) avail, BATCH - filled), 0);
      if (n == SSH_ERROR)
        {
          conn_fail (conn, "channel read failed");
          break;
        }
      if (n <= 0)
        break;

      __atomic_add_fetch (&relay->stats->bytes_received, n, __ATOMIC_RELAXED);
      alive = TRUE;
      filled += n;
      moved += n;
      if (filled == BATCH)
        {
          conn_send_local (conn, scratch, filled);
          filled = 0;
          if (conn->pending_len > 0 || conn->dead)
            return TRUE;
        }
    }

  if (filled > 0 && !conn->dead)
    conn_send_local (conn, scratch, filled);

  /* The bastion closed the channel without EOF (its client vanished). */
  if (!conn->dead && ssh_channel_is_closed (conn->channel))
    conn->remote_eof = TRUE;

  return alive;
}

static gboolean
conn_is_finished (Conn *conn)
{
  if (conn->dead)
    return TRUE;
  if (conn->remote_eof && conn->pending_len == 0 && !conn->shut_wr)
    {
      /* Pass the EOF on, so the destination can answer and then close. */
      shutdown (conn->fd, SHUT_WR);
      conn->shut_wr = TRUE;
    }
  if (conn->remote_eof && conn->pending_len == 0 &&
      (conn->local_eof || ssh_channel_is_closed (conn->channel)))
    return TRUE;
  return FALSE;
}

static short
conn_events (Conn *conn)
{
  short events = 0;

  if (conn->connecting)
    return POLLOUT;
  if (conn->pending_len > 0)
    events |= POLLOUT;
  if (!conn->local_eof && ssh_channel_window_size (conn->channel) > 0)
    events |= POLLIN;
  return events;
}

static void
accept_channels (TwReverseRelay *relay,
                 GPtrArray      *conns)
{
  for (;;)
    {
      g_autofree char *originator = NULL;
      int dest_port = 0;
      int originator_port = 0;
      ssh_channel channel;
      Conn *conn;

      channel = ssh_channel_open_forward_port (relay->session, 0, &dest_port,
                                               &originator, &originator_port);
      if (channel == NULL)
        return;

      g_debug ("Reverse tunnel: connection from %s:%d",
               originator ? originator : "?", originator_port);

      conn = g_new0 (Conn, 1);
      conn->channel = channel;
      conn->fd = -1;
      conn->window_seen = ssh_channel_window_size (channel);
      if (!conn_try_connect (conn, relay->dest_addresses))
        {
          g_debug ("Reverse tunnel: the local destination cannot be reached");
          conn_free (conn);
          continue;
        }
      g_ptr_array_add (conns, conn);
      g_atomic_int_set (&relay->stats->connections, conns->len);
    }
}

static gboolean
session_is_gone (ssh_session session)
{
  return !ssh_is_connected (session) ||
         (ssh_get_status (session) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0;
}

/* OpenSSH must answer keepalive@openssh.com (want-reply set). libssh's
 * ssh_send_keepalive() waits for that answer, up to the session timeout the
 * tunnel set to two intervals, and consumes it; so an early return means the
 * bastion answered and a return after the whole timeout means it did not. */
static gboolean
keepalive_answered (TwReverseRelay *relay)
{
  gint64 start = g_get_monotonic_time ();
  gint64 limit = 2 * (gint64) relay->keepalive_seconds * G_USEC_PER_SEC;

  ssh_send_keepalive (relay->session);
  return g_get_monotonic_time () - start < limit - G_USEC_PER_SEC / 10;
}

void
tw_reverse_relay_run (TwReverseRelay  *relay,
                      GError         **error)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  g_autoptr(GArray) fds = g_array_new (FALSE, TRUE, sizeof (struct pollfd));
  g_autofree guint8 *scratch = g_malloc (MAX (CHUNK, BATCH));
  struct ssh_counter_struct socket_counter = { 0 };
  gint64 interval = (gint64) relay->keepalive_seconds * G_USEC_PER_SEC;
  gint64 last_alive = g_get_monotonic_time ();
  int wake_fd = g_cancellable_get_fd (relay->cancellable);

  /* libssh counts every byte it reads off the socket here (see
   * conn_read_channel()); unset before the counter goes out of scope. */
  ssh_set_counters (relay->session, &socket_counter, NULL);

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gboolean alive = FALSE;
      struct pollfd *pfd;
      int timeout_ms;
      int rc;

      /* Quiet for a whole interval: ask the bastion whether it is still there. */
      if (now - last_alive >= interval)
        {
          if (!keepalive_answered (relay) && !session_is_gone (relay->session))
            {
              g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_TIMEOUT,
                           _("The bastion stopped answering: no reply to a keepalive for %u "
                             "seconds"), 3 * relay->keepalive_seconds);
              break;
            }
          last_alive = now = g_get_monotonic_time ();
        }

      /* Before sleeping: libssh reads and queues packets inside any call
       * (keepalive, writes, channel polls), so a channel open or channel
       * data may already wait in its buffers with nothing left on the socket
       * to wake poll(). Look at all of it on every turn. */
      accept_channels (relay, conns);
      for (guint i = 0; i < conns->len; i++)
        if (conn_read_channel (relay, g_ptr_array_index (conns, i), scratch,
                               &socket_counter))
          alive = TRUE;

      for (guint i = conns->len; i > 0; i--)
        if (conn_is_finished (g_ptr_array_index (conns, i - 1)))
          g_ptr_array_remove_index_fast (conns, i - 1);
      g_atomic_int_set (&relay->stats->connections, conns->len);

      /* A hang-up libssh did not notice would wake poll() forever. */
      if (session_is_gone (relay->session))
        {
          const char *reason = ssh_get_error (relay->session);

          g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_CLOSED,
                       _("The bastion closed the connection (%s)"),
                       reason && *reason ? reason : _("no reason given"));
          break;
        }

      timeout_ms = alive ? 0 : (int) MAX (0, (last_alive + interval - now + 999) / 1000);
      if (relay->changed (relay->user_data))
        timeout_ms = MIN (timeout_ms, 100);

      g_array_set_size (fds, 2 + conns->len);
      pfd = (struct pollfd *) (void *) fds->data;
      pfd[0] = (struct pollfd) { .fd = wake_fd, .events = POLLIN };
      pfd[1] = (struct pollfd) { .fd = relay->ssh_fd, .events = POLLIN };
      for (guint i = 0; i < conns->len; i++)
        {
          Conn *conn = g_ptr_array_index (conns, i);
          short events = conn_events (conn);

          /* fd -1: poll() ignores it, so a hung-up socket we do not want to
           * read yet cannot make poll() return at once forever. */
          pfd[2 + i] = (struct pollfd) { .fd = events ? conn->fd : -1, .events = events };
        }

      rc = poll (pfd, fds->len, timeout_ms);
      if (rc < 0 && errno != EINTR)
        {
          g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_CLOSED,
                       "poll: %s", g_strerror (errno));
          break;
        }
      if (rc < 0)
        continue;

      if (g_cancellable_set_error_if_cancelled (relay->cancellable, error))
        break;

      /* What the socket brought is read at the top of the next turn. */
      if (pfd[1].revents & POLLIN)
        alive = TRUE;
      if ((pfd[1].revents & (POLLHUP | POLLERR)) && !session_is_gone (relay->session))
        {
          g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_CLOSED,
                       _("The connection to the bastion was cut"));
          break;
        }

      for (guint i = 0; i + 2 < fds->len && i < conns->len; i++)
        {
          Conn *conn = g_ptr_array_index (conns, i);
          short revents = pfd[2 + i].revents;

          if (revents == 0 || conn->dead)
            continue;
          if (conn->connecting)
            {
              conn_finish_connect (conn, relay->dest_addresses);
              continue;
            }
          if ((revents & (POLLOUT | POLLERR | POLLHUP)) && conn->pending_len > 0)
            conn_flush_pending (conn);
          if ((revents & (POLLIN | POLLERR | POLLHUP)) && !conn->local_eof && !conn->dead)
            conn_read_local (relay, conn, scratch);
        }

      if (alive)
        last_alive = g_get_monotonic_time ();
    }

  ssh_set_counters (relay->session, NULL, NULL);
  g_cancellable_release_fd (relay->cancellable);
  g_ptr_array_set_size (conns, 0);
  g_atomic_int_set (&relay->stats->connections, 0);
  relay->changed (relay->user_data);
}
