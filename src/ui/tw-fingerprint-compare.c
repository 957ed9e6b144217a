/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fingerprint the admin pastes, in any form ssh tools print, compared
 * with every host key the checks saw: the service may show the ECDSA or RSA
 * one. A SHA256 fingerprint that matches none is compared character by
 * character with the key it was meant for (the type it names, else the
 * closest), and the differences are shown where they are, so a "nearly the
 * same" fingerprint cannot pass for the same one.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-fingerprint-compare.h"
#include "tw-host-keys.h"
#include "tw-ui-util.h"

struct _TwFingerprintCompare
{
  AdwBin                parent_instance;

  char                 *expected;
  GPtrArray            *keys;          /* TwPublicKey; NULL: only "expected" */
  TwPublicKey          *matched;       /* the key the pasted text designates */
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
set_verdict_style (TwFingerprintCompare *self,
                   const char           *icon,
                   const char           *css)
{
  gtk_image_set_from_icon_name (self->verdict_icon, icon);
  tw_ui_set_status_class (GTK_WIDGET (self->verdict_icon), css);
  tw_ui_set_status_class (GTK_WIDGET (self->verdict_label), css);
}

static void
show_grouped (TwFingerprintCompare *self,
              const char           *text,
              PangoAttrList        *attrs)
{
  gtk_widget_set_visible (GTK_WIDGET (self->comparison_label), text != NULL);
  gtk_label_set_label (self->comparison_label, text != NULL ? text : "");
  gtk_label_set_attributes (self->comparison_label, attrs);
}

/* The key of the type a pasted line names ("… (ECDSA)"), or NULL */
static TwPublicKey *
key_of_label (GPtrArray  *keys,
              const char *label)
{
  for (guint i = 0; label != NULL && i < keys->len; i++)
    if (g_str_equal (tw_public_key_get_type_label (g_ptr_array_index (keys, i)), label))
      return g_ptr_array_index (keys, i);
  return NULL;
}

/* The key a mistyped SHA256 fingerprint is closest to */
static TwPublicKey *
closest_key (GPtrArray  *keys,
             const char *text)
{
  TwPublicKey *best = NULL;
  guint best_errors = G_MAXUINT;

  for (guint i = 0; i < keys->len; i++)
    {
      TwPublicKey *key = g_ptr_array_index (keys, i);
      g_autoptr(GArray) mismatches = NULL;
      guint missing = 0;

      tw_fingerprint_compare (tw_public_key_get_fingerprint (key), text, &mismatches, &missing);
      if (mismatches != NULL && mismatches->len + missing < best_errors)
        {
          best = key;
          best_errors = mismatches->len + missing;
        }
    }
  return best;
}

/* Character by character with @key: where the pasted body differs */
static void
show_differences (TwFingerprintCompare *self,
                  const char           *text,
                  TwPublicKey          *key,
                  gboolean              several)
{
  g_autoptr(GArray) mismatches = NULL;
  g_autoptr(PangoAttrList) attrs = tw_fingerprint_attributes ();
  g_autoptr(GString) verdict_text = g_string_new (NULL);
  g_autofree char *body = tw_fingerprint_extract (text);
  g_autofree char *grouped = NULL;
  guint missing = 0;
  gsize body_len = strlen (body);

  tw_fingerprint_compare (tw_public_key_get_fingerprint (key), text, &mismatches, &missing);

  /* The pasted body in the same groups as the key above, missing
   * characters shown as "_" so that the eye sees where they are. */
  {
    g_autofree char *padded = g_strnfill (body_len + missing, '_');

    memcpy (padded, body, body_len);
    grouped = tw_fingerprint_format_groups (padded, TW_FINGERPRINT_GROUP_SIZE);
  }
  for (guint i = 0; i < mismatches->len; i++)
    highlight_char (attrs, tw_fingerprint_group_offset (g_array_index (mismatches, guint, i), TW_FINGERPRINT_GROUP_SIZE));
  for (guint i = 0; i < missing; i++)
    highlight_char (attrs, tw_fingerprint_group_offset (body_len + i, TW_FINGERPRINT_GROUP_SIZE));
  show_grouped (self, grouped, attrs);

  if (several)
    /* e.g. "They do not match the server’s ECDSA key." */
    g_string_append_printf (verdict_text, _("They do not match the server’s %s key."),
                            tw_public_key_get_type_label (key));
  else
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
  set_verdict_style (self, "dialog-error-symbolic", "error");
  gtk_label_set_label (self->verdict_label, verdict_text->str);
}

static void
show_match (TwFingerprintCompare     *self,
            const TwFingerprintInput *input,
            TwPublicKey              *key,
            gboolean                  first)
{
  g_autofree char *file = tw_host_keys_server_file (key);
  g_autofree char *text = NULL;
  g_autofree char *grouped = NULL;
  const char *label = tw_public_key_get_type_label (key);

  if (input->kind == TW_FINGERPRINT_KIND_MD5)
    {
      show_grouped (self, input->value, NULL);
      text = g_strdup_printf (_("They match the server’s %s key, by MD5: a weak hash that older "
                                "tools still show. Compare its SHA256 fingerprint too when you can "
                                "(on the server: ssh-keygen -lf %s)."), label, file);
    }
  else
    {
      g_autoptr(PangoAttrList) attrs = tw_fingerprint_attributes ();

      grouped = tw_fingerprint_format_groups (tw_public_key_get_fingerprint (key), TW_FINGERPRINT_GROUP_SIZE);
      show_grouped (self, grouped, attrs);
      if (input->kind == TW_FINGERPRINT_KIND_KEY)
        text = g_strdup_printf (_("This is the server’s %s key itself (%s on the server)."), label, file);
      else if (first)
        text = g_strdup (_("They match: every character is the same."));
      else
        text = g_strdup_printf (_("They match the server’s %s key: every character is the same. "
                                  "It is the key in %s on the server, shown above."), label, file);
    }
  set_verdict_style (self, "emblem-ok-symbolic", "success");
  gtk_label_set_label (self->verdict_label, text);
}

/* A key type this server did not show: not a sign of an attack, just not
 * the key to compare with. */
static void
show_other_type (TwFingerprintCompare *self,
                 const char           *label)
{
  TwPublicKey *first = g_ptr_array_index (self->keys, 0);
  g_autofree char *file = tw_host_keys_server_file (first);
  g_autofree char *text = NULL;

  show_grouped (self, NULL, NULL);
  text = g_strdup_printf (_("This is the fingerprint of an %s key, and this server showed no %s "
                            "key here. Compare with a key it does show: on the server, "
                            "“ssh-keygen -lf %s” prints the %s one."),
                          label, label, file, tw_public_key_get_type_label (first));
  set_verdict_style (self, "dialog-warning-symbolic", "warning");
  gtk_label_set_label (self->verdict_label, text);
}

static void
set_verdict (TwFingerprintCompare *self,
             TwFingerprintVerdict  verdict,
             TwPublicKey          *matched)
{
  gboolean changed = self->verdict != verdict || self->matched != matched;

  g_set_object (&self->matched, matched);
  self->verdict = verdict;
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
}

static void
tw_fingerprint_compare_update (TwFingerprintCompare *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->paste_row));
  g_autoptr(GError) error = NULL;
  g_autoptr(TwFingerprintInput) input = NULL;
  g_autofree char *body = NULL;
  TwPublicKey *target;
  int index;

  if (self->keys == NULL || self->keys->len == 0)
    {
      set_verdict (self, TW_FINGERPRINT_VERDICT_EMPTY, NULL);
      gtk_widget_set_visible (self->comparison_box, FALSE);
      return;
    }

  input = tw_fingerprint_input_parse (text, &error);
  if (g_error_matches (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_EMPTY))
    {
      set_verdict (self, TW_FINGERPRINT_VERDICT_EMPTY, NULL);
      gtk_widget_set_visible (self->comparison_box, FALSE);
      return;
    }
  gtk_widget_set_visible (self->comparison_box, TRUE);

  if (input != NULL && (index = tw_fingerprint_input_find (input, self->keys)) >= 0)
    {
      target = g_ptr_array_index (self->keys, index);
      set_verdict (self, TW_FINGERPRINT_VERDICT_MATCH, target);
      show_match (self, input, target, index == 0);
      return;
    }

  body = tw_fingerprint_extract (text);
  set_verdict (self, input == NULL && body == NULL ? TW_FINGERPRINT_VERDICT_NOT_SHA256
                                                   : TW_FINGERPRINT_VERDICT_MISMATCH, NULL);

  /* "256 SHA256:… (ECDSA)" for a server that showed no ECDSA key */
  if (input != NULL && input->type_label != NULL && key_of_label (self->keys, input->type_label) == NULL)
    {
      show_other_type (self, input->type_label);
      return;
    }

  if (input != NULL && input->kind != TW_FINGERPRINT_KIND_SHA256)
    {
      show_grouped (self, input->kind == TW_FINGERPRINT_KIND_MD5 ? input->value : NULL, NULL);
      set_verdict_style (self, "dialog-error-symbolic", "error");
      gtk_label_set_label (self->verdict_label,
                           input->kind == TW_FINGERPRINT_KIND_MD5
                           ? _("This MD5 fingerprint matches none of the server’s keys. Do not "
                               "confirm: check that you compare with the right server, and ask its owner.")
                           : _("This key is none of the server’s host keys. Do not confirm: check "
                               "that you compare with the right server, and ask its owner."));
      return;
    }

  if (body == NULL)
    {
      /* Nothing like a fingerprint: say which forms work */
      show_grouped (self, NULL, NULL);
      set_verdict_style (self, "dialog-warning-symbolic", "warning");
      gtk_label_set_label (self->verdict_label, error != NULL ? error->message : "");
      return;
    }

  /* A SHA256 fingerprint (or most of one, being typed): the key it was
   * meant for, by the type it names or else by likeness */
  target = input != NULL ? key_of_label (self->keys, input->type_label) : NULL;
  if (target == NULL)
    target = closest_key (self->keys, text);
  show_differences (self, text, target, self->keys->len > 1);
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
  TwFingerprintCompare *self = TW_FINGERPRINT_COMPARE (object);

  g_free (self->expected);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_object (&self->matched);

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

