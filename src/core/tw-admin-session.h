/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-probe-private.h"

G_BEGIN_DECLS

/*
 * The admin's own SSH login to the bastion, for changing it: the probe's connect, key
 * exchange, host-key and login checks in a row, with one rule more than the probe has:
 * a host key that nothing confirms (pinned, known_hosts, an expected fingerprint) stops
 * it before any credential is sent. Private to src/core; all calls in one worker thread.
 */
typedef struct
{
  TwProbeContext *ctx;
  char           *confirmed_by;  /* translated: how the host key was confirmed */
} TwAdminSession;

/* Nothing is sent yet; @credentials' user is the login. */
TwAdminSession *tw_admin_session_new      (const char     *host,
                                           guint           port,
                                           TwCredentials  *credentials,
                                           const char     *known_hosts_file,
                                           const char     *expected_fingerprint,
                                           guint           timeout_s,
                                           GCancellable   *cancellable);
/* Resolves, connects, checks the host key and logs in; TW_SETUP_APPLY_ERROR on failure, or
 * G_IO_ERROR_CANCELLED. */
gboolean        tw_admin_session_open     (TwAdminSession *self,
                                           GError        **error);
/* The logged-in session (after tw_admin_session_open()) */
ssh_session     tw_admin_session_get_ssh  (TwAdminSession *self);
const char     *tw_admin_session_get_user (TwAdminSession *self);
void            tw_admin_session_free     (TwAdminSession *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAdminSession, tw_admin_session_free)

G_END_DECLS
