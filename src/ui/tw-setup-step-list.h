/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_SETUP_STEP_LIST (tw_setup_step_list_get_type ())
G_DECLARE_FINAL_TYPE (TwSetupStepList, tw_setup_step_list, TW, SETUP_STEP_LIST, AdwBin)

/* The steps the setup scripts report, one row each (named by the step id), updated in place
 * as the server runs them; the status is told in words, not by colour alone. */
GtkWidget *tw_setup_step_list_new        (void);
void       tw_setup_step_list_clear      (TwSetupStepList   *self);
void       tw_setup_step_list_update     (TwSetupStepList   *self,
                                          const char        *id,
                                          TwSetupStepStatus  status,
                                          const char        *text);
/* The last status of step @id, or -1 when it has not been reported */
int        tw_setup_step_list_get_status (TwSetupStepList   *self,
                                          const char        *id);

G_END_DECLS
