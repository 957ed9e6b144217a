/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/**
 * tw_setup_sshd_config:
 * @tunnel: user, destination and least-privilege choice
 * @key: the service's public key (RSA keys get the ssh-rsa lines)
 *
 * The sshd_config lines this tunnel needs, as a drop-in file with comments that say where it
 * goes and how to check and reload sshd: a `Match User` block that allows the SHA-1 `ssh-rsa`
 * signature for an RSA key, and, with least-privilege on, restricts the user to forwarding to
 * the destination (reverse mode: to listening on the tunnel's one port, with GatewayPorts
 * clientspecified when other hosts connect). When nothing is needed, the text is a comment
 * saying so.
 *
 * Returns: (transfer full): the lines, or %NULL with @error set (TW_SETUP_ERROR)
 */
char       *tw_setup_sshd_config          (TwTunnel     *tunnel,
                                           TwPublicKey  *key,
                                           GError      **error);
/* Whether tw_setup_sshd_config() has anything to add for this case. */
gboolean    tw_setup_sshd_config_needed   (TwTunnel     *tunnel,
                                           TwPublicKey  *key);
/* The drop-in path tw_setup_sshd_config() suggests, e.g. "/etc/ssh/sshd_config.d/50-tunnel-wizard-fivetran.conf" */
char       *tw_setup_sshd_config_path     (TwTunnel     *tunnel);
/* "sshd -t && systemctl reload ssh": check the configuration, then reload without dropping sessions */
const char *tw_setup_sshd_reload_command  (void);

G_END_DECLS
