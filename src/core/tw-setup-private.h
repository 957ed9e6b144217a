/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/* Internal to the tw-setup-* generators. */

/* The shell scripts' first step: a blank line, then stop unless run as root */
#define TW_SETUP_SH_REQUIRE_ROOT \
  "\n" \
  "if [ \"$(id -u)\" -ne 0 ]; then\n" \
  "  echo 'Run this script as root.' >&2\n" \
  "  exit 1\n" \
  "fi\n"

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

/* restrict,port-forwarding,permitopen=… (or permitlisten=…) with least privilege, else "";
 * for a tunnel already validated */
char     *tw_setup_restrict_options        (TwTunnel  *tunnel);
/* The options of the authorized_keys line ("" when none), for a tunnel already validated */
char     *tw_setup_authorized_keys_options (TwTunnel  *tunnel,
                                            GError   **error);
/* The drop-in file tw_setup_sshd_config_path() names, without instructions; NULL when sshd
 * needs no change (tw_setup_sshd_config_needed()) */
char     *tw_setup_sshd_dropin          (TwTunnel    *tunnel,
                                         TwPublicKey *key);
/* The same drop-in, always, with lines that let the tunnel user forward (or listen, in
 * reverse mode) whatever the rest of sshd_config forbids: the remedy when the bastion
 * refuses the forward with "administratively prohibited" */
char     *tw_setup_sshd_dropin_allowing_forward (TwTunnel    *tunnel,
                                                 TwPublicKey *key);
/* Each line of @block (validated values only) with @indent before it, for YAML literal blocks */
void      tw_setup_append_indented      (GString     *text,
                                         const char  *block,
                                         const char  *indent);

G_END_DECLS
