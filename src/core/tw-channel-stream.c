/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tw-channel-stream.h"

/*
 * Why a socketpair and a pump rather than a GInputStream calling
 * ssh_channel_read(): libssh's session may only be used from one thread at
 * a time, and GIO's TLS runs its handshake as blocking calls on the stream.
 * With a socketpair, the TLS code blocks on a plain socket in its own thread
 * while the session's thread moves bytes, and cancellation or a timeout is a
 * shutdown() that every blocked reader sees at once.
 *
 * The GIO side is a GSocketConnection rather than GUnixInput/OutputStream:
 * GSocket sends with MSG_NOSIGNAL, so a pump that has shut its end down
 * gives the TLS code EPIPE instead of killing the process with SIGPIPE.
 */

struct _TwChannelStream
{
  GIOStream          parent_instance;

  ssh_channel        channel;
  int                pump_fd;       /* the pump's end of the socketpair */
  GSocketConnection *connection;    /* the other end, for GIO */
};

G_DEFINE_FINAL_TYPE (TwChannelStream, tw_channel_stream, G_TYPE_IO_STREAM)

static GInputStream *
tw_channel_stream_get_input_stream (GIOStream *stream)
{
  TwChannelStream *self = TW_CHANNEL_STREAM (stream);

  return g_io_stream_get_input_stream (G_IO_STREAM (self->connection));
}

static GOutputStream *
tw_channel_stream_get_output_stream (GIOStream *stream)
{
  TwChannelStream *self = TW_CHANNEL_STREAM (stream);

  return g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
}

static gboolean
tw_channel_stream_close_fn (GIOStream     *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  TwChannelStream *self = TW_CHANNEL_STREAM (stream);

  return g_io_stream_close (G_IO_STREAM (self->connection), cancellable, error);
}

static void
tw_channel_stream_finalize (GObject *object)
{
  TwChannelStream *self = TW_CHANNEL_STREAM (object);

  g_clear_object (&self->connection);
  if (self->pump_fd >= 0)
    close (self->pump_fd);

  G_OBJECT_CLASS (tw_channel_stream_parent_class)->finalize (object);
}

static void
tw_channel_stream_class_init (TwChannelStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = tw_channel_stream_finalize;
  stream_class->get_input_stream = tw_channel_stream_get_input_stream;
  stream_class->get_output_stream = tw_channel_stream_get_output_stream;
  stream_class->close_fn = tw_channel_stream_close_fn;
}

static void
tw_channel_stream_init (TwChannelStream *self)
{
  self->pump_fd = -1;
}

/**
 * tw_channel_stream_new:
 * @channel: an open channel; not owned
 * @error: a #GError
 *
 * Returns: (transfer full): a stream over @channel, or %NULL
 */
TwChannelStream *
tw_channel_stream_new (ssh_channel   channel,
                       GError      **error)
{
  g_autoptr(TwChannelStream) self = NULL;
  g_autoptr(GSocket) socket = NULL;
  int fds[2];

  g_return_val_if_fail (channel != NULL, NULL);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create a socket pair: %s"), g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (TW_TYPE_CHANNEL_STREAM, NULL);
  self->channel = channel;
  self->pump_fd = fds[0];

  socket = g_socket_new_from_fd (fds[1], error);
  if (socket == NULL)
    {
      close (fds[1]);
      return NULL;
    }
  self->connection = g_socket_connection_factory_create_connection (socket);

  return g_steal_pointer (&self);
}

ssh_channel
tw_channel_stream_get_channel (TwChannelStream *self)
{
  g_return_val_if_fail (TW_IS_CHANNEL_STREAM (self), NULL);

  return self->channel;
}

GSocket *
tw_channel_stream_get_socket (TwChannelStream *self)
{
  g_return_val_if_fail (TW_IS_CHANNEL_STREAM (self), NULL);

  return g_socket_connection_get_socket (self->connection);
}

/* The pump */

typedef struct
{
  GThreadFunc work;
  gpointer    work_data;
  int         wake_fd;
} WorkCall;

static gpointer
run_work (gpointer user_data)
{
  WorkCall *call = user_data;
  const char byte = 1;

  call->work (call->work_data);

  while (write (call->wake_fd, &byte, 1) < 0 && errno == EINTR)
    ;

  return NULL;
}

#define CHUNK 16384
/* Read from one channel per turn at most, so that a peer that floods one
 * channel cannot keep the pump from its deadline, its other channels and
 * the end of the work. */
#define TURN_BUDGET (16 * CHUNK)