/* Enter in the field: what the page's confirm button does, when it may (the action is the
 * page's; it is disabled until the fingerprints match) */
static void
on_paste_activated (TwFingerprintCompare *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "page.confirm", NULL);
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
  gtk_widget_class_bind_template_callback (widget_class, on_paste_activated);
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

void
tw_fingerprint_compare_set_pasted (TwFingerprintCompare *self,
                                   const char           *text)
{
  g_return_if_fail (TW_IS_FINGERPRINT_COMPARE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->paste_row), text != NULL ? text : "");
}

const char *
tw_fingerprint_compare_get_pasted (TwFingerprintCompare *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_COMPARE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->paste_row));
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

static gboolean
same_keys (GPtrArray *a,
           GPtrArray *b)
{
  guint n_a = a != NULL ? a->len : 0, n_b = b != NULL ? b->len : 0;

  if (n_a != n_b)
    return FALSE;
  for (guint i = 0; i < n_a; i++)
    if (!g_bytes_equal (tw_public_key_get_blob (g_ptr_array_index (a, i)),
                        tw_public_key_get_blob (g_ptr_array_index (b, i))))
      return FALSE;
  return TRUE;
}

void
tw_fingerprint_compare_set_keys (TwFingerprintCompare *self,
                                 GPtrArray            *keys)
{
  g_return_if_fail (TW_IS_FINGERPRINT_COMPARE (self));

  if (same_keys (self->keys, keys))
    return;
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  if (keys != NULL && keys->len > 0)
    self->keys = g_ptr_array_copy (keys, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  if (self->keys != NULL)
    g_ptr_array_set_free_func (self->keys, g_object_unref);
  /* "expected" is the first key's, the one shown large */
  g_free (self->expected);
  self->expected = self->keys != NULL
                   ? g_strdup (tw_public_key_get_fingerprint (g_ptr_array_index (self->keys, 0))) : NULL;
  tw_fingerprint_compare_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPECTED]);
}

TwPublicKey *
tw_fingerprint_compare_get_matched (TwFingerprintCompare *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_COMPARE (self), NULL);
  return self->matched;
}

TwFingerprintVerdict
tw_fingerprint_compare_get_verdict (TwFingerprintCompare *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_COMPARE (self), TW_FINGERPRINT_VERDICT_EMPTY);
  return self->verdict;
}
