/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-tunnel.h"
#include "tw-tunnel-entry.h"

G_BEGIN_DECLS

#define TW_TUNNEL_STORE_ERROR (tw_tunnel_store_error_quark ())

/**
 * TwTunnelStoreError:
 * @TW_TUNNEL_STORE_ERROR_CORRUPT: a tunnel file is not a key file, or a value in it is invalid
 * @TW_TUNNEL_STORE_ERROR_BROKEN_ENTRY: the entry stands for a file that did not load; it is
 *   never overwritten or deleted, so that nothing the admin may want back is lost
 */
typedef enum {
  TW_TUNNEL_STORE_ERROR_CORRUPT,
  TW_TUNNEL_STORE_ERROR_BROKEN_ENTRY,
} TwTunnelStoreError;

GQuark tw_tunnel_store_error_quark (void);

#define TW_TYPE_TUNNEL_STORE (tw_tunnel_store_get_type ())
G_DECLARE_FINAL_TYPE (TwTunnelStore, tw_tunnel_store, TW, TUNNEL_STORE, GObject)

/* A GListModel of TwTunnelEntry. @base_dir: NULL for g_get_user_config_dir()/tunnel-wizard;
 * the tunnels live in BASE/tunnels/ID.tunnel, the wizard's draft in BASE/draft.tunnel. */
TwTunnelStore *tw_tunnel_store_new                (const char           *base_dir);
const char    *tw_tunnel_store_get_tunnels_dir    (TwTunnelStore        *self);
const char    *tw_tunnel_store_get_draft_path     (TwTunnelStore        *self);

/* Reads every tunnel file in a worker thread and replaces the model's content. A file that
 * does not load becomes a broken entry (tw_tunnel_entry_get_error); the others still load. */
void           tw_tunnel_store_load_async         (TwTunnelStore        *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean       tw_tunnel_store_load_finish        (TwTunnelStore        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* A new entry with a fresh id for @tunnel; not in the model until saved. */
TwTunnelEntry *tw_tunnel_store_create_entry       (TwTunnelStore        *self,
                                                   TwTunnel             *tunnel);
TwTunnelEntry *tw_tunnel_store_find               (TwTunnelStore        *self,
                                                   const char           *id);

/* Writes the entry's tunnel and last result atomically (mode 0600) in a worker thread, then
 * adds the entry to the model if it is not there yet. Broken entries are refused. */
void           tw_tunnel_store_save_async         (TwTunnelStore        *self,
                                                   TwTunnelEntry        *entry,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean       tw_tunnel_store_save_finish        (TwTunnelStore        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Takes the entry out of the model and puts it back, without touching the file: the time an
 * "Undo" toast is shown. tw_tunnel_store_delete_async then removes the file for good. */
void           tw_tunnel_store_remove             (TwTunnelStore        *self,
                                                   TwTunnelEntry        *entry);
void           tw_tunnel_store_restore            (TwTunnelStore        *self,
                                                   TwTunnelEntry        *entry);
void           tw_tunnel_store_delete_async       (TwTunnelStore        *self,
                                                   TwTunnelEntry        *entry,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean       tw_tunnel_store_delete_finish      (TwTunnelStore        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* The wizard's unsaved input, so that an accidental close loses nothing. The draft holds only
 * what a tunnel file holds: never a private key, password or passphrase. @entry_id: the saved
 * tunnel being edited, or NULL for a new one. */
void           tw_tunnel_store_save_draft_async   (TwTunnelStore        *self,
                                                   TwTunnel             *tunnel,
                                                   const char           *entry_id,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean       tw_tunnel_store_save_draft_finish  (TwTunnelStore        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void           tw_tunnel_store_load_draft_async   (TwTunnelStore        *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
/* Returns: (transfer full) (nullable): the draft, or NULL without error when there is none;
 * @entry_id: (out) (optional) (transfer full): the saved tunnel it edits, or NULL */
TwTunnel      *tw_tunnel_store_load_draft_finish  (TwTunnelStore        *self,
                                                   GAsyncResult         *result,
                                                   char                **entry_id,
                                                   GError              **error);
/* Removes the draft file; synchronous because it is one unlink() of a small file. */
void           tw_tunnel_store_clear_draft        (TwTunnelStore        *self);

G_END_DECLS
