/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_STAND_IN_GROUP (tw_stand_in_group_get_type ())
G_DECLARE_FINAL_TYPE (TwStandInGroup, tw_stand_in_group, TW, STAND_IN_GROUP, AdwBin)

/* "Test as the tunnel user": a switch that makes a stand-in for the service's key (a key pair
 * held in memory only) and shows the commands that install and remove it on the tunnel
 * server. "active" (boolean) notifies when the switch changes. */
void           tw_stand_in_group_set_tunnel      (TwStandInGroup *self,
                                                  TwTunnel       *tunnel);
gboolean       tw_stand_in_group_get_active      (TwStandInGroup *self);
/* The tunnel user with the stand-in key, or NULL when the switch is off. (transfer full) */
TwCredentials *tw_stand_in_group_dup_credentials (TwStandInGroup *self);

G_END_DECLS
