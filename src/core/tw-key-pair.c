/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A key pair made here, for reverse tunnels: this machine logs in with it. The
 * private half is handed to the caller only to go to the keyring, and every
 * copy we make of it is wiped before it is freed.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libssh/libssh.h>
#include <string.h>

#include "tw-key-pair.h"

G_DEFINE_QUARK (tw-key-pair-error-quark, tw_key_pair_error)

static void
wipe (char *text)
{
  if (text != NULL)
    {
      /* volatile: a plain memset right before free() may be optimised away. */
      volatile char *p = text;

      while (*p)
        *p++ = '\0';
    }
}

void
tw_key_pair_free_private (char *private_key)
{
  wipe (private_key);
  g_free (private_key);
}

gboolean
tw_key_pair_generate (const char  *comment,
                      char       **public_line,
                      char       **private_key,
                      GError     **error)
{
  ssh_key key = NULL;
  char *base64 = NULL;
  char *exported = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (public_line != NULL, FALSE);
  g_return_val_if_fail (private_key != NULL, FALSE);

  if (ssh_pki_generate (SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK ||
      ssh_pki_export_pubkey_base64 (key, &base64) != SSH_OK ||
      ssh_pki_export_privkey_base64 (key, NULL, NULL, NULL, &exported) != SSH_OK)
    {
      g_set_error_literal (error, TW_KEY_PAIR_ERROR, TW_KEY_PAIR_ERROR_FAILED,
                           _("A new key pair could not be made"));
      goto out;
    }

  *public_line = comment && *comment ? g_strdup_printf ("ssh-ed25519 %s %s", base64, comment)
                                     : g_strdup_printf ("ssh-ed25519 %s", base64);
  *private_key = g_strdup (exported);
  ok = TRUE;

out:
  wipe (exported);
  ssh_string_free_char (exported);
  ssh_string_free_char (base64);
  ssh_key_free (key);
  return ok;
}
