/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TW_TYPE_COPY_ROW (tw_copy_row_get_type ())
G_DECLARE_FINAL_TYPE (TwCopyRow, tw_copy_row, TW, COPY_ROW, AdwActionRow)

/* A row that shows a value the admin types into the service's form, with a copy button. */
const char *tw_copy_row_get_value (TwCopyRow  *self);
void        tw_copy_row_set_value (TwCopyRow  *self,
                                   const char *value);

G_END_DECLS
