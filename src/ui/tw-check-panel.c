/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run machinery both check steps share. The panel owns the probe of its
 * tunnel and replaces it, with pending checks, whenever a tunnel property
 * its checks read changes. The probe works in its worker thread and changes
 * its report on this main context; the panel only shows it, so the window
 * stays responsive however long a check waits.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-check-panel.h"
#include "tw-ui-util.h"

struct _TwCheckPanel
{
  AdwBin          parent_instance;

  TwProbe        *probe;
  TwTunnel       *tunnel;
  GStrv           check_ids;
  GStrv           watched;
  char           *known_hosts_file;
  GCancellable   *cancellable;
  gboolean        running;
  gboolean        has_run;

  GtkWidget      *verdict_box;
  GtkImage       *verdict_icon;
  GtkLabel       *verdict_label;
  GtkProgressBar *progress_bar;
  TwCheckList    *check_list;
  AdwBin         *extra_slot;
  GBinding       *extra_binding;
  GtkButton      *run_button;
  GtkButton      *cancel_button;
};

G_DEFINE_FINAL_TYPE (TwCheckPanel, tw_check_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROBE,
  PROP_RUNNING,
  PROP_HAS_RUN,
  PROP_EXTRA,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_buttons (TwCheckPanel *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), !self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->running);
  gtk_button_set_label (self->run_button,
                        self->has_run ? _("_Run Again") : _("_Run the Checks"));
}

guint
tw_check_panel_count (TwCheckPanel  *self,
                      TwCheckStatus  status)
{
  GListModel *checks;
  guint n, count = 0;

  g_return_val_if_fail (TW_IS_CHECK_PANEL (self), 0);

  if (self->probe == NULL)
    return 0;
  checks = tw_report_get_checks (tw_probe_get_report (self->probe));
  n = g_list_model_get_n_items (checks);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, i);

      if (tw_check_result_get_status (result) == status)
        count++;
    }
  return count;
}

static void
update_progress (TwCheckPanel *self)
{
  GListModel *checks;
  guint n, done;
  g_autofree char *text = NULL;

  if (self->probe == NULL)
    return;
  checks = tw_report_get_checks (tw_probe_get_report (self->probe));
  n = g_list_model_get_n_items (checks);
  done = n - tw_check_panel_count (self, TW_CHECK_STATUS_PENDING)
           - tw_check_panel_count (self, TW_CHECK_STATUS_RUNNING);
  text = g_strdup_printf (_("%u of %u checks done"), done, n);
  gtk_progress_bar_set_fraction (self->progress_bar, n > 0 ? (double) done / n : 0.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TwCheckPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReport) finished_report G_GNUC_UNUSED = tw_probe_run_finish (TW_PROBE (source), result, &error);

  /* A run of a probe the panel has since been given a replacement for. */
  if (TW_PROBE (source) != self->probe)
    return;

  g_clear_object (&self->cancellable);
  tw_ui_set_boolean (self, &self->has_run, TRUE, properties[PROP_HAS_RUN]);
  tw_ui_set_boolean (self, &self->running, FALSE, properties[PROP_RUNNING]);
  update_buttons (self);
  g_signal_emit (self, signals[FINISHED], 0, error);
}

void
tw_check_panel_run (TwCheckPanel *self)
{
  GListModel *checks;
  guint n;

  g_return_if_fail (TW_IS_CHECK_PANEL (self));

  if (self->probe == NULL || self->running)
    return;

  self->cancellable = g_cancellable_new ();
  tw_check_panel_show_verdict (self, NULL, NULL, NULL);
  tw_ui_set_boolean (self, &self->running, TRUE, properties[PROP_RUNNING]);
  update_buttons (self);
  tw_probe_run_async (self->probe, self->cancellable, run_done, g_object_ref (self));

  checks = tw_report_get_checks (tw_probe_get_report (self->probe));
  n = g_list_model_get_n_items (checks);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, i);

      g_signal_handlers_disconnect_by_func (result, update_progress, self);
      g_signal_connect_object (result, "notify::status", G_CALLBACK (update_progress),
                               self, G_CONNECT_SWAPPED);
    }
  update_progress (self);
}

