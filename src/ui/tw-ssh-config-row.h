/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_SSH_CONFIG_ROW (tw_ssh_config_row_get_type ())
G_DECLARE_FINAL_TYPE (TwSshConfigRow, tw_ssh_config_row, TW, SSH_CONFIG_ROW, AdwExpanderRow)

/* "Use my SSH settings for this host": a switch that reads the admin's
 * ~/.ssh/config for @host (in a worker thread) and shows what the login
 * will use before it is used. */
const char  *tw_ssh_config_row_get_host        (TwSshConfigRow *self);
void         tw_ssh_config_row_set_host        (TwSshConfigRow *self,
                                                const char     *host);
/* NULL (default): the user's and the system's files */
void         tw_ssh_config_row_set_config_file (TwSshConfigRow *self,
                                                const char     *path);
/* The resolved settings; NULL while off, reading, or when the files are wrong */
TwSshConfig *tw_ssh_config_row_get_config      (TwSshConfigRow *self);

G_END_DECLS
