/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/* Internal to the tw-setup-* generators. */
char     *tw_setup_bare_host        (const char   *host);
gboolean  tw_setup_address_is_ipv6  (const char   *cidr);
gboolean  tw_setup_validate_key     (TwPublicKey  *key,
                                     GError      **error);
/* Reverse mode: the bastion listens for this machine (permitlisten, PermitListen). */
gboolean  tw_setup_is_reverse          (TwTunnel    *tunnel);
/* "ADDRESS:PORT" as the client asks sshd to listen ("*" for every interface) */
char     *tw_setup_listen_spec         (TwTunnel    *tunnel);
/* Whether sshd needs GatewayPorts clientspecified to listen where the tunnel asks */
gboolean  tw_setup_needs_gateway_ports (TwTunnel    *tunnel);
/* User, then destination (forward) or listen address and port (reverse), then (when @key is
 * not NULL) key */
gboolean  tw_setup_validate_tunnel  (TwTunnel     *tunnel,
                                     TwPublicKey  *key,
                                     GError      **error);
/* "TYPE BASE64[ COMMENT]", from the validated parts */
char     *tw_setup_key_line         (TwPublicKey  *key);
/* The settings inside the tunnel user's Match block (RSA, least privilege), indented */
void      tw_setup_append_match_body (GString     *text,
                                      TwTunnel    *tunnel,
                                      TwPublicKey *key,
                                      gboolean     windows);

G_END_DECLS
