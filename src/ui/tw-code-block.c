/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-code-block.h"
#include "tw-ui-util.h"

struct _TwCodeBlock
{
  AdwBin         parent_instance;

  GtkLabel      *title_label;
  GtkLabel      *description_label;
  GtkTextView   *text_view;
  GtkLabel      *error_label;
  GtkStack      *stack;

  char          *title;
  char          *copy_name;
  char          *text;
};

G_DEFINE_FINAL_TYPE (TwCodeBlock, tw_code_block, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_COPY_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tw_code_block_copy (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TwCodeBlock *self = TW_CODE_BLOCK (widget);

  if (self->text != NULL)
    tw_ui_copy_to_clipboard (widget, self->text,
                             self->copy_name ? self->copy_name : self->title ? self->title : _("Text"));
}

static void
tw_code_block_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_CODE_BLOCK);

  G_OBJECT_CLASS (tw_code_block_parent_class)->dispose (object);
}

static void
tw_code_block_finalize (GObject *object)
{
  TwCodeBlock *self = TW_CODE_BLOCK (object);

  g_free (self->title);
  g_free (self->copy_name);
  g_free (self->text);

  G_OBJECT_CLASS (tw_code_block_parent_class)->finalize (object);
}

static void
tw_code_block_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TwCodeBlock *self = TW_CODE_BLOCK (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_COPY_NAME:
      g_value_set_string (value, self->copy_name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, gtk_label_get_label (self->description_label));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_code_block_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TwCodeBlock *self = TW_CODE_BLOCK (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      if (g_strcmp0 (self->title, g_value_get_string (value)) != 0)
        {
          g_free (self->title);
          self->title = g_value_dup_string (value);
          gtk_label_set_label (self->title_label, self->title);
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, self->title, -1);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_COPY_NAME:
      g_free (self->copy_name);
      self->copy_name = g_value_dup_string (value);
      break;

    case PROP_DESCRIPTION:
      if (g_strcmp0 (gtk_label_get_label (self->description_label), g_value_get_string (value)) != 0)
        {
          gtk_label_set_label (self->description_label, g_value_get_string (value));
          gtk_widget_set_visible (GTK_WIDGET (self->description_label), g_value_get_string (value) != NULL);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_code_block_class_init (TwCodeBlockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tw_code_block_dispose;
  object_class->finalize = tw_code_block_finalize;
  object_class->get_property = tw_code_block_get_property;
  object_class->set_property = tw_code_block_set_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  /* What the "… copied" toast calls the text, when the title alone would read oddly */
  properties[PROP_COPY_NAME] = g_param_spec_string ("copy-name", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-code-block.ui");
  gtk_widget_class_bind_template_child (widget_class, TwCodeBlock, title_label);
  gtk_widget_class_bind_template_child (widget_class, TwCodeBlock, description_label);
  gtk_widget_class_bind_template_child (widget_class, TwCodeBlock, text_view);
  gtk_widget_class_bind_template_child (widget_class, TwCodeBlock, error_label);
  gtk_widget_class_bind_template_child (widget_class, TwCodeBlock, stack);
  gtk_widget_class_install_action (widget_class, "block.copy", NULL, tw_code_block_copy);
}

static void
tw_code_block_init (TwCodeBlock *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "block.copy", FALSE);
  /* Lines wrap: a hyphen drawn at a break would read as part of the command */
  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->text_view), "no-hyphens",
                              "insert-hyphens", FALSE, NULL);
}

void
tw_code_block_set_text (TwCodeBlock *self,
                        const char  *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (TW_IS_CODE_BLOCK (self));

  g_free (self->text);
  self->text = g_strdup (text);
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_apply_tag_by_name (buffer, "no-hyphens", &start, &end);
  gtk_stack_set_visible_child_name (self->stack, "text");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "block.copy", text != NULL);
}

const char *
tw_code_block_get_text (TwCodeBlock *self)
{
  g_return_val_if_fail (TW_IS_CODE_BLOCK (self), NULL);
  return self->text;
}

void
tw_code_block_set_error (TwCodeBlock *self,
                         const char  *message)
{
  g_return_if_fail (TW_IS_CODE_BLOCK (self));

  g_clear_pointer (&self->text, g_free);
  gtk_label_set_label (self->error_label, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "block.copy", FALSE);
}
