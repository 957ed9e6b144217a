/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin's own way to the bastion, from their ssh_config: another
 * HostName or Port, or ProxyJump through one or more jump hosts. Each jump
 * host is logged in to with its own settings (agent, IdentityFiles,
 * certificates) and its host key must be in known_hosts, as ssh demands;
 * a direct-tcpip channel leads on to the next host, and the next libssh
 * session runs on a socketpair that a thread of its own pumps to and from
 * that channel (libssh sessions are not thread-safe, so each jump session
 * belongs to its pump thread once it is set up). Cancelling the run shuts
 * every socket down: the TCP one to the first hop and each session's end
 * of its socketpair, so that nothing stays blocked.
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <unistd.h>

#include "tw-channel-stream.h"
#include "tw-fingerprint.h"
#include "tw-probe-private.h"
#include "tw-ssh-auth.h"

struct _TwProbeJump
{
  TwProbeContext  *ctx;
  char            *name;
  ssh_session      session;
  ssh_channel      channel;
  TwChannelStream *stream;
  GThread         *thread;
  int              stop[2];
};

gboolean
tw_probe_route_differs (TwProbeContext *ctx,
                        TwSshConfig    *config)
{
  if (config == NULL)
    return FALSE;
  /* A ProxyCommand is refused there rather than silently bypassed */
  return tw_ssh_config_get_n_jump_hops (config) > 0 ||
         tw_ssh_config_get_proxy_command (config) != NULL ||
         g_ascii_strcasecmp (tw_ssh_config_get_hostname (config), ctx->host) != 0 ||
         tw_ssh_config_get_port (config) != ctx->port;
}

gboolean
tw_check_login_stands_alone (TwProbeContext *ctx)
{
  return ctx->credentials != NULL &&
         tw_probe_route_differs (ctx, tw_credentials_get_ssh_config (ctx->credentials));
}

