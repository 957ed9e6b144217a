/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "tw-test-net.h"

guint
tw_test_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

gboolean
tw_test_wait_for_port (guint port,
                       GPid  pid,
                       guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  g_socket_client_set_enable_proxy (client, FALSE);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GSocketConnection) connection =
        g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      int status;

      if (connection != NULL)
        return TRUE;
      if (pid > 0 && waitpid (pid, &status, WNOHANG) == pid)
        return FALSE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

static gboolean
on_echo_run (GThreadedSocketService *service,
             GSocketConnection      *connection,
             GObject                *source,
             gpointer                data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree guint8 *buffer = g_malloc (64 * 1024);

  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, 64 * 1024, NULL, NULL);

      if (n <= 0 || !g_output_stream_write_all (out, buffer, n, NULL, NULL, NULL))
        break;
    }
  return TRUE;
}

struct _TwTestEcho {
  GMainContext   *context;
  GMainLoop      *loop;
  GThread        *thread;
  GSocketService *service;
  guint           port;
  GMutex          lock;
  GCond           cond;
  gboolean        ready;
};

static gpointer
echo_main (gpointer data)
{
  TwTestEcho *echo = data;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (echo->context);
  echo->service = g_threaded_socket_service_new (128);
  /* GSocketListener's default backlog of 10 overflows with 50 connects at once. */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (echo->service), 128);
  g_socket_listener_add_address (G_SOCKET_LISTENER (echo->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (echo->service, "run", G_CALLBACK (on_echo_run), NULL);
  g_socket_service_start (echo->service);

  g_mutex_lock (&echo->lock);
  echo->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  echo->ready = TRUE;
  g_cond_signal (&echo->cond);
  g_mutex_unlock (&echo->lock);

  g_main_loop_run (echo->loop);

  g_socket_service_stop (echo->service);
  g_socket_listener_close (G_SOCKET_LISTENER (echo->service));
  g_clear_object (&echo->service);
  g_main_context_pop_thread_default (echo->context);
  return NULL;
}

TwTestEcho *
tw_test_echo_start (void)
{
  TwTestEcho *echo = g_new0 (TwTestEcho, 1);

  g_mutex_init (&echo->lock);
  g_cond_init (&echo->cond);
  echo->context = g_main_context_new ();
  echo->loop = g_main_loop_new (echo->context, FALSE);
  echo->thread = g_thread_new ("echo", echo_main, echo);

  g_mutex_lock (&echo->lock);
  while (!echo->ready)
    g_cond_wait (&echo->cond, &echo->lock);
  g_mutex_unlock (&echo->lock);
  return echo;
}

guint
tw_test_echo_get_port (TwTestEcho *echo)
{
  return echo->port;
}

void
tw_test_echo_stop (TwTestEcho *echo)
{
  g_main_loop_quit (echo->loop);
  g_thread_join (echo->thread);
  g_main_loop_unref (echo->loop);
  g_main_context_unref (echo->context);
  g_mutex_clear (&echo->lock);
  g_cond_clear (&echo->cond);
  g_free (echo);
}

typedef struct {
  GSocket  *socket;
  gsize     size;
  guint32   seed;
  char     *digest;
  gboolean  ok;
} Writer;

static void
fill (guint8  *buffer,
      gsize    len,
      GRand   *rand)
{
  for (gsize i = 0; i + 4 <= len; i += 4)
    {
      guint32 v = g_rand_int (rand);
      memcpy (buffer + i, &v, 4);
    }
}

static gpointer
writer_main (gpointer data)
{
  Writer *w = data;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GRand) rand = g_rand_new_with_seed (w->seed);
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  gsize left = w->size;

  w->ok = TRUE;
  while (left > 0)
    {
      gsize len = MIN (left, 64 * 1024);
      gsize done = 0;

      fill (buffer, len, rand);
      g_checksum_update (sum, buffer, len);
      while (done < len)
        {
          gssize n = g_socket_send (w->socket, (char *) buffer + done, len - done, NULL, NULL);
          if (n <= 0)
            {
              w->ok = FALSE;
              return NULL;
            }
          done += n;
        }
      left -= len;
    }
  g_socket_shutdown (w->socket, FALSE, TRUE, NULL);
  w->digest = g_strdup (g_checksum_get_string (sum));
  return NULL;
}

gboolean
tw_test_echo_roundtrip (guint    port,
                    gsize    size,
                    guint32  seed,
                    GError **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  g_autofree char *writer_digest = NULL;
  Writer writer = { 0 };
  GThread *thread;
  gsize received = 0;

  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, 60);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, error);
  if (connection == NULL)
    return FALSE;

  writer.socket = g_socket_connection_get_socket (connection);
  g_socket_set_timeout (writer.socket, 60);
  writer.size = size;
  writer.seed = seed;
  thread = g_thread_new ("echo-writer", writer_main, &writer);

  for (;;)
    {
      gssize n = g_socket_receive (writer.socket, (char *) buffer, 64 * 1024, NULL, error);

      if (n < 0)
        break;
      if (n == 0)
        break;
      g_checksum_update (sum, buffer, n);
      received += n;
    }
  g_thread_join (thread);
  writer_digest = writer.digest;

  if (error && *error)
    return FALSE;
  if (!writer.ok || received != size || g_strcmp0 (writer_digest, g_checksum_get_string (sum)) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "echo mismatch: sent %" G_GSIZE_FORMAT " (%s), received %" G_GSIZE_FORMAT " (%s)",
                   size, writer_digest, received, g_checksum_get_string (sum));
      return FALSE;
    }
  return TRUE;
}
