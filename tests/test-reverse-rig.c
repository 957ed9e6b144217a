/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>

#include "test-reverse-rig.h"

static char *
run_capture (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", argv[0], error->message);
  return out;
}

static char *
keygen (const char *dir,
        const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *pub = g_strconcat (path, ".pub", NULL);
  g_autofree char *out = NULL;
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path, NULL };
  const char *lf[] = { "ssh-keygen", "-lf", pub, NULL };
  g_autofree char *keygen_output G_GNUC_UNUSED = run_capture (argv);

  out = run_capture (lf);
  /* "256 SHA256:… comment (ED25519)" */
  return g_strndup (strchr (out, ' ') + 1, strcspn (strchr (out, ' ') + 1, " "));
}

RevSshd *
rev_sshd_new (const char *authorized_key)
{
  RevSshd *sshd = g_new0 (RevSshd, 1);
  g_autofree char *keys = NULL;
  g_autoptr(GError) error = NULL;

  sshd->dir = g_dir_make_tmp ("tw-reverse-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (sshd->dir, 0755);   /* sshd reads AuthorizedKeysFile as the user */
  g_mkdir_with_parents ("/run/sshd", 0755);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("host_key_%u", i);

      sshd->host_fingerprint[i] = keygen (sshd->dir, name);
      sshd->host_key[i] = g_build_filename (sshd->dir, name, NULL);
    }

  keys = g_build_filename (sshd->dir, "authorized_keys", NULL);
  g_file_set_contents (keys, authorized_key, -1, &error);
  g_assert_no_error (error);
  g_chmod (keys, 0644);

  sshd->port = rev_free_port ();
  return sshd;
}

/* A test that aborts must not leave an sshd behind. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

gboolean
rev_sshd_start (RevSshd *sshd)
{
  g_autofree char *config_path = g_build_filename (sshd->dir, "sshd_config", NULL);
  g_autofree char *log_path = g_build_filename (sshd->dir, "sshd.log", NULL);
  g_autofree char *config = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  config = g_strdup_printf ("%s"
                            "Port %u\n"
                            "ListenAddress 127.0.0.1\n"
                            "HostKey %s\n"
                            "PidFile none\n"
                            "AuthorizedKeysFile %s/authorized_keys\n"
                            "UsePAM no\n"
                            "StrictModes no\n"
                            "PermitRootLogin prohibit-password\n"
                            "AllowTcpForwarding yes\n"
                            "ClientAliveInterval 0\n",
                            sshd->extra_config ? sshd->extra_config : "",
                            sshd->port, sshd->host_key[sshd->host_key_index], sshd->dir);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sshd->sshd = g_subprocess_launcher_spawn (launcher, &error, "/usr/sbin/sshd", "-D",
                                            "-f", config_path, "-E", log_path, NULL);
  g_assert_no_error (error);
  return rev_wait_for_port (sshd->port, 5000);
}

/* Every process below @pid, found through /proc (sshd forks a monitor and a
 * session process per connection). */
static void
collect_descendants (GPid    pid,
                     GArray *out)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *close_paren;
      GPid child = atoi (name);
      int ppid = 0;
      char state;

      if (child <= 0)
        continue;
      path = g_strdup_printf ("/proc/%s/stat", name);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      close_paren = strrchr (stat, ')');
      if (close_paren == NULL || sscanf (close_paren + 2, "%c %d", &state, &ppid) != 2)
        continue;
      if (ppid == pid)
        {
          g_array_append_val (out, child);
          collect_descendants (child, out);
        }
    }
}

void
rev_sshd_signal_sessions (RevSshd *sshd,
                          int      signum)
{
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  GPid listener;

  g_assert_nonnull (sshd->sshd);
  listener = atoi (g_subprocess_get_identifier (sshd->sshd));
  collect_descendants (listener, pids);
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, GPid, i), signum);
}

void
rev_sshd_kill (RevSshd *sshd)
{
  if (sshd->sshd == NULL)
    return;
  rev_sshd_signal_sessions (sshd, SIGKILL);
  g_subprocess_force_exit (sshd->sshd);
  g_subprocess_wait (sshd->sshd, NULL, NULL);
  g_clear_object (&sshd->sshd);
}

void
rev_sshd_free (RevSshd *sshd)
{
  rev_sshd_kill (sshd);
  if (g_getenv ("TW_KEEP_RIG") == NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (sshd->dir);
      g_autoptr(GFileEnumerator) files = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                     0, NULL, NULL);
      GFileInfo *info;

      while (files && (info = g_file_enumerator_next_file (files, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));
          g_file_delete (child, NULL, NULL);
          g_object_unref (info);
        }
      g_file_delete (dir, NULL, NULL);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_free (sshd->host_key[i]);
      g_free (sshd->host_fingerprint[i]);
    }
  g_free (sshd->extra_config);
  g_free (sshd->dir);
  g_free (sshd);
}

guint
rev_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

gboolean
rev_wait_for_port (guint port,
                   guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;

      g_socket_client_set_enable_proxy (client, FALSE);
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        return TRUE;
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

struct _RevEcho {
  GMainContext   *context;
  GMainLoop      *loop;
  GThread        *thread;
  GSocketService *service;
  guint           port;
  GMutex          lock;
  GCond           cond;
  gboolean        ready;
};

/* The echo server accepts on its own thread and main context, so a test can
 * block in a client call without starving it. */
static gpointer
echo_main (gpointer data)
{
  RevEcho *echo = data;
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

RevEcho *
rev_echo_start (void)
{
  RevEcho *echo = g_new0 (RevEcho, 1);

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
rev_echo_get_port (RevEcho *echo)
{
  return echo->port;
}

void
rev_echo_stop (RevEcho *echo)
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
rev_echo_roundtrip (guint    port,
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
