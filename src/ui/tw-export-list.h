/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_EXPORT_LIST (tw_export_list_get_type ())
G_DECLARE_FINAL_TYPE (TwExportList, tw_export_list, TW, EXPORT_LIST, AdwBin)

/* Every format of the setup table (cloud-init, Ansible, Terraform…), one at a time, with
 * Copy and Save As…, regenerated whenever the tunnel changes. */
TwTunnel   *tw_export_list_get_tunnel       (TwExportList *self);
void        tw_export_list_set_tunnel       (TwExportList *self,
                                             TwTunnel     *tunnel);
void        tw_export_list_select_format    (TwExportList *self,
                                             const char   *name);
const char *tw_export_list_get_text         (TwExportList *self);
void        tw_export_list_save_to_file     (TwExportList *self,
                                             GFile        *file);

G_END_DECLS
