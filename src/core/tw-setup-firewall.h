/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/**
 * tw_setup_aws_commands:
 * @tunnel: its service-addresses and SSH port
 * @security_group_id: (nullable): the bastion's security group, e.g. "sg-0123456789abcdef0";
 *   %NULL to leave it to an SG_ID shell variable the admin sets
 *
 * AWS CLI commands that open the SSH port of the bastion's security group to each service
 * address: `aws ec2 authorize-security-group-ingress` with `--cidr` for IPv4 and
 * `--ip-permissions …Ipv6Ranges…` for IPv6. Without addresses, a comment that asks for them.
 *
 * Returns: (transfer full): the commands, or %NULL with @error set (TW_SETUP_ERROR)
 */
char *tw_setup_aws_commands (TwTunnel     *tunnel,
                             const char   *security_group_id,
                             GError      **error);

G_END_DECLS
