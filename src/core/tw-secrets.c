/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tunnel's secrets in the Secret Service, under the app's own schema so
 * that they are easy to find (and remove) in Seahorse. libsecret is already
 * asynchronous with a cancellable: no thread of our own is needed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-secrets.h"
#include "tw-tunnel.h"

const SecretSchema *
tw_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Secret", SECRET_SCHEMA_NONE,
    {
      { "tunnel", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static const char *
kind_to_string (TwSecretKind kind)
{
  switch (kind)
    {
    case TW_SECRET_PASSWORD:
      return "password";
    case TW_SECRET_PASSPHRASE:
      return "passphrase";
    case TW_SECRET_PRIVATE_KEY:
      return "private-key";
    case TW_SECRET_SUDO_PASSWORD:
      return "sudo-password";
    default:
      g_return_val_if_reached ("password");
    }
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
tw_secrets_store_async (const char          *tunnel_id,
                        TwSecretKind         kind,
                        const char          *label,
                        const char          *secret,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (tunnel_id != NULL);
  g_return_if_fail (secret != NULL);

  /* Wrapped in a task of our own so that callers get one source tag and one error path. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_secrets_store_async);
  secret_password_store (tw_secrets_get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, on_stored, task,
                         "tunnel", tunnel_id,
                         "kind", kind_to_string (kind),
                         NULL);
}

gboolean
tw_secrets_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
tw_secrets_lookup_async (const char          *tunnel_id,
                         TwSecretKind         kind,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (tunnel_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_secrets_lookup_async);
  secret_password_lookup (tw_secrets_get_schema (), cancellable, on_looked_up, task,
                          "tunnel", tunnel_id,
                          "kind", kind_to_string (kind),
                          NULL);
}

char *
tw_secrets_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean removed = secret_password_clear_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, removed);
}

void
tw_secrets_clear_async (const char          *tunnel_id,
                        int                  kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (tunnel_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_secrets_clear_async);

  /* libsecret keeps the table, not copies of its strings, until the service answers: the
   * caller's id may be gone by then. */
  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (attributes, (gpointer) "tunnel", g_strdup (tunnel_id));
  if (kind >= 0)
    g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (kind_to_string (kind)));

  secret_password_clearv (tw_secrets_get_schema (), attributes, cancellable, on_cleared, task);
}

gboolean
tw_secrets_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* For the command line, which has nothing else to do meanwhile. */
char *
tw_secrets_lookup_sync (const char    *tunnel_id,
                        TwSecretKind   kind,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (tunnel_id != NULL, NULL);

  return secret_password_lookup_sync (tw_secrets_get_schema (), cancellable, error,
                                      "tunnel", tunnel_id,
                                      "kind", kind_to_string (kind),
                                      NULL);
}

TwCredentials *
tw_secrets_dup_saved_login (TwTunnel      *tunnel,
                            const char    *tunnel_id,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(TwCredentials) credentials = NULL;
  g_autoptr(GError) local_error = NULL;
  char *secret = NULL;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (tunnel_id != NULL, NULL);

  if (!tw_tunnel_has_saved_login (tunnel))
    return NULL;

  switch (tw_tunnel_get_login_method (tunnel))
    {
    case TW_CREDENTIALS_PASSWORD:
      secret = tw_secrets_lookup_sync (tunnel_id, TW_SECRET_PASSWORD, cancellable, &local_error);
      if (secret == NULL)
        {
          if (local_error != NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         /* Translators: %s is the keyring's error */
                         _("the keyring could not be asked for the login password: %s"), local_error->message);
          else
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                 _("the login password is not in the keyring (turn on “Remember in "
                                   "Keyring” in Tunnel Wizard, or give --password-env)"));
          return NULL;
        }
      credentials = tw_credentials_new_password (secret);
      break;

    case TW_CREDENTIALS_IDENTITY_FILE:
      if (tw_tunnel_get_login_identity_file (tunnel) == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("the saved login names no key file (choose one in Tunnel Wizard, or give --identity)"));
          return NULL;
        }
      /* A passphrase is optional: an unencrypted key needs none */
      secret = tw_secrets_lookup_sync (tunnel_id, TW_SECRET_PASSPHRASE, cancellable, NULL);
      credentials = tw_credentials_new_identity_file (tw_tunnel_get_login_identity_file (tunnel),
                                                      secret != NULL ? secret : g_getenv ("TUNNEL_CHECK_PASSPHRASE"));
      break;

    case TW_CREDENTIALS_AGENT:
    case TW_CREDENTIALS_PRIVATE_KEY:
    default:
      credentials = tw_credentials_new_agent ();
      break;
    }
  if (secret != NULL)
    secret_password_free (secret);
  tw_credentials_set_user (credentials, tw_tunnel_get_login_user (tunnel));
  return g_steal_pointer (&credentials);
}
