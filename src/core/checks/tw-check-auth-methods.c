/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * auth-methods: a "none" request for the tunnel user, whose refusal lists
 * the methods the server offers. It also makes libssh read the server's
 * server-sig-algs extension, without which an RSA key query would use
 * ssh-rsa (SHA-1) and be refused by OpenSSH 8.8+ for the wrong reason.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-probe-private.h"

char *
tw_probe_describe_auth_methods (int methods)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (methods & SSH_AUTH_METHOD_PUBLICKEY)
    g_ptr_array_add (names, (char *) "publickey");
  if (methods & SSH_AUTH_METHOD_PASSWORD)
    g_ptr_array_add (names, (char *) "password");
  if (methods & SSH_AUTH_METHOD_INTERACTIVE)
    g_ptr_array_add (names, (char *) "keyboard-interactive");
  if (methods & SSH_AUTH_METHOD_HOSTBASED)
    g_ptr_array_add (names, (char *) "hostbased");
  if (methods & SSH_AUTH_METHOD_GSSAPI_MIC)
    g_ptr_array_add (names, (char *) "gssapi-with-mic");
  g_ptr_array_add (names, NULL);

  return g_strjoinv (", ", (char **) names->pdata);
}

TwCheckStatus
tw_check_auth_methods_run (TwProbeContext *ctx,
                           TwCheckOutcome *out)
{
  int rc = ssh_userauth_none (ctx->session, NULL);
  int methods;

  if (rc == SSH_AUTH_SUCCESS)
    {
      ctx->auth_methods = g_strdup ("none");
      out->summary = g_strdup_printf (_("The server lets “%s” in without any authentication"), ctx->user);
      out->hint = g_strdup (_("Anyone who reaches this port can log in as this user. Set "
                              "“PermitEmptyPasswords no” and give the user a locked password "
                              "(usermod -p '*'), so only the service’s key works."));
      return TW_CHECK_STATUS_WARN;
    }
  if (rc == SSH_AUTH_ERROR || rc == SSH_AUTH_AGAIN)
    {
      g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, ctx->session);

      out->summary = g_strdup_printf (_("The server did not answer an authentication request: %s"), why);
      return TW_CHECK_STATUS_FAIL;
    }

  methods = ssh_userauth_list (ctx->session, NULL);
  ctx->auth_methods = tw_probe_describe_auth_methods (methods);
  out->detail = g_strdup_printf (_("Offered to “%s”: %s"), ctx->user,
                                 *ctx->auth_methods ? ctx->auth_methods : _("nothing"));

  if (methods & SSH_AUTH_METHOD_PUBLICKEY)
    {
      out->summary = g_strdup_printf (_("“%s” may log in with: %s"), ctx->user, ctx->auth_methods);
      return TW_CHECK_STATUS_PASS;
    }

  out->summary = g_strdup_printf (_("The server does not offer public-key login to “%s”"), ctx->user);
  out->hint = g_strdup (_("The service can only log in with its key. Check sshd_config (and any "
                          "“Match User” or “Match Group” block that applies): "
                          "“PubkeyAuthentication yes”, and no “AuthenticationMethods” line that "
                          "leaves publickey out. Then reload sshd."));
  return TW_CHECK_STATUS_FAIL;
}
