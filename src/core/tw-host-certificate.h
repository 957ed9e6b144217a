/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tw-public-key.h"

G_BEGIN_DECLS

/*
 * An OpenSSH host certificate (PROTOCOL.certkeys): the server's key, signed
 * by a certificate authority for some host names and a time window. The
 * checks follow ssh's for a host certificate whose CA known_hosts trusts.
 */

#define TW_TYPE_HOST_CERTIFICATE (tw_host_certificate_get_type ())
G_DECLARE_FINAL_TYPE (TwHostCertificate, tw_host_certificate, TW, HOST_CERTIFICATE, GObject)

/* Valid-before of a certificate that never expires */
#define TW_HOST_CERTIFICATE_FOREVER G_MAXUINT64

/* Parses a "…-cert-v01@openssh.com" blob: NULL, with a TW_KEY_ERROR, when
 * it is not one. The CA's signature is checked by tw_host_certificate_check(). */
TwHostCertificate  *tw_host_certificate_new_from_blob     (GBytes            *blob,
                                                           GError           **error);

/* "ssh-ed25519-cert-v01@openssh.com" */
const char         *tw_host_certificate_get_cert_type     (TwHostCertificate *self);
/* The server's own key the certificate carries */
TwPublicKey        *tw_host_certificate_get_key           (TwHostCertificate *self);
/* The key that signed it */
TwPublicKey        *tw_host_certificate_get_ca_key        (TwHostCertificate *self);
const char         *tw_host_certificate_get_key_id        (TwHostCertificate *self);
guint64             tw_host_certificate_get_serial        (TwHostCertificate *self);
/* The names it is valid for; empty: any */
const char * const *tw_host_certificate_get_principals    (TwHostCertificate *self);
/* Seconds since the epoch, as in the certificate */
guint64             tw_host_certificate_get_valid_after   (TwHostCertificate *self);
guint64             tw_host_certificate_get_valid_before  (TwHostCertificate *self);
/* The CA's signature algorithm, "ssh-ed25519", "rsa-sha2-512", … */
const char         *tw_host_certificate_get_signature_algorithm (TwHostCertificate *self);
/* The whole blob, as the server sent it */
GBytes             *tw_host_certificate_get_blob          (TwHostCertificate *self);

/* "from 2026-12-05 16:11 UTC to 2026-12-05 17:16 UTC", "forever", … */
char               *tw_host_certificate_describe_validity (TwHostCertificate *self);

/* Whether ssh accepts this certificate for @host (the name as typed) at
 * @now (seconds since the epoch), once known_hosts trusts its CA: a host
 * certificate, valid now, @host among its principals (or none listed), no
 * critical options, a CA signature algorithm ssh accepts by default, and a
 * CA signature that verifies. @reason: (out) (optional): why not. */
gboolean            tw_host_certificate_check             (TwHostCertificate *self,
                                                           const char        *host,
                                                           guint64            now,
                                                           char             **reason);

G_END_DECLS
