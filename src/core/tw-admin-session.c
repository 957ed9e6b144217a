/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin's login for changing the bastion, made of the probe's own checks so that both
 * connect, verify and authenticate the same way (and cancel the same way: the sockets are
 * shut down). The probe goes on after an unconfirmed host key with a warning; here nothing
 * is sent to such a server, because a password or sudo password given to a man in the middle
 * is a password lost.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-admin-session.h"
#include "tw-setup-apply.h"

TwAdminSession *
tw_admin_session_new (const char    *host,
                      guint          port,
                      TwCredentials *credentials,
                      const char    *known_hosts_file,
                      const char    *expected_fingerprint,
                      guint          timeout_s,
                      GCancellable  *cancellable)
{
  TwAdminSession *self = g_new0 (TwAdminSession, 1);
  TwProbeContext *ctx = tw_probe_context_new (cancellable);

  ctx->host = g_strdup (host);
  ctx->port = port;
  ctx->user = g_strdup (tw_credentials_get_user (credentials));
  ctx->credentials = g_object_ref (credentials);
  ctx->known_hosts_file = g_strdup (known_hosts_file);
  ctx->expected_fingerprint = expected_fingerprint && *expected_fingerprint ? g_strdup (expected_fingerprint) : NULL;
  ctx->timeout_s = timeout_s;
  self->ctx = ctx;
  return self;
}

void
tw_admin_session_free (TwAdminSession *self)
{
  if (self == NULL)
    return;
  tw_probe_context_free (self->ctx);
  g_free (self->confirmed_by);
  g_free (self);
}

ssh_session
tw_admin_session_get_ssh (TwAdminSession *self)
{
  return self->ctx->logged_in ? self->ctx->session : NULL;
}

const char *
tw_admin_session_get_user (TwAdminSession *self)
{
  return self->ctx->user;
}

static gboolean
fail (TwAdminSession *self,
      int             code,
      TwCheckOutcome *out,
      GError        **error)
{
  if (tw_probe_context_is_cancelled (self->ctx))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else if (out->hint != NULL)
    g_set_error (error, TW_SETUP_APPLY_ERROR, code, "%s. %s", out->summary, out->hint);
  else
    g_set_error_literal (error, TW_SETUP_APPLY_ERROR, code,
                         out->summary ? out->summary : _("The connection failed"));
  tw_check_outcome_clear (out);
  return FALSE;
}

gboolean
tw_admin_session_open (TwAdminSession  *self,
                       GError         **error)
{
  TwProbeContext *ctx = self->ctx;
  TwCheckOutcome out = { NULL, NULL, NULL };
  TwCheckStatus status;

  if (tw_check_resolve_run (ctx, &out) != TW_CHECK_STATUS_PASS)
    return fail (self, TW_SETUP_APPLY_ERROR_CONNECT, &out, error);
  tw_check_outcome_clear (&out);
  if (tw_check_connect_run (ctx, &out) != TW_CHECK_STATUS_PASS)
    return fail (self, TW_SETUP_APPLY_ERROR_CONNECT, &out, error);
  tw_check_outcome_clear (&out);
  if (tw_check_kex_run (ctx, &out) != TW_CHECK_STATUS_PASS)
    return fail (self, TW_SETUP_APPLY_ERROR_CONNECT, &out, error);
  tw_check_outcome_clear (&out);

  status = tw_check_host_key_run (ctx, &out);
  if (status == TW_CHECK_STATUS_FAIL)
    return fail (self, TW_SETUP_APPLY_ERROR_HOST_KEY_MISMATCH, &out, error);
  if (status != TW_CHECK_STATUS_PASS)
    {
      /* Unknown: the probe would warn and go on; we leave before sending anything. */
      tw_check_outcome_clear (&out);
      ssh_silent_disconnect (ctx->session);
      tw_probe_context_close_session (ctx, g_steal_pointer (&ctx->session));
      g_set_error (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_HOST_KEY_UNCONFIRMED,
                   _("Nothing confirms the server’s host key %s %s: it is not pinned in the "
                     "tunnel, not in known_hosts, and no fingerprint was given to expect. "
                     "Nothing was sent to the server. Compare this fingerprint with the one "
                     "“ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub” prints on the server, "
                     "then confirm it (step 5, or --expect-fingerprint)."),
                   ctx->host_key_type, ctx->fingerprint);
      return FALSE;
    }
  self->confirmed_by = g_strdup (ctx->expected_fingerprint != NULL
                                 ? _("as expected")
                                 : _("known in known_hosts"));
  tw_check_outcome_clear (&out);

  if (tw_check_login_run (ctx, &out) != TW_CHECK_STATUS_PASS)
    return fail (self, TW_SETUP_APPLY_ERROR_LOGIN, &out, error);
  tw_check_outcome_clear (&out);
  return TRUE;
}
