/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/**
 * tw_setup_windows_script:
 * @tunnel: user, SSH port, destination and options
 * @key: the service's public key
 *
 * PowerShell steps for Windows OpenSSH, to run in an elevated PowerShell: the OpenSSH.Server
 * capability, the sshd service, a firewall rule, the local user, sshd_config additions and the
 * key in administrators_authorized_keys (for an administrator) or the user's own
 * authorized_keys, each restricted with icacls. Idempotent like the Linux script.
 *
 * Returns: (transfer full): the script, or %NULL with @error set (TW_SETUP_ERROR)
 */
char *tw_setup_windows_script (TwTunnel     *tunnel,
                               TwPublicKey  *key,
                               GError      **error);

G_END_DECLS
