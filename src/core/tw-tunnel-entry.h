/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-tunnel.h"

G_BEGIN_DECLS

#define TW_TYPE_TUNNEL_ENTRY (tw_tunnel_entry_get_type ())
G_DECLARE_FINAL_TYPE (TwTunnelEntry, tw_tunnel_entry, TW, TUNNEL_ENTRY, GObject)

/* One file of the tunnel store: a tunnel that loaded, or the error that kept it from loading. */
TwTunnelEntry *tw_tunnel_entry_new              (const char    *id,
                                                 const char    *path,
                                                 TwTunnel      *tunnel);
TwTunnelEntry *tw_tunnel_entry_new_broken       (const char    *id,
                                                 const char    *path,
                                                 const GError  *error);

const char    *tw_tunnel_entry_get_id           (TwTunnelEntry *self);
const char    *tw_tunnel_entry_get_path         (TwTunnelEntry *self);
/* NULL when the file could not be loaded */
TwTunnel      *tw_tunnel_entry_get_tunnel       (TwTunnelEntry *self);
/* NULL when the file loaded */
const GError  *tw_tunnel_entry_get_error        (TwTunnelEntry *self);
gboolean       tw_tunnel_entry_is_broken        (TwTunnelEntry *self);

/* The verdict of the last check run ("pass", "warn", "fail") and when it ran, or NULL */
const char    *tw_tunnel_entry_get_last_verdict (TwTunnelEntry *self);
GDateTime     *tw_tunnel_entry_get_last_checked (TwTunnelEntry *self);
void           tw_tunnel_entry_set_last_result  (TwTunnelEntry *self,
                                                 const char    *verdict,
                                                 GDateTime     *checked);

/* The ids of the checks that ran to a result (pass, warn or fail) in that run, or NULL when
 * not known (a file saved before they were kept) */
const char * const *tw_tunnel_entry_get_last_checks (TwTunnelEntry      *self);
void           tw_tunnel_entry_set_last_checks  (TwTunnelEntry      *self,
                                                 const char * const *checks);

G_END_DECLS
