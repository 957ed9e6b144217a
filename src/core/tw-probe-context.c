/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What several checks share: cancellation by shutting sockets down, fresh
 * sessions to the same server (checked against the host key already seen),
 * and the forward to the destination.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <glib/gi18n.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tw-probe-private.h"

/* Runs in whatever thread cancels (usually the main one). libssh's calls in
 * the worker are blocked in poll() on these sockets: shutdown() wakes them
 * with an error at once, without closing an fd libssh still owns. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  TwProbeContext *ctx = user_data;

  g_mutex_lock (&ctx->fd_lock);
  for (guint i = 0; i < ctx->watched_fds->len; i++)
    shutdown (g_array_index (ctx->watched_fds, int, i), SHUT_RDWR);
  g_mutex_unlock (&ctx->fd_lock);
}

TwProbeContext *
tw_probe_context_new (GCancellable *cancellable)
{
  TwProbeContext *ctx = g_new0 (TwProbeContext, 1);

  g_mutex_init (&ctx->fd_lock);
  ctx->watched_fds = g_array_new (FALSE, FALSE, sizeof (int));
  ctx->session_fds = g_hash_table_new (NULL, NULL);
  ctx->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  ctx->cancel_id = g_cancellable_connect (ctx->cancellable, G_CALLBACK (on_cancelled), ctx, NULL);
  ctx->timeout_s = 10;
  ctx->n_channels = 4;
  return ctx;
}

void
tw_probe_context_free (TwProbeContext *ctx)
{
  if (ctx == NULL)
    return;

  /* Waits for a handler running in another thread: after this, nobody
   * touches watched_fds. */
  g_cancellable_disconnect (ctx->cancellable, ctx->cancel_id);

  tw_probe_context_stop_host_key_scan (ctx);
  if (ctx->session != NULL)
    tw_probe_context_close_session (ctx, g_steal_pointer (&ctx->session));
  tw_probe_route_close (ctx);
  g_clear_pointer (&ctx->server_key, ssh_key_free);
  g_clear_pointer (&ctx->host_keys, g_ptr_array_unref);
  g_strfreev (ctx->pins);
  g_free (ctx->pinned_ca);

  g_free (ctx->host);
  g_free (ctx->user);
  g_free (ctx->dest_host);
  g_clear_object (&ctx->service_key);
  g_free (ctx->service_key_problem);
  g_clear_object (&ctx->credentials);
  g_free (ctx->known_hosts_file);
  g_free (ctx->expected_fingerprint);
  g_clear_object (&ctx->cancellable);
  g_list_free_full (ctx->addresses, g_object_unref);
  g_clear_object (&ctx->address);
  g_clear_object (&ctx->connection);
  g_free (ctx->auth_methods);
  g_free (ctx->banner);
  g_free (ctx->software);
  g_free (ctx->login_user);
  g_free (ctx->known_hosts_note);
  g_clear_object (&ctx->host_certificate);
  g_free (ctx->certificate_note);
  g_free (ctx->host_key_type);
  g_free (ctx->fingerprint);
  g_free (ctx->randomart);
  g_array_unref (ctx->watched_fds);
  g_hash_table_unref (ctx->session_fds);
  g_mutex_clear (&ctx->fd_lock);
  g_free (ctx);
}

void
tw_check_outcome_clear (TwCheckOutcome *out)
{
  g_clear_pointer (&out->summary, g_free);
  g_clear_pointer (&out->detail, g_free);
  g_clear_pointer (&out->hint, g_free);
}

gboolean
tw_probe_context_is_cancelled (TwProbeContext *ctx)
{
  return g_cancellable_is_cancelled (ctx->cancellable);
}

void
tw_probe_context_watch_fd (TwProbeContext *ctx,
                           int             fd)
{
  g_mutex_lock (&ctx->fd_lock);
  g_array_append_val (ctx->watched_fds, fd);
  g_mutex_unlock (&ctx->fd_lock);

  /* A cancel that came before the watch would otherwise be missed. */
  if (g_cancellable_is_cancelled (ctx->cancellable))
    shutdown (fd, SHUT_RDWR);
}

