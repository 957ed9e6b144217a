/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reverse tunnel against a real OpenSSH sshd on loopback: this machine
 * (the test) logs in with a key made by TwKeypair, the bastion listens on a
 * port, and a local echo server answers behind it.
 */
#include "config.h"

#include <signal.h>
#include <unistd.h>

#include "tw-core.h"
#include "tw-test-db.h"
#include "tw-test-sshd.h"

#define MIB (1024 * 1024)

typedef struct {
  TwTestSshd      *sshd;
  TwTestEcho      *echo;
  TwReverseTunnel *tunnel;
  TwKeypair       *keypair;
  guint            remote_port;
} Fixture;

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

static void
spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TwKeypair) keypair = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorized = NULL;
  char *private_key;

  if (geteuid () != 0)
    return;

  keypair = tw_keypair_generate ("tunnel-wizard-test", &error);
  g_assert_no_error (error);
  authorized = g_strconcat (tw_keypair_get_public_key (keypair), "\n", NULL);

  {
    const char *overrides[] = { data, NULL };

    fixture->sshd = tw_test_sshd_start (overrides);
  }
  tw_test_sshd_set_authorized_keys (fixture->sshd, authorized);
  fixture->echo = tw_test_echo_start ();
  fixture->remote_port = tw_test_free_port ();

  fixture->tunnel = tw_reverse_tunnel_new ("127.0.0.1", tw_test_sshd_get_port (fixture->sshd), TW_TEST_USER);
  tw_reverse_tunnel_set_remote_address (fixture->tunnel, "127.0.0.1");
  tw_reverse_tunnel_set_remote_port (fixture->tunnel, fixture->remote_port);
  tw_reverse_tunnel_set_dest_host (fixture->tunnel, "127.0.0.1");
  tw_reverse_tunnel_set_dest_port (fixture->tunnel, tw_test_echo_get_port (fixture->echo));
  tw_reverse_tunnel_set_keepalive_interval (fixture->tunnel, 1);

  fixture->keypair = g_object_ref (keypair);
  private_key = tw_keypair_export_private (keypair);
  g_assert_nonnull (private_key);
  g_assert_true (g_str_has_prefix (private_key, "-----BEGIN OPENSSH PRIVATE KEY-----"));
  tw_reverse_tunnel_set_private_key (fixture->tunnel, private_key, &error);
  tw_keypair_free_secret (private_key);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->tunnel != NULL)
    {
      tw_reverse_tunnel_stop (fixture->tunnel);
      g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_STOPPED, 5000) ||
                     tw_reverse_tunnel_get_state (fixture->tunnel) == TW_REVERSE_TUNNEL_STATE_FAILED);
      /* The worker hands back its reference on the main context. */
      spin (50);
      g_assert_finalize_object (g_steal_pointer (&fixture->tunnel));
    }
  g_clear_object (&fixture->keypair);
  g_clear_pointer (&fixture->echo, tw_test_echo_stop);
  g_clear_pointer (&fixture->sshd, tw_test_sshd_stop);
}

static gboolean
skip_unless_root (void)
{
  if (geteuid () == 0)
    return FALSE;
  g_test_skip ("needs root to run a throwaway sshd on loopback");
  return TRUE;
}

static void
start_and_wait_up (Fixture *fixture)
{
  tw_reverse_tunnel_start (fixture->tunnel);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_UP, 10000));
  g_assert_cmpuint (tw_reverse_tunnel_get_bound_port (fixture->tunnel), ==, fixture->remote_port);
  g_assert_cmpstr (tw_reverse_tunnel_get_host_fingerprint (fixture->tunnel), ==,
                   tw_test_sshd_get_fingerprint (fixture->sshd));
  g_assert_cmpint (tw_reverse_tunnel_get_up_since (fixture->tunnel), >, 0);
}

/* 64 MiB each way through the tunnel, byte for byte. */
static void
test_data_64mib (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (skip_unless_root ())
    return;

  start_and_wait_up (fixture);
  g_assert_true (tw_test_echo_roundtrip (fixture->remote_port, 64 * MIB, 42, &error));
  g_assert_no_error (error);

  spin (400);   /* counters are published at most four times a second */
  g_assert_cmpuint (tw_reverse_tunnel_get_bytes_received (fixture->tunnel), ==, 64 * MIB);
  g_assert_cmpuint (tw_reverse_tunnel_get_bytes_sent (fixture->tunnel), ==, 64 * MIB);
  g_assert_cmpuint (tw_reverse_tunnel_get_connections (fixture->tunnel), ==, 0);
  g_assert_cmpuint (tw_reverse_tunnel_get_reconnect_count (fixture->tunnel), ==, 0);
}