void
tw_check_panel_cancel (TwCheckPanel *self)
{
  g_return_if_fail (TW_IS_CHECK_PANEL (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
drop_run (TwCheckPanel *self)
{
  tw_check_panel_cancel (self);
  g_clear_object (&self->cancellable);
}

void
tw_check_panel_show_verdict (TwCheckPanel *self,
                             const char   *icon_name,
                             const char   *css_class,
                             const char   *text)
{
  g_return_if_fail (TW_IS_CHECK_PANEL (self));

  gtk_widget_set_visible (self->verdict_box, text != NULL);
  if (text == NULL)
    return;
  gtk_image_set_from_icon_name (self->verdict_icon, icon_name);
  tw_ui_set_status_class (GTK_WIDGET (self->verdict_icon), css_class);
  gtk_label_set_label (self->verdict_label, text);
}

gboolean
tw_check_panel_show_outcome (TwCheckPanel *self,
                             const GError *error,
                             const char   *warn_text,
                             const char   *ok_text)
{
  guint n_fail;

  g_return_val_if_fail (TW_IS_CHECK_PANEL (self), FALSE);

  n_fail = tw_check_panel_count (self, TW_CHECK_STATUS_FAIL);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    tw_check_panel_show_verdict (self, "action-unavailable-symbolic", "dim-label",
                                 _("Cancelled. Run the checks again when you are ready."));
  else if (error != NULL)
    tw_check_panel_show_verdict (self, "dialog-error-symbolic", "error", error->message);
  else if (n_fail > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u check failed. Open it to see the likely cause and the fix.",
                                      "%u checks failed. Open them to see the likely causes and the fixes.",
                                      n_fail),
                         n_fail);

      tw_check_panel_show_verdict (self, "dialog-error-symbolic", "error", text);
    }
  else if (tw_report_get_verdict (tw_probe_get_report (self->probe)) == TW_CHECK_STATUS_WARN)
    tw_check_panel_show_verdict (self, "dialog-warning-symbolic", "warning", warn_text);
  else
    tw_check_panel_show_verdict (self, "emblem-ok-symbolic", "success", ok_text);

  return error == NULL && n_fail == 0;
}

/* A new probe, with a fresh report of pending checks: the last results and verdict
 * described another server. */
static void
replace_probe (TwCheckPanel *self)
{
  drop_run (self);
  g_clear_object (&self->probe);
  if (self->tunnel != NULL && self->check_ids != NULL)
    {
      self->probe = tw_probe_new (self->tunnel);
      tw_probe_set_checks (self->probe, (const char * const *) self->check_ids);
      tw_probe_set_known_hosts_file (self->probe, self->known_hosts_file);
    }
  tw_check_list_set_report (self->check_list, self->probe != NULL ? tw_probe_get_report (self->probe) : NULL);
  tw_check_panel_show_verdict (self, NULL, NULL, NULL);
  tw_ui_set_boolean (self, &self->has_run, FALSE, properties[PROP_HAS_RUN]);
  tw_ui_set_boolean (self, &self->running, FALSE, properties[PROP_RUNNING]);
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBE]);
}

static void
tw_check_panel_unroot (GtkWidget *widget)
{
  /* The window is going away: the worker must not go on for long. */
  tw_check_panel_cancel (TW_CHECK_PANEL (widget));

  GTK_WIDGET_CLASS (tw_check_panel_parent_class)->unroot (widget);
}

static void
tw_check_panel_dispose (GObject *object)
{
  TwCheckPanel *self = TW_CHECK_PANEL (object);

  drop_run (self);
  g_clear_pointer (&self->extra_binding, g_binding_unbind);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_CHECK_PANEL);
  g_clear_object (&self->probe);
  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, replace_probe, self);
  g_clear_object (&self->tunnel);

  G_OBJECT_CLASS (tw_check_panel_parent_class)->dispose (object);
}

static void
tw_check_panel_finalize (GObject *object)
{
  TwCheckPanel *self = TW_CHECK_PANEL (object);

  g_strfreev (self->check_ids);
  g_strfreev (self->watched);
  g_free (self->known_hosts_file);

  G_OBJECT_CLASS (tw_check_panel_parent_class)->finalize (object);
}

