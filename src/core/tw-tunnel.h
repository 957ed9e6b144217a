/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tw-credentials.h"

G_BEGIN_DECLS

/**
 * TwDestKind:
 * @TW_DEST_KIND_POSTGRES: PostgreSQL (SSLRequest before TLS)
 * @TW_DEST_KIND_MYSQL: MySQL or MariaDB (SSL request after the greeting)
 * @TW_DEST_KIND_TLS: a service that speaks TLS from the first byte
 * @TW_DEST_KIND_TCP: plain TCP, no handshake of its own
 *
 * How the destination behind the bastion negotiates TLS.
 */
typedef enum {
  TW_DEST_KIND_POSTGRES,
  TW_DEST_KIND_MYSQL,
  TW_DEST_KIND_TLS,
  TW_DEST_KIND_TCP,
} TwDestKind;

/**
 * TwTunnelMode:
 * @TW_TUNNEL_MODE_FORWARD: the service logs in to the bastion and forwards to the destination
 * @TW_TUNNEL_MODE_REVERSE: this machine logs in to the bastion and asks it to listen on a
 *   port that leads back to a destination near this machine
 *
 * Who opens the tunnel.
 */
typedef enum {
  TW_TUNNEL_MODE_FORWARD,
  TW_TUNNEL_MODE_REVERSE,
} TwTunnelMode;

#define TW_TYPE_TUNNEL (tw_tunnel_get_type ())
G_DECLARE_FINAL_TYPE (TwTunnel, tw_tunnel, TW, TUNNEL, GObject)

TwTunnel    *tw_tunnel_new                    (void);

const char  *tw_tunnel_get_name               (TwTunnel    *self);
void         tw_tunnel_set_name               (TwTunnel    *self,
                                               const char  *name);
const char  *tw_tunnel_get_ssh_host           (TwTunnel    *self);
void         tw_tunnel_set_ssh_host           (TwTunnel    *self,
                                               const char  *ssh_host);
guint        tw_tunnel_get_ssh_port           (TwTunnel    *self);
void         tw_tunnel_set_ssh_port           (TwTunnel    *self,
                                               guint        ssh_port);
const char  *tw_tunnel_get_user               (TwTunnel    *self);
void         tw_tunnel_set_user               (TwTunnel    *self,
                                               const char  *user);
const char  *tw_tunnel_get_dest_host          (TwTunnel    *self);
void         tw_tunnel_set_dest_host          (TwTunnel    *self,
                                               const char  *dest_host);
guint        tw_tunnel_get_dest_port          (TwTunnel    *self);
void         tw_tunnel_set_dest_port          (TwTunnel    *self,
                                               guint        dest_port);
TwDestKind   tw_tunnel_get_dest_kind          (TwTunnel    *self);
void         tw_tunnel_set_dest_kind          (TwTunnel    *self,
                                               TwDestKind   dest_kind);
gboolean     tw_tunnel_get_require_tls        (TwTunnel    *self);
void         tw_tunnel_set_require_tls        (TwTunnel    *self,
                                               gboolean     require_tls);
const char  *tw_tunnel_get_service_key        (TwTunnel    *self);
void         tw_tunnel_set_service_key        (TwTunnel    *self,
                                               const char  *service_key);
const char  *tw_tunnel_get_pinned_fingerprint (TwTunnel    *self);
void         tw_tunnel_set_pinned_fingerprint (TwTunnel    *self,
                                               const char  *fingerprint);
/* The whole set of host keys confirmed ("TYPE SHA256:…" each, see
 * tw_host_keys_pins()); "pinned-fingerprint" keeps the one a default OpenSSH
 * client uses, and is all a tunnel saved before sets were pinned has.
 * NULL and an empty array mean the same: no set. */
const char * const *tw_tunnel_get_pinned_host_keys (TwTunnel          *self);
void         tw_tunnel_set_pinned_host_keys   (TwTunnel           *self,
                                               const char * const *pins);
/* A certificate authority confirmed for this tunnel ("TYPE SHA256:…" of its
 * key, as a pin): a host key it signed in a valid host certificate for the
 * tunnel's host passes even when the keys pinned above changed (keys
 * rotated under the same CA). NULL: none. */
const char  *tw_tunnel_get_pinned_certificate_authority (TwTunnel   *self);
void         tw_tunnel_set_pinned_certificate_authority (TwTunnel   *self,
                                                         const char *pin);
/* The pins to check: the set, else the single pinned fingerprint, else NULL */
GStrv        tw_tunnel_dup_pins               (TwTunnel           *self);
const char * const *tw_tunnel_get_unverified_checks (TwTunnel           *self);
void         tw_tunnel_set_unverified_checks  (TwTunnel           *self,
                                               const char * const *ids);
const char * const *tw_tunnel_get_service_addresses (TwTunnel           *self);
void         tw_tunnel_set_service_addresses  (TwTunnel           *self,
                                               const char * const *addresses);
gboolean     tw_tunnel_get_least_privilege    (TwTunnel    *self);
void         tw_tunnel_set_least_privilege    (TwTunnel    *self,
                                               gboolean     least_privilege);

/* Reverse mode: the bastion listens on remote-address:remote-port and this machine relays
 * each connection to dest-host:dest-port; keepalives every keepalive-interval seconds. */
TwTunnelMode tw_tunnel_get_mode               (TwTunnel    *self);
void         tw_tunnel_set_mode               (TwTunnel    *self,
                                               TwTunnelMode mode);
const char  *tw_tunnel_get_remote_address     (TwTunnel    *self);
void         tw_tunnel_set_remote_address     (TwTunnel    *self,
                                               const char  *address);
guint        tw_tunnel_get_remote_port        (TwTunnel    *self);
void         tw_tunnel_set_remote_port        (TwTunnel    *self,
                                               guint        port);
guint        tw_tunnel_get_keepalive_interval (TwTunnel    *self);
void         tw_tunnel_set_keepalive_interval (TwTunnel    *self,
                                               guint        seconds);

/* The admin's own login for the checks through the tunnel (the secret is in the keyring). */
const char  *tw_tunnel_get_login_user         (TwTunnel    *self);
void         tw_tunnel_set_login_user         (TwTunnel    *self,
                                               const char  *user);
TwCredentialsKind tw_tunnel_get_login_method  (TwTunnel    *self);
void         tw_tunnel_set_login_method       (TwTunnel    *self,
                                               TwCredentialsKind method);
const char  *tw_tunnel_get_login_identity_file (TwTunnel   *self);
void         tw_tunnel_set_login_identity_file (TwTunnel   *self,
                                               const char  *path);
/* Whether the admin chose a login for the checks through the tunnel (a login user, a key file
 * or a password), which "Check again" and probe --tunnel then use */
gboolean     tw_tunnel_has_saved_login        (TwTunnel    *self);

const char  *tw_dest_kind_to_string           (TwDestKind   kind);
gboolean     tw_dest_kind_from_string         (const char  *text,
                                               TwDestKind  *kind);
guint        tw_dest_kind_default_port        (TwDestKind   kind);

G_END_DECLS