void
tw_probe_context_unwatch_fd (TwProbeContext *ctx,
                             int             fd)
{
  g_mutex_lock (&ctx->fd_lock);
  for (guint i = 0; i < ctx->watched_fds->len; i++)
    if (g_array_index (ctx->watched_fds, int, i) == fd)
      {
        g_array_remove_index_fast (ctx->watched_fds, i);
        break;
      }
  g_mutex_unlock (&ctx->fd_lock);
}

ssh_session
tw_probe_context_new_session (TwProbeContext *ctx,
                              GSocket        *socket)
{
  ssh_session session = ssh_new ();
  long timeout = ctx->timeout_s;
  int yes = 1, no = 0;
  socket_t fd;

  /* libssh's connect has a private copy of the socket: our GSocket may
   * go away, and shutting either down reaches both. */
  fd = dup (g_socket_get_fd (socket));
  /* libssh applies SSH_OPTIONS_NODELAY only to sockets it opens itself;
   * without it each auth round trip waits ~40 ms for delayed ACKs. */
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);

  ssh_options_set (session, SSH_OPTIONS_PROCESS_CONFIG, &no);
  ssh_options_set (session, SSH_OPTIONS_HOST, ctx->host);
  ssh_options_set (session, SSH_OPTIONS_PORT, &ctx->port);
  ssh_options_set (session, SSH_OPTIONS_USER, ctx->user);
  ssh_options_set (session, SSH_OPTIONS_NODELAY, &yes);
  ssh_options_set (session, SSH_OPTIONS_TIMEOUT, &timeout);
  if (ctx->known_hosts_file != NULL)
    {
      ssh_options_set (session, SSH_OPTIONS_KNOWNHOSTS, ctx->known_hosts_file);
      /* A file given replaces both lists, as ssh -o UserKnownHostsFile=… GlobalKnownHostsFile=… */
      ssh_options_set (session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
    }
  ssh_options_set (session, SSH_OPTIONS_FD, &fd);
  tw_probe_context_watch_fd (ctx, fd);
  g_mutex_lock (&ctx->fd_lock);
  g_hash_table_insert (ctx->session_fds, session, GINT_TO_POINTER (fd + 1));
  g_mutex_unlock (&ctx->fd_lock);

  return session;
}

void
tw_probe_context_close_session (TwProbeContext *ctx,
                                ssh_session     session)
{
  int fd;

  if (session == NULL)
    return;

  /* The fd we gave, not ssh_get_fd(): libssh forgets it after an error. */
  g_mutex_lock (&ctx->fd_lock);
  fd = GPOINTER_TO_INT (g_hash_table_lookup (ctx->session_fds, session)) - 1;
  g_hash_table_remove (ctx->session_fds, session);
  g_mutex_unlock (&ctx->fd_lock);
  if (fd >= 0)
    tw_probe_context_unwatch_fd (ctx, fd);

  /* libssh 0.10 leaves a socket given with SSH_OPTIONS_FD open on a normal
   * disconnect, but closes it itself after a socket error (ssh_get_fd()
   * then says so): close it only in the first case, or we might close a
   * number another thread has reused. */
  if (fd >= 0 && ssh_get_fd (session) != fd)
    fd = -1;
  ssh_disconnect (session);
  ssh_free (session);
  if (fd >= 0)
    close (fd);
}

int
tw_probe_context_get_session_fd (TwProbeContext *ctx,
                                 ssh_session     session)
{
  int fd;

  g_mutex_lock (&ctx->fd_lock);
  fd = GPOINTER_TO_INT (g_hash_table_lookup (ctx->session_fds, session)) - 1;
  g_mutex_unlock (&ctx->fd_lock);
  return fd;
}

/* Plain words for what the libssh error text says, from the worker. */
char *
tw_probe_context_describe_ssh_error (TwProbeContext *ctx,
                                     ssh_session     session)
{
  const char *text = ssh_get_error (session);

  if (tw_probe_context_is_cancelled (ctx))
    return g_strdup (_("Cancelled"));
  if (text == NULL || *text == '\0')
    return g_strdup (_("The connection failed"));
  if (strstr (text, "Timeout") != NULL || strstr (text, "timeout") != NULL)
    return g_strdup_printf (_("No answer from the server within %u s"), ctx->timeout_s);
  if (strstr (text, "reset") != NULL)
    return g_strdup (_("The server reset the connection"));
  if (strstr (text, "closed") != NULL || strstr (text, "EOF") != NULL || strstr (text, "Broken pipe") != NULL)
    return g_strdup (_("The server closed the connection"));
  return g_strdup (text);
}

