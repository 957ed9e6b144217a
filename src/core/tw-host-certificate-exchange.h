/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-host-certificate.h"

G_BEGIN_DECLS

/* Asks the SSH server at the other end of @stream for a host certificate,
 * the way ssh-keyscan -c does, since libssh 0.10 offers the server no
 * certificate algorithm: a key exchange (curve25519-sha256) offering only
 * certificate host key algorithms, up to the server's reply, whose
 * signature must verify with the key in the certificate, so that the server
 * proved it holds that key. Nothing more is sent.
 *
 * Returns NULL without an error when the server offers no certificate.
 * The socket's timeout and @cancellable bound the wait. */
TwHostCertificate *tw_host_certificate_exchange (GIOStream     *stream,
                                                 GCancellable  *cancellable,
                                                 GError       **error);

G_END_DECLS
