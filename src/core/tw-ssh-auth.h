/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libssh/libssh.h>

#include "tw-ssh-config.h"

G_BEGIN_DECLS

/*
 * Public-key logins the way the OpenSSH client makes them, on a connected
 * libssh session, in the caller's (worker) thread. Each returns an
 * SSH_AUTH_* code; a key that cannot be read at all gives SSH_AUTH_ERROR
 * and @problem (translated). Nothing secret is logged.
 */

/* The key in @path: with each certificate that belongs to it first
 * (@cert_files, then PATH-cert.pub beside it), then on its own. @how: set
 * to plain words for what got in ("the key file …, with its certificate"). */
int   tw_ssh_auth_key_file    (ssh_session          session,
                               const char          *path,
                               const char          *passphrase,
                               const char * const  *cert_files,
                               char               **how,
                               char               **problem);

/* ssh's own order for @config's host: the agent (IdentityAgent, or
 * $SSH_AUTH_SOCK), then each IdentityFile that exists and needs no
 * passphrase, each with its certificates. @notes (may be NULL) collects
 * what was skipped and why. */
int   tw_ssh_auth_with_config (ssh_session          session,
                               TwSshConfig         *config,
                               gboolean             use_agent,
                               char               **how,
                               GString             *notes);

G_END_DECLS
