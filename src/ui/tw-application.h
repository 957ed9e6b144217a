/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-reverse-runner.h"

G_BEGIN_DECLS

#define TW_TYPE_APPLICATION (tw_application_get_type ())
G_DECLARE_FINAL_TYPE (TwApplication, tw_application, TW, APPLICATION, AdwApplication)

TwApplication   *tw_application_new        (GApplicationFlags  flags);
/* The reverse tunnels this process runs; they outlive the window. */
TwReverseRunner *tw_application_get_runner (TwApplication     *self);

G_END_DECLS
