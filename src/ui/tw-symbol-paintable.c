/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A large symbol from a PNG, coloured like a symbolic icon. The start page's symbol drawn
 * from an SVG would make GTK load librsvg at start-up for that one picture (5 MB more peak
 * memory and the time to load it); and GTK 4.8 draws a symbolic PNG it did not find in an
 * icon theme in its own black, not in the text's colour.
 */
#include "config.h"

#include "tw-symbol-paintable.h"

struct _TwSymbolPaintable
{
  GObject     parent_instance;

  GdkTexture *mask;
};

static void tw_symbol_paintable_paintable_init (GdkPaintableInterface *iface);
static void tw_symbol_paintable_symbolic_init (GtkSymbolicPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TwSymbolPaintable, tw_symbol_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      tw_symbol_paintable_paintable_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SYMBOLIC_PAINTABLE,
                                                      tw_symbol_paintable_symbolic_init))

static void
tw_symbol_paintable_snapshot_symbolic (GtkSymbolicPaintable *paintable,
                                       GdkSnapshot          *snapshot,
                                       double                width,
                                       double                height,
                                       const GdkRGBA        *colors,
                                       gsize                 n_colors)
{
  TwSymbolPaintable *self = TW_SYMBOL_PAINTABLE (paintable);
  const GdkRGBA *foreground = &colors[0];
  graphene_matrix_t matrix;
  graphene_vec4_t offset;

  g_return_if_fail (n_colors > 0);
  /* Every pixel takes the foreground colour; the mask keeps only its alpha, scaled by the
   * colour's own (a dimmed label colour dims the symbol too) */
  graphene_matrix_init_from_float (&matrix, (float[16]) {
                                     0, 0, 0, 0,
                                     0, 0, 0, 0,
                                     0, 0, 0, 0,
                                     0, 0, 0, foreground->alpha });
  graphene_vec4_init (&offset, foreground->red, foreground->green, foreground->blue, 0);
  gtk_snapshot_push_color_matrix (GTK_SNAPSHOT (snapshot), &matrix, &offset);
  gdk_paintable_snapshot (GDK_PAINTABLE (self->mask), snapshot, width, height);
  gtk_snapshot_pop (GTK_SNAPSHOT (snapshot));
}

static void
tw_symbol_paintable_snapshot (GdkPaintable *paintable,
                              GdkSnapshot  *snapshot,
                              double        width,
                              double        height)
{
  /* Outside a styled widget: Adwaita's text colour */
  const GdkRGBA foreground = { 0.0, 0.0, 0.0, 0.8 };

  tw_symbol_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (paintable), snapshot,
                                         width, height, &foreground, 1);
}

static int
tw_symbol_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  return gdk_texture_get_width (TW_SYMBOL_PAINTABLE (paintable)->mask);
}

static int
tw_symbol_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  return gdk_texture_get_height (TW_SYMBOL_PAINTABLE (paintable)->mask);
}

static GdkPaintableFlags
tw_symbol_paintable_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_CONTENTS | GDK_PAINTABLE_STATIC_SIZE;
}

static void
tw_symbol_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = tw_symbol_paintable_snapshot;
  iface->get_intrinsic_width = tw_symbol_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = tw_symbol_paintable_get_intrinsic_height;
  iface->get_flags = tw_symbol_paintable_get_flags;
}

static void
tw_symbol_paintable_symbolic_init (GtkSymbolicPaintableInterface *iface)
{
  iface->snapshot_symbolic = tw_symbol_paintable_snapshot_symbolic;
}

static void
tw_symbol_paintable_finalize (GObject *object)
{
  g_clear_object (&TW_SYMBOL_PAINTABLE (object)->mask);
  G_OBJECT_CLASS (tw_symbol_paintable_parent_class)->finalize (object);
}

static void
tw_symbol_paintable_class_init (TwSymbolPaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_symbol_paintable_finalize;
}

static void
tw_symbol_paintable_init (TwSymbolPaintable *self)
{
}

GdkPaintable *
tw_symbol_paintable_new_from_resource (const char *resource_path)
{
  TwSymbolPaintable *self = g_object_new (TW_TYPE_SYMBOL_PAINTABLE, NULL);

  self->mask = gdk_texture_new_from_resource (resource_path);
  return GDK_PAINTABLE (self);
}
