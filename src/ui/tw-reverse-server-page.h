/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_REVERSE_SERVER_PAGE (tw_reverse_server_page_get_type ())
G_DECLARE_FINAL_TYPE (TwReverseServerPage, tw_reverse_server_page, TW, REVERSE_SERVER_PAGE, AdwBin)

/* Reverse mode, step 2: the bastion this machine logs in to, the port it asks the bastion to
 * listen on (and for whom: GatewayPorts), the local destination and the keepalive interval.
 * Properties: "tunnel" (read-write), "complete" (read-only). */
TwTunnel *tw_reverse_server_page_get_tunnel   (TwReverseServerPage *self);
void      tw_reverse_server_page_set_tunnel   (TwReverseServerPage *self,
                                               TwTunnel            *tunnel);
gboolean  tw_reverse_server_page_get_complete (TwReverseServerPage *self);

G_END_DECLS
