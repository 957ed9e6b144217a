/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-credentials.h"
#include "tw-public-key.h"
#include "tw-tunnel.h"

G_BEGIN_DECLS

#define TW_SETUP_APPLY_ERROR (tw_setup_apply_error_quark ())

/**
 * TwSetupApplyError:
 * @TW_SETUP_APPLY_ERROR_HOST_KEY_UNCONFIRMED: nothing vouches for the server's host key (not
 *   pinned, not in known_hosts, no expected fingerprint): no credential was sent
 * @TW_SETUP_APPLY_ERROR_HOST_KEY_MISMATCH: the host key differs from the expected one or from
 *   known_hosts: no credential was sent
 * @TW_SETUP_APPLY_ERROR_CONNECT: the server could not be reached or the connection broke
 * @TW_SETUP_APPLY_ERROR_LOGIN: the server refused the admin's login
 * @TW_SETUP_APPLY_ERROR_SUDO_PASSWORD_NEEDED: sudo asks for a password and none was given
 * @TW_SETUP_APPLY_ERROR_SUDO_WRONG_PASSWORD: sudo refused the password
 * @TW_SETUP_APPLY_ERROR_SUDO_NOT_ALLOWED: the login user may not use sudo
 * @TW_SETUP_APPLY_ERROR_SUDO_NEEDS_TTY: sudo is set to need a terminal (requiretty)
 * @TW_SETUP_APPLY_ERROR_SUDO_MISSING: sudo is not installed on the server
 * @TW_SETUP_APPLY_ERROR_SCRIPT_FAILED: a step of the script failed (the others stay as they are)
 * @TW_SETUP_APPLY_ERROR_SSHD_REFUSED: `sshd -t` refused the new settings; the old file is back
 * @TW_SETUP_APPLY_ERROR_LOCKED_OUT: after the reload a new login failed; the server put the
 *   previous sshd settings back and a new login works again
 * @TW_SETUP_APPLY_ERROR_STILL_LOCKED_OUT: as above, but even after the revert no new login worked
 */
typedef enum {
  TW_SETUP_APPLY_ERROR_HOST_KEY_UNCONFIRMED,
  TW_SETUP_APPLY_ERROR_HOST_KEY_MISMATCH,
  TW_SETUP_APPLY_ERROR_CONNECT,
  TW_SETUP_APPLY_ERROR_LOGIN,
  TW_SETUP_APPLY_ERROR_SUDO_PASSWORD_NEEDED,
  TW_SETUP_APPLY_ERROR_SUDO_WRONG_PASSWORD,
  TW_SETUP_APPLY_ERROR_SUDO_NOT_ALLOWED,
  TW_SETUP_APPLY_ERROR_SUDO_NEEDS_TTY,
  TW_SETUP_APPLY_ERROR_SUDO_MISSING,
  TW_SETUP_APPLY_ERROR_SCRIPT_FAILED,
  TW_SETUP_APPLY_ERROR_SSHD_REFUSED,
  TW_SETUP_APPLY_ERROR_LOCKED_OUT,
  TW_SETUP_APPLY_ERROR_STILL_LOCKED_OUT,
} TwSetupApplyError;

/**
 * TwSetupStepStatus:
 * @TW_SETUP_STEP_RUNNING: started
 * @TW_SETUP_STEP_OK: already as it should be; nothing changed
 * @TW_SETUP_STEP_CHANGED: done
 * @TW_SETUP_STEP_WOULD_CHANGE: a dry run: this would change
 * @TW_SETUP_STEP_FAILED: failed
 */
typedef enum {
  TW_SETUP_STEP_RUNNING,
  TW_SETUP_STEP_OK,
  TW_SETUP_STEP_CHANGED,
  TW_SETUP_STEP_WOULD_CHANGE,
  TW_SETUP_STEP_FAILED,
} TwSetupStepStatus;

/**
 * TwSetupApplyOutcome:
 * @TW_SETUP_APPLY_CHANGED: the server was changed as the steps say
 * @TW_SETUP_APPLY_UNCHANGED: everything was in place already; nothing was changed
 * @TW_SETUP_APPLY_WOULD_CHANGE: dry run: the steps say what would change
 * @TW_SETUP_APPLY_WOULD_NOT_CHANGE: dry run: everything is in place already
 */
typedef enum {
  TW_SETUP_APPLY_CHANGED,
  TW_SETUP_APPLY_UNCHANGED,
  TW_SETUP_APPLY_WOULD_CHANGE,
  TW_SETUP_APPLY_WOULD_NOT_CHANGE,
} TwSetupApplyOutcome;

