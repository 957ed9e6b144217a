/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-wizard-page.h"

G_BEGIN_DECLS

#define TW_TYPE_REVERSE_SERVER_PAGE (tw_reverse_server_page_get_type ())
G_DECLARE_FINAL_TYPE (TwReverseServerPage, tw_reverse_server_page, TW, REVERSE_SERVER_PAGE, TwWizardPage)

/* Reverse mode, "Bastion": the bastion this machine logs in to, the port it asks the bastion to
 * listen on (and for whom: GatewayPorts), the local destination and the keepalive interval.
 * Complete once every field is valid. */

G_END_DECLS
