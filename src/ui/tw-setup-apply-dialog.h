/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_SETUP_APPLY_DIALOG (tw_setup_apply_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TwSetupApplyDialog, tw_setup_apply_dialog, TW, SETUP_APPLY_DIALOG, AdwWindow)

/* "Set Up on the Server": the admin's login, the exact scripts, what would change, then the
 * steps live as the server runs them. Emits "applied" once the server is set up (or was). */
TwSetupApplyDialog *tw_setup_apply_dialog_new        (TwTunnel           *tunnel,
                                                      GtkWindow          *parent);
void                tw_setup_apply_dialog_set_known_hosts_file (TwSetupApplyDialog *self,
                                                      const char         *path);
/* "Fix on the Server" for the failed check titled @check_title: the same scripts (they are
 * the remedy, see tw_setup_apply_fixes_check()), introduced as the fix for that check */
void                tw_setup_apply_dialog_set_fix_for (TwSetupApplyDialog *self,
                                                       const char         *check_id,
                                                       const char         *check_title);
/* Fills the login fields from the destination step's login, so the admin is asked once;
 * the user is kept when @credentials names none */
void                tw_setup_apply_dialog_set_credentials (TwSetupApplyDialog *self,
                                                      TwCredentials      *credentials);
/* (transfer full) (nullable): the login as the fields say; NULL while incomplete */
TwCredentials      *tw_setup_apply_dialog_dup_credentials (TwSetupApplyDialog *self);

G_END_DECLS
