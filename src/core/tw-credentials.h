/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tw-ssh-config.h"

G_BEGIN_DECLS

/**
 * TwCredentialsKind:
 * @TW_CREDENTIALS_AGENT: the keys of the ssh-agent at $SSH_AUTH_SOCK
 * @TW_CREDENTIALS_IDENTITY_FILE: a private key file, with an optional passphrase
 * @TW_CREDENTIALS_PASSWORD: a password, tried as "password" and then as
 *   "keyboard-interactive" (answered to every prompt that does not echo)
 * @TW_CREDENTIALS_PRIVATE_KEY: an unencrypted private key held in memory
 *   only (the stand-in key)
 */
typedef enum {
  TW_CREDENTIALS_AGENT,
  TW_CREDENTIALS_IDENTITY_FILE,
  TW_CREDENTIALS_PASSWORD,
  TW_CREDENTIALS_PRIVATE_KEY,
} TwCredentialsKind;

#define TW_TYPE_CREDENTIALS (tw_credentials_get_type ())
G_DECLARE_FINAL_TYPE (TwCredentials, tw_credentials, TW, CREDENTIALS, GObject)

/*
 * The admin's own way into the bastion, for the `login` check and the
 * checks through the tunnel. Immutable once made, so the probe's worker
 * thread may read it. The password and passphrase are overwritten with
 * zeros when the object is finalized and are never logged.
 */
TwCredentials     *tw_credentials_new_agent         (void);
TwCredentials     *tw_credentials_new_identity_file (const char    *path,
                                                     const char    *passphrase);
TwCredentials     *tw_credentials_new_password      (const char    *password);
TwCredentials     *tw_credentials_new_private_key   (const char    *private_key);

TwCredentialsKind  tw_credentials_get_kind          (TwCredentials *self);
/* The login user; NULL (default) = the tunnel user */
const char        *tw_credentials_get_user          (TwCredentials *self);
void               tw_credentials_set_user          (TwCredentials *self,
                                                     const char    *user);
/* The key is a stand-in for the service's (see tw-stand-in.h), installed for
 * the tunnel user: the checks through the tunnel then run as the service's would */
gboolean           tw_credentials_get_stand_in      (TwCredentials *self);
void               tw_credentials_set_stand_in      (TwCredentials *self,
                                                     gboolean       stand_in);
const char        *tw_credentials_get_identity_file (TwCredentials *self);
const char        *tw_credentials_get_passphrase    (TwCredentials *self);
const char        *tw_credentials_get_password      (TwCredentials *self);
const char        *tw_credentials_get_private_key   (TwCredentials *self);
/* The admin's ssh_config for the bastion ("use my SSH settings"); NULL
 * (default) = none. With it the login goes where ssh would go (HostName,
 * Port, ProxyJump), as its User unless a user is set, and an agent login
 * also tries its IdentityAgent and IdentityFiles, with their certificates. */
TwSshConfig       *tw_credentials_get_ssh_config    (TwCredentials *self);
void               tw_credentials_set_ssh_config    (TwCredentials *self,
                                                     TwSshConfig   *config);

G_END_DECLS
