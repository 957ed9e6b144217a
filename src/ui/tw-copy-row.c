/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-copy-row.h"
#include "tw-ui-util.h"

struct _TwCopyRow
{
  AdwActionRow  parent_instance;

  GtkLabel     *value_label;
  GtkButton    *copy_button;
  char         *value;
};

G_DEFINE_FINAL_TYPE (TwCopyRow, tw_copy_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tw_copy_row_copy (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TwCopyRow *self = TW_COPY_ROW (widget);

  if (self->value != NULL)
    tw_ui_copy_to_clipboard (widget, self->value,
                             adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
}

static void
tw_copy_row_finalize (GObject *object)
{
  TwCopyRow *self = TW_COPY_ROW (object);

  g_free (self->value);

  G_OBJECT_CLASS (tw_copy_row_parent_class)->finalize (object);
}

static void
tw_copy_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_COPY_ROW);

  G_OBJECT_CLASS (tw_copy_row_parent_class)->dispose (object);
}

static void
tw_copy_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TwCopyRow *self = TW_COPY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_copy_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TwCopyRow *self = TW_COPY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      tw_copy_row_set_value (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_copy_row_class_init (TwCopyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tw_copy_row_finalize;
  object_class->dispose = tw_copy_row_dispose;
  object_class->get_property = tw_copy_row_get_property;
  object_class->set_property = tw_copy_row_set_property;

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-copy-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TwCopyRow, value_label);
  gtk_widget_class_bind_template_child (widget_class, TwCopyRow, copy_button);
  gtk_widget_class_install_action (widget_class, "row.copy", NULL, tw_copy_row_copy);
}

static void
tw_copy_row_init (TwCopyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy", FALSE);
}

const char *
tw_copy_row_get_value (TwCopyRow *self)
{
  g_return_val_if_fail (TW_IS_COPY_ROW (self), NULL);
  return self->value;
}

void
tw_copy_row_set_value (TwCopyRow  *self,
                       const char *value)
{
  g_autofree char *description = NULL;

  g_return_if_fail (TW_IS_COPY_ROW (self));

  if (g_strcmp0 (self->value, value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (value);
  gtk_label_set_label (self->value_label, value ? value : "—");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy", value != NULL && *value != '\0');

  /* Translators: %s is a field name such as "Host" */
  description = g_strdup_printf (_("Copy %s"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
  /* Only when it changes: setting a tooltip asks the display where the pointer is. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->copy_button)), description) != 0)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}
