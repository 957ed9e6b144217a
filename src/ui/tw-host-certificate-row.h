/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_HOST_CERTIFICATE_ROW (tw_host_certificate_row_get_type ())
G_DECLARE_FINAL_TYPE (TwHostCertificateRow, tw_host_certificate_row, TW, HOST_CERTIFICATE_ROW, AdwActionRow)

/*
 * The server's host certificate, as the fingerprint step shows it: what it
 * says, whether it counts here (trusted in known_hosts, pinned in the tunnel,
 * or neither), and a second row with the switch that pins its certificate
 * authority along with the keys. Hidden without a certificate; the switch
 * only shows for one valid for the tunnel's host. Once the keys are pinned
 * (the page holding the row is complete), the switch pins or unpins the CA
 * in the tunnel at once; before, confirming the keys takes its choice along
 * (tw_host_certificate_row_dup_wanted_ca_pin()).
 */
/* The switch's row: the list that holds this row places it right after it. */
GtkWidget *tw_host_certificate_row_get_pin_row         (TwHostCertificateRow *self);
/* Shows @report's certificate for @tunnel. Its signature is checked again only when the
 * certificate or the tunnel's host changed. */
void       tw_host_certificate_row_update              (TwHostCertificateRow *self,
                                                        TwReport             *report,
                                                        TwTunnel             *tunnel);
/* The tunnel's pinned CA signed the server's certificate, valid for the tunnel's host */
gboolean   tw_host_certificate_row_get_pinned_ca_vouches (TwHostCertificateRow *self);
/* The CA pin the switch asks for, or NULL */
char      *tw_host_certificate_row_dup_wanted_ca_pin   (TwHostCertificateRow *self);

G_END_DECLS