#define TW_TYPE_SETUP_APPLY (tw_setup_apply_get_type ())
G_DECLARE_FINAL_TYPE (TwSetupApply, tw_setup_apply, TW, SETUP_APPLY, GObject)

GQuark        tw_setup_apply_error_quark           (void);

/*
 * Sets the bastion up over SSH: logs in with the admin's own account (only to a server whose
 * host key is confirmed), runs the Linux script of tw-setup-linux.c and, when the case needs
 * sshd_config lines, the script of tw-setup-sshd-apply.c, as root (directly, or through
 * `sudo -S` with the password on standard input only), a dry run first. After an sshd
 * reload a new login must work before the armed revert is cancelled.
 *
 * Set everything before tw_setup_apply_run_async(); the scripts are fixed when the object is
 * made, so what tw_setup_apply_get_script() shows is what runs.
 */
TwSetupApply *tw_setup_apply_new                   (TwTunnel       *tunnel,
                                                    TwPublicKey    *key,
                                                    GError        **error);
/* (nullable) @lines replaces the generated sshd_config lines (a test, or the admin's own) */
gboolean      tw_setup_apply_set_sshd_lines        (TwSetupApply   *self,
                                                    const char     *lines,
                                                    GError        **error);
/* The sshd lines become the tunnel's drop-in plus lines that let the tunnel user forward
 * whatever the rest of sshd_config says (tw-setup-sshd.c), even when the case needs no sshd
 * lines otherwise: the remedy for a forward the bastion refuses. */
gboolean      tw_setup_apply_allow_forwarding      (TwSetupApply   *self,
                                                    TwPublicKey    *key,
                                                    GError        **error);
/* Defaults: the tunnel's SSH host and port */
void          tw_setup_apply_set_server            (TwSetupApply   *self,
                                                    const char     *host,
                                                    guint           port);
/* The admin's login; tw_credentials_get_user() names the account (required) */
void          tw_setup_apply_set_credentials       (TwSetupApply   *self,
                                                    TwCredentials  *credentials);
/* (nullable): for sudo; kept in memory only, wiped when the object goes */
void          tw_setup_apply_set_sudo_password     (TwSetupApply   *self,
                                                    const char     *password);
void          tw_setup_apply_set_known_hosts_file  (TwSetupApply   *self,
                                                    const char     *path);
/* Default: the fingerprint pinned in the tunnel */
void          tw_setup_apply_set_expected_fingerprint (TwSetupApply *self,
                                                    const char     *fingerprint);
void          tw_setup_apply_set_dry_run           (TwSetupApply   *self,
                                                    gboolean        dry_run);
/* Seconds before an unconfirmed sshd change is reverted on the server (120) */
void          tw_setup_apply_set_revert_after      (TwSetupApply   *self,
                                                    guint           seconds);
void          tw_setup_apply_set_timeout           (TwSetupApply   *self,
                                                    guint           seconds);

/* The Linux script, exactly as it runs */
const char   *tw_setup_apply_get_script            (TwSetupApply   *self);
/* (nullable): the sshd script, exactly as it runs; NULL when the case needs no sshd lines */
const char   *tw_setup_apply_get_sshd_script       (TwSetupApply   *self);
/* (nullable): the server's host key fingerprint, once seen */
const char   *tw_setup_apply_get_fingerprint       (TwSetupApply   *self);

void          tw_setup_apply_run_async             (TwSetupApply        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* Returns the outcome, or -1 with @error set */
int           tw_setup_apply_run_finish            (TwSetupApply   *self,
                                                    GAsyncResult   *result,
                                                    GError        **error);

/* TRUE when the setup scripts are the remedy for check @check_id failing (the service key
 * not accepted: missing, or modes StrictModes refuses; SHA-1 "ssh-rsa" refused for an RSA
 * key), so running them on the server fixes it. Remedies elsewhere (TLS, a firewall) are not. */
gboolean      tw_setup_apply_fixes_check           (const char     *check_id);
/* TRUE when the fix for check @check_id needs tw_setup_apply_allow_forwarding() ("forward",
 * refused as the tunnel user: the check sets "server-fix" then) */
gboolean      tw_setup_apply_fix_allows_forwarding (const char     *check_id);

/* "ok", "changed", "would-change", "failed", "running"; what the scripts print */
const char   *tw_setup_step_status_to_string       (TwSetupStepStatus status);

G_END_DECLS
