/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-wizard-page.h"

G_BEGIN_DECLS

#define TW_TYPE_SUMMARY_PAGE (tw_summary_page_get_type ())
G_DECLARE_FINAL_TYPE (TwSummaryPage, tw_summary_page, TW, SUMMARY_PAGE, TwWizardPage)

/* "Summary", the last step: what to type into the service's form, save, export the report. */
/* The last check run's report, for export; NULL when nothing was checked */
TwReport *tw_summary_page_get_report   (TwSummaryPage *self);
void      tw_summary_page_set_report   (TwSummaryPage *self,
                                        TwReport      *report);
/* The form's values as plain text, one "Field: value" per line */
char     *tw_summary_page_dup_text     (TwSummaryPage *self);

G_END_DECLS
