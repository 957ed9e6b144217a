/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-tunnel-store.h"

G_BEGIN_DECLS

/* Writes @key_file to @path in a worker thread, atomically and with mode 0600; the task's
 * source object is @self and, when @entry is not NULL, it holds a reference to it as "entry".
 * Shared by the saved tunnels and the draft (tw-tunnel-store-draft.c). */
void tw_tunnel_store_run_write (TwTunnelStore       *self,
                                gpointer             source_tag,
                                const char          *path,
                                GKeyFile            *key_file,
                                gpointer             entry,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);

G_END_DECLS