static const char *
socket_error_summary (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return _("Connection refused");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return _("No answer (timed out)");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return _("Unreachable");
  return error->message;
}

ssh_session
tw_probe_context_open_session (TwProbeContext *ctx,
                               const char     *accepted_types,
                               TwCheckOutcome *out)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  ssh_session session;
  ssh_key key = NULL;
  gboolean same;

  g_return_val_if_fail (ctx->address != NULL, NULL);
  g_return_val_if_fail (ctx->server_key != NULL, NULL);

  g_socket_client_set_timeout (client, ctx->timeout_s);
  /* Straight to the bastion: no proxy lookup (libproxy may even fetch a PAC file). */
  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (ctx->address),
                                        ctx->cancellable, &error);
  if (connection == NULL)
    {
      out->summary = g_strdup_printf (_("A new connection to the server failed: %s"),
                                      socket_error_summary (error));
      return NULL;
    }
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 0);

  session = tw_probe_context_new_session (ctx, g_socket_connection_get_socket (connection));
  if (accepted_types != NULL)
    ssh_options_set (session, SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES, accepted_types);

  if (ssh_connect (session) != SSH_OK)
    {
      g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, session);

      out->summary = g_strdup_printf (_("A new connection to the server failed: %s"), why);
      tw_probe_context_close_session (ctx, session);
      return NULL;
    }

  /* Whatever the first connection verified must hold for this one too,
   * or a man in the middle could answer only the second. */
  ssh_get_server_publickey (session, &key);
  same = key != NULL && ssh_key_cmp (key, ctx->server_key, SSH_KEY_CMP_PUBLIC) == 0;
  ssh_key_free (key);
  if (!same)
    {
      out->summary = g_strdup (_("The server showed a different host key on a second connection"));
      out->hint = g_strdup (_("Someone may be intercepting the connection (man in the middle), "
                              "or several servers answer at this address with different keys. "
                              "Nothing was sent to the server."));
      ssh_silent_disconnect (session);
      tw_probe_context_close_session (ctx, session);
      return NULL;
    }

  return session;
}

/* "Channel opening failure: channel 43 error (2) Connection refused" */
static int
channel_open_reason (const char *text)
{
  const char *p = text ? strstr (text, "error (") : NULL;

  if (p == NULL)
    return 0;
  return (int) g_ascii_strtoll (p + strlen ("error ("), NULL, 10);
}

/* Opens @channel as a direct-tcpip forward. Right after login OpenSSH sends
 * "hostkeys-00@openssh.com"; Linux delays our ACK of it (40 ms), and sshd's
 * Nagle holds the channel confirmation until that ACK. So the open is
 * driven here, non-blocking, and each time data arrives TCP_QUICKACK sends
 * the pending ACK at once (measured: 44 ms → 1 ms per open on loopback).
 * The deadline and cancellation are ours while libssh does not block. */
static int
open_forward_quickly (TwProbeContext *ctx,
                      ssh_session     session,
                      ssh_channel     channel,
                      const char     *host,
                      guint           port,
                      gboolean       *timed_out)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ctx->timeout_s * G_USEC_PER_SEC;
  int fd = ssh_get_fd (session);
  int rc;

  ssh_set_blocking (session, 0);
  while ((rc = ssh_channel_open_forward (channel, host, (int) port, "127.0.0.1", 0)) == SSH_AGAIN)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      gint64 now = g_get_monotonic_time ();
      int yes = 1;

      if (now >= deadline || tw_probe_context_is_cancelled (ctx))
        {
          *timed_out = now >= deadline;
          rc = SSH_ERROR;
          break;
        }
      poll (&pfd, 1, (int) MIN (100, (deadline - now) / 1000 + 1));
      setsockopt (fd, IPPROTO_TCP, TCP_QUICKACK, &yes, sizeof yes);
    }
  ssh_set_blocking (session, 1);
  return rc;
}

