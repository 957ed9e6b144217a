/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-probe.h"
#include "tw-tunnel.h"
#include "tw-wizard-page.h"

G_BEGIN_DECLS

#define TW_TYPE_SSH_CHECK_PAGE (tw_ssh_check_page_get_type ())
G_DECLARE_FINAL_TYPE (TwSshCheckPage, tw_ssh_check_page, TW, SSH_CHECK_PAGE, TwWizardPage)

/*
 * "Test the SSH port", a TwWizardPage: complete when a run finished
 * and no check failed (or the only failure is a host key that differs from
 * the pinned or known one, which "Confirm the fingerprint" decides). Properties: "running"
 * (read-only), "report" (read-only, the probe's live TwReport: the
 * fingerprint page shows its host key), "host-key-changed" (read-only).
 * Actions: "page.run" (also "Run again"), "page.cancel".
 */
GtkWidget *tw_ssh_check_page_new                  (void);
gboolean   tw_ssh_check_page_get_complete         (TwSshCheckPage *self);
gboolean   tw_ssh_check_page_get_running          (TwSshCheckPage *self);
gboolean   tw_ssh_check_page_get_host_key_changed (TwSshCheckPage *self);
/* (transfer none) (nullable): NULL until a tunnel is set */
TwReport  *tw_ssh_check_page_get_report           (TwSshCheckPage *self);
/* The known_hosts file the checks read: NULL (default) = the user's and the system's */
const char *tw_ssh_check_page_get_known_hosts_file (TwSshCheckPage *self);
void       tw_ssh_check_page_set_known_hosts_file (TwSshCheckPage *self,
                                                   const char     *path);

G_END_DECLS
