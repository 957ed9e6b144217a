/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A peer that opens 1000 channels back at once. In reverse tunnel mode the
 * bastion opens a channel to this machine for every connection to its
 * forwarded port: 1000 connections there at once are 1000 channels the
 * relay must carry (or refuse, saying why) while staying healthy — the
 * tunnel up, no reconnect, bounded memory, and a normal connection working
 * afterwards. Real OpenSSH sshd on loopback (tests/rig/tw-test-sshd.c).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tw-core.h"
#include "tw-test-sshd.h"

#define N_CLIENTS 1000

/* An echo server that serves any number of connections from one thread
 * with poll(): the rig's echo has a thread per connection, too many here. */
typedef struct
{
  int      listen_fd;
  guint    port;
  GThread *thread;
  gint     stop;
  gint     peak;   /* connections open at once */
  gint     live;   /* connections open now */
} PollEcho;

/* Blocking: the 1 MiB round trip at the end needs every byte back. */
static gboolean
send_whole (int         fd,
            const char *data,
            gsize       len)
{
  while (len > 0)
    {
      gssize n = send (fd, data, len, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static gpointer
poll_echo_main (gpointer data)
{
  PollEcho *echo = data;
  g_autoptr(GArray) fds = g_array_new (FALSE, TRUE, sizeof (struct pollfd));
  struct pollfd listener = { echo->listen_fd, POLLIN, 0 };

  g_array_append_val (fds, listener);
  while (!g_atomic_int_get (&echo->stop))
    {
      struct pollfd *pfd = (struct pollfd *) (void *) fds->data;

      if (poll (pfd, fds->len, 50) <= 0)
        continue;
      for (guint i = fds->len; i > 1; i--)
        {
          struct pollfd *p = &g_array_index (fds, struct pollfd, i - 1);
          char buf[4096];
          gssize n;

          if (p->revents == 0)
            continue;
          n = recv (p->fd, buf, sizeof buf, MSG_DONTWAIT);
          if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
          if (n <= 0 || !send_whole (p->fd, buf, n))
            {
              close (p->fd);
              g_array_remove_index_fast (fds, i - 1);
            }
        }
      g_atomic_int_set (&echo->live, fds->len - 1);
      if (g_array_index (fds, struct pollfd, 0).revents & POLLIN)
        {
          int fd = accept (echo->listen_fd, NULL, NULL);

          if (fd >= 0)
            {
              struct pollfd conn = { fd, POLLIN, 0 };

              g_array_append_val (fds, conn);
              if ((gint) fds->len - 1 > g_atomic_int_get (&echo->peak))
                g_atomic_int_set (&echo->peak, fds->len - 1);
            }
        }
    }
  for (guint i = 1; i < fds->len; i++)
    close (g_array_index (fds, struct pollfd, i).fd);
  return NULL;
}

static PollEcho *
poll_echo_start (void)
{
  PollEcho *echo = g_new0 (PollEcho, 1);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;

  echo->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (bind (echo->listen_fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (echo->listen_fd, (struct sockaddr *) &addr, &len), ==, 0);
  g_assert_cmpint (listen (echo->listen_fd, 4096), ==, 0);
  echo->port = ntohs (addr.sin_port);
  echo->thread = g_thread_new ("poll-echo", poll_echo_main, echo);
  return echo;
}

static void
poll_echo_stop (PollEcho *echo)
{
  g_atomic_int_set (&echo->stop, 1);
  g_thread_join (echo->thread);
  close (echo->listen_fd);
  g_free (echo);
}

static gint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

static gboolean
wait_for_state (TwReverseTunnel      *tunnel,
                TwReverseTunnelState  state,
                guint                 timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (tw_reverse_tunnel_get_state (tunnel) != state && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  return tw_reverse_tunnel_get_state (tunnel) == state;
}

typedef struct
{
  int   fd;
  char  message[32];
  gsize len;
  gsize sent;
  gsize received;
} Client;

/* Opens @n connections to @port at once, each sends a line and waits for
 * its echo, all held open until the last echo is in. Returns how many got
 * their echo; *@max_open: the tunnel's own count at its highest. */
static guint
open_all_at_once (TwReverseTunnel *tunnel,
                  guint            port,
                  guint            n,
                  guint            timeout_s,
                  guint           *max_open)
{
  g_autofree Client *clients = g_new0 (Client, n);
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, n);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port),
                              .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  guint done = 0, started = 0;

  for (guint i = 0; i < n; i++)
    clients[i].fd = -1;

  while (done < n && g_get_monotonic_time () < deadline)
    {
      /* sshd listens on the forwarded port with a backlog of 128: more
       * handshakes at once overflow the kernel's accept queue, and with SYN
       * cookies a late segment of a client that has gone can then be taken
       * for a new connection — one the bastion holds open for good, which
       * the relay rightly carries. That is the kernel's and sshd's business,
       * not the relay's: keep at most 100 handshakes under way; every
       * connection still stays open until all 1000 are. */
      while (started < n && started - done < 100)
        {
          Client *c = &clients[started];

          c->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
          g_assert_cmpint (c->fd, >=, 0);
          if (connect (c->fd, (struct sockaddr *) &addr, sizeof addr) < 0)
            g_assert_cmpint (errno, ==, EINPROGRESS);
          c->len = g_snprintf (c->message, sizeof c->message, "channel %u\n", started);
          started++;
        }

      for (guint i = 0; i < n; i++)
        {
          Client *c = &clients[i];
          short events = c->sent < c->len ? POLLOUT : (c->received < c->len ? POLLIN : 0);

          pfds[i] = (struct pollfd) { events && c->fd >= 0 ? c->fd : -1, events, 0 };
        }
      poll (pfds, n, 20);
      for (guint i = 0; i < n; i++)
        {
          Client *c = &clients[i];
          char buf[64];
          gssize got;

          if (pfds[i].revents == 0)
            continue;
          if (c->sent < c->len)
            {
              gssize sent = send (c->fd, c->message + c->sent, c->len - c->sent, MSG_NOSIGNAL);

              if (sent > 0)
                c->sent += sent;
              continue;
            }
          got = recv (c->fd, buf, sizeof buf, MSG_DONTWAIT);
          if (got <= 0)
            {
              if (got == 0 || (errno != EAGAIN && errno != EINTR))
                c->received = c->len + 1;   /* closed on us: never an echo */
              continue;
            }
          g_assert_cmpmem (buf, got, c->message + c->received, got);
          c->received += got;
          if (c->received == c->len)
            done++;
        }
      while (g_main_context_iteration (NULL, FALSE))
        ;
      *max_open = MAX (*max_open, tw_reverse_tunnel_get_connections (tunnel));
    }

  /* Which ones did not make it, and where TCP left them: the client's send
   * unacknowledged means the bastion never took the bytes. */
  for (guint i = 0; i < n && done < n; i++)
    {
      Client *c = &clients[i];
      struct tcp_info info = { 0 };
      socklen_t len = sizeof info;

      if (c->received == c->len || c->fd < 0)
        continue;
      getsockopt (c->fd, IPPROTO_TCP, TCP_INFO, &info, &len);
      g_test_message ("client %u: sent %zu of %zu, echoed %zu; TCP state %u, unacked %u, "
                      "retransmits %u, last data received %u ms ago", i, c->sent, c->len,
                      c->received, info.tcpi_state, info.tcpi_unacked, info.tcpi_total_retrans,
                      info.tcpi_last_data_recv);
    }

  for (guint i = 0; i < n; i++)
    if (clients[i].fd >= 0)
      close (clients[i].fd);
  return done;
}

static void
test_thousand_channels (void)
{
  g_autoptr(TwKeypair) keypair = NULL;
  g_autoptr(TwReverseTunnel) tunnel = NULL;
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorized = NULL;
  PollEcho *echo;
  char *private_key;
  guint remote_port, max_open = 0, echoed;
  gint64 hwm, start;
  double elapsed;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to run a throwaway sshd on loopback");
      return;
    }

  keypair = tw_keypair_generate ("tunnel-wizard-test", &error);
  g_assert_no_error (error);
  authorized = g_strconcat (tw_keypair_get_public_key (keypair), "\n", NULL);
  sshd = tw_test_sshd_start (NULL);
  tw_test_sshd_set_authorized_keys (sshd, authorized);
  echo = poll_echo_start ();
  remote_port = tw_test_free_port ();

  tunnel = tw_reverse_tunnel_new ("127.0.0.1", tw_test_sshd_get_port (sshd), TW_TEST_USER);
  tw_reverse_tunnel_set_remote_address (tunnel, "127.0.0.1");
  tw_reverse_tunnel_set_remote_port (tunnel, remote_port);
  tw_reverse_tunnel_set_dest_host (tunnel, "127.0.0.1");
  tw_reverse_tunnel_set_dest_port (tunnel, echo->port);
  tw_reverse_tunnel_set_keepalive_interval (tunnel, 2);
  private_key = tw_keypair_export_private (keypair);
  tw_reverse_tunnel_set_private_key (tunnel, private_key, &error);
  tw_keypair_free_secret (private_key);
  g_assert_no_error (error);

  tw_reverse_tunnel_start (tunnel);
  g_assert_true (wait_for_state (tunnel, TW_REVERSE_TUNNEL_STATE_UP, 10000));

  hwm = peak_rss_kib ();
  start = g_get_monotonic_time ();
  echoed = open_all_at_once (tunnel, remote_port, N_CLIENTS, 90, &max_open);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("%u of %u connections echoed in %.2f s; at most %u open in the tunnel, "
                  "%d at the destination; peak RSS +%" G_GINT64_FORMAT " KiB",
                  echoed, N_CLIENTS, elapsed, max_open, g_atomic_int_get (&echo->peak),
                  peak_rss_kib () - hwm);

  /* Every one carried, all at the same time, and the tunnel never dropped. */
  g_assert_cmpuint (echoed, ==, N_CLIENTS);
  g_assert_cmpint (g_atomic_int_get (&echo->peak), ==, N_CLIENTS);
  g_assert_cmpint (tw_reverse_tunnel_get_state (tunnel), ==, TW_REVERSE_TUNNEL_STATE_UP);
  g_assert_cmpuint (tw_reverse_tunnel_get_reconnect_count (tunnel), ==, 0);
  /* Bounded: no per-connection buffer grew past its small message. */
  g_assert_cmpint (peak_rss_kib () - hwm, <, 256 * 1024);

  /* All let go when the clients went… */
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (tw_reverse_tunnel_get_connections (tunnel) > 0 && g_get_monotonic_time () < deadline)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    /* If not: does the destination still hold them (then the relay waits for it, rightly)? */
    g_test_message ("after close: %u in the tunnel, %d still open at the destination",
                    tw_reverse_tunnel_get_connections (tunnel), g_atomic_int_get (&echo->live));
    g_assert_cmpuint (tw_reverse_tunnel_get_connections (tunnel), ==, 0);
  }
  /* …and an ordinary connection still works. */
  g_assert_true (tw_test_echo_roundtrip (remote_port, 1024 * 1024, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tw_reverse_tunnel_get_state (tunnel), ==, TW_REVERSE_TUNNEL_STATE_UP);

  tw_reverse_tunnel_stop (tunnel);
  g_assert_true (wait_for_state (tunnel, TW_REVERSE_TUNNEL_STATE_STOPPED, 5000));
  /* The worker hands back its reference on the main context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_usleep (50 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&tunnel));
  poll_echo_stop (echo);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hostile/reverse/thousand-channels-back", test_thousand_channels);

  return g_test_run ();
}
