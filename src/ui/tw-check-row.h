/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-check-result.h"

G_BEGIN_DECLS

#define TW_TYPE_CHECK_ROW (tw_check_row_get_type ())
G_DECLARE_FINAL_TYPE (TwCheckRow, tw_check_row, TW, CHECK_ROW, AdwExpanderRow)

GtkWidget     *tw_check_row_new        (TwCheckResult *result);
TwCheckResult *tw_check_row_get_result (TwCheckRow    *self);
void           tw_check_row_set_result (TwCheckRow    *self,
                                        TwCheckResult *result);
/* The word beside the icon, e.g. "Failed": the status is never told by colour alone */
const char    *tw_check_row_get_status_text (TwCheckRow *self);
/* Whether a pending check waits for its turn in a run going on ("Waiting") or has simply
 * not run ("Not run yet", the default) */
void           tw_check_row_set_waiting     (TwCheckRow *self,
                                             gboolean    waiting);

G_END_DECLS
