/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-ui-util.h"

void
tw_ui_show_toast (GtkWidget  *widget,
                  const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

void
tw_ui_copy_to_clipboard (GtkWidget  *widget,
                         const char *text,
                         const char *what)
{
  g_autofree char *message = NULL;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text ? text : "");
  /* Translators: %s is what was copied, e.g. "Host" or "Linux script" */
  message = g_strdup_printf (_("%s copied"), what);
  tw_ui_show_toast (widget, message);
}

void
tw_ui_set_boolean (gpointer    object,
                   gboolean   *field,
                   gboolean    value,
                   GParamSpec *pspec)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (object), pspec);
}

void
tw_ui_set_status_class (GtkWidget  *widget,
                        const char *css_class)
{
  static const char * const classes[] = { "success", "warning", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (widget, classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (widget, css_class);
}

/* GtkEditable cannot take a NULL text, and an unset tunnel field is NULL. */
static gboolean
null_to_empty (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  if (G_VALUE_HOLDS_STRING (from) && G_VALUE_HOLDS_STRING (to))
    {
      const char *text = g_value_get_string (from);

      g_value_set_string (to, text ? text : "");
      return TRUE;
    }
  return g_value_transform (from, to);
}

GBinding *
tw_ui_bind_field (GPtrArray  *bindings,
                  gpointer    source,
                  const char *property,
                  gpointer    target,
                  const char *target_property)
{
  GBinding *binding = g_object_bind_property_full (source, property, target, target_property,
                                                   G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                   null_to_empty, NULL, NULL, NULL);

  g_ptr_array_add (bindings, g_object_ref (binding));
  return binding;
}

void
tw_ui_unbind_fields (GPtrArray *bindings)
{
  /* NULL: a second dispose */
  if (bindings == NULL)
    return;
  for (guint i = 0; i < bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (bindings, i));
  g_ptr_array_set_size (bindings, 0);
}
