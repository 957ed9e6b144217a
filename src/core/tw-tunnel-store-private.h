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

/* Removes the temporary files of interrupted saves in @dir_path ("STEM.tunnel.XXXXXX", any
 * stem when @stem is NULL) once they are old enough that no save can still be writing them.
 * Never touches a tunnel file or anything else. Runs in the loading worker threads. */
void tw_tunnel_store_remove_stale_temps (const char *dir_path,
                                         const char *stem);

G_END_DECLS
