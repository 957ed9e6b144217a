/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the two steps that run checks share: their panel's run and cancel, and its state
 * as properties the window watches (the SSH-port report feeds "Confirm the fingerprint").
 */
#include "config.h"

#include "tw-check-page.h"

typedef struct
{
  TwCheckPanel *panel;
} TwCheckPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TwCheckPage, tw_check_page, TW_TYPE_WIZARD_PAGE)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
tw_check_page_update_actions (TwCheckPage *self)
{
  TwCheckPagePrivate *priv = tw_check_page_get_instance_private (self);
  TwCheckPageClass *klass = TW_CHECK_PAGE_GET_CLASS (self);
  gboolean running = tw_check_page_get_running (self);
  gboolean can_run = priv->panel != NULL && tw_check_panel_get_probe (priv->panel) != NULL &&
                     !running && (klass->can_run == NULL || klass->can_run (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.run", can_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel", running);
}

static void
on_running_changed (TwCheckPage *self)
{
  tw_check_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* After the page's own handler (connected by its template, before this one): the page has
 * forgotten the old results when the window hears of the new report */
static void
on_probe_changed (TwCheckPage *self)
{
  tw_check_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  TwCheckPage *self = TW_CHECK_PAGE (widget);
  TwCheckPagePrivate *priv = tw_check_page_get_instance_private (self);
  TwCheckPageClass *klass = TW_CHECK_PAGE_GET_CLASS (self);

  if (priv->panel == NULL || tw_check_panel_get_probe (priv->panel) == NULL ||
      tw_check_panel_get_running (priv->panel))
    return;
  if (klass->prepare_run != NULL && !klass->prepare_run (self))
    return;
  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), FALSE);
  tw_check_panel_run (priv->panel);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TwCheckPagePrivate *priv = tw_check_page_get_instance_private (TW_CHECK_PAGE (widget));

  if (priv->panel != NULL)
    tw_check_panel_cancel (priv->panel);
}

static void
tw_check_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TwCheckPage *self = TW_CHECK_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, tw_check_page_get_running (self));
      break;
    case PROP_REPORT:
      g_value_set_object (value, tw_check_page_get_report (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_check_page_class_init (TwCheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = tw_check_page_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_REPORT] = g_param_spec_object ("report", NULL, NULL, TW_TYPE_REPORT, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "page.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);
}

static void
tw_check_page_init (TwCheckPage *self)
{
}

void
tw_check_page_set_panel (TwCheckPage  *self,
                         TwCheckPanel *panel)
{
  TwCheckPagePrivate *priv = tw_check_page_get_instance_private (self);

  g_return_if_fail (TW_IS_CHECK_PAGE (self));
  g_return_if_fail (TW_IS_CHECK_PANEL (panel));
  g_return_if_fail (priv->panel == NULL);

  /* The template's child: it lives as long as the page, and is not ours to keep */
  priv->panel = panel;
  g_signal_connect_object (panel, "notify::running", G_CALLBACK (on_running_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (panel, "notify::probe", G_CALLBACK (on_probe_changed), self,
                           G_CONNECT_SWAPPED);
  tw_check_page_update_actions (self);
}

gboolean
tw_check_page_get_running (TwCheckPage *self)
{
  TwCheckPagePrivate *priv = tw_check_page_get_instance_private (self);

  g_return_val_if_fail (TW_IS_CHECK_PAGE (self), FALSE);
  return priv->panel != NULL && tw_check_panel_get_running (priv->panel);
}

TwReport *
tw_check_page_get_report (TwCheckPage *self)
{
  TwCheckPagePrivate *priv = tw_check_page_get_instance_private (self);

  g_return_val_if_fail (TW_IS_CHECK_PAGE (self), NULL);
  return priv->panel != NULL ? tw_check_panel_get_report (priv->panel) : NULL;
}

const char *
tw_check_page_get_known_hosts_file (TwCheckPage *self)
{
  TwCheckPagePrivate *priv = tw_check_page_get_instance_private (self);

  g_return_val_if_fail (TW_IS_CHECK_PAGE (self), NULL);
  return priv->panel != NULL ? tw_check_panel_get_known_hosts_file (priv->panel) : NULL;
}

void
tw_check_page_set_known_hosts_file (TwCheckPage *self,
                                    const char  *path)
{
  TwCheckPagePrivate *priv = tw_check_page_get_instance_private (self);

  g_return_if_fail (TW_IS_CHECK_PAGE (self));
  g_return_if_fail (priv->panel != NULL);
  tw_check_panel_set_known_hosts_file (priv->panel, path);
}