gboolean
tw_probe_context_forwards_elsewhere (TwProbeContext *ctx,
                                     const char     *host,
                                     guint           port)
{
  ssh_channel channel = ssh_channel_new (ctx->session);
  gboolean timed_out = FALSE;
  gboolean allowed = FALSE;

  if (channel == NULL)
    return FALSE;
  if (open_forward_quickly (ctx, ctx->session, channel, host, port, &timed_out) == SSH_OK)
    {
      ssh_channel_close (channel);
      allowed = TRUE;
    }
  else if (!timed_out && !tw_probe_context_is_cancelled (ctx))
    /* sshd tried to connect ("connect failed"): it did not refuse the forward itself. */
    allowed = channel_open_reason (ssh_get_error (ctx->session)) == 2;
  ssh_channel_free (channel);
  return allowed;
}

ssh_channel
tw_probe_context_open_forward (TwProbeContext *ctx,
                               TwCheckOutcome *out)
{
  g_return_val_if_fail (ctx->session != NULL, NULL);

  return tw_probe_context_open_forward_on (ctx, ctx->session, out);
}

ssh_channel
tw_probe_context_open_forward_on (TwProbeContext *ctx,
                                  ssh_session     session,
                                  TwCheckOutcome *out)
{
  ssh_channel channel;
  const char *text;
  g_autofree char *dest = NULL;
  gboolean timed_out = FALSE;

  dest = g_strdup_printf ("%s:%u", ctx->dest_host, ctx->dest_port);
  channel = ssh_channel_new (session);
  if (channel != NULL &&
      open_forward_quickly (ctx, session, channel, ctx->dest_host, ctx->dest_port, &timed_out) == SSH_OK)
    return channel;

  text = ssh_get_error (session);
  g_clear_pointer (&channel, ssh_channel_free);

  if (tw_probe_context_is_cancelled (ctx))
    {
      out->summary = g_strdup (_("Cancelled"));
      return NULL;
    }
  if (timed_out)
    {
      out->summary = g_strdup_printf (_("The bastion did not answer the forward to %s within %u s"),
                                      dest, ctx->timeout_s);
      out->hint = g_strdup (_("sshd is still trying to connect to the destination: a firewall "
                              "between the bastion and the database drops the traffic, or the "
                              "address is wrong."));
      return NULL;
    }

  switch (channel_open_reason (text))
    {
    case 1: /* SSH_OPEN_ADMINISTRATIVELY_PROHIBITED */
      out->summary = g_strdup_printf (_("The bastion refuses to forward to %s (administratively prohibited)"), dest);
      out->hint = g_strdup_printf (_("sshd does not allow this forward. Check, in this order: "
                                     "“AllowTcpForwarding yes” (or “local”) in sshd_config and in any "
                                     "Match block for the user; a “PermitOpen” line, which must list "
                                     "exactly “%s” — it compares the text, with no name lookup, so "
                                     "“localhost” and “127.0.0.1” differ; the key’s options in "
                                     "authorized_keys (“restrict”, “no-port-forwarding”, “permitopen=”); "
                                     "“DisableForwarding yes”. Then reload sshd."), dest);
      /* As the tunnel user, the setup's sshd lines are the remedy; as the admin, they would
       * not change the admin's own test. */
      out->server_fix = g_strcmp0 (ctx->login_user, ctx->user) == 0;
      break;

    case 2: /* SSH_OPEN_CONNECT_FAILED */
      out->summary = g_strdup_printf (_("The bastion cannot reach %s (connect failed)"), dest);
      out->hint = g_strdup_printf (_("sshd allowed the forward but its own connection to %s failed: "
                                     "the database is not running, listens on another address or port "
                                     "(e.g. only on a socket, or listen_addresses / bind-address), the "
                                     "name does not resolve on the bastion, or a firewall between the "
                                     "bastion and the database blocks it. Try “nc -zv %s %u” on the "
                                     "bastion."), dest, ctx->dest_host, ctx->dest_port);
      break;

    case 4: /* SSH_OPEN_RESOURCE_SHORTAGE */
      out->summary = g_strdup_printf (_("The bastion has no resources for a forward to %s"), dest);
      out->hint = g_strdup (_("sshd refused the channel for lack of resources (too many open "
                              "channels or files). Check the bastion’s load and limits."));
      break;

    default:
      {
        g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, session);

        out->summary = g_strdup_printf (_("The forward to %s failed: %s"), dest, why);
      }
      break;
    }

  out->detail = g_strdup_printf (_("Server said: %s"), text ? text : "");
  return NULL;
}
