/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-wizard-page.h"

G_BEGIN_DECLS

#define TW_TYPE_SERVER_PAGE (tw_server_page_get_type ())
G_DECLARE_FINAL_TYPE (TwServerPage, tw_server_page, TW, SERVER_PAGE, TwWizardPage)

/* "Tunnel server": the tunnel server (bastion) and the destination as seen from it. */
void      tw_server_page_set_tunnel   (TwServerPage *self,
                                       TwTunnel     *tunnel);
gboolean  tw_server_page_get_complete (TwServerPage *self);

/* Whether @host is a host name (RFC 1123 labels) or an IPv4/IPv6 literal; otherwise a reason. */
gboolean  tw_server_page_validate_host (const char  *host,
                                        GError     **error);

G_END_DECLS
