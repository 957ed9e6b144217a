/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One session of the reverse tunnel: resolve the destination, connect to the
 * bastion, check its host key against the pin, log in with this machine's
 * key, ask it to listen, then hand over to the relay.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tw-reverse-session.h"
#include "tw-reverse-tunnel.h"

#define CONNECT_TIMEOUT_S 15

void
tw_reverse_settings_copy (const TwReverseSettings *from,
                          TwReverseSettings       *to)
{
  *to = *from;
  to->host = g_strdup (from->host);
  to->user = g_strdup (from->user);
  to->remote_address = g_strdup (from->remote_address);
  to->dest_host = g_strdup (from->dest_host);
  to->pinned = g_strdup (from->pinned);
}

void
tw_reverse_settings_clear (TwReverseSettings *settings)
{
  g_clear_pointer (&settings->host, g_free);
  g_clear_pointer (&settings->user, g_free);
  g_clear_pointer (&settings->remote_address, g_free);
  g_clear_pointer (&settings->dest_host, g_free);
  g_clear_pointer (&settings->pinned, g_free);
}

void
tw_reverse_session_free (TwReverseSession *session)
{
  tw_reverse_settings_clear (&session->settings);
  g_clear_object (&session->cancellable);
  g_free (session);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  /* Wakes every blocking libssh call at once (docs/ARCHITECTURE.md, "The probe engine"). */
  shutdown (GPOINTER_TO_INT (data), SHUT_RDWR);
}

static char *
normalize_fingerprint (const char *fingerprint)
{
  g_autofree char *text = g_strdup (fingerprint);

  g_strstrip (text);
  if (g_str_has_prefix (text, "SHA256:"))
    memmove (text, text + 7, strlen (text + 7) + 1);
  while (*text && text[strlen (text) - 1] == '=')
    text[strlen (text) - 1] = '\0';
  return g_steal_pointer (&text);
}

static char *
server_fingerprint (ssh_session session)
{
  ssh_key server_key = NULL;
  unsigned char *hash = NULL;
  size_t len = 0;
  char *text = NULL;

  if (ssh_get_server_publickey (session, &server_key) != SSH_OK)
    return NULL;
  if (ssh_get_publickey_hash (server_key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) == SSH_OK)
    {
      char *raw = ssh_get_fingerprint_hash (SSH_PUBLICKEY_HASH_SHA256, hash, len);

      text = g_strdup (raw);
      ssh_string_free_char (raw);
      ssh_clean_pubkey_hash (&hash);
    }
  ssh_key_free (server_key);
  return text;
}

static gboolean
check_host_key (TwReverseSession *config,
                ssh_session       session,
                GError          **error)
{
  g_autofree char *seen = server_fingerprint (session);
  g_autofree char *seen_norm = NULL;
  g_autofree char *pinned_norm = NULL;

  if (seen == NULL)
    {
      g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_CONNECT,
                   _("The bastion sent no usable host key (%s)"), ssh_get_error (session));
      return FALSE;
    }

  config->fingerprint_seen (seen, config->user_data);

  /* Without a confirmed fingerprint the first key seen is pinned for this
   * run, so a key that changes between reconnections is still never accepted. */
  if (config->settings.pinned == NULL)
    {
      config->settings.pinned = g_strdup (seen);
      return TRUE;
    }

  seen_norm = normalize_fingerprint (seen);
  pinned_norm = normalize_fingerprint (config->settings.pinned);
  if (g_str_equal (seen_norm, pinned_norm))
    return TRUE;

  g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_HOST_KEY_CHANGED,
               _("The bastion’s host key has changed: expected SHA256:%s but it shows SHA256:%s. "
                 "Someone may be intercepting the connection (man in the middle), or the server "
                 "was reinstalled. The tunnel stays stopped until you compare and confirm the new "
                 "fingerprint."),
               pinned_norm, seen_norm);
  return FALSE;
}

/* libssh closes an fd given with SSH_OPTIONS_FD after some socket errors and
 * not after others, and forgets it either way. While our own fd keeps the
 * socket alive, the dup is still ours exactly when it names the same socket. */
static void
close_if_still_ours (int dup_fd,
                     int own_fd)
{
  struct stat a, b;

  if (fstat (dup_fd, &a) == 0 && fstat (own_fd, &b) == 0 &&
      a.st_dev == b.st_dev && a.st_ino == b.st_ino)
    close (dup_fd);
}

static gboolean
is_loopback (const char *address)
{
  return address == NULL || g_str_equal (address, "localhost") ||
         g_str_has_prefix (address, "127.") || g_str_equal (address, "::1");
}

