/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-credentials.h"
#include "tw-probe.h"
#include "tw-tunnel.h"
#include "tw-check-page.h"

G_BEGIN_DECLS

#define TW_TYPE_DESTINATION_PAGE (tw_destination_page_get_type ())
G_DECLARE_FINAL_TYPE (TwDestinationPage, tw_destination_page, TW, DESTINATION_PAGE, TwCheckPage)

/*
 * "Destination and TLS", a TwCheckPage (the Require TLS switch edits
 * the tunnel's "require-tls"; complete when a run finished and no check
 * failed; "page.run" gives the probe the login first). Properties:
 * "login-kind" (TwCredentialsKind), "login-user" (NULL: the tunnel user),
 * "identity-file" (a path), "remember-password" (the admin's choice: the
 * window stores the password of tw_destination_page_dup_credentials() in the
 * keyring when it is TRUE). Action: "page.choose-key-file". The password
 * itself is never a property.
 */
GtkWidget         *tw_destination_page_new                   (void);

TwCredentialsKind  tw_destination_page_get_login_kind        (TwDestinationPage *self);
void               tw_destination_page_set_login_kind        (TwDestinationPage *self,
                                                              TwCredentialsKind  kind);
const char        *tw_destination_page_get_login_user        (TwDestinationPage *self);
void               tw_destination_page_set_login_user        (TwDestinationPage *self,
                                                              const char        *user);
const char        *tw_destination_page_get_identity_file     (TwDestinationPage *self);
void               tw_destination_page_set_identity_file     (TwDestinationPage *self,
                                                              const char        *path);
gboolean           tw_destination_page_get_remember_password (TwDestinationPage *self);
void               tw_destination_page_set_remember_password (TwDestinationPage *self,
                                                              gboolean           remember);
/* Fills the password field, e.g. from the keyring; never stored by the page */
void               tw_destination_page_set_password          (TwDestinationPage *self,
                                                              const char        *password);
/* (transfer full) (nullable): the checks' login: the stand-in key when it is on, else what
 * the fields say; NULL while incomplete */
TwCredentials     *tw_destination_page_dup_credentials       (TwDestinationPage *self);
/* The admin's own login from the fields, never the stand-in key (the setup dialog's login) */
TwCredentials     *tw_destination_page_dup_login_credentials (TwDestinationPage *self);

G_END_DECLS