static char *
sha256_of (ssh_key key)
{
  unsigned char *hash = NULL;
  size_t len = 0;
  char *text, *result;

  if (ssh_get_publickey_hash (key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != SSH_OK)
    return g_strdup ("?");
  text = ssh_get_fingerprint_hash (SSH_PUBLICKEY_HASH_SHA256, hash, len);
  ssh_clean_pubkey_hash (&hash);
  result = g_strdup (text);
  ssh_string_free_char (text);
  return result;
}

/* Nothing is sent to a host nobody vouched for: known_hosts for a jump
 * host; for the bastion also the key the direct checks saw, or the
 * fingerprint expected or pinned. */
static gboolean
verify_host_key (TwProbeContext *ctx,
                 ssh_session     session,
                 const char     *name,
                 gboolean        is_bastion,
                 TwCheckOutcome *out)
{
  ssh_key key = NULL;
  g_autofree char *fingerprint = NULL;
  enum ssh_known_hosts_e known;

  if (ssh_get_server_publickey (session, &key) != SSH_OK)
    {
      out->summary = g_strdup_printf (_("%s sent no host key"), name);
      return FALSE;
    }
  fingerprint = sha256_of (key);

  if (is_bastion && ctx->server_key != NULL)
    {
      gboolean same = ssh_key_cmp (key, ctx->server_key, SSH_KEY_CMP_PUBLIC) == 0;

      ssh_key_free (key);
      if (same)
        return TRUE;
      out->summary = g_strdup_printf (_("Through your route the bastion shows another host key (%s)"),
                                      fingerprint);
      out->hint = g_strdup (_("The server your SSH settings lead to is not the one the service "
                              "connects to, or someone intercepts one of the two paths. Nothing "
                              "was sent to it."));
      return FALSE;
    }
  ssh_key_free (key);

  if (is_bastion && ctx->expected_fingerprint != NULL)
    {
      if (tw_fingerprint_compare (fingerprint, ctx->expected_fingerprint, NULL, NULL) ==
          TW_FINGERPRINT_VERDICT_MATCH)
        return TRUE;
      out->summary = g_strdup_printf (_("Through your route the bastion’s host key %s does not match "
                                        "the expected fingerprint"), fingerprint);
      out->hint = g_strdup (_("Do not go on: this is not the server you confirmed. Nothing was sent to it."));
      return FALSE;
    }

  known = ssh_session_is_known_server (session);
  if (known == SSH_KNOWN_HOSTS_OK)
    return TRUE;
  if (known == SSH_KNOWN_HOSTS_CHANGED)
    {
      out->summary = g_strdup_printf (_("The host key of %s CHANGED since it was recorded in known_hosts"), name);
      out->hint = g_strdup (_("Possible man-in-the-middle attack: do not go on. If the server's keys "
                              "were regenerated on purpose, confirm the new fingerprint on the server "
                              "itself, then remove the old line with “ssh-keygen -R host”."));
    }
  else
    {
      out->summary = g_strdup_printf (_("Nothing vouches for the host key of %s (%s)"), name, fingerprint);
      out->hint = is_bastion
        ? g_strdup (_("Confirm the bastion’s fingerprint first (the host key step, or "
                      "--expect-fingerprint), or connect once with ssh and check it, so that it "
                      "is in known_hosts. Nothing was sent to it."))
        : g_strdup (_("Connect to this jump host once with ssh and compare its fingerprint with the "
                      "one its admin gives you, so that it is in known_hosts. Nothing was sent to it."));
    }
  return FALSE;
}

/* The jump's "work" for the pump: nothing to do but wait until the route
 * is taken down or the run cancelled, while the pump moves the bytes. */
static gpointer
wait_for_stop (gpointer data)
{
  TwProbeJump *jump = data;
  GPollFD fds[2] = { { jump->stop[0], G_IO_IN, 0 }, { -1, 0, 0 } };
  guint n = 1;

  if (g_cancellable_make_pollfd (jump->ctx->cancellable, &fds[1]))
    n = 2;
  while (g_poll (fds, n, -1) < 0 && errno == EINTR)
    ;
  if (n == 2)
    g_cancellable_release_fd (jump->ctx->cancellable);
  return NULL;
}

static gpointer
pump_jump (gpointer data)
{
  TwProbeJump *jump = data;
  g_autoptr(GError) error = NULL;

  if (!tw_channel_stream_pump (jump->session, &jump->stream, 1, wait_for_stop, jump, 0,
                               jump->ctx->cancellable, &error))
    g_debug ("jump host %s: %s", jump->name, error->message);
  return NULL;
}

static void
jump_free (TwProbeJump *jump)
{
  const char byte = 1;

  if (jump->thread != NULL)
    {
      while (write (jump->stop[1], &byte, 1) < 0 && errno == EINTR)
        ;
      g_thread_join (jump->thread);
    }
  if (jump->channel != NULL)
    {
      ssh_channel_close (jump->channel);
      ssh_channel_free (jump->channel);
    }
  g_clear_object (&jump->stream);
  if (jump->session != NULL)
    tw_probe_context_close_session (jump->ctx, jump->session);
  if (jump->stop[0] >= 0)
    {
      close (jump->stop[0]);
      close (jump->stop[1]);
    }
  g_free (jump->name);
  g_free (jump);
}

void
tw_probe_route_close (TwProbeContext *ctx)
{
  if (ctx->jumps == NULL)
    return;
  /* The innermost first: each session runs over the previous jump's channel. */
  for (guint i = ctx->jumps->len; i-- > 0;)
    jump_free (g_ptr_array_index (ctx->jumps, i));
  g_clear_pointer (&ctx->jumps, g_ptr_array_unref);
}

static ssh_session
connect_session (TwProbeContext *ctx,
                 GSocket        *socket,
                 TwSshConfig    *hop,
                 const char     *name,
                 gboolean        is_bastion,
                 TwCheckOutcome *out)
{
  ssh_session session = tw_probe_context_new_session (ctx, socket);
  guint port = tw_ssh_config_get_port (hop);

  /* known_hosts is looked up under the HostName, as ssh does */
  ssh_options_set (session, SSH_OPTIONS_HOST, tw_ssh_config_get_hostname (hop));
  ssh_options_set (session, SSH_OPTIONS_PORT, &port);
  ssh_options_set (session, SSH_OPTIONS_USER, tw_ssh_config_get_user (hop));

  if (ssh_connect (session) != SSH_OK)
    {
      g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, session);

      out->summary = g_strdup_printf (_("Could not connect to %s: %s"), name, why);
      tw_probe_context_close_session (ctx, session);
      return NULL;
    }
  if (!verify_host_key (ctx, session, name, is_bastion, out))
    {
      ssh_silent_disconnect (session);
      tw_probe_context_close_session (ctx, session);
      return NULL;
    }
  return session;
}

