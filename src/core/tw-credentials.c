/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin's own login to the bastion. Secrets live here only as long as
 * the object, and are overwritten before the memory goes back to malloc.
 */
#include "config.h"

#include <string.h>

#include "tw-credentials.h"
#include "tw-string-private.h"

struct _TwCredentials
{
  GObject parent_instance;

  TwCredentialsKind  kind;
  char              *user;
  char              *identity_file;
  char              *passphrase;
  char              *password;
  char              *private_key;
  TwSshConfig       *ssh_config;
  gboolean           stand_in;
};

G_DEFINE_FINAL_TYPE (TwCredentials, tw_credentials, G_TYPE_OBJECT)

static void
tw_credentials_finalize (GObject *object)
{
  TwCredentials *self = (TwCredentials *) object;

  g_free (self->user);
  g_free (self->identity_file);
  g_clear_object (&self->ssh_config);
  g_clear_pointer (&self->passphrase, tw_wipe_free);
  g_clear_pointer (&self->password, tw_wipe_free);
  g_clear_pointer (&self->private_key, tw_wipe_free);

  G_OBJECT_CLASS (tw_credentials_parent_class)->finalize (object);
}

static void
tw_credentials_class_init (TwCredentialsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_credentials_finalize;
}

static void
tw_credentials_init (TwCredentials *self)
{
}

TwCredentials *
tw_credentials_new_agent (void)
{
  TwCredentials *self = g_object_new (TW_TYPE_CREDENTIALS, NULL);

  self->kind = TW_CREDENTIALS_AGENT;
  return self;
}

TwCredentials *
tw_credentials_new_identity_file (const char *path,
                                  const char *passphrase)
{
  TwCredentials *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TW_TYPE_CREDENTIALS, NULL);
  self->kind = TW_CREDENTIALS_IDENTITY_FILE;
  self->identity_file = g_strdup (path);
  self->passphrase = g_strdup (passphrase);
  return self;
}

TwCredentials *
tw_credentials_new_password (const char *password)
{
  TwCredentials *self;

  g_return_val_if_fail (password != NULL, NULL);

  self = g_object_new (TW_TYPE_CREDENTIALS, NULL);
  self->kind = TW_CREDENTIALS_PASSWORD;
  self->password = g_strdup (password);
  return self;
}

TwCredentials *
tw_credentials_new_private_key (const char *private_key)
{
  TwCredentials *self;

  g_return_val_if_fail (private_key != NULL, NULL);

  self = g_object_new (TW_TYPE_CREDENTIALS, NULL);
  self->kind = TW_CREDENTIALS_PRIVATE_KEY;
  self->private_key = g_strdup (private_key);
  return self;
}

const char *
tw_credentials_get_private_key (TwCredentials *self)
{
  g_return_val_if_fail (TW_IS_CREDENTIALS (self), NULL);
  return self->private_key;
}

TwCredentialsKind
tw_credentials_get_kind (TwCredentials *self)
{
  g_return_val_if_fail (TW_IS_CREDENTIALS (self), TW_CREDENTIALS_AGENT);
  return self->kind;
}

const char *
tw_credentials_get_user (TwCredentials *self)
{
  g_return_val_if_fail (TW_IS_CREDENTIALS (self), NULL);
  return self->user;
}

void
tw_credentials_set_user (TwCredentials *self,
                         const char    *user)
{
  g_return_if_fail (TW_IS_CREDENTIALS (self));

  if (g_strcmp0 (self->user, user) == 0)
    return;
  g_free (self->user);
  self->user = g_strdup (user);
}

gboolean
tw_credentials_get_stand_in (TwCredentials *self)
{
  g_return_val_if_fail (TW_IS_CREDENTIALS (self), FALSE);
  return self->stand_in;
}

void
tw_credentials_set_stand_in (TwCredentials *self,
                             gboolean       stand_in)
{
  g_return_if_fail (TW_IS_CREDENTIALS (self));
  self->stand_in = !!stand_in;
}

const char *
tw_credentials_get_identity_file (TwCredentials *self)
{
  g_return_val_if_fail (TW_IS_CREDENTIALS (self), NULL);
  return self->identity_file;
}

const char *
tw_credentials_get_passphrase (TwCredentials *self)
{
  g_return_val_if_fail (TW_IS_CREDENTIALS (self), NULL);
  return self->passphrase;
}

const char *
tw_credentials_get_password (TwCredentials *self)
{
  g_return_val_if_fail (TW_IS_CREDENTIALS (self), NULL);
  return self->password;
}

TwSshConfig *
tw_credentials_get_ssh_config (TwCredentials *self)
{
  g_return_val_if_fail (TW_IS_CREDENTIALS (self), NULL);
  return self->ssh_config;
}

void
tw_credentials_set_ssh_config (TwCredentials *self,
                               TwSshConfig   *config)
{
  g_return_if_fail (TW_IS_CREDENTIALS (self));
  g_return_if_fail (config == NULL || TW_IS_SSH_CONFIG (config));

  g_set_object (&self->ssh_config, config);
}
