/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One check as a row: a spinner while it runs, then an icon *and* a word for
 * its status (never colour alone), its duration and one-line summary; it
 * expands to the likely cause and fix, and the raw detail with a copy button.
 *
 * The expanded part is built the first time the row is opened: a collapsed
 * row's content is still styled and measured on every relayout, and most rows
 * are never opened.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-check-row.h"
#include "tw-setup-apply.h"
#include "tw-ui-util.h"

#define COPIED_FEEDBACK_MS 1500

struct _TwCheckRow
{
  AdwExpanderRow parent_instance;

  TwCheckResult *result;
  guint          copied_id;
  gboolean       updating;
  /* A pending check is queued in a run going on, not merely one that has not run */
  gboolean       waiting;

  GtkSpinner    *spinner;
  GtkImage      *status_icon;
  GtkLabel      *status_label;
  GtkLabel      *duration_label;
  GtkWidget     *fix_box;
  GtkWidget     *fix_button;
  /* NULL until the row is first opened (ensure_details) */
  GtkWidget     *hint_box;
  GtkLabel      *hint_label;
  GtkWidget     *detail_box;
  GtkLabel      *detail_label;
  GtkButton     *copy_button;
};

G_DEFINE_FINAL_TYPE (TwCheckRow, tw_check_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_RESULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  const char *icon_name;
  const char *word;        /* N_() */
  const char *css_class;   /* NULL: the default colour */
} StatusLook;

static const StatusLook *
status_look (TwCheckStatus status,
             gboolean      waiting)
{
  static const StatusLook looks[] = {
    [TW_CHECK_STATUS_PENDING] = { "content-loading-symbolic", N_("Waiting"), "dim-label" },
    [TW_CHECK_STATUS_RUNNING] = { NULL, N_("Running"), NULL },
    [TW_CHECK_STATUS_PASS] = { "emblem-ok-symbolic", N_("Passed"), "success" },
    [TW_CHECK_STATUS_WARN] = { "dialog-warning-symbolic", N_("Warning"), "warning" },
    [TW_CHECK_STATUS_FAIL] = { "dialog-error-symbolic", N_("Failed"), "error" },
    [TW_CHECK_STATUS_SKIP] = { "action-unavailable-symbolic", N_("Skipped"), "dim-label" },
  };
  /* Before a run, or after a cancelled one: nothing is waiting for this check */
  static const StatusLook not_run = { NULL, N_("Not run yet"), "dim-label" };

  if ((guint) status >= G_N_ELEMENTS (looks))
    status = TW_CHECK_STATUS_PENDING;
  if (status == TW_CHECK_STATUS_PENDING && !waiting)
    return &not_run;
  return &looks[status];
}

static char *
format_duration (guint ms)
{
  if (ms < 1000)
    return g_strdup_printf (_("%u ms"), ms);
  return g_strdup_printf (_("%.1f s"), ms / 1000.0);
}

static void
tw_check_row_update (TwCheckRow *self)
{
  TwCheckStatus status = TW_CHECK_STATUS_PENDING;
  const StatusLook *look;
  const char *summary = NULL;
  const char *detail = NULL;
  const char *hint = NULL;
  gboolean running, has_detail, has_hint, has_fix, expandable;

  if (self->result != NULL)
    {
      status = tw_check_result_get_status (self->result);
      summary = tw_check_result_get_summary (self->result);
      detail = tw_check_result_get_detail (self->result);
      hint = tw_check_result_get_hint (self->result);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                     tw_check_result_get_title (self->result));
    }

  look = status_look (status, self->waiting);
  running = status == TW_CHECK_STATUS_RUNNING;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), !running && look->icon_name != NULL);
  if (look->icon_name != NULL)
    gtk_image_set_from_icon_name (self->status_icon, look->icon_name);
  tw_ui_set_status_class (GTK_WIDGET (self->status_icon), look->css_class);

  gtk_label_set_label (self->status_label, _(look->word));
  tw_ui_set_status_class (GTK_WIDGET (self->status_label), look->css_class);

  if (tw_check_status_is_final (status) && status != TW_CHECK_STATUS_SKIP)
    {
      g_autofree char *duration = format_duration (tw_check_result_get_duration_ms (self->result));

      gtk_label_set_label (self->duration_label, duration);
      gtk_widget_set_visible (GTK_WIDGET (self->duration_label), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->duration_label), FALSE);
    }

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), summary != NULL ? summary : "");

  /* A remedy on the bastion itself gets a button (the window's action runs it); others keep
   * only their hint. */
  has_fix = (status == TW_CHECK_STATUS_FAIL || status == TW_CHECK_STATUS_WARN) &&
            self->result != NULL && tw_check_result_get_server_fix (self->result);
  gtk_widget_set_visible (self->fix_button, has_fix);
  /* The expander's list row around the button: no empty row without it */
  gtk_widget_set_visible (gtk_widget_get_parent (self->fix_box), has_fix);
  if (self->result != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->fix_button), "s",
                                      tw_check_result_get_id (self->result));

  has_detail = detail != NULL && *detail != '\0';
  has_hint = hint != NULL && *hint != '\0';
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-detail", has_detail);
  expandable = has_detail || has_hint || has_fix;
  /* Enabling expansion also expands the row in libadwaita: keep it closed
   * until the admin opens it, and closed again when a new run starts. */
  if (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self)) != expandable)
    {
      gboolean expanded = adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self));

      self->updating = TRUE;
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), expandable);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), expanded && expandable);
      self->updating = FALSE;
    }

  /* Long wrapped text is the costliest part of a relayout: a collapsed row
   * gets it when it is opened (on_expanded_notify). */
  if (self->hint_box != NULL && adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)))
    {
      gtk_label_set_label (self->detail_label, has_detail ? detail : "");
      gtk_label_set_label (self->hint_label, has_hint ? hint : "");
      gtk_widget_set_visible (self->detail_box, has_detail);
      gtk_widget_set_visible (self->hint_box, has_hint);
    }

  /* Screen readers hear the status word, not a colour. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(look->word),
                                  -1);
}

static void
on_result_notify (TwCheckRow *self)
{
  tw_check_row_update (self);
}

static GtkWidget *
new_wrapped_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

static void
ensure_details (TwCheckRow *self)
{
  GtkWidget *box, *heading;

  if (self->hint_box != NULL)
    return;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  self->hint_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  heading = gtk_label_new (_("Likely cause and fix"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (self->hint_box), heading);
  self->hint_label = GTK_LABEL (new_wrapped_label ());
  gtk_box_append (GTK_BOX (self->hint_box), GTK_WIDGET (self->hint_label));
  gtk_box_append (GTK_BOX (box), self->hint_box);

  self->detail_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->detail_label = GTK_LABEL (new_wrapped_label ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->detail_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "caption");
  gtk_box_append (GTK_BOX (self->detail_box), GTK_WIDGET (self->detail_label));
  self->copy_button = GTK_BUTTON (gtk_button_new_from_icon_name ("edit-copy-symbolic"));
  gtk_widget_set_valign (GTK_WIDGET (self->copy_button), GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), _("Copy the details"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->copy_button), "row.copy-detail");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy the details"), -1);
  gtk_widget_add_css_class (GTK_WIDGET (self->copy_button), "flat");
  gtk_box_append (GTK_BOX (self->detail_box), GTK_WIDGET (self->copy_button));
  gtk_box_append (GTK_BOX (box), self->detail_box);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), box);
}

static void
on_expanded_notify (TwCheckRow *self)
{
  if (self->updating || !adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)))
    return;
  ensure_details (self);
  tw_check_row_update (self);
}

static void
restore_copy_icon (gpointer user_data)
{
  TwCheckRow *self = user_data;

  self->copied_id = 0;
  if (self->copy_button != NULL)
    gtk_button_set_icon_name (self->copy_button, "edit-copy-symbolic");
}

static void
copy_detail_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TwCheckRow *self = TW_CHECK_ROW (widget);
  const char *detail;

  if (self->result == NULL || (detail = tw_check_result_get_detail (self->result)) == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), detail);

  /* The icon turns into a tick for a moment: the copy happened. */
  if (self->copy_button == NULL)
    return;
  gtk_button_set_icon_name (self->copy_button, "object-select-symbolic");
  g_clear_handle_id (&self->copied_id, g_source_remove);
  self->copied_id = g_timeout_add_once (COPIED_FEEDBACK_MS, restore_copy_icon, self);
}

