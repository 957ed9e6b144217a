/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_WIZARD_PAGE (tw_wizard_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (TwWizardPage, tw_wizard_page, TW, WIZARD_PAGE, AdwBin)

/*
 * What every step of the wizard is: a view of one tunnel, which the window
 * sets, and whether the step lets the admin go on. Properties: "tunnel"
 * (read-write), "complete" (read-only, TRUE unless the page says otherwise).
 */
struct _TwWizardPageClass
{
  AdwBinClass parent_class;

  /* After "tunnel" changed and before it is notified: @previous is the tunnel
   * the page showed until now (may be NULL), to let go of what it watched. */
  void (*tunnel_changed) (TwWizardPage *self,
                          TwTunnel     *previous);
};

TwTunnel *tw_wizard_page_get_tunnel   (TwWizardPage *self);
void      tw_wizard_page_set_tunnel   (TwWizardPage *self,
                                       TwTunnel     *tunnel);
gboolean  tw_wizard_page_get_complete (TwWizardPage *self);
/* For the pages themselves: notifies "complete" only when it changes. */
void      tw_wizard_page_set_complete (TwWizardPage *self,
                                       gboolean      complete);

G_END_DECLS
