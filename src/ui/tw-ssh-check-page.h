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
 * Step 4, "Test the SSH port", a TwWizardPage: complete when a run finished
 * and no check failed (or the only failure is a host key that differs from
 * the pinned or known one, which step 5 decides). Properties: "running"
 * (read-only), "report" (read-only, the probe's live TwReport: the
 * fingerprint page shows its host key), "host-key-changed" (read-only),
 * "known-hosts-file" (read-write).
 * Actions: "page.run" (also "Run again"), "page.cancel".
 */
GtkWidget *tw_ssh_check_page_new                  (void);
gboolean   tw_ssh_check_page_get_complete         (TwSshCheckPage *self);
gboolean   tw_ssh_check_page_get_running          (TwSshCheckPage *self);
gboolean   tw_ssh_check_page_get_host_key_changed (TwSshCheckPage *self);
/* (transfer none) (nullable): NULL until a tunnel is set */
TwReport  *tw_ssh_check_page_get_report           (TwSshCheckPage *self);
/* "known-hosts-file": NULL (default) = the user's and the system's */
void       tw_ssh_check_page_set_known_hosts_file (TwSshCheckPage *self,
                                                   const char     *path);
/* (transfer none) (nullable): to adjust the next run (e.g. its timeout); a
 * new one each time a field the checks read changes in the tunnel */
TwProbe   *tw_ssh_check_page_get_probe            (TwSshCheckPage *self);

G_END_DECLS