static void
tw_check_panel_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TwCheckPanel *self = TW_CHECK_PANEL (object);

  switch (prop_id)
    {
    case PROP_PROBE:
      g_value_set_object (value, self->probe);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_HAS_RUN:
      g_value_set_boolean (value, self->has_run);
      break;
    case PROP_EXTRA:
      g_value_set_object (value, adw_bin_get_child (self->extra_slot));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_check_panel_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TwCheckPanel *self = TW_CHECK_PANEL (object);

  switch (prop_id)
    {
    case PROP_EXTRA:
      if (adw_bin_get_child (self->extra_slot) == g_value_get_object (value))
        break;
      g_clear_pointer (&self->extra_binding, g_binding_unbind);
      adw_bin_set_child (self->extra_slot, g_value_get_object (value));
      gtk_widget_set_visible (GTK_WIDGET (self->extra_slot), FALSE);
      /* Shown with the widget: a hidden one leaves no gap between the buttons and the rows */
      if (g_value_get_object (value) != NULL)
        self->extra_binding = g_object_bind_property (g_value_get_object (value), "visible",
                                                      self->extra_slot, "visible", G_BINDING_SYNC_CREATE);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_check_panel_class_init (TwCheckPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tw_check_panel_dispose;
  object_class->finalize = tw_check_panel_finalize;
  object_class->get_property = tw_check_panel_get_property;
  object_class->set_property = tw_check_panel_set_property;
  widget_class->unroot = tw_check_panel_unroot;

  properties[PROP_PROBE] = g_param_spec_object ("probe", NULL, NULL, TW_TYPE_PROBE, ro);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_HAS_RUN] = g_param_spec_boolean ("has-run", NULL, NULL, FALSE, ro);
  properties[PROP_EXTRA] = g_param_spec_object ("extra", NULL, NULL, GTK_TYPE_WIDGET,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (GError *) error: NULL when the run went to its end */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_type_ensure (TW_TYPE_CHECK_LIST);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-check-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TwCheckPanel, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, TwCheckPanel, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, TwCheckPanel, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, TwCheckPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TwCheckPanel, check_list);
  gtk_widget_class_bind_template_child (widget_class, TwCheckPanel, extra_slot);
  gtk_widget_class_bind_template_child (widget_class, TwCheckPanel, run_button);
  gtk_widget_class_bind_template_child (widget_class, TwCheckPanel, cancel_button);
}

static void
tw_check_panel_init (TwCheckPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_buttons (self);
  g_object_bind_property (self, "running", self->check_list, "running", G_BINDING_SYNC_CREATE);
}

TwProbe *
tw_check_panel_get_probe (TwCheckPanel *self)
{
  g_return_val_if_fail (TW_IS_CHECK_PANEL (self), NULL);
  return self->probe;
}

TwCheckList *
tw_check_panel_get_list (TwCheckPanel *self)
{
  g_return_val_if_fail (TW_IS_CHECK_PANEL (self), NULL);
  return self->check_list;
}

gboolean
tw_check_panel_get_running (TwCheckPanel *self)
{
  g_return_val_if_fail (TW_IS_CHECK_PANEL (self), FALSE);
  return self->running;
}

gboolean
tw_check_panel_get_has_run (TwCheckPanel *self)
{
  g_return_val_if_fail (TW_IS_CHECK_PANEL (self), FALSE);
  return self->has_run;
}

TwReport *
tw_check_panel_get_report (TwCheckPanel *self)
{
  g_return_val_if_fail (TW_IS_CHECK_PANEL (self), NULL);
  return self->probe != NULL ? tw_probe_get_report (self->probe) : NULL;
}

void
tw_check_panel_set_checks (TwCheckPanel       *self,
                           const char * const *check_ids,
                           const char * const *watched)
{
  g_return_if_fail (TW_IS_CHECK_PANEL (self));
  g_return_if_fail (self->tunnel == NULL);

  g_strfreev (self->check_ids);
  self->check_ids = g_strdupv ((char **) check_ids);
  g_strfreev (self->watched);
  self->watched = g_strdupv ((char **) watched);
  tw_check_list_prewarm (self->check_list, check_ids);
}

void
tw_check_panel_set_tunnel (TwCheckPanel *self,
                           TwTunnel     *tunnel)
{
  g_return_if_fail (TW_IS_CHECK_PANEL (self));
  g_return_if_fail (tunnel == NULL || TW_IS_TUNNEL (tunnel));

  if (self->tunnel == tunnel)
    return;

  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, replace_probe, self);
  g_set_object (&self->tunnel, tunnel);
  for (guint i = 0; tunnel != NULL && self->watched != NULL && self->watched[i] != NULL; i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", self->watched[i], NULL);

      g_signal_connect_object (tunnel, signal, G_CALLBACK (replace_probe), self, G_CONNECT_SWAPPED);
    }
  replace_probe (self);
}

const char *
tw_check_panel_get_known_hosts_file (TwCheckPanel *self)
{
  g_return_val_if_fail (TW_IS_CHECK_PANEL (self), NULL);
  return self->known_hosts_file;
}

void
tw_check_panel_set_known_hosts_file (TwCheckPanel *self,
                                     const char   *path)
{
  g_return_if_fail (TW_IS_CHECK_PANEL (self));

  if (g_strcmp0 (self->known_hosts_file, path) == 0)
    return;
  g_free (self->known_hosts_file);
  self->known_hosts_file = g_strdup (path);
  if (self->probe != NULL)
    tw_probe_set_known_hosts_file (self->probe, path);
}