typedef struct {
  guint    port;
  guint32  seed;
  gboolean ok;
  char    *message;
  gint    *done;
} Roundtrip;

static gpointer
roundtrip_main (gpointer data)
{
  Roundtrip *r = data;
  g_autoptr(GError) error = NULL;

  r->ok = tw_test_echo_roundtrip (r->port, 1 * MIB, r->seed, &error);
  if (error)
    r->message = g_strdup (error->message);
  g_atomic_int_inc (r->done);
  return NULL;
}

/* The service multiplexes: 50 connections at once over one SSH session. */
static void
test_concurrent_50 (Fixture       *fixture,
                    gconstpointer  data)
{
  Roundtrip rounds[50] = { 0 };
  GThread *threads[50];
  guint max_open = 0;
  gint done = 0;
  gint64 deadline;

  if (skip_unless_root ())
    return;

  start_and_wait_up (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (rounds); i++)
    {
      rounds[i].port = fixture->remote_port;
      rounds[i].seed = i + 1;
      rounds[i].done = &done;
      threads[i] = g_thread_new ("client", roundtrip_main, &rounds[i]);
    }

  /* Watch the tunnel's own count while they run. */
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&done) < (gint) G_N_ELEMENTS (rounds) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
      max_open = MAX (max_open, tw_reverse_tunnel_get_connections (fixture->tunnel));
    }

  for (guint i = 0; i < G_N_ELEMENTS (rounds); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpstr (rounds[i].message, ==, NULL);
      g_assert_true (rounds[i].ok);
    }

  spin (400);
  g_assert_cmpuint (tw_reverse_tunnel_get_bytes_received (fixture->tunnel), ==, 50 * MIB);
  g_assert_cmpuint (tw_reverse_tunnel_get_connections (fixture->tunnel), ==, 0);
  g_test_message ("at most %u connections seen open at once", max_open);
  g_assert_cmpuint (max_open, >=, 2);
}

/* Short connections one after another, as a pooler opens them. A channel
 * open that libssh read while doing something else must still be accepted
 * (it once waited for the next packet to arrive). */
static void
test_sequential_connections (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (skip_unless_root ())
    return;

  tw_reverse_tunnel_set_keepalive_interval (fixture->tunnel, 30);
  start_and_wait_up (fixture);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 300; i++)
    {
      g_assert_true (tw_test_echo_roundtrip (fixture->remote_port, 16, i, &error));
      g_assert_no_error (error);
    }
  g_test_message ("300 connections in %.2f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  /* Generous: a stalled accept would wait for the 30 s keepalive. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 25 * G_USEC_PER_SEC);
}

/* The bastion goes away and comes back on the same port: the tunnel returns
 * by itself and counts one reconnection. */
static void
test_sshd_restart (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (skip_unless_root ())
    return;

  start_and_wait_up (fixture);
  tw_test_sshd_kill (fixture->sshd);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_RETRYING, 5000));
  g_assert_nonnull (tw_reverse_tunnel_get_last_error (fixture->tunnel));
  g_assert_cmpint (tw_reverse_tunnel_get_next_attempt_time (fixture->tunnel), >, 0);

  g_assert_true (tw_test_sshd_restart (fixture->sshd));
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_UP, 20000));
  g_assert_cmpuint (tw_reverse_tunnel_get_reconnect_count (fixture->tunnel), ==, 1);
  g_assert_null (tw_reverse_tunnel_get_last_error (fixture->tunnel));

  g_assert_true (tw_test_echo_roundtrip (fixture->remote_port, MIB, 7, &error));
  g_assert_no_error (error);
}

/* A bastion that stops answering (SIGSTOP) is noticed within three keepalive
 * intervals; once the stale session is gone the tunnel comes back. */
static void
test_frozen_peer (Fixture       *fixture,
                  gconstpointer  data)
{
  const GError *reason;
  gint64 frozen_at;
  double seconds;

  if (skip_unless_root ())
    return;

  start_and_wait_up (fixture);
  spin (1500);   /* a keepalive or two answered: a live bastion is not mistaken for dead */
  g_assert_cmpint (tw_reverse_tunnel_get_state (fixture->tunnel), ==, TW_REVERSE_TUNNEL_STATE_UP);

  tw_test_sshd_signal_sessions (fixture->sshd, SIGSTOP);
  frozen_at = g_get_monotonic_time ();
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_RETRYING, 10000));
  seconds = (g_get_monotonic_time () - frozen_at) / (double) G_USEC_PER_SEC;
  g_test_message ("frozen bastion noticed after %.2f s (keepalive 1 s)", seconds);
  g_assert_cmpfloat (seconds, <=, 3.0 + 0.5);

  reason = tw_reverse_tunnel_get_error (fixture->tunnel);
  g_assert_error ((GError *) reason, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_TIMEOUT);

  /* The frozen session still holds the remote port; once it is gone the
   * next attempt gets it back. */
  tw_test_sshd_signal_sessions (fixture->sshd, SIGKILL);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_UP, 30000));
  g_assert_cmpuint (tw_reverse_tunnel_get_reconnect_count (fixture->tunnel), ==, 1);
}

