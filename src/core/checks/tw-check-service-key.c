/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * service-key: would the server accept the pasted public key for the tunnel
 * user? Asked without the private key (SSH "publickey" query: the server
 * answers PK_OK or refuses). `auth-methods` ran a "none" request first so
 * libssh knows server-sig-algs and signs RSA with SHA-2, as the service will.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-probe-private.h"

ssh_key
tw_probe_import_service_key (TwPublicKey *key)
{
  ssh_key imported = NULL;
  enum ssh_keytypes_e type = ssh_key_type_from_name (tw_public_key_get_key_type (key));

  if (ssh_pki_import_pubkey_base64 (tw_public_key_get_base64 (key), type, &imported) != SSH_OK)
    return NULL;
  return imported;
}

static char *
denied_hint (TwProbeContext *ctx)
{
  g_autoptr(GString) hint = g_string_new (NULL);
  guint n = 1;
  gboolean windows = ctx->software && strstr (ctx->software, "Windows") != NULL;

  g_string_append_printf (hint, _("The server refused the key for “%s”. Likely causes, most "
                                  "common first:"), ctx->user);
  g_string_append_printf (hint, _("\n%u. The key is not in ~%s/.ssh/authorized_keys, or it was "
                                  "pasted with line breaks: it must be one line, “%s AAAA… comment”."),
                          n++, ctx->user, tw_public_key_get_key_type (ctx->service_key));
  if (windows)
    g_string_append_printf (hint, _("\n%u. Windows: for a user in the Administrators group, sshd "
                                    "reads only C:\\ProgramData\\ssh\\administrators_authorized_keys, "
                                    "which must be owned by Administrators and SYSTEM only."), n++);
  g_string_append_printf (hint, _("\n%u. Owner or modes: with “StrictModes yes” (the default) sshd "
                                  "silently ignores the file if the home directory, ~/.ssh or "
                                  "authorized_keys is writable by others or not owned by “%s”: "
                                  "chown -R %s: ~%s/.ssh; chmod 700 ~%s/.ssh; chmod 600 "
                                  "~%s/.ssh/authorized_keys. sshd’s log says “bad ownership or modes”."),
                          n++, ctx->user, ctx->user, ctx->user, ctx->user, ctx->user);
  g_string_append_printf (hint, _("\n%u. Another user: the key went into the file of another account "
                                  "(root’s, or yours) instead of “%s”’s."), n++, ctx->user);
  g_string_append_printf (hint, _("\n%u. “AuthorizedKeysFile” in sshd_config points elsewhere "
                                  "(“sshd -T | grep authorizedkeysfile” shows where)."), n++);
  if (tw_public_key_is_rsa (ctx->service_key))
    g_string_append_printf (hint, _("\n%u. The algorithm is refused: “PubkeyAcceptedAlgorithms” "
                                    "(“PubkeyAcceptedKeyTypes” before OpenSSH 8.5) leaves out "
                                    "rsa-sha2-256/rsa-sha2-512, or the server is older than "
                                    "OpenSSH 7.2 and knows only ssh-rsa."), n++);
  else
    g_string_append_printf (hint, _("\n%u. The algorithm is refused: “PubkeyAcceptedAlgorithms” "
                                    "leaves out %s."), n++, tw_public_key_get_key_type (ctx->service_key));
  g_string_append_printf (hint, _("\n%u. A from=\"…\" option on the key admits only the service’s "
                                  "addresses: then this refusal from your address is expected, "
                                  "and the service’s own test will tell."), n++);
  return g_string_free (g_steal_pointer (&hint), FALSE);
}

TwCheckStatus
tw_check_service_key_run (TwProbeContext *ctx,
                          TwCheckOutcome *out)
{
  ssh_key key;
  int rc;

  if (ctx->service_key == NULL)
    {
      out->summary = g_strdup (ctx->service_key_problem);
      return TW_CHECK_STATUS_SKIP;
    }

  key = tw_probe_import_service_key (ctx->service_key);
  if (key == NULL)
    {
      out->summary = g_strdup_printf (_("This SSH library cannot use a %s key"),
                                      tw_public_key_get_key_type (ctx->service_key));
      return TW_CHECK_STATUS_SKIP;
    }

  rc = ssh_userauth_try_publickey (ctx->session, NULL, key);
  ssh_key_free (key);

  switch (rc)
    {
    case SSH_AUTH_SUCCESS:
      out->summary = g_strdup_printf (_("The server would accept the service key for “%s”"), ctx->user);
      out->detail = g_strdup_printf ("%s %s", tw_public_key_get_key_type (ctx->service_key),
                                     tw_public_key_get_fingerprint (ctx->service_key));
      return TW_CHECK_STATUS_PASS;

    case SSH_AUTH_PARTIAL:
      out->summary = g_strdup (_("The key is accepted, but the server then asks for another method too"));
      out->hint = g_strdup (_("“AuthenticationMethods” requires more than the key for this user "
                              "(e.g. “publickey,password”): the service cannot give more. Use "
                              "“AuthenticationMethods publickey” in a “Match User” block for it."));
      return TW_CHECK_STATUS_FAIL;

    case SSH_AUTH_DENIED:
      {
        int methods = ssh_userauth_list (ctx->session, NULL);
        g_autofree char *offered = tw_probe_describe_auth_methods (methods);

        ctx->pubkey_queries++;
        out->summary = g_strdup_printf (_("The server refuses the service key for “%s”"), ctx->user);
        out->detail = g_strdup_printf (_("Key: %s %s\nServer: refused; it still offers %s"),
                                       tw_public_key_get_key_type (ctx->service_key),
                                       tw_public_key_get_fingerprint (ctx->service_key),
                                       *offered ? offered : _("nothing"));
        out->hint = denied_hint (ctx);
        return TW_CHECK_STATUS_FAIL;
      }

    default:
      {
        g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, ctx->session);

        out->summary = g_strdup_printf (_("The server did not answer the key query: %s"), why);
        out->hint = g_strdup (_("The server may have closed the connection after too many "
                                "authentication attempts (“MaxAuthTries”)."));
        return TW_CHECK_STATUS_FAIL;
      }
    }
}