/* Logged in to @hop, a channel from it to @next, and its pump running. */
static gboolean
add_jump (TwProbeContext  *ctx,
          GSocket         *socket,
          TwSshConfig     *hop,
          TwSshConfig     *next,
          TwCheckOutcome  *out)
{
  g_autofree char *how = NULL;
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  TwProbeJump *jump = g_new0 (TwProbeJump, 1);
  int rc;

  jump->ctx = ctx;
  jump->stop[0] = jump->stop[1] = -1;
  jump->name = g_strdup (tw_ssh_config_get_host (hop));
  g_ptr_array_add (ctx->jumps, jump);

  jump->session = connect_session (ctx, socket, hop, jump->name, FALSE, out);
  if (jump->session == NULL)
    return FALSE;

  rc = tw_ssh_auth_with_config (jump->session, hop, TRUE, &how, notes);
  if (rc != SSH_AUTH_SUCCESS)
    {
      out->summary = g_strdup_printf (_("The jump host %s refused your login as “%s”"), jump->name,
                                      tw_ssh_config_get_user (hop));
      if (notes->len > 0)
        out->detail = g_strdup (notes->str);
      out->hint = g_strdup (_("The jump host is logged in to with your SSH settings for it: your "
                              "ssh-agent or IdentityAgent, then its IdentityFile keys and their "
                              "certificates (keys with a passphrase only through the agent). Check "
                              "that “ssh” to it works without questions."));
      return FALSE;
    }

  jump->channel = ssh_channel_new (jump->session);
  if (ssh_channel_open_forward (jump->channel, tw_ssh_config_get_hostname (next),
                                (int) tw_ssh_config_get_port (next), "127.0.0.1", 0) != SSH_OK)
    {
      g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, jump->session);

      out->summary = g_strdup_printf (_("The jump host %s could not open a connection to %s port %u: %s"),
                                      jump->name, tw_ssh_config_get_hostname (next),
                                      tw_ssh_config_get_port (next), why);
      ssh_channel_free (g_steal_pointer (&jump->channel));
      return FALSE;
    }

  jump->stream = tw_channel_stream_new (jump->channel, &error);
  if (jump->stream == NULL || !g_unix_open_pipe (jump->stop, FD_CLOEXEC, &error))
    {
      out->summary = g_strdup (error->message);
      return FALSE;
    }
  jump->thread = g_thread_new ("tw-jump", pump_jump, jump);
  return TRUE;
}

ssh_session
tw_probe_route_open (TwProbeContext  *ctx,
                     TwSshConfig     *config,
                     char           **via,
                     TwCheckOutcome  *out)
{
  g_autoptr(GPtrArray) route = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) first_address = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  TwSshConfig *first;
  GSocket *socket;
  ssh_session session;

  if (tw_ssh_config_get_proxy_command (config) != NULL)
    {
      out->summary = g_strdup (_("Your SSH settings use ProxyCommand, which this app does not run"));
      out->hint = g_strdup (_("Use ProxyJump for the same route, or turn off “Use my SSH settings”."));
      return NULL;
    }
  route = tw_ssh_config_resolve_route (config, &error);
  if (route == NULL)
    {
      out->summary = g_strdup (error->message);
      return NULL;
    }

  tw_probe_route_close (ctx);
  ctx->jumps = g_ptr_array_new ();

  first = route->len > 0 ? g_ptr_array_index (route, 0) : config;
  g_socket_client_set_timeout (client, ctx->timeout_s);
  g_socket_client_set_enable_proxy (client, FALSE);
  first_address = g_network_address_new (tw_ssh_config_get_hostname (first), (guint16) tw_ssh_config_get_port (first));
  connection = g_socket_client_connect (client, first_address, ctx->cancellable, &error);
  if (connection == NULL)
    {
      out->summary = g_strdup_printf (_("Could not connect to %s port %u: %s"),
                                      tw_ssh_config_get_hostname (first), tw_ssh_config_get_port (first),
                                      error->message);
      return NULL;
    }
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 0);
  socket = g_socket_connection_get_socket (connection);

  for (guint i = 0; i < route->len; i++)
    {
      TwSshConfig *hop = g_ptr_array_index (route, i);
      TwSshConfig *next = i + 1 < route->len ? g_ptr_array_index (route, i + 1) : config;
      TwProbeJump *jump;

      if (!add_jump (ctx, socket, hop, next, out))
        return NULL;
      jump = g_ptr_array_index (ctx->jumps, ctx->jumps->len - 1);
      socket = tw_channel_stream_get_socket (jump->stream);
      g_ptr_array_add (names, (char *) tw_ssh_config_get_host (hop));
    }

  session = connect_session (ctx, socket, config, _("the bastion"), TRUE, out);
  if (session == NULL)
    return NULL;

  g_ptr_array_add (names, NULL);
  *via = names->len > 1 ? g_strjoinv (", ", (char **) names->pdata) : NULL;
  return session;
}