/* Another host key after a restart: never reconnect, say why. */
static void
test_host_key_swapped (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *old_fingerprint = NULL;
  const GError *reason;

  if (skip_unless_root ())
    return;

  start_and_wait_up (fixture);
  old_fingerprint = g_strdup (tw_test_sshd_get_fingerprint (fixture->sshd));
  tw_test_sshd_kill (fixture->sshd);
  tw_test_sshd_swap_host_key (fixture->sshd);
  g_assert_true (tw_test_sshd_restart (fixture->sshd));

  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_FAILED, 20000));
  reason = tw_reverse_tunnel_get_error (fixture->tunnel);
  g_assert_error ((GError *) reason, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_HOST_KEY_CHANGED);
  g_assert_nonnull (strstr (reason->message, old_fingerprint + 7));
  g_assert_nonnull (strstr (reason->message, tw_test_sshd_get_fingerprint (fixture->sshd) + 7));
  g_assert_nonnull (strstr (reason->message, "man in the middle"));
  g_assert_cmpuint (tw_reverse_tunnel_get_reconnect_count (fixture->tunnel), ==, 0);

  /* It stays failed: no silent retry. */
  spin (2500);
  g_assert_cmpint (tw_reverse_tunnel_get_state (fixture->tunnel), ==, TW_REVERSE_TUNNEL_STATE_FAILED);
}

static char *
fingerprint_of_another_key (Fixture *fixture)
{
  g_autofree char *key = tw_test_sshd_make_key (fixture->sshd, "ed25519", NULL);
  g_autofree char *pub = g_strconcat (key, ".pub", NULL);

  return tw_test_fingerprint_of (pub);
}

/* A confirmed fingerprint that does not match blocks the first connection. */
static void
test_pinned_fingerprint_mismatch (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *other_fingerprint = NULL;

  if (skip_unless_root ())
    return;

  other_fingerprint = fingerprint_of_another_key (fixture);
  tw_reverse_tunnel_set_expected_fingerprint (fixture->tunnel, other_fingerprint);
  tw_reverse_tunnel_start (fixture->tunnel);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_FAILED, 10000));
  g_assert_error ((GError *) tw_reverse_tunnel_get_error (fixture->tunnel),
                  TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_HOST_KEY_CHANGED);

  /* The right one (without its "SHA256:" prefix, as some forms show it) works. */
  tw_reverse_tunnel_set_expected_fingerprint (fixture->tunnel, tw_test_sshd_get_fingerprint (fixture->sshd) + 7);
  spin (50);
  start_and_wait_up (fixture);
}

/* Someone already listens on the remote port: a clear error, no loop. */
static void
test_remote_port_taken (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  const GError *reason;
  g_autofree char *port_text = NULL;

  if (skip_unless_root ())
    return;

  g_socket_listener_add_inet_port (squatter, fixture->remote_port, NULL, &error);
  g_assert_no_error (error);

  tw_reverse_tunnel_start (fixture->tunnel);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_FAILED, 10000));
  reason = tw_reverse_tunnel_get_error (fixture->tunnel);
  g_assert_error ((GError *) reason, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_LISTEN);
  port_text = g_strdup_printf ("%u", fixture->remote_port);
  g_assert_nonnull (strstr (reason->message, port_text));
  g_assert_nonnull (strstr (reason->message, "already be in use"));
}

/* Remote forwarding switched off on the bastion: the same clear refusal. */
static void
test_forwarding_forbidden (Fixture       *fixture,
                           gconstpointer  data)
{
  if (skip_unless_root ())
    return;

  tw_reverse_tunnel_start (fixture->tunnel);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_FAILED, 10000));
  g_assert_error ((GError *) tw_reverse_tunnel_get_error (fixture->tunnel),
                  TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_LISTEN);
  g_assert_nonnull (strstr (tw_reverse_tunnel_get_last_error (fixture->tunnel), "AllowTcpForwarding"));
}

