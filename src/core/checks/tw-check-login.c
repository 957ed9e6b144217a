/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * login: the admin's own way in (ssh-agent, a key file, a password or
 * keyboard-interactive), needed for the checks through the tunnel. On
 * success ctx->session is the authenticated session they use.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-probe-private.h"
#include "tw-ssh-auth.h"

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

static int
login_kbdint (ssh_session  session,
              const char  *password)
{
  int rc = ssh_userauth_kbdint (session, NULL, NULL);

  /* A server may ask several rounds (password, then an empty info round). */
  for (guint round = 0; rc == SSH_AUTH_INFO && round < 4; round++)
    {
      int n = ssh_userauth_kbdint_getnprompts (session);

      for (int i = 0; i < n; i++)
        {
          char echo = 0;

          ssh_userauth_kbdint_getprompt (session, i, &echo);
          ssh_userauth_kbdint_setanswer (session, i, echo ? "" : password);
        }
      rc = ssh_userauth_kbdint (session, NULL, NULL);
    }
  return rc;
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
  user = tw_credentials_get_user (creds) ? tw_credentials_get_user (creds) : ctx->user;
  if (tw_credentials_get_user (creds) == NULL && config != NULL && tw_ssh_config_has_user (config))
    user = tw_ssh_config_get_user (config);

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
  methods = ssh_userauth_list (ctx->session, NULL);

  switch (tw_credentials_get_kind (creds))
    {
    case TW_CREDENTIALS_AGENT:
      how = _("the ssh-agent");
      if (config != NULL)
        {
          /* As ssh: the agent (IdentityAgent), then the IdentityFiles */
          how = _("your SSH settings");
          rc = tw_ssh_auth_with_config (ctx->session, config, TRUE, &how_owned, notes);
          break;
        }
      if (g_getenv ("SSH_AUTH_SOCK") == NULL)
        {
          out->summary = g_strdup (_("No ssh-agent is running (SSH_AUTH_SOCK is not set)"));
          out->hint = g_strdup (_("Start an agent and add your key (ssh-add), or choose a key file."));
          return TW_CHECK_STATUS_FAIL;
        }
      rc = ssh_userauth_agent (ctx->session, NULL);
      break;

    case TW_CREDENTIALS_IDENTITY_FILE:
      {
        const char *path = tw_credentials_get_identity_file (creds);
        ssh_key key = NULL;

        how = _("the key file");
        if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
          {
            out->summary = g_strdup_printf (_("The key file %s does not exist"), path);
            return TW_CHECK_STATUS_FAIL;
          }
        if (ssh_pki_import_privkey_file (path, tw_credentials_get_passphrase (creds),
                                         NULL, NULL, &key) != SSH_OK)
          {
            out->summary = g_strdup_printf (_("The key file %s cannot be opened"), path);
            out->hint = g_strdup (_("The passphrase is wrong or missing, or the file is not a "
                                    "private key (choose the file without “.pub”)."));
            return TW_CHECK_STATUS_FAIL;
          }
        ssh_key_free (key);
        {
          g_autofree char *problem = NULL;

          /* With a user certificate beside it (or CertificateFile) first */
          rc = tw_ssh_auth_key_file (ctx->session, path, tw_credentials_get_passphrase (creds),
                                     config ? tw_ssh_config_get_certificate_files (config) : NULL,
                                     &how_owned, &problem);
        }
      }
      break;

    case TW_CREDENTIALS_PASSWORD:
    default:
      how = _("the password");
      rc = SSH_AUTH_DENIED;
      if (methods & SSH_AUTH_METHOD_PASSWORD)
        rc = ssh_userauth_password (ctx->session, NULL, tw_credentials_get_password (creds));
      if (rc == SSH_AUTH_DENIED && (ssh_userauth_list (ctx->session, NULL) & SSH_AUTH_METHOD_INTERACTIVE))
        rc = login_kbdint (ctx->session, tw_credentials_get_password (creds));
      if (rc == SSH_AUTH_DENIED && !(methods & (SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_INTERACTIVE)))
        {
          g_autofree char *offered = tw_probe_describe_auth_methods (methods);

          out->summary = g_strdup_printf (_("The server does not take passwords for “%s”"), user);
          out->detail = g_strdup_printf (_("Offered: %s"), offered);
          out->hint = g_strdup (_("“PasswordAuthentication” and “KbdInteractiveAuthentication” are "
                                  "off. Log in with a key (agent or key file) instead."));
          return TW_CHECK_STATUS_FAIL;
        }
      break;
    }

  switch (rc)
    {
    case SSH_AUTH_SUCCESS:
      ctx->logged_in = TRUE;
      ctx->login_user = g_strdup (user);
      if (how_owned != NULL)
        how = how_owned;
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
