/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_TUNNEL_ROW (tw_tunnel_row_get_type ())
G_DECLARE_FINAL_TYPE (TwTunnelRow, tw_tunnel_row, TW, TUNNEL_ROW, AdwActionRow)

/* A saved tunnel on the start page: name, host, last result; or a broken file and its error.
 * Its buttons activate win.check-again and win.delete-tunnel with the entry's id. */
TwTunnelRow   *tw_tunnel_row_new       (TwTunnelEntry *entry);
TwTunnelEntry *tw_tunnel_row_get_entry (TwTunnelRow   *self);
/* A reverse tunnel's row shows its state in @runner (nullable) and follows its changes */
void           tw_tunnel_row_set_runner (TwTunnelRow     *self,
                                         TwReverseRunner *runner);

G_END_DECLS
