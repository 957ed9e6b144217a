/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

#define TW_TYPE_PRESET_CHOICE (tw_preset_choice_get_type ())
G_DECLARE_FINAL_TYPE (TwPresetChoice, tw_preset_choice, TW, PRESET_CHOICE, GObject)

/* Fills @row with the service presets (read off the main thread) and maps its selection to
 * a preset. */
TwPresetChoice  *tw_preset_choice_new              (AdwComboRow    *row);
TwServicePreset *tw_preset_choice_get_selected     (TwPresetChoice *self);
void             tw_preset_choice_select_for_user  (TwPresetChoice *self,
                                                    const char     *user);
gboolean         tw_preset_choice_is_preset_user   (TwPresetChoice *self,
                                                    const char     *user);
gboolean         tw_preset_choice_is_updating      (TwPresetChoice *self);

G_END_DECLS
