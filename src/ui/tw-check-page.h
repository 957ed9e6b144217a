/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-check-panel.h"
#include "tw-wizard-page.h"

G_BEGIN_DECLS

#define TW_TYPE_CHECK_PAGE (tw_check_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (TwCheckPage, tw_check_page, TW, CHECK_PAGE, TwWizardPage)

/*
 * A step whose checks run in a TwCheckPanel ("Test the SSH port", "Destination and TLS"):
 * the actions "page.run" (also Run Again) and "page.cancel", and the panel's state as the
 * read-only properties "running" and "report" (the probe's live TwReport). A page hands
 * over the panel of its template with tw_check_page_set_panel() in its init.
 */
struct _TwCheckPageClass
{
  TwWizardPageClass parent_class;

  /* Whether "page.run" may start, besides a probe to run and no run going (NULL: it may) */
  gboolean (*can_run)     (TwCheckPage *self);
  /* Just before a run: what the page gives the probe first (a login); FALSE: no run */
  gboolean (*prepare_run) (TwCheckPage *self);
};

void          tw_check_page_set_panel            (TwCheckPage  *self,
                                                  TwCheckPanel *panel);
gboolean      tw_check_page_get_running          (TwCheckPage  *self);
/* (transfer none) (nullable): NULL until a tunnel is set */
TwReport     *tw_check_page_get_report           (TwCheckPage  *self);
/* For the pages themselves, when what can_run() reads changed */
void          tw_check_page_update_actions       (TwCheckPage  *self);
/* The known_hosts file the checks read: NULL (default) = the user's and the system's */
const char   *tw_check_page_get_known_hosts_file (TwCheckPage  *self);
void          tw_check_page_set_known_hosts_file (TwCheckPage  *self,
                                                  const char   *path);

G_END_DECLS
