/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Check Again": a saved tunnel's checks, run at once and shown with a way
 * back to the list. Its own TwProbe in its worker thread, as in the wizard's
 * check steps; this page only observes the report.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-check-panel.h"
#include "tw-recheck-page.h"
#include "tw-ui-util.h"

struct _TwRecheckPage
{
  AdwBin          parent_instance;

  gboolean        through_tunnel;
  GCancellable   *cancellable;

  GtkLabel       *title_label;
  GtkLabel       *description_label;
  TwCheckPanel   *panel;
  GtkWidget      *export_button;
  GtkWidget      *edit_button;
  GtkWidget      *done_button;
};

G_DEFINE_FINAL_TYPE (TwRecheckPage, tw_recheck_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_actions (TwRecheckPage *self)
{
  gboolean running = tw_check_panel_get_running (self->panel);
  gboolean has_probe = tw_check_panel_get_probe (self->panel) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.run", has_probe && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recheck.export",
                                 has_probe && !running && tw_check_panel_get_has_run (self->panel));
}

static void
on_finished (TwRecheckPage *self,
             const GError  *error)
{
  tw_check_panel_show_outcome (self->panel, error,
                               self->through_tunnel
                               ? _("The tunnel works, with warnings worth reading.")
                               : _("The SSH port works, with warnings worth reading."),
                               self->through_tunnel
                               ? _("Every check passed, the SSH port’s and those through the tunnel.")
                               : _("The SSH port’s checks passed. The checks through the tunnel did not "
                                   "run: they need your login, saved with the tunnel in “Destination "
                                   "and TLS”."));
  update_actions (self);
  /* The run is over: Enter now means Done */
  gtk_window_set_default_widget (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->done_button);
  g_signal_emit (self, signals[FINISHED], 0, error);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  tw_check_panel_run (TW_RECHECK_PAGE (widget)->panel);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  tw_check_panel_cancel (TW_RECHECK_PAGE (widget)->panel);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TwRecheckPage *self = TW_RECHECK_PAGE (widget);
  TwReport *report = tw_check_panel_get_report (self->panel);

  if (report != NULL)
    tw_ui_export_report (widget, report, g_str_equal (g_variant_get_string (parameter, NULL), "json"),
                         self->cancellable);
}

static void
tw_recheck_page_dispose (GObject *object)
{
  TwRecheckPage *self = TW_RECHECK_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_RECHECK_PAGE);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tw_recheck_page_parent_class)->dispose (object);
}

static void
tw_recheck_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TwRecheckPage *self = TW_RECHECK_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, tw_recheck_page_get_report (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_recheck_page_class_init (TwRecheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_recheck_page_dispose;
  object_class->get_property = tw_recheck_page_get_property;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, TW_TYPE_REPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  g_type_ensure (TW_TYPE_CHECK_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-recheck-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwRecheckPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TwRecheckPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, TwRecheckPage, panel);
  gtk_widget_class_bind_template_child (widget_class, TwRecheckPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TwRecheckPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TwRecheckPage, done_button);
  gtk_widget_class_bind_template_callback (widget_class, on_finished);
  gtk_widget_class_bind_template_callback (widget_class, update_actions);

  gtk_widget_class_install_action (widget_class, "page.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "recheck.export", "s", export_action);
}

static void
tw_recheck_page_init (TwRecheckPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_actions (self);
}

static char *
describe (TwTunnel      *tunnel,
          TwCredentials *credentials)
{
  const char *user = tw_tunnel_get_user (tunnel) != NULL ? tw_tunnel_get_user (tunnel) : "";
  g_autofree char *destination = NULL;
  const char *login_user;

  if (credentials == NULL)
    return g_strdup_printf (_("The checks of the SSH port of %s, port %u, for the user “%s”, from this "
                              "computer. Nothing is changed on the server."),
                            tw_tunnel_get_ssh_host (tunnel), tw_tunnel_get_ssh_port (tunnel), user);

  destination = tw_setup_format_host_port (tw_tunnel_get_dest_host (tunnel), tw_tunnel_get_dest_port (tunnel));
  login_user = tw_credentials_get_user (credentials) != NULL ? tw_credentials_get_user (credentials) : user;
  return g_strdup_printf (_("The checks of the SSH port of %s, port %u, for the user “%s”, then, logged in "
                            "as “%s”, the way through the tunnel to %s. Nothing is changed on the server."),
                          tw_tunnel_get_ssh_host (tunnel), tw_tunnel_get_ssh_port (tunnel), user,
                          login_user, destination);
}

void
tw_recheck_page_start (TwRecheckPage *self,
                       TwTunnel      *tunnel,
                       const char    *tunnel_id,
                       TwCredentials *credentials)
{
  g_autofree char *description = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  const char * const *ssh_ids = tw_probe_get_ssh_port_check_ids ();
  const char * const *tunnel_ids = tw_probe_get_tunnel_check_ids ();

  g_return_if_fail (TW_IS_RECHECK_PAGE (self));
  g_return_if_fail (TW_IS_TUNNEL (tunnel));

  /* Through the tunnel only with a login, and only a forward tunnel has one to check */
  self->through_tunnel = credentials != NULL && tw_tunnel_get_mode (tunnel) == TW_TUNNEL_MODE_FORWARD &&
                         tw_tunnel_get_dest_host (tunnel) != NULL;
  for (guint i = 0; ssh_ids[i] != NULL; i++)
    g_ptr_array_add (ids, (gpointer) ssh_ids[i]);
  for (guint i = 0; self->through_tunnel && tunnel_ids[i] != NULL; i++)
    g_ptr_array_add (ids, (gpointer) tunnel_ids[i]);
  g_ptr_array_add (ids, NULL);

  /* The panel makes the probe; nothing changes the tunnel under a run here, so it watches
   * nothing */
  tw_check_panel_set_tunnel (self->panel, NULL);
  tw_check_panel_set_checks (self->panel, (const char * const *) ids->pdata, NULL);
  tw_check_panel_set_tunnel (self->panel, tunnel);
  if (self->through_tunnel)
    tw_probe_set_credentials (tw_check_panel_get_probe (self->panel), credentials);

  gtk_label_set_label (self->title_label, tw_tunnel_get_name (tunnel));
  description = describe (tunnel, self->through_tunnel ? credentials : NULL);
  gtk_label_set_label (self->description_label, description);
  /* The target first: the action takes a string, never none */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->edit_button), "s", tunnel_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->edit_button), "win.open-tunnel");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);

  tw_check_panel_run (self->panel);
  update_actions (self);
}

void
tw_recheck_page_cancel (TwRecheckPage *self)
{
  g_return_if_fail (TW_IS_RECHECK_PAGE (self));
  tw_check_panel_cancel (self->panel);
}

TwReport *
tw_recheck_page_get_report (TwRecheckPage *self)
{
  g_return_val_if_fail (TW_IS_RECHECK_PAGE (self), NULL);
  return tw_check_panel_get_report (self->panel);
}
