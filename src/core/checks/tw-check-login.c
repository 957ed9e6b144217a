/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * login: the admin's own way in (ssh-agent, a key file, a password or
 * keyboard-interactive), needed for the checks through the tunnel. On
 * success ctx->session is the authenticated session they use.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-probe-private.h"

/* sshd does not let a connection change its user, and counts refusals:
 * a session that already had a key refused, or another user, needs a new one. */
static gboolean
ensure_session (TwProbeContext *ctx,
                const char     *user,
                TwCheckOutcome *out)
{
  ssh_session session;

  if (ctx->session != NULL && ctx->pubkey_queries == 0 && g_strcmp0 (user, ctx->user) == 0)
    return TRUE;

  session = tw_probe_context_open_session (ctx, NULL, out);
  if (session == NULL)
    return FALSE;
  if (ctx->session != NULL)
    tw_probe_context_close_session (ctx, ctx->session);
  ctx->session = session;
  ctx->pubkey_queries = 0;
  ssh_options_set (session, SSH_OPTIONS_USER, user);
  return TRUE;
}

/* The admin's ssh_config leads elsewhere (HostName, Port, ProxyJump): a
 * session along that route replaces the direct one. */
static gboolean
ensure_routed_session (TwProbeContext *ctx,
                       TwSshConfig    *config,
                       const char     *user,
                       char          **via,
                       TwCheckOutcome *out)
{
  ssh_session session;

  if (ctx->session != NULL)
    tw_probe_context_close_session (ctx, g_steal_pointer (&ctx->session));
  session = tw_probe_route_open (ctx, config, via, out);
  if (session == NULL)
    return FALSE;
  ctx->session = session;
  ctx->pubkey_queries = 0;
  ssh_options_set (session, SSH_OPTIONS_USER, user);
  return TRUE;
}

TwCheckStatus
tw_check_login_run (TwProbeContext *ctx,
                    TwCheckOutcome *out)
{
  TwCredentials *creds = ctx->credentials;
  TwSshConfig *config;
  const char *user;
  const char *how = NULL;
  g_autofree char *how_owned = NULL;
  g_autofree char *via = NULL;
  g_autoptr(GString) notes = g_string_new (NULL);
  int rc, methods;

  if (creds == NULL)
    {
      out->summary = g_strdup (_("No login credentials given"));
      return TW_CHECK_STATUS_SKIP;
    }

  config = tw_credentials_get_ssh_config (creds);
  user = tw_probe_login_user (ctx);

  if (tw_probe_route_differs (ctx, config))
    {
      if (!ensure_routed_session (ctx, config, user, &via, out))
        return TW_CHECK_STATUS_FAIL;
      if (via != NULL)
        g_string_append_printf (notes, _("via %s\n"), via);
      else
        g_string_append_printf (notes, _("to %s port %u\n"), tw_ssh_config_get_hostname (config),
                                tw_ssh_config_get_port (config));
    }
  else if (!ensure_session (ctx, user, out))
    return TW_CHECK_STATUS_FAIL;

  rc = ssh_userauth_none (ctx->session, NULL);
  if (rc == SSH_AUTH_SUCCESS)
    {
      ctx->logged_in = TRUE;
      ctx->login_user = g_strdup (user);
      out->summary = g_strdup_printf (_("Logged in as “%s” without authentication"), user);
      return TW_CHECK_STATUS_PASS;
    }
  rc = tw_probe_login_authenticate (ctx, ctx->session, &how, &how_owned, notes, &methods, out);
  if (rc == SSH_AUTH_ERROR && out->summary != NULL)
    return TW_CHECK_STATUS_FAIL;

  switch (rc)
    {
    case SSH_AUTH_SUCCESS:
      ctx->logged_in = TRUE;
      ctx->login_user = g_strdup (user);
      if (how_owned != NULL)
        how = how_owned;
      if (tw_credentials_get_stand_in (creds))
        how = _("the stand-in key");
      if (via != NULL)
        out->summary = g_strdup_printf (_("Logged in as “%s” with %s, via %s"), user, how, via);
      else
        out->summary = g_strdup_printf (_("Logged in as “%s” with %s"), user, how);
      if (notes->len > 0)
        {
          g_string_truncate (notes, notes->len - 1);
          out->detail = g_strdup (notes->str);
        }
      return TW_CHECK_STATUS_PASS;

    case SSH_AUTH_PARTIAL:
      out->summary = g_strdup_printf (_("“%s” needs another method after %s"), user, how);
      out->hint = g_strdup (_("“AuthenticationMethods” on the server asks for more than one method."));
      return TW_CHECK_STATUS_FAIL;

    case SSH_AUTH_DENIED:
      {
        g_autofree char *offered = tw_probe_describe_auth_methods (methods);

        out->summary = g_strdup_printf (_("The server refused %s for “%s”"), how, user);
        out->detail = g_strdup_printf (_("%sOffered: %s"), notes->str, offered);
        if (tw_credentials_get_stand_in (creds))
          {
            out->hint = g_strdup (_("The stand-in key is not in the tunnel user’s authorized_keys, or "
                                    "its hour is over (expiry-time): install its line again, then "
                                    "check again."));
            return TW_CHECK_STATUS_FAIL;
          }
        out->hint = g_strdup (_("Check that this user exists on the bastion and that your key is "
                                "in its authorized_keys (or the password is right). The server’s "
                                "log (journalctl -u ssh) says why it refused."));
        return TW_CHECK_STATUS_FAIL;
      }

    default:
      {
        g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, ctx->session);

        out->summary = g_strdup_printf (_("Login failed: %s"), why);
        return TW_CHECK_STATUS_FAIL;
      }
    }
}
