/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fingerprint the admin pastes, compared character by character with
 * the host key the checks saw. Differences are shown where they are, so a
 * "nearly the same" fingerprint cannot pass for the same one.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-fingerprint-compare.h"
#include "tw-ui-util.h"

struct _TwFingerprintCompare
{
  AdwBin                parent_instance;

  char                 *expected;
  TwFingerprintVerdict  verdict;

  AdwEntryRow          *paste_row;
  GtkWidget            *comparison_box;
  GtkLabel             *comparison_label;
  GtkImage             *verdict_icon;
  GtkLabel             *verdict_label;
};

G_DEFINE_FINAL_TYPE (TwFingerprintCompare, tw_fingerprint_compare, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_EXPECTED,
  PROP_VERDICT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Large monospace: the fingerprint is read aloud and compared by eye. */
PangoAttrList *
tw_fingerprint_attributes (void)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_family_new ("monospace"));
  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_LARGE));
  pango_attr_list_insert (attrs, pango_attr_letter_spacing_new (PANGO_SCALE));
  return attrs;
}

/* Red background for colour, bold and a double underline for everyone. */
static void
highlight_char (PangoAttrList *attrs,
                guint          byte_index)
{
  PangoAttribute *attr;
  PangoAttribute *highlight[] = {
    pango_attr_background_new (0xe0e0, 0x1b1b, 0x2424),
    pango_attr_foreground_new (0xffff, 0xffff, 0xffff),
    pango_attr_weight_new (PANGO_WEIGHT_BOLD),
    pango_attr_underline_new (PANGO_UNDERLINE_DOUBLE),
  };

  for (guint i = 0; i < G_N_ELEMENTS (highlight); i++)
    {
      attr = highlight[i];
      attr->start_index = byte_index;
      attr->end_index = byte_index + 1;
      pango_attr_list_insert (attrs, attr);
    }
}

static void
tw_fingerprint_compare_update (TwFingerprintCompare *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->paste_row));
  g_autoptr(GArray) mismatches = NULL;
  g_autoptr(PangoAttrList) attrs = NULL;
  g_autoptr(GString) verdict_text = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autofree char *grouped = NULL;
  TwFingerprintVerdict verdict = TW_FINGERPRINT_VERDICT_EMPTY;
  guint missing = 0;
  gsize body_len;

  if (self->expected != NULL)
    verdict = tw_fingerprint_compare (self->expected, text, &mismatches, &missing);
  if (self->verdict != verdict)
    {
      self->verdict = verdict;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
    }

  gtk_widget_set_visible (self->comparison_box,
                          verdict != TW_FINGERPRINT_VERDICT_EMPTY);
  if (verdict == TW_FINGERPRINT_VERDICT_EMPTY)
    return;

  if (verdict == TW_FINGERPRINT_VERDICT_NOT_SHA256)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *parsed G_GNUC_UNUSED = tw_fingerprint_parse (text, &error);

      gtk_widget_set_visible (GTK_WIDGET (self->comparison_label), FALSE);
      gtk_image_set_from_icon_name (self->verdict_icon, "dialog-warning-symbolic");
      tw_ui_set_status_class (GTK_WIDGET (self->verdict_icon), "warning");
      gtk_label_set_label (self->verdict_label, error != NULL ? error->message : "");
      return;
    }

  /* The pasted body in the same groups as the key above, missing
   * characters shown as "_" so that the eye sees where they are. */
  body = tw_fingerprint_extract (text);
  body_len = strlen (body);
  {
    g_autofree char *padded = g_strnfill (body_len + missing, '_');

    memcpy (padded, body, body_len);
    grouped = tw_fingerprint_format_groups (padded, TW_FINGERPRINT_GROUP_SIZE);
  }
  attrs = tw_fingerprint_attributes ();
  for (guint i = 0; i < mismatches->len; i++)
    highlight_char (attrs, tw_fingerprint_group_offset (g_array_index (mismatches, guint, i), TW_FINGERPRINT_GROUP_SIZE));
  for (guint i = 0; i < missing; i++)
    highlight_char (attrs, tw_fingerprint_group_offset (body_len + i, TW_FINGERPRINT_GROUP_SIZE));
  gtk_widget_set_visible (GTK_WIDGET (self->comparison_label), TRUE);
  gtk_label_set_label (self->comparison_label, grouped);
  gtk_label_set_attributes (self->comparison_label, attrs);

  if (verdict == TW_FINGERPRINT_VERDICT_MATCH)
    {
      g_string_append (verdict_text, _("They match: every character is the same."));
      gtk_image_set_from_icon_name (self->verdict_icon, "emblem-ok-symbolic");
      tw_ui_set_status_class (GTK_WIDGET (self->verdict_icon), "success");
      tw_ui_set_status_class (GTK_WIDGET (self->verdict_label), "success");
    }
  else
    {
      g_string_append (verdict_text, _("They do not match."));
      if (mismatches->len > 0)
        {
          g_string_append_c (verdict_text, ' ');
          g_string_append_printf (verdict_text,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u character differs (highlighted).",
                                               "%u characters differ (highlighted).",
                                               mismatches->len),
                                  mismatches->len);
        }
      if (missing > 0)
        {
          g_string_append_c (verdict_text, ' ');
          g_string_append_printf (verdict_text,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u character is missing (shown as “_”).",
                                               "%u characters are missing (shown as “_”).",
                                               missing),
                                  missing);
        }
      g_string_append_c (verdict_text, ' ');
      g_string_append (verdict_text, _("Do not confirm: check that you compare with the right "
                                       "server, and ask its owner."));
      gtk_image_set_from_icon_name (self->verdict_icon, "dialog-error-symbolic");
      tw_ui_set_status_class (GTK_WIDGET (self->verdict_icon), "error");
      tw_ui_set_status_class (GTK_WIDGET (self->verdict_label), "error");
    }
  gtk_label_set_label (self->verdict_label, verdict_text->str);
}

