/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the probe engine changes in a report; only on the main context that
 * started the run.
 */
#pragma once

#include "tw-report.h"

G_BEGIN_DECLS

TwReport *tw_report_new                     (void);
/* Replaces the list of checks (one items-changed) */
void      tw_report_set_checks              (TwReport           *self,
                                             GPtrArray          *results);
/* Every check back to PENDING, server and host key data cleared */
void      tw_report_reset                   (TwReport           *self);
void      tw_report_set_server              (TwReport           *self,
                                             const char         *banner,
                                             const char         *software);
void      tw_report_set_host_key            (TwReport           *self,
                                             const char         *type,
                                             const char         *fingerprint,
                                             const char         *randomart);
/* @keys: (element-type TwPublicKey) (nullable): every host key, the default first */
void      tw_report_set_host_keys           (TwReport           *self,
                                             GPtrArray          *keys);
void      tw_report_set_known_hosts_status  (TwReport           *self,
                                             TwKnownHostsStatus  status);
/* Who the checks through the tunnel ran as; NULL: nobody logged in */
/* The host certificate the server showed (NULL: none), whether known_hosts
 * trusts its CA and ssh accepts it, and which CA vouched or why not */
void      tw_report_set_host_certificate    (TwReport           *self,
                                             TwHostCertificate  *certificate,
                                             gboolean            trusted,
                                             const char         *note);
void      tw_report_set_login_user          (TwReport           *self,
                                             const char         *user,
                                             gboolean            is_tunnel_user,
                                             gboolean            stand_in);
void      tw_report_set_finished            (TwReport           *self,
                                             gboolean            finished);

G_END_DECLS