static GPtrArray *
resolve_destination (TwReverseSession *config,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GError) local_error = NULL;
  GList *list;
  GPtrArray *addresses;

  list = g_resolver_lookup_by_name (resolver, config->settings.dest_host, cancellable, &local_error);
  if (list == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_DESTINATION,
                     _("The local destination “%s” cannot be found: %s"),
                     config->settings.dest_host, local_error->message);
      return NULL;
    }

  addresses = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (addresses, g_inet_socket_address_new (l->data, config->settings.dest_port));
  g_resolver_free_addresses (list);
  return addresses;
}

void
tw_reverse_session_run (TwReverseSession  *config,
                        GError           **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) local_error = NULL;
  ssh_session session = NULL;
  gulong handler = 0;
  long timeout = CONNECT_TIMEOUT_S;
  int process_config = 0;
  int one = 1;
  int bound_port = 0;
  int fd;
  int ssh_fd;
  int rc;

  addresses = resolve_destination (config, config->cancellable, error);
  if (addresses == NULL)
    return;

  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_S);
  /* A desktop proxy setting is for web traffic, not for this SSH connection. */
  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, config->settings.host, config->settings.port,
                                                config->cancellable, &local_error);
  if (connection == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_CONNECT,
                     _("Cannot reach the bastion %s on port %u: %s"),
                     config->settings.host, config->settings.port, local_error->message);
      return;
    }

  fd = g_socket_get_fd (g_socket_connection_get_socket (connection));
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ssh_fd = dup (fd);

  session = ssh_new ();
  ssh_options_set (session, SSH_OPTIONS_PROCESS_CONFIG, &process_config);
  ssh_options_set (session, SSH_OPTIONS_HOST, config->settings.host);
  ssh_options_set (session, SSH_OPTIONS_PORT, &config->settings.port);
  ssh_options_set (session, SSH_OPTIONS_USER, config->settings.user);
  ssh_options_set (session, SSH_OPTIONS_TIMEOUT, &timeout);
  ssh_options_set (session, SSH_OPTIONS_FD, &ssh_fd);

  handler = g_cancellable_connect (config->cancellable, G_CALLBACK (on_cancelled),
                                   GINT_TO_POINTER (fd), NULL);

  if (ssh_connect (session) != SSH_OK)
    {
      if (!g_cancellable_set_error_if_cancelled (config->cancellable, error))
        g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_CONNECT,
                     _("The SSH handshake with %s failed: %s"),
                     config->settings.host, ssh_get_error (session));
      goto out;
    }

  if (!check_host_key (config, session, error))
    goto out;

  rc = ssh_userauth_publickey (session, NULL, config->key);
  if (rc != SSH_AUTH_SUCCESS)
    {
      if (!g_cancellable_set_error_if_cancelled (config->cancellable, error))
        g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_AUTH,
                     _("The bastion refused this machine’s key for the user “%s”. Add its public "
                       "key to that user’s ~/.ssh/authorized_keys on the bastion."),
                     config->settings.user);
      goto out;
    }

  if (ssh_channel_listen_forward (session, config->settings.remote_address, config->settings.remote_port,
                                  &bound_port) != SSH_OK)
    {
      g_autofree char *hint = NULL;

      if (g_cancellable_set_error_if_cancelled (config->cancellable, error))
        goto out;
      if (!is_loopback (config->settings.remote_address))
        hint = g_strdup_printf (" %s", _("For a non-loopback address sshd also needs "
                                         "“GatewayPorts clientspecified” (or “yes”)."));
      g_set_error (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_LISTEN,
                   _("The bastion refused to listen on %s port %u. The port may already be in "
                     "use there, or sshd_config forbids it (AllowTcpForwarding must be “yes” "
                     "or “remote”).%s"),
                   config->settings.remote_address, config->settings.remote_port, hint ? hint : "");
      goto out;
    }

  /* From here a session must notice a dead peer within three keepalive
   * intervals: one quiet interval, then two waiting for the answer. */
  timeout = 2 * config->settings.keepalive;
  ssh_options_set (session, SSH_OPTIONS_TIMEOUT, &timeout);

  config->up (bound_port > 0 ? (guint) bound_port : config->settings.remote_port, config->user_data);

  {
    TwReverseRelay relay = {
      .session = session,
      .ssh_fd = fd,
      .cancellable = config->cancellable,
      .dest_addresses = addresses,
      .keepalive_seconds = config->settings.keepalive,
      .stats = config->stats,
      .changed = config->changed,
      .user_data = config->user_data,
    };

    tw_reverse_relay_run (&relay, error);
  }

out:
  g_cancellable_disconnect (config->cancellable, handler);
  if (ssh_is_connected (session))
    ssh_disconnect (session);
  ssh_free (session);
  close_if_still_ours (ssh_fd, fd);
}
