/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-check-result.h"
#include "tw-host-certificate.h"
#include "tw-public-key.h"

G_BEGIN_DECLS

/**
 * TwKnownHostsStatus:
 * @TW_KNOWN_HOSTS_UNCHECKED: the host-key check has not run (yet)
 * @TW_KNOWN_HOSTS_KNOWN: known_hosts has this very key for the host
 * @TW_KNOWN_HOSTS_UNKNOWN: known_hosts has no key for the host
 * @TW_KNOWN_HOSTS_CHANGED: known_hosts has a different key for the host:
 *   a possible man-in-the-middle, the run stops talking to the server
 * @TW_KNOWN_HOSTS_REVOKED: a line marked @revoked lists one of the server's
 *   keys: never accepted, whatever else is recorded or pinned
 */
typedef enum {
  TW_KNOWN_HOSTS_UNCHECKED,
  TW_KNOWN_HOSTS_KNOWN,
  TW_KNOWN_HOSTS_UNKNOWN,
  TW_KNOWN_HOSTS_CHANGED,
  TW_KNOWN_HOSTS_REVOKED,
} TwKnownHostsStatus;

#define TW_TYPE_REPORT (tw_report_get_type ())
G_DECLARE_FINAL_TYPE (TwReport, tw_report, TW, REPORT, GObject)

/*
 * The outcome of a probe run, shared by the window and the CLI. Properties
 * (all read-only, notify on change, changed only on the main context that
 * started the run): "server-banner" (the identification string, e.g.
 * "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"), "server-software"
 * ("OpenSSH_9.2p1"), "host-key-type" ("ssh-ed25519"), "host-key-fingerprint"
 * ("SHA256:…", as ssh-keygen -lf prints it), "host-key-randomart" (as
 * ssh-keygen -lv draws it), "host-keys" (GPtrArray of TwPublicKey: every
 * host key the server offers, the one a default OpenSSH client negotiates
 * first; "host-key-*" describe that one), "known-hosts-status" (TwKnownHostsStatus),
 * "verdict" (TwCheckStatus: PENDING while a check is still to run, then the
 * worst of FAIL > WARN > PASS; skips do not count), "finished" (boolean).
 */

/* (transfer none): a GListModel of TwCheckResult, every check of the run in
 * order, present from the start as PENDING. */
GListModel         *tw_report_get_checks               (TwReport *self);
/* (transfer none) (nullable): the result with this id, if it is in the run */
TwCheckResult      *tw_report_get_check                (TwReport   *self,
                                                        const char *id);

const char         *tw_report_get_server_banner        (TwReport *self);
const char         *tw_report_get_server_software      (TwReport *self);
const char         *tw_report_get_host_key_type        (TwReport *self);
const char         *tw_report_get_host_key_fingerprint (TwReport *self);
const char         *tw_report_get_host_key_randomart   (TwReport *self);
/* (transfer none) (element-type TwPublicKey): never NULL, may be empty */
GPtrArray          *tw_report_get_host_keys            (TwReport *self);
TwKnownHostsStatus  tw_report_get_known_hosts_status   (TwReport *self);
/* "host-certificate": the one the server shows, NULL when none (transfer none) */
TwHostCertificate  *tw_report_get_host_certificate     (TwReport *self);
/* Whether known_hosts trusts its CA and ssh accepts it for this host */
gboolean            tw_report_get_host_certificate_trusted (TwReport *self);
/* Which CA vouched for it, or why it was not accepted; NULL when no CA is trusted for the host */
const char         *tw_report_get_host_certificate_note (TwReport *self);
/* "login-user": who logged in for the checks through the tunnel (the
 * admin's own account, or the tunnel user); NULL until a login passed. */
const char         *tw_report_get_login_user           (TwReport *self);
/* Whether that was the tunnel user itself, whose limits the service meets */
gboolean            tw_report_get_login_is_tunnel_user (TwReport *self);
/* …with a stand-in key that has the service's options */
gboolean            tw_report_get_login_stand_in       (TwReport *self);
TwCheckStatus       tw_report_get_verdict              (TwReport *self);
gboolean            tw_report_get_finished             (TwReport *self);

/* "known", "unknown", "changed", "revoked"; NULL when unchecked */
const char         *tw_known_hosts_status_to_string    (TwKnownHostsStatus status);

/* The contract's object (docs: tunnel-check(1)), pretty-printed: {"checks":[{"id","status","duration_ms",
 * "summary","detail","hint"}],"server":{"banner","software"},
 * "host_key":{"type","fingerprint","randomart"},
 * "host_keys":[{"type","fingerprint","randomart"}],
 * "host_certificate":{"type","key_fingerprint","key_id","serial","principals":[],
 * "valid_after","valid_before" (ISO 8601 UTC, null: unbounded),"ca_type","ca_fingerprint",
 * "signature_algorithm","trusted","note"} (null when the server shows none),
 * "login":{"user","is_tunnel_user","stand_in_key"} (null without a login),"verdict"}. Text that is not
 * known is null. (transfer full) */
char               *tw_report_to_json                  (TwReport *self);
/* The same, for a ticket: a heading, a table of the checks, then details
 * and hints. (transfer full) */
char               *tw_report_to_markdown              (TwReport *self);

G_END_DECLS
