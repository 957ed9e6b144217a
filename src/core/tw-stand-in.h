/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-keypair.h"
#include "tw-tunnel.h"

G_BEGIN_DECLS

/* The comment of every stand-in key line: the Linux setup script and
 * tw_stand_in_remove_command() remove the lines that end with it. */
#define TW_STAND_IN_MARKER "tunnel-wizard-stand-in"

/*
 * A stand-in for the service's key: only the service holds the tunnel user's
 * private key, so the forward can be tested as the tunnel user only with a
 * key of our own, installed for an hour with the very options the service's
 * line has (restrict, port-forwarding, permitopen= or permitlisten=) but
 * without from= (this computer is not the service). Whatever a Match User
 * block, AllowTcpForwarding or the options allow or refuse the service, they
 * allow or refuse it too.
 */

/* A new Ed25519 key pair for the stand-in (private part in memory only) */
TwKeypair *tw_stand_in_generate         (GError   **error);

/* The authorized_keys line for @keypair: the tunnel's options without
 * from=, expiry-time one hour after @now (UTC, as sshd reads "…Z"), and
 * the marker as its comment. TW_SETUP_ERROR for a tunnel the setup refuses. */
char      *tw_stand_in_authorized_line  (TwTunnel   *tunnel,
                                         TwKeypair  *keypair,
                                         GDateTime  *now,
                                         GError    **error);

/* Shell commands for root on the bastion: append @line to the tunnel user's
 * authorized_keys (owner and mode kept), and remove every stand-in line
 * again. TW_SETUP_ERROR for an invalid user. */
char      *tw_stand_in_install_command  (TwTunnel   *tunnel,
                                         const char *line,
                                         GError    **error);
char      *tw_stand_in_remove_command   (TwTunnel   *tunnel,
                                         GError    **error);

G_END_DECLS