typedef struct
{
  TwChannelStream *stream;
  gboolean         to_channel;    /* still reading the socket for the channel */
  gboolean         from_channel;  /* still writing what the channel brings */
  char             pending[CHUNK]; /* channel bytes the socket did not take yet */
  gsize            pending_off;
  gsize            pending_len;
} Lane;

/* Hands channel bytes to the work's socket without blocking: a work that
 * stopped reading (it has what it needs from a peer that floods) must not
 * hang the pump. What the socket does not take waits in the lane, and the
 * channel is not read again until it is gone: libssh grows the window only
 * as we read, so the peer is held back by SSH's own flow control. FALSE
 * when the lane cannot take more now. */
static gboolean
lane_send (Lane       *lane,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t n = send (lane->stream->pump_fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          memcpy (lane->pending, data, len);
          lane->pending_off = 0;
          lane->pending_len = len;
          return FALSE;
        }
      if (n <= 0)
        {
          /* The reader has gone: drop the rest, as a closed socket would. */
          lane->from_channel = FALSE;
          lane->pending_len = 0;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }

  return TRUE;
}

static gboolean
lane_flush (Lane *lane)
{
  gsize len = lane->pending_len - lane->pending_off;
  char copy[CHUNK];

  if (lane->pending_len == 0)
    return TRUE;
  memcpy (copy, lane->pending + lane->pending_off, len);
  lane->pending_len = 0;
  return lane_send (lane, copy, len);
}

/* Moves what libssh already holds for each channel to its socket. libssh
 * reads packets for every channel of the session whichever channel is read,
 * so reading one lane can fill another's buffer (or bring its EOF) after that
 * lane had its turn; such data would not make the session's fd readable
 * again. So the lanes are gone through until a pass changes nothing, before
 * each poll(). *@more is set when a lane stopped at its budget with more to
 * read. */
static gboolean
drain_channels (Lane     *lanes,
                guint     n_lanes,
                gboolean *more,
                GError  **error)
{
  char buf[CHUNK];
  gboolean changed;

  *more = FALSE;
  do
    {
      changed = FALSE;
      for (guint i = 0; i < n_lanes; i++)
        {
          Lane *lane = &lanes[i];
          ssh_channel channel = lane->stream->channel;
          gsize budget = TURN_BUDGET;
          int n = 0;

          if (!lane->from_channel || !lane_flush (lane))
            continue;

          while (budget > 0 && (n = ssh_channel_read_nonblocking (channel, buf, sizeof buf, 0)) > 0)
            {
              changed = TRUE;
              budget -= MIN (budget, (gsize) n);
              if (!lane_send (lane, buf, (gsize) n))
                break;
            }
          if (budget == 0 && lane->from_channel && lane->pending_len == 0)
            *more = TRUE;

          if (n == SSH_ERROR)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                           _("The SSH connection broke: %s"),
                           ssh_get_error (ssh_channel_get_session (channel)));
              return FALSE;
            }

          if (lane->from_channel && lane->pending_len == 0 && ssh_channel_is_eof (channel))
            {
              shutdown (lane->stream->pump_fd, SHUT_WR);
              lane->from_channel = FALSE;
              changed = TRUE;
            }
        }
    }
  /* A lane at its budget is read again after the next poll(), which then does not wait. */
  while (changed && !*more);

  return TRUE;
}

/* ssh_channel_write() blocks while the peer's window is full. That is
 * harmless for the few kilobytes of a handshake, which is all this pump
 * carries; a bulk copy would need the non-blocking variant. Likewise the
 * sends to the socketpair block only if the work stops reading, and its
 * buffer holds far more than a handshake. */
static gboolean
forward_to_channel (Lane    *lane,
                    GError **error)
{
  char buf[CHUNK];
  ssize_t n;

  do
    n = read (lane->stream->pump_fd, buf, sizeof buf);
  while (n < 0 && errno == EINTR);

  if (n <= 0)
    {
      lane->to_channel = FALSE;
      ssh_channel_send_eof (lane->stream->channel);
      return TRUE;
    }

  if (ssh_channel_write (lane->stream->channel, buf, (uint32_t) n) == SSH_ERROR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                   _("The SSH connection broke: %s"),
                   ssh_get_error (ssh_channel_get_session (lane->stream->channel)));
      return FALSE;
    }

  return TRUE;
}

static void
stop_lanes (Lane  *lanes,
            guint  n_lanes)
{
  for (guint i = 0; i < n_lanes; i++)
    {
      shutdown (lanes[i].stream->pump_fd, SHUT_RDWR);
      lanes[i].to_channel = FALSE;
      lanes[i].from_channel = FALSE;
      lanes[i].pending_len = 0;
    }
}

