/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to TwReverseTunnel: one SSH session from TCP connect to the end of
 * the relay, run on the worker thread. Not a GObject.
 */
#pragma once

#include <gio/gio.h>
#include <libssh/libssh.h>

#include "tw-reverse-relay.h"

G_BEGIN_DECLS

/* What to connect: the tunnel's settings. A session runs on a copy made at start, so the
 * tunnel's setters never race it. */
typedef struct {
  char                *host;
  guint                port;
  char                *user;
  char                *remote_address;
  guint                remote_port;
  char                *dest_host;
  guint                dest_port;
  guint                keepalive;       /* seconds; a session gets at least 1 */
  char                *pinned;          /* SHA256 fingerprint; set on first contact if NULL */
} TwReverseSettings;

void tw_reverse_settings_copy  (const TwReverseSettings *from,
                                TwReverseSettings       *to);
void tw_reverse_settings_clear (TwReverseSettings       *settings);

typedef struct {
  TwReverseSettings    settings;
  ssh_key              key;             /* borrowed from the tunnel */

  GCancellable        *cancellable;
  TwReverseRelayStats *stats;
  void               (*fingerprint_seen) (const char *fingerprint, gpointer user_data);
  void               (*up)               (guint bound_port, gpointer user_data);
  gboolean           (*changed)          (gpointer user_data);
  gpointer             user_data;
} TwReverseSession;

void tw_reverse_session_free (TwReverseSession  *session);

/* Returns only with an error: why the session ended or could not start. */
void tw_reverse_session_run  (TwReverseSession  *session,
                              GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwReverseSession, tw_reverse_session_free)

G_END_DECLS
