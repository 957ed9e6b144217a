/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * service-key-sha1: for an RSA key, the same query restricted to the ssh-rsa
 * (SHA-1) signature algorithm, which OpenSSH 8.8+ refuses by default while
 * it accepts the same key with rsa-sha2-*. A fresh connection, because the
 * accepted algorithms are fixed per session and sshd counts refusals
 * against MaxAuthTries.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-probe-private.h"

TwCheckStatus
tw_check_service_key_sha1_run (TwProbeContext *ctx,
                               TwCheckOutcome *out)
{
  ssh_session session;
  ssh_key key;
  int rc;

  if (ctx->service_key == NULL)
    {
      out->summary = g_strdup (ctx->service_key_problem);
      return TW_CHECK_STATUS_SKIP;
    }
  if (!tw_public_key_is_rsa (ctx->service_key))
    {
      out->summary = g_strdup_printf (_("Not an RSA key (%s): SHA-1 signatures do not apply"),
                                      tw_public_key_get_key_type (ctx->service_key));
      return TW_CHECK_STATUS_SKIP;
    }

  session = tw_probe_context_open_session (ctx, "ssh-rsa", out);
  if (session == NULL)
    return TW_CHECK_STATUS_FAIL;

  key = tw_probe_import_service_key (ctx->service_key);
  rc = ssh_userauth_none (session, NULL);
  if (rc != SSH_AUTH_ERROR && key != NULL)
    rc = ssh_userauth_try_publickey (session, NULL, key);
  ssh_key_free (key);
  tw_probe_context_close_session (ctx, session);

  switch (rc)
    {
    case SSH_AUTH_SUCCESS:
    case SSH_AUTH_PARTIAL:
      out->summary = g_strdup (_("The server accepts the key with SHA-1 (ssh-rsa) signatures too"));
      out->detail = g_strdup (_("Services that still sign with ssh-rsa will get in. The server "
                                "accepts SHA-1 signatures, which OpenSSH disabled by default in 8.8."));
      return TW_CHECK_STATUS_PASS;

    case SSH_AUTH_DENIED:
      out->summary = g_strdup (_("The server refuses this RSA key with SHA-1 (ssh-rsa) signatures"));
      out->detail = g_strdup (_("The same key is accepted with SHA-2 (rsa-sha2-256/512) signatures."));
      out->hint = g_strdup (_("A service that signs with ssh-rsa only (older SSH libraries) will be "
                              "refused. Best: ask the service for an Ed25519 or ECDSA key. If it "
                              "needs ssh-rsa, add to sshd_config, ideally in a “Match User” block "
                              "for the tunnel user:\n"
                              "    PubkeyAcceptedAlgorithms +ssh-rsa\n"
                              "(OpenSSH 8.5 to 8.7 also accept the old name: "
                              "“PubkeyAcceptedKeyTypes +ssh-rsa”), then reload sshd."));
      return TW_CHECK_STATUS_WARN;

    default:
      out->summary = g_strdup (_("The server did not answer the SHA-1 key query"));
      return TW_CHECK_STATUS_FAIL;
    }
}