gboolean
tw_channel_stream_pump (ssh_session       session,
                        TwChannelStream **streams,
                        guint             n_streams,
                        GThreadFunc       work,
                        gpointer          work_data,
                        guint             timeout_ms,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autofree Lane *lanes = g_new0 (Lane, n_streams);
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, n_streams + 3);
  g_autoptr(GError) failure = NULL;
  GPollFD cancel_pfd = { -1, 0, 0 };
  gboolean have_cancel_fd = FALSE;
  gint64 deadline = timeout_ms > 0 ? g_get_monotonic_time () + (gint64) timeout_ms * 1000 : -1;
  gboolean stopped = FALSE;
  gboolean done = FALSE;
  gboolean more = FALSE;
  WorkCall call = { work, work_data, -1 };
  GThread *thread;
  int wake[2];

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (work != NULL, FALSE);

  if (!g_unix_open_pipe (wake, FD_CLOEXEC, error))
    return FALSE;
  call.wake_fd = wake[1];

  for (guint i = 0; i < n_streams; i++)
    {
      lanes[i].stream = streams[i];
      lanes[i].to_channel = TRUE;
      lanes[i].from_channel = TRUE;
    }

  if (cancellable != NULL)
    have_cancel_fd = g_cancellable_make_pollfd (cancellable, &cancel_pfd);

  thread = g_thread_new ("tw-channel-work", run_work, &call);

  while (!done)
    {
      guint n_pfds = 0;
      guint ssh_index = G_MAXUINT;
      int poll_timeout = -1;
      int ssh_fd;

      if (!stopped && !drain_channels (lanes, n_streams, &more, &failure))
        {
          stop_lanes (lanes, n_streams);
          stopped = TRUE;
        }

      pfds[n_pfds++] = (struct pollfd) { wake[0], POLLIN, 0 };
      ssh_fd = ssh_get_fd (session);
      if (!stopped && ssh_fd >= 0)
        {
          ssh_index = n_pfds;
          pfds[n_pfds++] = (struct pollfd) { ssh_fd, POLLIN, 0 };
        }
      if (!stopped && have_cancel_fd)
        pfds[n_pfds++] = (struct pollfd) { cancel_pfd.fd, POLLIN, 0 };
      for (guint i = 0; i < n_streams; i++)
        {
          short events = (lanes[i].to_channel ? POLLIN : 0) | (lanes[i].pending_len > 0 ? POLLOUT : 0);

          pfds[n_pfds + i] = (struct pollfd) { events ? streams[i]->pump_fd : -1, events, 0 };
        }

      if (!stopped && deadline >= 0)
        poll_timeout = (int) CLAMP ((deadline - g_get_monotonic_time () + 999) / 1000, 0, G_MAXINT);
      /* libssh still holds bytes for a lane that used up its turn */
      if (!stopped && more)
        poll_timeout = 0;

      if (poll (pfds, n_pfds + n_streams, poll_timeout) < 0 && errno != EINTR)
        {
          int saved_errno = errno;

          if (failure == NULL)
            g_set_error (&failure, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                         "poll: %s", g_strerror (saved_errno));
          stop_lanes (lanes, n_streams);
          stopped = TRUE;
        }

      if (pfds[0].revents != 0)
        done = TRUE;

      if (stopped)
        continue;

      if (g_cancellable_set_error_if_cancelled (cancellable, &failure))
        {
          stop_lanes (lanes, n_streams);
          stopped = TRUE;
          continue;
        }
      if (deadline >= 0 && g_get_monotonic_time () >= deadline)
        {
          g_set_error_literal (&failure, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The destination did not answer in time"));
          stop_lanes (lanes, n_streams);
          stopped = TRUE;
          continue;
        }
      for (guint i = 0; i < n_streams && !stopped; i++)
        {
          /* POLLOUT alone is for the pending bytes, flushed at the top. */
          if (lanes[i].to_channel && (pfds[n_pfds + i].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
              !forward_to_channel (&lanes[i], &failure))
            {
              stop_lanes (lanes, n_streams);
              stopped = TRUE;
            }
        }

      /* A hung-up session never becomes readable again: without this the
       * loop would spin on POLLHUP. */
      if (!stopped && ssh_index != G_MAXUINT &&
          (pfds[ssh_index].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
        {
          if (drain_channels (lanes, n_streams, &more, &failure))
            g_set_error_literal (&failure, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                                 _("The SSH connection was closed"));
          stop_lanes (lanes, n_streams);
          stopped = TRUE;
        }
    }

  g_thread_join (thread);
  close (wake[0]);
  close (wake[1]);
  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);

  if (failure != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&failure));
      return FALSE;
    }

  return TRUE;
}
