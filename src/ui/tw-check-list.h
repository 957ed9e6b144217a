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
/* (transfer none) (nullable): the row showing the check with this id */
GtkWidget *tw_check_list_get_row    (TwCheckList *self,
                                     const char  *id);
/* Builds rows ahead, on idle once the list is in a window, until it has
 * @n_rows: the first report shown then finds them ready. */
void       tw_check_list_prewarm    (TwCheckList *self,
                                     guint        n_rows);

G_END_DECLS
