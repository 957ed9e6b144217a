/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin's own login on a connected session, shared by the `login`
 * check and the `connections` check (which logs in N times at once, as the
 * service would).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-probe-private.h"
#include "tw-ssh-auth.h"

const char *
tw_probe_login_user (TwProbeContext *ctx)
{
  TwCredentials *creds = ctx->credentials;
  TwSshConfig *config = creds ? tw_credentials_get_ssh_config (creds) : NULL;

  if (creds != NULL && tw_credentials_get_user (creds) != NULL)
    return tw_credentials_get_user (creds);
  if (config != NULL && tw_ssh_config_has_user (config))
    return tw_ssh_config_get_user (config);
  return ctx->user;
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

int
tw_probe_login_authenticate (TwProbeContext  *ctx,
                             ssh_session      session,
                             const char     **how,
                             char           **how_owned,
                             GString         *notes,
                             int             *methods,
                             TwCheckOutcome  *out)
{
  TwCredentials *creds = ctx->credentials;
  TwSshConfig *config = tw_credentials_get_ssh_config (creds);
  int rc;

  *methods = ssh_userauth_list (session, NULL);

  switch (tw_credentials_get_kind (creds))
    {
    case TW_CREDENTIALS_AGENT:
      *how = _("the ssh-agent");
      if (config != NULL)
        {
          /* As ssh: the agent (IdentityAgent), then the IdentityFiles */
          *how = _("your SSH settings");
          rc = tw_ssh_auth_with_config (session, config, TRUE, how_owned, notes);
          break;
        }
      if (g_getenv ("SSH_AUTH_SOCK") == NULL)
        {
          out->summary = g_strdup (_("No ssh-agent is running (SSH_AUTH_SOCK is not set)"));
          out->hint = g_strdup (_("Start an agent and add your key (ssh-add), or choose a key file."));
          return SSH_AUTH_ERROR;
        }
      rc = ssh_userauth_agent (session, NULL);
      break;

    case TW_CREDENTIALS_IDENTITY_FILE:
      {
        const char *path = tw_credentials_get_identity_file (creds);
        ssh_key key = NULL;

        *how = _("the key file");
        if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
          {
            out->summary = g_strdup_printf (_("The key file %s does not exist"), path);
            return SSH_AUTH_ERROR;
          }
        if (ssh_pki_import_privkey_file (path, tw_credentials_get_passphrase (creds),
                                         NULL, NULL, &key) != SSH_OK)
          {
            out->summary = g_strdup_printf (_("The key file %s cannot be opened"), path);
            out->hint = g_strdup (_("The passphrase is wrong or missing, or the file is not a "
                                    "private key (choose the file without “.pub”)."));
            return SSH_AUTH_ERROR;
          }
        ssh_key_free (key);
        {
          g_autofree char *problem = NULL;

          /* With a user certificate beside it (or CertificateFile) first */
          rc = tw_ssh_auth_key_file (session, path, tw_credentials_get_passphrase (creds),
                                     config ? tw_ssh_config_get_certificate_files (config) : NULL,
                                     how_owned, &problem);
        }
      }
      break;

    case TW_CREDENTIALS_PRIVATE_KEY:
      {
        ssh_key key = NULL;

        *how = _("the stand-in key");
        if (ssh_pki_import_privkey_base64 (tw_credentials_get_private_key (creds), NULL, NULL, NULL,
                                           &key) != SSH_OK)
          {
            out->summary = g_strdup (_("The stand-in key cannot be read"));
            return SSH_AUTH_ERROR;
          }
        rc = ssh_userauth_publickey (session, NULL, key);
        ssh_key_free (key);
      }
      break;

    case TW_CREDENTIALS_PASSWORD:
    default:
      *how = _("the password");
      rc = SSH_AUTH_DENIED;
      if (*methods & SSH_AUTH_METHOD_PASSWORD)
        rc = ssh_userauth_password (session, NULL, tw_credentials_get_password (creds));
      if (rc == SSH_AUTH_DENIED && (ssh_userauth_list (session, NULL) & SSH_AUTH_METHOD_INTERACTIVE))
        rc = login_kbdint (session, tw_credentials_get_password (creds));
      if (rc == SSH_AUTH_DENIED && !(*methods & (SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_INTERACTIVE)))
        {
          g_autofree char *offered = tw_probe_describe_auth_methods (*methods);

          out->summary = g_strdup_printf (_("The server does not take passwords for “%s”"), tw_probe_login_user (ctx));
          out->detail = g_strdup_printf (_("Offered: %s"), offered);
          out->hint = g_strdup (_("“PasswordAuthentication” and “KbdInteractiveAuthentication” are "
                                  "off. Log in with a key (agent or key file) instead."));
          return SSH_AUTH_ERROR;
        }
      break;
    }

  return rc;
}
