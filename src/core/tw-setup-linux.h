/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/**
 * tw_setup_linux_script:
 * @tunnel: user, destination and options
 * @key: the service's public key
 *
 * A bash script to run as root on the bastion: creates the group and user if missing,
 * ~/.ssh (0700) and authorized_keys (0600) owned by the user, and adds the key on one line.
 * Idempotent: run twice, the key is there once; permissions are only ever tightened.
 *
 * Returns: (transfer full): the script, or %NULL with @error set (TW_SETUP_ERROR)
 */
char *tw_setup_linux_script (TwTunnel     *tunnel,
                             TwPublicKey  *key,
                             GError      **error);

G_END_DECLS
