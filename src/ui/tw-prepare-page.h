/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-wizard-page.h"

G_BEGIN_DECLS

#define TW_TYPE_PREPARE_PAGE (tw_prepare_page_get_type ())
G_DECLARE_FINAL_TYPE (TwPreparePage, tw_prepare_page, TW, PREPARE_PAGE, TwWizardPage)

/* "Prepare the server": the instructions that prepare the tunnel server, generated from the tunnel. */

G_END_DECLS
