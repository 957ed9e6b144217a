/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-core.h"

G_BEGIN_DECLS

/* The options of `tunnel-check setup --apply`, as parsed. */
typedef struct
{
  gboolean  apply;
  gboolean  dry_run;
  gboolean  agent;
  char     *host;
  char     *login_user;
  char     *identity;
  char     *password_env;
  char     *sudo_password_env;
  char     *expect_fingerprint;
  char     *known_hosts;
  char     *sshd_lines;
  gboolean  allow_forwarding;
  int       revert_after;
  int       timeout;
} TwCliSetupApply;

void          tw_cli_setup_apply_init  (TwCliSetupApply *options);
void          tw_cli_setup_apply_clear (TwCliSetupApply *options);
/* (transfer full): the --apply options, parsed into @options */
GOptionGroup *tw_cli_setup_apply_group (TwCliSetupApply *options);
/* Usage errors exit 2; then sets the server up and prints one line per step. */
int           tw_cli_setup_apply_run   (TwCliSetupApply *options,
                                        TwTunnel        *tunnel,
                                        TwPublicKey     *key);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TwCliSetupApply, tw_cli_setup_apply_clear)

G_END_DECLS
