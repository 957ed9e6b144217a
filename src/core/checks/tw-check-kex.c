/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kex: libssh takes over the connection (its own dup of the socket, so that
 * a cancel's shutdown() still reaches it), reads the banner the previous
 * check only peeked at, and negotiates keys.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-probe-private.h"

TwCheckStatus
tw_check_kex_run (TwProbeContext *ctx,
                  TwCheckOutcome *out)
{
  /* The other host keys are asked for meanwhile, for `host-key` */
  tw_probe_context_start_host_key_scan (ctx);
  ctx->session = tw_probe_context_new_session (ctx, g_socket_connection_get_socket (ctx->connection));
  /* libssh has its own fd now; ours closes with the GSocketConnection. */
  g_clear_object (&ctx->connection);

  if (ssh_connect (ctx->session) != SSH_OK)
    {
      const char *text = ssh_get_error (ctx->session);
      g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, ctx->session);

      tw_probe_context_stop_host_key_scan (ctx);
      if (tw_probe_context_is_cancelled (ctx))
        return TW_CHECK_STATUS_SKIP;

      out->summary = g_strdup_printf (_("Key exchange failed: %s"), why);
      out->detail = g_strdup (text);
      if (text != NULL && (strstr (text, "no match") != NULL || strstr (text, "algorithm") != NULL))
        out->hint = g_strdup (_("The server and this client share no algorithm. The server is "
                                "either very old (update OpenSSH) or its sshd_config restricts "
                                "“KexAlgorithms”, “Ciphers”, “MACs” or “HostKeyAlgorithms” to "
                                "values modern clients no longer offer."));
      else
        out->hint = g_strdup (_("The server broke off the key exchange. Its log (journalctl -u ssh) "
                                "says why; a firewall or intrusion prevention (fail2ban, sshguard) "
                                "that cuts connections also looks like this."));
      return TW_CHECK_STATUS_FAIL;
    }

  out->summary = g_strdup_printf (_("Negotiated %s with %s"), ssh_get_kex_algo (ctx->session),
                                  ssh_get_cipher_out (ctx->session));
  out->detail = g_strdup_printf (_("Key exchange: %s\n"
                                   "Cipher: %s (to the server), %s (from the server)\n"
                                   "MAC: %s (to the server), %s (from the server)"),
                                 ssh_get_kex_algo (ctx->session),
                                 ssh_get_cipher_out (ctx->session), ssh_get_cipher_in (ctx->session),
                                 ssh_get_hmac_out (ctx->session), ssh_get_hmac_in (ctx->session));
  return TW_CHECK_STATUS_PASS;
}