static void
tw_fingerprint_compare_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_FINGERPRINT_COMPARE);

  G_OBJECT_CLASS (tw_fingerprint_compare_parent_class)->dispose (object);
}

static void
tw_fingerprint_compare_finalize (GObject *object)
{
  g_free (TW_FINGERPRINT_COMPARE (object)->expected);

  G_OBJECT_CLASS (tw_fingerprint_compare_parent_class)->finalize (object);
}

static void
tw_fingerprint_compare_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TwFingerprintCompare *self = TW_FINGERPRINT_COMPARE (object);

  switch (prop_id)
    {
    case PROP_EXPECTED:
      g_value_set_string (value, self->expected);
      break;
    case PROP_VERDICT:
      g_value_set_enum (value, self->verdict);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_fingerprint_compare_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_EXPECTED:
      tw_fingerprint_compare_set_expected (TW_FINGERPRINT_COMPARE (object), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_fingerprint_compare_class_init (TwFingerprintCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_fingerprint_compare_dispose;
  object_class->finalize = tw_fingerprint_compare_finalize;
  object_class->get_property = tw_fingerprint_compare_get_property;
  object_class->set_property = tw_fingerprint_compare_set_property;

  properties[PROP_EXPECTED] =
    g_param_spec_string ("expected", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERDICT] =
    g_param_spec_enum ("verdict", NULL, NULL, TW_TYPE_FINGERPRINT_VERDICT,
                       TW_FINGERPRINT_VERDICT_EMPTY,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tw-fingerprint-compare.ui");
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintCompare, paste_row);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintCompare, comparison_box);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintCompare, comparison_label);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintCompare, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintCompare, verdict_label);
  gtk_widget_class_bind_template_callback (widget_class, tw_fingerprint_compare_update);
}

static void
tw_fingerprint_compare_init (TwFingerprintCompare *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
tw_fingerprint_compare_get_expected (TwFingerprintCompare *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_COMPARE (self), NULL);
  return self->expected;
}

void
tw_fingerprint_compare_set_expected (TwFingerprintCompare *self,
                                     const char           *expected)
{
  g_return_if_fail (TW_IS_FINGERPRINT_COMPARE (self));

  if (g_strcmp0 (self->expected, expected) == 0)
    return;
  g_free (self->expected);
  self->expected = g_strdup (expected);
  tw_fingerprint_compare_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPECTED]);
}

TwFingerprintVerdict
tw_fingerprint_compare_get_verdict (TwFingerprintCompare *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_COMPARE (self), TW_FINGERPRINT_VERDICT_EMPTY);
  return self->verdict;
}
