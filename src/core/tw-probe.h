/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-credentials.h"
#include "tw-public-key.h"
#include "tw-report.h"
#include "tw-tunnel.h"

G_BEGIN_DECLS

#define TW_PROBE_ERROR (tw_probe_error_quark ())

/**
 * TwProbeError:
 * @TW_PROBE_ERROR_INVALID: the tunnel lacks what every check needs (host, user)
 * @TW_PROBE_ERROR_BUSY: a run is already under way on this probe
 *
 * Errors of tw_probe_run_finish(). A check that fails is not an error: it is
 * in the report. Cancellation gives G_IO_ERROR_CANCELLED.
 */
typedef enum {
  TW_PROBE_ERROR_INVALID,
  TW_PROBE_ERROR_BUSY,
} TwProbeError;

GQuark tw_probe_error_quark (void);

#define TW_TYPE_PROBE (tw_probe_get_type ())
G_DECLARE_FINAL_TYPE (TwProbe, tw_probe, TW, PROBE, GObject)

/*
 * One run of the checks (docs/ARCHITECTURE.md) against one tunnel description. The tunnel's
 * fields are copied when the run starts: editing the tunnel during a run
 * does not affect it. All setters are for before a run.
 */
TwProbe            *tw_probe_new                      (TwTunnel      *tunnel);
TwTunnel           *tw_probe_get_tunnel               (TwProbe       *self);

/* NULL (default) = parse the tunnel's "service-key" text when the run starts
 * (unparsable or empty: the service-key checks skip, saying why). */
void                tw_probe_set_service_key          (TwProbe       *self,
                                                       TwPublicKey   *key);
/* NULL (default) = no login: login and the checks through the tunnel skip. */
void                tw_probe_set_credentials          (TwProbe       *self,
                                                       TwCredentials *credentials);
/* NULL (default) = ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts */
void                tw_probe_set_known_hosts_file     (TwProbe       *self,
                                                       const char    *path);
/* Any form tw_fingerprint_input_parse() reads ("SHA256:…", an ssh-keygen
 * -lf line, a known_hosts line, MD5…): matches if it designates any of the
 * server's host keys. NULL (default) = the tunnel's pinned keys
 * (tw_tunnel_dup_pins()); nothing at all = no comparison. */
void                tw_probe_set_expected_fingerprint (TwProbe       *self,
                                                       const char    *fingerprint);
/* Per stage (connect, banner, each auth request, channel open); default 10 */
void                tw_probe_set_timeout              (TwProbe       *self,
                                                       guint          seconds);
/* For the `channels` check; default 4 */
void                tw_probe_set_channels             (TwProbe       *self,
                                                       guint          n_channels);
guint               tw_probe_get_channels             (TwProbe       *self);

/*
 * The scope: which check ids appear in the report, in the order of docs/ARCHITECTURE.md
 * whatever the order given. NULL (default) = all. Checks a selected one
 * needs (connect, key exchange, host key, login) still run unseen, and
 * their failure fails the first selected check with their reason: a host
 * key that changed blocks the through-the-tunnel step too.
 * The window runs tw_probe_get_ssh_port_check_ids() in the "Test the SSH
 * port" step and tw_probe_get_tunnel_check_ids() in "Destination and TLS".
 * The report's check list is rebuilt (items-changed) when the scope changes.
 */
void                tw_probe_set_checks               (TwProbe            *self,
                                                       const char * const *ids);
/* NULL-terminated, static */
const char * const *tw_probe_get_all_check_ids        (void);
const char * const *tw_probe_get_ssh_port_check_ids   (void);
const char * const *tw_probe_get_tunnel_check_ids     (void);
/* Translated label for an id, e.g. "Host key"; NULL for an unknown id */
const char         *tw_probe_get_check_title          (const char *id);

/* TRUE from tw_probe_run_async() until the report is finished ("running",
 * notifies on change: a spinner binds to it) */
gboolean            tw_probe_get_running              (TwProbe       *self);

/* (transfer none): live — results change on the main context that called
 * tw_probe_run_async() as the checks start and end. The same object for the
 * probe's life; a new run resets it to PENDING first. */
TwReport           *tw_probe_get_report               (TwProbe       *self);

/*
 * Runs the checks in a worker thread (one libssh session per connection,
 * used only there). Cancelling @cancellable stops it within ~100 ms at any
 * stage; the callback then gets G_IO_ERROR_CANCELLED and the checks not
 * finished are left SKIP ("cancelled").
 */
void                tw_probe_run_async                (TwProbe             *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* (transfer full): the report (same as tw_probe_get_report()) */
TwReport           *tw_probe_run_finish               (TwProbe             *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
