/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TwReverseTunnelState:
 * @TW_REVERSE_TUNNEL_STATE_STOPPED: not running
 * @TW_REVERSE_TUNNEL_STATE_CONNECTING: logging in to the bastion and asking it to listen
 * @TW_REVERSE_TUNNEL_STATE_UP: the bastion listens and connections are relayed
 * @TW_REVERSE_TUNNEL_STATE_RETRYING: waiting until #TwReverseTunnel:next-attempt-time
 * @TW_REVERSE_TUNNEL_STATE_FAILED: stopped for a reason retrying cannot fix
 *
 * What the reverse tunnel is doing, for the status page and the CLI log.
 */
typedef enum {
  TW_REVERSE_TUNNEL_STATE_STOPPED,
  TW_REVERSE_TUNNEL_STATE_CONNECTING,
  TW_REVERSE_TUNNEL_STATE_UP,
  TW_REVERSE_TUNNEL_STATE_RETRYING,
  TW_REVERSE_TUNNEL_STATE_FAILED,
} TwReverseTunnelState;

/**
 * TwReverseTunnelError:
 * @TW_REVERSE_TUNNEL_ERROR_INVALID_KEY: the private key could not be read
 * @TW_REVERSE_TUNNEL_ERROR_CONNECT: no TCP or SSH connection to the bastion
 * @TW_REVERSE_TUNNEL_ERROR_HOST_KEY_CHANGED: the bastion's host key is not the pinned one
 * @TW_REVERSE_TUNNEL_ERROR_AUTH: the bastion refused this machine's key
 * @TW_REVERSE_TUNNEL_ERROR_LISTEN: the bastion refused to listen on the remote port
 * @TW_REVERSE_TUNNEL_ERROR_DESTINATION: the local destination's name does not resolve
 * @TW_REVERSE_TUNNEL_ERROR_TIMEOUT: the bastion stopped answering keepalives
 * @TW_REVERSE_TUNNEL_ERROR_CLOSED: the bastion closed the connection
 */
typedef enum {
  TW_REVERSE_TUNNEL_ERROR_INVALID_KEY,
  TW_REVERSE_TUNNEL_ERROR_CONNECT,
  TW_REVERSE_TUNNEL_ERROR_HOST_KEY_CHANGED,
  TW_REVERSE_TUNNEL_ERROR_AUTH,
  TW_REVERSE_TUNNEL_ERROR_LISTEN,
  TW_REVERSE_TUNNEL_ERROR_DESTINATION,
  TW_REVERSE_TUNNEL_ERROR_TIMEOUT,
  TW_REVERSE_TUNNEL_ERROR_CLOSED,
} TwReverseTunnelError;

#define TW_REVERSE_TUNNEL_ERROR (tw_reverse_tunnel_error_quark ())
GQuark tw_reverse_tunnel_error_quark (void);

#define TW_TYPE_REVERSE_TUNNEL (tw_reverse_tunnel_get_type ())
G_DECLARE_FINAL_TYPE (TwReverseTunnel, tw_reverse_tunnel, TW, REVERSE_TUNNEL, GObject)

TwReverseTunnel      *tw_reverse_tunnel_new                      (const char       *host,
                                                                  guint             port,
                                                                  const char       *user);

/* Configuration: read when the tunnel starts. */
const char           *tw_reverse_tunnel_get_host                 (TwReverseTunnel  *self);
guint                 tw_reverse_tunnel_get_port                 (TwReverseTunnel  *self);
const char           *tw_reverse_tunnel_get_user                 (TwReverseTunnel  *self);
const char           *tw_reverse_tunnel_get_remote_address       (TwReverseTunnel  *self);
void                  tw_reverse_tunnel_set_remote_address       (TwReverseTunnel  *self,
                                                                  const char       *address);
guint                 tw_reverse_tunnel_get_remote_port          (TwReverseTunnel  *self);
void                  tw_reverse_tunnel_set_remote_port          (TwReverseTunnel  *self,
                                                                  guint             port);
const char           *tw_reverse_tunnel_get_dest_host            (TwReverseTunnel  *self);
void                  tw_reverse_tunnel_set_dest_host            (TwReverseTunnel  *self,
                                                                  const char       *host);
guint                 tw_reverse_tunnel_get_dest_port            (TwReverseTunnel  *self);
void                  tw_reverse_tunnel_set_dest_port            (TwReverseTunnel  *self,
                                                                  guint             port);
guint                 tw_reverse_tunnel_get_keepalive_interval   (TwReverseTunnel  *self);
void                  tw_reverse_tunnel_set_keepalive_interval   (TwReverseTunnel  *self,
                                                                  guint             seconds);
const char           *tw_reverse_tunnel_get_expected_fingerprint (TwReverseTunnel  *self);
void                  tw_reverse_tunnel_set_expected_fingerprint (TwReverseTunnel  *self,
                                                                  const char       *fingerprint);
gboolean              tw_reverse_tunnel_set_private_key          (TwReverseTunnel  *self,
                                                                  const char       *private_key,
                                                                  GError          **error);

void                  tw_reverse_tunnel_start                    (TwReverseTunnel  *self);
void                  tw_reverse_tunnel_stop                     (TwReverseTunnel  *self);

/* Status: updated on the main context that called tw_reverse_tunnel_start(). */
TwReverseTunnelState  tw_reverse_tunnel_get_state                (TwReverseTunnel  *self);
const GError         *tw_reverse_tunnel_get_error                (TwReverseTunnel  *self);
const char           *tw_reverse_tunnel_get_last_error           (TwReverseTunnel  *self);
gint64                tw_reverse_tunnel_get_next_attempt_time    (TwReverseTunnel  *self);
gint64                tw_reverse_tunnel_get_up_since             (TwReverseTunnel  *self);
guint                 tw_reverse_tunnel_get_reconnect_count      (TwReverseTunnel  *self);
guint64               tw_reverse_tunnel_get_bytes_sent           (TwReverseTunnel  *self);
guint64               tw_reverse_tunnel_get_bytes_received       (TwReverseTunnel  *self);
guint                 tw_reverse_tunnel_get_connections          (TwReverseTunnel  *self);
const char           *tw_reverse_tunnel_get_host_fingerprint     (TwReverseTunnel  *self);
guint                 tw_reverse_tunnel_get_bound_port           (TwReverseTunnel  *self);

const char           *tw_reverse_tunnel_state_to_string          (TwReverseTunnelState state);

G_END_DECLS
