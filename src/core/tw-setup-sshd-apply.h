/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/**
 * tw_setup_sshd_apply_script:
 * @tunnel: the tunnel user and its options
 * @key: the service's public key
 *
 * A bash script, run as root, that installs tw_setup_sshd_config()'s lines (a drop-in when
 * sshd_config includes sshd_config.d, else a marked block at its end), keeps a backup, checks
 * with `sshd -t`, arms a revert and reloads sshd. Arguments: `--dry-run` (show the diff and
 * the steps only), `--confirm` (keep the change: cancel the revert), `--revert-after SECONDS`
 * (120). Prints one `TW-STEP <step> <result> <text>` line per step, as the Linux script does.
 *
 * Returns: (transfer full): the script, or %NULL with @error set (TW_SETUP_ERROR)
 */
char *tw_setup_sshd_apply_script           (TwTunnel     *tunnel,
                                            TwPublicKey  *key,
                                            GError      **error);
/* The same script for sshd_config lines of the caller's choice (@lines as a drop-in file). */
char *tw_setup_sshd_apply_script_for_lines (TwTunnel     *tunnel,
                                            const char   *lines,
                                            GError      **error);

G_END_DECLS
