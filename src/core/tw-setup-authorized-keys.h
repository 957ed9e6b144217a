/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/**
 * tw_setup_authorized_keys_line:
 * @tunnel: the tunnel; its least-privilege and service-addresses properties shape the options
 * @key: the service's public key
 *
 * The line to put in the tunnel user's ~/.ssh/authorized_keys, without a newline: the plain
 * key, or with least-privilege on
 * `restrict,port-forwarding,permitopen="HOST:PORT"[,from="CIDR,…"] TYPE BASE64 COMMENT`
 * (reverse mode: `permitlisten="ADDRESS:PORT"`, the bastion's side of the tunnel).
 * Options the admin pasted with the key are not carried over.
 *
 * Returns: (transfer full): the line, or %NULL with @error set (TW_SETUP_ERROR)
 */
char *tw_setup_authorized_keys_line (TwTunnel     *tunnel,
                                     TwPublicKey  *key,
                                     GError      **error);

G_END_DECLS