/* GatewayPorts clientspecified: a non-loopback bind address is honoured. */
static void
test_gateway_ports (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (skip_unless_root ())
    return;

  tw_reverse_tunnel_set_remote_address (fixture->tunnel, "0.0.0.0");
  start_and_wait_up (fixture);
  g_assert_true (tw_test_echo_roundtrip (fixture->remote_port, MIB, 3, &error));
  g_assert_no_error (error);
}

/* The key is not in authorized_keys: a clear refusal on the first attempt. */
static void
test_key_refused (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TwKeypair) other = tw_keypair_generate (NULL, NULL);
  g_autoptr(GError) error = NULL;
  char *private_key = tw_keypair_export_private (other);

  if (skip_unless_root ())
    {
      tw_keypair_free_secret (private_key);
      return;
    }

  tw_reverse_tunnel_set_private_key (fixture->tunnel, private_key, &error);
  tw_keypair_free_secret (private_key);
  g_assert_no_error (error);

  tw_reverse_tunnel_start (fixture->tunnel);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_FAILED, 10000));
  g_assert_error ((GError *) tw_reverse_tunnel_get_error (fixture->tunnel),
                  TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_AUTH);
  g_assert_nonnull (strstr (tw_reverse_tunnel_get_last_error (fixture->tunnel), "authorized_keys"));
}

/* Stop takes effect at once, in every state, including while waiting to retry. */
static void
test_stop_is_quick (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 start;

  if (skip_unless_root ())
    return;

  start_and_wait_up (fixture);
  start = g_get_monotonic_time ();
  tw_reverse_tunnel_stop (fixture->tunnel);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_STOPPED, 2000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpint (tw_reverse_tunnel_get_up_since (fixture->tunnel), ==, 0);

  /* Retrying against a bastion that is gone, then stopped mid-wait. */
  spin (50);
  tw_test_sshd_kill (fixture->sshd);
  tw_reverse_tunnel_start (fixture->tunnel);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_RETRYING, 5000));
  start = g_get_monotonic_time ();
  tw_reverse_tunnel_stop (fixture->tunnel);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_STOPPED, 2000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* Stop and start at once (a "restart" button): it comes up again. */
  g_assert_true (tw_test_sshd_restart (fixture->sshd));
  start_and_wait_up (fixture);
  tw_reverse_tunnel_stop (fixture->tunnel);
  tw_reverse_tunnel_start (fixture->tunnel);
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_CONNECTING, 5000));
  g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_UP, 10000));
}

/* A real PostgreSQL on this machine's side, queried with psql through the
 * bastion's port, with TLS negotiated end to end through the tunnel. */
