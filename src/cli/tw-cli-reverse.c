/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check reverse: runs the reverse tunnel engine in the foreground, for
 * servers and systemd, and logs every state change on stdout.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "tw-cli.h"
#include "tw-core.h"

typedef struct {
  GMainLoop *loop;
  gboolean   failed;
} Run;

static gboolean
on_signal (gpointer data)
{
  TwReverseTunnel *tunnel = data;

  printf ("%s\n", _("Stopping…"));
  fflush (stdout);
  tw_reverse_tunnel_stop (tunnel);
  return G_SOURCE_CONTINUE;
}

static void
on_state (TwReverseTunnel *tunnel,
          GParamSpec      *pspec,
          Run             *run)
{
  TwReverseTunnelState state = tw_reverse_tunnel_get_state (tunnel);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%F %T");
  const char *name = tw_reverse_tunnel_state_to_string (state);

  switch (state)
    {
    case TW_REVERSE_TUNNEL_STATE_UP:
      printf (_("%s %s: the bastion listens on %s port %u and forwards to %s:%u "
                "(host key %s, reconnections %u)\n"),
              stamp, name,
              tw_reverse_tunnel_get_remote_address (tunnel),
              tw_reverse_tunnel_get_bound_port (tunnel),
              tw_reverse_tunnel_get_dest_host (tunnel),
              tw_reverse_tunnel_get_dest_port (tunnel),
              tw_reverse_tunnel_get_host_fingerprint (tunnel),
              tw_reverse_tunnel_get_reconnect_count (tunnel));
      /* sshd cannot say it bound loopback instead of what was asked. */
      if (!g_str_equal (tw_reverse_tunnel_get_remote_address (tunnel), "localhost") &&
          !g_str_has_prefix (tw_reverse_tunnel_get_remote_address (tunnel), "127."))
        printf ("%s\n", _("Note: unless the bastion’s sshd_config has “GatewayPorts clientspecified” "
                          "(or “yes”), it listens on its loopback address only, whatever --bind says."));
      break;

    case TW_REVERSE_TUNNEL_STATE_RETRYING:
      {
        gint64 wait_ms = (tw_reverse_tunnel_get_next_attempt_time (tunnel) - g_get_real_time ()) / 1000;

        printf (_("%s %s in %.1f s: %s\n"), stamp, name, MAX (wait_ms, 0) / 1000.0,
                tw_reverse_tunnel_get_last_error (tunnel));
      }
      break;

    case TW_REVERSE_TUNNEL_STATE_FAILED:
      printf ("%s %s: %s\n", stamp, name, tw_reverse_tunnel_get_last_error (tunnel));
      run->failed = TRUE;
      g_main_loop_quit (run->loop);
      break;

    case TW_REVERSE_TUNNEL_STATE_STOPPED:
      /* A plain %llu: xgettext cannot see through G_GUINT64_FORMAT, so the
       * catalogue would hold a truncated msgid that never matches. */
      printf (_("%s %s (%llu bytes sent, %llu received)\n"),
              stamp, name,
              (unsigned long long) tw_reverse_tunnel_get_bytes_sent (tunnel),
              (unsigned long long) tw_reverse_tunnel_get_bytes_received (tunnel));
      g_main_loop_quit (run->loop);
      break;

    case TW_REVERSE_TUNNEL_STATE_CONNECTING:
    default:
      printf ("%s %s\n", stamp, name);
      break;
    }
  fflush (stdout);
}

static gboolean
parse_host_port (const char  *text,
                 char       **host,
                 guint       *port)
{
  const char *colon = strrchr (text, ':');
  guint64 value;

  if (colon == NULL || colon == text)
    return FALSE;
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
    return FALSE;
  *host = g_strndup (text, colon - text);
  /* [::1]:5432 */
  if (**host == '[' && (*host)[strlen (*host) - 1] == ']')
    {
      char *inner = g_strndup (*host + 1, strlen (*host) - 2);
      g_free (*host);
      *host = inner;
    }
  *port = (guint) value;
  return TRUE;
}

