/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TW_TYPE_SYMBOL_PAINTABLE (tw_symbol_paintable_get_type ())
G_DECLARE_FINAL_TYPE (TwSymbolPaintable, tw_symbol_paintable, TW, SYMBOL_PAINTABLE, GObject)

/* A picture drawn in the colour of the text around it, as symbolic icons are: only the
 * alpha of the PNG at @resource_path counts. */
GdkPaintable *tw_symbol_paintable_new_from_resource (const char *resource_path);

G_END_DECLS
