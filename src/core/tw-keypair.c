/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This machine's own key pair, for tunnels it opens itself (the window's
 * "Generate a key pair here" and the reverse tunnel): ed25519 made by libssh,
 * the private half kept only in the keyring (as the tunnel's private-key
 * secret, tw-secrets.c), the public half shown for authorized_keys. Private key text lives in memory as briefly as
 * possible and is wiped before it is freed.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libssh/libssh.h>
#include <string.h>

#include "tw-keypair.h"
#include "tw-secrets.h"
#include "tw-string-private.h"

struct _TwKeypair
{
  GObject  parent_instance;

  ssh_key  key;
  char    *public_key;
  char    *fingerprint;
};

G_DEFINE_FINAL_TYPE (TwKeypair, tw_keypair, G_TYPE_OBJECT)
G_DEFINE_QUARK (tw-keypair-error-quark, tw_keypair_error)

void
tw_keypair_free_secret (char *secret)
{
  tw_wipe_free (secret);
}

static TwKeypair *
keypair_new_for_key (ssh_key     key,
                     const char *comment)
{
  TwKeypair *self = g_object_new (TW_TYPE_KEYPAIR, NULL);
  unsigned char *hash = NULL;
  size_t hash_len = 0;
  char *b64 = NULL;

  self->key = key;
  if (ssh_pki_export_pubkey_base64 (key, &b64) == SSH_OK)
    {
      self->public_key = comment && *comment
        ? g_strdup_printf ("%s %s %s", ssh_key_type_to_char (ssh_key_type (key)), b64, comment)
        : g_strdup_printf ("%s %s", ssh_key_type_to_char (ssh_key_type (key)), b64);
      ssh_string_free_char (b64);
    }
  if (ssh_get_publickey_hash (key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hash_len) == SSH_OK)
    {
      char *text = ssh_get_fingerprint_hash (SSH_PUBLICKEY_HASH_SHA256, hash, hash_len);

      self->fingerprint = g_strdup (text);
      ssh_string_free_char (text);
      ssh_clean_pubkey_hash (&hash);
    }
  return self;
}

/**
 * tw_keypair_generate:
 * @comment: (nullable): the comment of the public key line
 *
 * Returns: (transfer full): a new ed25519 key pair
 */
TwKeypair *
tw_keypair_generate (const char  *comment,
                     GError     **error)
{
  ssh_key key = NULL;

  if (ssh_pki_generate (SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK)
    {
      g_set_error_literal (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_GENERATE,
                           _("A new key pair could not be generated"));
      return NULL;
    }
  return keypair_new_for_key (key, comment);
}

/**
 * tw_keypair_generate_rsa:
 * @bits: 2048 to 8192; 3072 is what ssh-keygen makes
 * @comment: (nullable): the comment of the public key line
 *
 * For services that read PKCS#1 ("BEGIN RSA PRIVATE KEY") only.
 *
 * Returns: (transfer full): a new RSA key pair
 */
TwKeypair *
tw_keypair_generate_rsa (guint        bits,
                         const char  *comment,
                         GError     **error)
{
  ssh_key key = NULL;

  g_return_val_if_fail (bits >= 2048 && bits <= 8192, NULL);

  if (ssh_pki_generate (SSH_KEYTYPE_RSA, (int) bits, &key) != SSH_OK)
    {
      g_set_error_literal (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_GENERATE,
                           _("A new key pair could not be generated"));
      return NULL;
    }
  return keypair_new_for_key (key, comment);
}

/**
 * tw_keypair_new_from_private:
 * @private_key: OpenSSH private key text, as tw_keypair_export_private() gives
 *
 * Returns: (transfer full) (nullable): the key pair, or %NULL with @error set
 */
TwKeypair *
tw_keypair_new_from_private (const char  *private_key,
                             const char  *comment,
                             GError     **error)
{
  ssh_key key = NULL;

  if (ssh_pki_import_privkey_base64 (private_key, NULL, NULL, NULL, &key) != SSH_OK)
    {
      g_set_error_literal (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_INVALID,
                           _("The stored private key cannot be read"));
      return NULL;
    }
  return keypair_new_for_key (key, comment);
}

/* "ssh-ed25519 AAAA… comment", one line, for authorized_keys. */
const char *
tw_keypair_get_public_key (TwKeypair *self)
{
  g_return_val_if_fail (TW_IS_KEYPAIR (self), NULL);
  return self->public_key;
}

/* "SHA256:…", as ssh-keygen -lf prints it. */
const char *
tw_keypair_get_fingerprint (TwKeypair *self)
{
  g_return_val_if_fail (TW_IS_KEYPAIR (self), NULL);
  return self->fingerprint;
}

/**
 * tw_keypair_export_private:
 *
 * Returns: (transfer full): the private key as libssh writes it (OpenSSH format for Ed25519,
 *   PKCS#8 for RSA: tw_private_key_convert() gives the others). A secret:
 *   free it with tw_keypair_free_secret(), never log it.
 */
char *
tw_keypair_export_private (TwKeypair *self)
{
  char *text = NULL;
  char *copy;

  g_return_val_if_fail (TW_IS_KEYPAIR (self), NULL);

  if (ssh_pki_export_privkey_base64 (self->key, NULL, NULL, NULL, &text) != SSH_OK)
    return NULL;
  copy = g_strdup (text);
  explicit_bzero (text, strlen (text));
  ssh_string_free_char (text);
  return copy;
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (tw_secrets_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tw_keypair_store_async (TwKeypair           *self,
                        const char          *tunnel_id,
                        const char          *label,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  char *secret = tw_keypair_export_private (self);

  g_task_set_source_tag (task, tw_keypair_store_async);
  /* libsecret copies the secret before this returns. */
  tw_secrets_store_async (tunnel_id, TW_SECRET_PRIVATE_KEY, label, secret,
                          cancellable, on_stored, task);
  tw_keypair_free_secret (secret);
}

gboolean
tw_keypair_store_finish (TwKeypair     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  char *secret = tw_secrets_lookup_finish (result, &error);
  TwKeypair *keypair;

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (secret == NULL)
    {
      g_task_return_new_error (task, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_NOT_FOUND,
                               _("The keyring holds no key for this tunnel"));
      return;
    }

  keypair = tw_keypair_new_from_private (secret, g_task_get_task_data (task), &error);
  secret_password_free (secret);   /* wipes */
  if (keypair == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, keypair, g_object_unref);
}

void
tw_keypair_lookup_async (const char          *tunnel_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tw_keypair_lookup_async);
  g_task_set_task_data (task, g_strdup_printf ("tunnel-wizard-%s", tunnel_id), g_free);
  tw_secrets_lookup_async (tunnel_id, TW_SECRET_PRIVATE_KEY, cancellable, on_looked_up, task);
}

/**
 * tw_keypair_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the key pair stored for the tunnel
 */
TwKeypair *
tw_keypair_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  tw_secrets_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tw_keypair_delete_async (const char          *tunnel_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tw_keypair_delete_async);
  tw_secrets_clear_async (tunnel_id, TW_SECRET_PRIVATE_KEY, cancellable, on_cleared, task);
}

gboolean
tw_keypair_delete_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tw_keypair_finalize (GObject *object)
{
  TwKeypair *self = (TwKeypair *) object;

  g_clear_pointer (&self->key, ssh_key_free);
  g_free (self->public_key);
  g_free (self->fingerprint);

  G_OBJECT_CLASS (tw_keypair_parent_class)->finalize (object);
}

static void
tw_keypair_class_init (TwKeypairClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_keypair_finalize;
}

static void
tw_keypair_init (TwKeypair *self)
{
}