int
tw_cli_reverse (int    argc,
                char **argv)
{
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *to = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *dest_host = NULL;
  int port = 22;
  int remote_port = 0;
  int keepalive = 5;
  guint dest_port = 0;
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The bastion’s SSH host"), "HOST" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The bastion’s SSH port (22)"), "PORT" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user to log in as"), "USER" },
    { "remote-port", 0, 0, G_OPTION_ARG_INT, &remote_port, N_("The port the bastion listens on"), "PORT" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Where connections go, seen from here"), "HOST:PORT" },
    { "keepalive", 0, 0, G_OPTION_ARG_INT, &keepalive, N_("Seconds between keepalives (5)"), "SECONDS" },
    { "identity", 0, 0, G_OPTION_ARG_FILENAME, &identity, N_("This machine’s private key file (~/.ssh/id_ed25519)"), "FILE" },
    { "expect-fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint, N_("The bastion’s confirmed host key"), "SHA256:…" },
    { "bind", 0, 0, G_OPTION_ARG_STRING, &bind, N_("The address the bastion listens on (localhost)"), "ADDRESS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReverseTunnel) tunnel = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  char *key_text = NULL;
  gsize key_len = 0;
  Run run = { 0 };
  guint sigint, sigterm;
  gboolean key_ok;

  g_option_context_set_summary (context, _("Keep a reverse tunnel open: the bastion listens on "
                                           "--remote-port and every connection there is relayed "
                                           "to --to on this machine’s side."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "tunnel-check reverse: %s\n", error->message);
      return TW_CLI_EXIT_USAGE;
    }
  if (host == NULL || user == NULL || to == NULL || remote_port <= 0 || remote_port > 65535 ||
      port <= 0 || port > 65535 || keepalive <= 0)
    {
      fprintf (stderr, "%s\n", _("tunnel-check reverse: --host, --user, --remote-port and --to "
                                 "are required (see --help)"));
      return TW_CLI_EXIT_USAGE;
    }
  if (!parse_host_port (to, &dest_host, &dest_port))
    {
      fprintf (stderr, _("tunnel-check reverse: --to must be HOST:PORT, not “%s”\n"), to);
      return TW_CLI_EXIT_USAGE;
    }
  if (identity == NULL)
    identity = g_build_filename (g_get_home_dir (), ".ssh", "id_ed25519", NULL);
  if (!g_file_get_contents (identity, &key_text, &key_len, &error))
    {
      fprintf (stderr, "tunnel-check reverse: %s\n", error->message);
      return TW_CLI_EXIT_USAGE;
    }

  tunnel = tw_reverse_tunnel_new (host, port, user);
  tw_reverse_tunnel_set_remote_port (tunnel, remote_port);
  tw_reverse_tunnel_set_dest_host (tunnel, dest_host);
  tw_reverse_tunnel_set_dest_port (tunnel, dest_port);
  tw_reverse_tunnel_set_keepalive_interval (tunnel, keepalive);
  if (bind != NULL)
    tw_reverse_tunnel_set_remote_address (tunnel, bind);
  if (fingerprint != NULL)
    tw_reverse_tunnel_set_expected_fingerprint (tunnel, fingerprint);

  key_ok = tw_reverse_tunnel_set_private_key (tunnel, key_text, &error);
  explicit_bzero (key_text, key_len);
  g_free (key_text);
  if (!key_ok)
    {
      fprintf (stderr, "tunnel-check reverse: %s: %s\n", identity, error->message);
      return TW_CLI_EXIT_USAGE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  g_signal_connect (tunnel, "notify::state", G_CALLBACK (on_state), &run);
  sigint = g_unix_signal_add (SIGINT, on_signal, tunnel);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, tunnel);

  tw_reverse_tunnel_start (tunnel);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_func (tunnel, on_state, &run);

  /* The worker holds a reference until it has wound down: wait for it, so
   * the session is closed properly before the process exits. */
  tw_reverse_tunnel_stop (tunnel);
  {
    TwReverseTunnel *alive = tunnel;

    g_object_add_weak_pointer (G_OBJECT (alive), (gpointer *) &alive);
    g_clear_object (&tunnel);
    while (alive != NULL)
      g_main_context_iteration (NULL, TRUE);
  }

  return run.failed ? TW_CLI_EXIT_FAILED : TW_CLI_EXIT_OK;
}