static void
test_postgres_behind_tunnel (Fixture       *fixture,
                             gconstpointer  data)
{
  TwTestDbOptions options = { .cert = TW_TEST_CERT_VALID, .superuser_reserved_connections = -1 };
  g_autoptr(TwTestDb) db = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) psql = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (skip_unless_root ())
    return;
  if (!g_file_test ("/usr/bin/psql", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("psql is not installed");
      return;
    }
  db = tw_test_db_start_postgres (&options, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);

  tw_reverse_tunnel_set_dest_port (fixture->tunnel, tw_test_db_get_port (db));
  start_and_wait_up (fixture);

  conninfo = g_strdup_printf ("host=127.0.0.1 port=%u user=postgres dbname=postgres "
                              "sslmode=require connect_timeout=10", fixture->remote_port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "PGPASSWORD", tw_test_db_get_password (db), TRUE);
  psql = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/psql", conninfo, "-XAt", "-c",
                                      "SELECT 'through the tunnel', ssl FROM pg_stat_ssl "
                                      "WHERE pid = pg_backend_pid()", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (psql, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("psql: %s%s", out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (psql), ==, 0);
  g_assert_cmpstr (g_strstrip (out), ==, "through the tunnel|t");
}

static int
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  int count = 0;

  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

/* Sessions come and go without leaking sockets (libssh closes the fd it was
 * given; the tunnel closes its own). */
static void
test_no_fd_leak (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int before = 0;

  if (skip_unless_root ())
    return;

  /* The first round warms up what GLib and libssh open once per process. */
  for (guint i = 0; i < 4; i++)
    {
      start_and_wait_up (fixture);
      g_assert_true (tw_test_echo_roundtrip (fixture->remote_port, 64 * 1024, i, &error));
      g_assert_no_error (error);
      tw_reverse_tunnel_stop (fixture->tunnel);
      g_assert_true (wait_for_state (fixture->tunnel, TW_REVERSE_TUNNEL_STATE_STOPPED, 2000));
      spin (50);
      if (i == 0)
        before = count_open_fds ();
    }
  g_assert_cmpint (count_open_fds (), ==, before);
}

static GSubprocess *
spawn_cli (Fixture     *fixture,
           const char  *fingerprint,
           char       **identity_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *identity = g_build_filename (tw_test_sshd_get_dir (fixture->sshd), "id_reverse", NULL);
  g_autofree char *port = g_strdup_printf ("%u", tw_test_sshd_get_port (fixture->sshd));
  g_autofree char *remote_port = g_strdup_printf ("%u", fixture->remote_port);
  g_autofree char *to = g_strdup_printf ("127.0.0.1:%u", tw_test_echo_get_port (fixture->echo));
  char *private_key = tw_keypair_export_private (fixture->keypair);
  GSubprocess *cli;

  g_file_set_contents_full (identity, private_key, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  tw_keypair_free_secret (private_key);
  g_assert_no_error (error);

  cli = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                          g_getenv ("TUNNEL_CHECK"), "reverse", "--host", "127.0.0.1",
                          "--port", port, "--user", TW_TEST_USER, "--remote-port", remote_port,
                          "--to", to, "--keepalive", "1", "--identity", identity,
                          "--expect-fingerprint", fingerprint, NULL);
  g_assert_no_error (error);
  *identity_out = g_steal_pointer (&identity);
  return cli;
}

/* tunnel-check reverse: logs its states, relays, and stops cleanly on SIGTERM. */
static void
test_cli_runs_and_stops (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *rest = NULL;
  gboolean up = FALSE;

  if (skip_unless_root () || g_getenv ("TUNNEL_CHECK") == NULL)
    return;

  cli = spawn_cli (fixture, tw_test_sshd_get_fingerprint (fixture->sshd), &identity);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (cli));
  for (guint i = 0; i < 5 && !up; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_test_message ("%s", line);
      up = strstr (line, " up: the bastion listens on ") != NULL;
    }
  g_assert_true (up);

  g_assert_true (tw_test_echo_roundtrip (fixture->remote_port, MIB, 11, &error));
  g_assert_no_error (error);

  g_subprocess_send_signal (cli, SIGTERM);
  rest = g_data_input_stream_read_upto (lines, "", 0, NULL, NULL, NULL);
  g_subprocess_wait (cli, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (cli));
  g_assert_cmpint (g_subprocess_get_exit_status (cli), ==, 0);
  g_assert_nonnull (strstr (rest, " stopped (1048576 bytes sent, 1048576 received)"));
}

/* A wrong --expect-fingerprint: exit 1 with the reason on stdout. */
static void
test_cli_wrong_fingerprint (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *out = NULL;
  g_autofree char *other_fingerprint = NULL;

  if (skip_unless_root () || g_getenv ("TUNNEL_CHECK") == NULL)
    return;

  other_fingerprint = fingerprint_of_another_key (fixture);
  cli = spawn_cli (fixture, other_fingerprint, &identity);
  g_subprocess_communicate_utf8 (cli, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (cli), ==, 1);
  g_assert_nonnull (strstr (out, " failed: The bastion’s host key has changed"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, config) \
  g_test_add (path, Fixture, config, fixture_set_up, func, fixture_tear_down)
  ADD ("/reverse/data-64mib", test_data_64mib, NULL);
  ADD ("/reverse/concurrent-50", test_concurrent_50, NULL);
  ADD ("/reverse/sequential-connections", test_sequential_connections, NULL);
  ADD ("/reverse/sshd-restart", test_sshd_restart, NULL);
  ADD ("/reverse/frozen-peer", test_frozen_peer, NULL);
  ADD ("/reverse/host-key-swapped", test_host_key_swapped, NULL);
  ADD ("/reverse/pinned-fingerprint-mismatch", test_pinned_fingerprint_mismatch, NULL);
  ADD ("/reverse/remote-port-taken", test_remote_port_taken, NULL);
  ADD ("/reverse/forwarding-forbidden", test_forwarding_forbidden, "AllowTcpForwarding local");
  ADD ("/reverse/gateway-ports", test_gateway_ports, "GatewayPorts clientspecified");
  ADD ("/reverse/key-refused", test_key_refused, NULL);
  ADD ("/reverse/stop-is-quick", test_stop_is_quick, NULL);
  ADD ("/reverse/no-fd-leak", test_no_fd_leak, NULL);
  ADD ("/reverse/postgres-behind-tunnel", test_postgres_behind_tunnel, NULL);
  ADD ("/reverse/cli-runs-and-stops", test_cli_runs_and_stops, NULL);
  ADD ("/reverse/cli-wrong-fingerprint", test_cli_wrong_fingerprint, NULL);
#undef ADD

  return g_test_run ();
}
