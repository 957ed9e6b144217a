/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-admin-session.h"

G_BEGIN_DECLS

/* Called in the worker thread for each line the script prints on standard output. */
typedef void (*TwRemoteLineFunc) (const char *line,
                                  gpointer    user_data);

typedef struct
{
  int   exit_status;   /* the script's, or -1 when none came */
  char *error_output;  /* what it printed on standard error (sudo's prompts left out) */
} TwRemoteResult;

void tw_remote_result_clear (TwRemoteResult *result);

/*
 * Runs @script with bash as root on the admin's session: directly when the login is root,
 * else through `sudo -S`, which gets @sudo_password (nullable) on standard input, and only
 * when it asks. The script itself follows on standard input once root's shell says it is
 * ready, so it runs byte for byte and never appears on a command line. @args go to the
 * script ("$@"). Returns FALSE with TW_SETUP_APPLY_ERROR (sudo refused: which way) or
 * G_IO_ERROR_CANCELLED; a script that ran and failed is TRUE with its exit status in @result.
 */
gboolean tw_remote_exec_as_root (TwAdminSession     *session,
                                 const char         *script,
                                 const char * const *args,
                                 const char         *sudo_password,
                                 TwRemoteLineFunc    on_line,
                                 gpointer            user_data,
                                 TwRemoteResult     *result,
                                 GError            **error);

G_END_DECLS