static void
tw_check_row_dispose (GObject *object)
{
  TwCheckRow *self = TW_CHECK_ROW (object);

  g_clear_handle_id (&self->copied_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_CHECK_ROW);
  /* Owned by the expander's own list, which goes with it. */
  self->hint_box = self->detail_box = NULL;
  self->hint_label = self->detail_label = NULL;
  self->copy_button = NULL;
  g_clear_object (&self->result);

  G_OBJECT_CLASS (tw_check_row_parent_class)->dispose (object);
}

static void
tw_check_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TwCheckRow *self = TW_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      g_value_set_object (value, self->result);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_check_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TwCheckRow *self = TW_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      tw_check_row_set_result (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_check_row_class_init (TwCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_check_row_dispose;
  object_class->get_property = tw_check_row_get_property;
  object_class->set_property = tw_check_row_set_property;

  properties[PROP_RESULT] =
    g_param_spec_object ("result", NULL, NULL,
                         TW_TYPE_CHECK_RESULT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TwCheckRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, TwCheckRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, TwCheckRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TwCheckRow, duration_label);
  gtk_widget_class_bind_template_child (widget_class, TwCheckRow, fix_box);
  gtk_widget_class_bind_template_child (widget_class, TwCheckRow, fix_button);

  gtk_widget_class_install_action (widget_class, "row.copy-detail", NULL, copy_detail_action);
}

static void
tw_check_row_init (TwCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::expanded", G_CALLBACK (on_expanded_notify), NULL);
  tw_check_row_update (self);
}

GtkWidget *
tw_check_row_new (TwCheckResult *result)
{
  return g_object_new (TW_TYPE_CHECK_ROW, "result", result, NULL);
}

TwCheckResult *
tw_check_row_get_result (TwCheckRow *self)
{
  g_return_val_if_fail (TW_IS_CHECK_ROW (self), NULL);

  return self->result;
}

void
tw_check_row_set_result (TwCheckRow    *self,
                         TwCheckResult *result)
{
  g_return_if_fail (TW_IS_CHECK_ROW (self));
  g_return_if_fail (result == NULL || TW_IS_CHECK_RESULT (result));

  if (self->result == result)
    return;

  if (self->result != NULL)
    g_signal_handlers_disconnect_by_func (self->result, on_result_notify, self);
  g_set_object (&self->result, result);
  if (self->result != NULL)
    g_signal_connect_object (self->result, "notify", G_CALLBACK (on_result_notify),
                             self, G_CONNECT_SWAPPED);

  tw_check_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

const char *
tw_check_row_get_status_text (TwCheckRow *self)
{
  g_return_val_if_fail (TW_IS_CHECK_ROW (self), NULL);

  return gtk_label_get_label (self->status_label);
}

void
tw_check_row_set_waiting (TwCheckRow *self,
                          gboolean    waiting)
{
  g_return_if_fail (TW_IS_CHECK_ROW (self));

  waiting = !!waiting;
  if (self->waiting == waiting)
    return;
  self->waiting = waiting;
  tw_check_row_update (self);
}
