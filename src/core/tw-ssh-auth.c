/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin's public-key login as their ssh client makes it: a user
 * certificate (signed by the company's SSH CA, checked by sshd's
 * TrustedUserCAKeys) goes first, then the bare key, and without an explicit
 * key the agent and then the IdentityFiles of their ssh_config.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-ssh-auth.h"

/* The certificates that belong to the key in @path: libssh only attaches
 * one whose public key is this key's. */
static ssh_key
import_with_cert (const char          *path,
                  const char          *passphrase,
                  const char          *cert_path)
{
  ssh_key key = NULL;
  ssh_key cert = NULL;

  if (!g_file_test (cert_path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  if (ssh_pki_import_cert_file (cert_path, &cert) != SSH_OK)
    return NULL;
  if (ssh_pki_import_privkey_file (path, passphrase, NULL, NULL, &key) != SSH_OK ||
      ssh_pki_copy_cert_to_privkey (cert, key) != SSH_OK)
    g_clear_pointer (&key, ssh_key_free);
  ssh_key_free (cert);
  return key;
}

int
tw_ssh_auth_key_file (ssh_session          session,
                      const char          *path,
                      const char          *passphrase,
                      const char * const  *cert_files,
                      char               **how,
                      char               **problem)
{
  g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func (g_free);
  ssh_key key = NULL;
  int rc = SSH_AUTH_DENIED;

  if (ssh_pki_import_privkey_file (path, passphrase, NULL, NULL, &key) != SSH_OK)
    {
      *problem = g_strdup_printf (_("The key file %s cannot be opened"), path);
      return SSH_AUTH_ERROR;
    }

  for (guint i = 0; cert_files != NULL && cert_files[i] != NULL; i++)
    g_ptr_array_add (certs, g_strdup (cert_files[i]));
  g_ptr_array_add (certs, g_strdup_printf ("%s-cert.pub", path));

  for (guint i = 0; i < certs->len && rc == SSH_AUTH_DENIED; i++)
    {
      const char *cert_path = g_ptr_array_index (certs, i);
      ssh_key with_cert = import_with_cert (path, passphrase, cert_path);

      if (with_cert == NULL)
        continue;
      rc = ssh_userauth_publickey (session, NULL, with_cert);
      ssh_key_free (with_cert);
      if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_PARTIAL)
        *how = g_strdup_printf (_("the key file %s with its certificate %s"), path, cert_path);
    }

  if (rc == SSH_AUTH_DENIED)
    {
      rc = ssh_userauth_publickey (session, NULL, key);
      if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_PARTIAL)
        *how = g_strdup_printf (_("the key file %s"), path);
    }
  ssh_key_free (key);
  return rc;
}

static gboolean
agent_reachable (TwSshConfig *config)
{
  const char *agent = tw_ssh_config_get_identity_agent (config);

  if (agent == NULL)
    return g_getenv ("SSH_AUTH_SOCK") != NULL;
  return g_ascii_strcasecmp (agent, "none") != 0 && g_file_test (agent, G_FILE_TEST_EXISTS);
}

int
tw_ssh_auth_with_config (ssh_session   session,
                         TwSshConfig  *config,
                         gboolean      use_agent,
                         char        **how,
                         GString      *notes)
{
  const char * const *files = tw_ssh_config_get_identity_files (config);
  const char * const *certs = tw_ssh_config_get_certificate_files (config);
  int rc = SSH_AUTH_DENIED;
  gboolean offered = FALSE;

  if (use_agent && agent_reachable (config))
    {
      const char *agent = tw_ssh_config_get_identity_agent (config);

      if (agent != NULL)
        ssh_options_set (session, SSH_OPTIONS_IDENTITY_AGENT, agent);
      rc = ssh_userauth_agent (session, NULL);
      offered = TRUE;
      if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_PARTIAL)
        {
          *how = g_strdup (_("the ssh-agent"));
          return rc;
        }
      if (rc != SSH_AUTH_DENIED)
        return rc;
    }

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *problem = NULL;

      if (!g_file_test (files[i], G_FILE_TEST_IS_REGULAR))
        continue;
      rc = tw_ssh_auth_key_file (session, files[i], NULL, certs, how, &problem);
      offered = TRUE;
      if (rc == SSH_AUTH_ERROR && problem != NULL)
        {
          /* Most likely a passphrase, which nobody can type here. */
          if (notes != NULL)
            g_string_append_printf (notes, _("%s: skipped (it needs a passphrase, or is not a private key)\n"),
                                    files[i]);
          rc = SSH_AUTH_DENIED;
          continue;
        }
      if (rc != SSH_AUTH_DENIED)
        return rc;
    }
  if (!offered && notes != NULL)
    g_string_append (notes, _("No key to offer: no agent, and none of the IdentityFiles exists\n"));
  return rc;
}
