/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-tunnel.h"

G_BEGIN_DECLS

/* Every read-write property of the tunnel in a [Tunnel] group; enums by their nick. */
GKeyFile *tw_tunnel_to_key_file   (TwTunnel  *tunnel);
/* Fails with TW_TUNNEL_STORE_ERROR_CORRUPT when a value is invalid; unknown keys are ignored. */
TwTunnel *tw_tunnel_from_key_file (GKeyFile  *key_file,
                                   GError   **error);

G_END_DECLS
