/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-report.h"

G_BEGIN_DECLS

#define TW_TYPE_CHECK_LIST (tw_check_list_get_type ())
G_DECLARE_FINAL_TYPE (TwCheckList, tw_check_list, TW, CHECK_LIST, AdwBin)

GtkWidget *tw_check_list_new        (void);
TwReport  *tw_check_list_get_report (TwCheckList *self);
void       tw_check_list_set_report (TwCheckList *self,
                                     TwReport    *report);
/* While a run goes on its pending checks say "Waiting"; else "Not run yet" */
void       tw_check_list_set_running (TwCheckList *self,
                                      gboolean     running);
/* (transfer none) (nullable): the row showing the check with this id */
GtkWidget *tw_check_list_get_row    (TwCheckList *self,
                                     const char  *id);
/* Until a report is shown, builds a pending row for each of these checks,
 * one per idle once the list is in a window: the first report shown then finds
 * its rows built and styled, and only hands them their results. */
void       tw_check_list_prewarm    (TwCheckList        *self,
                                     const char * const *ids);

G_END_DECLS
