/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Test the SSH port": the SSH-port checks of a TwProbe for the
 * page's tunnel. The probe runs in its worker thread; this page only
 * observes the live report, so the window stays responsive throughout.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-check-page.h"
#include "tw-fingerprint.h"
#include "tw-ssh-check-page.h"
#include "tw-ui-util.h"

struct _TwSshCheckPage
{
  TwCheckPage     parent_instance;

  gboolean        host_key_changed;

  GtkLabel       *description_label;
  GtkWidget      *continue_group;
  TwCheckPanel   *panel;
};

G_DEFINE_FINAL_TYPE (TwSshCheckPage, tw_ssh_check_page, TW_TYPE_CHECK_PAGE)

enum {
  PROP_0,
  PROP_HOST_KEY_CHANGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_description (TwSshCheckPage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_autofree char *text = NULL;

  if (tunnel == NULL || tw_tunnel_get_ssh_host (tunnel) == NULL)
    {
      gtk_label_set_label (self->description_label,
                           _("Enter the tunnel server first, then come back to test it."));
      return;
    }

  text = g_strdup_printf (_("Tunnel Wizard connects to %s, port %u, from this computer, the way the "
                            "service will, and asks whether the server would accept the service’s "
                            "key for the user “%s”. Nothing is changed on the server. A firewall "
                            "that lets this computer in may still keep the service out."),
                          tw_tunnel_get_ssh_host (tunnel),
                          tw_tunnel_get_ssh_port (tunnel),
                          tw_tunnel_get_user (tunnel) != NULL ? tw_tunnel_get_user (tunnel) : "");
  gtk_label_set_label (self->description_label, text);
}

/* The host key the run saw differs from the one pinned in the tunnel, or
 * from the one in known_hosts: "Confirm the fingerprint" shows it and asks for a decision. */
static gboolean
report_host_key_changed (TwSshCheckPage *self,
                         TwReport       *report)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  const char *seen = tw_report_get_host_key_fingerprint (report);
  const char *pinned = tw_tunnel_get_pinned_fingerprint (tunnel);

  if (seen == NULL)
    return FALSE;
  if (tw_report_get_known_hosts_status (report) == TW_KNOWN_HOSTS_CHANGED ||
      tw_report_get_known_hosts_status (report) == TW_KNOWN_HOSTS_REVOKED)
    return TRUE;
  return pinned != NULL && *pinned != '\0' &&
         tw_fingerprint_compare (seen, pinned, NULL, NULL) != TW_FINGERPRINT_VERDICT_MATCH;
}

static void
on_finished (TwSshCheckPage *self,
             const GError   *error)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  TwReport *report = tw_check_panel_get_report (self->panel);
  guint n_fail = tw_check_panel_count (self->panel, TW_CHECK_STATUS_FAIL);
  TwCheckResult *host_key = tw_report_get_check (report, "host-key");
  gboolean host_key_failed = host_key != NULL &&
                             tw_check_result_get_status (host_key) == TW_CHECK_STATUS_FAIL;
  gboolean changed = error == NULL && report_host_key_changed (self, report);
  gboolean complete;

  tw_ui_set_boolean (self, &self->host_key_changed, changed,
                     properties[PROP_HOST_KEY_CHANGED]);

  if (changed && (n_fail == 0 || (n_fail == 1 && host_key_failed)))
    {
      /* Not a dead end: the decision belongs to the fingerprint step,
       * which blocks until the admin re-confirms deliberately. */
      tw_check_panel_show_verdict (self->panel, "dialog-warning-symbolic", "warning",
                                   _("The server’s host key is not the one confirmed before. The "
                                     "next step shows it; do not go on until you know why it "
                                     "changed."));
      complete = TRUE;
    }
  else
    complete = tw_check_panel_show_outcome (self->panel, error,
                                            _("The SSH port works, with warnings worth reading."),
                                            _("Every check passed."));

  /* Not a dead end either: the admin's computer may be firewalled out. A
   * host key that failed is never skipped: it is what protects the service. */
  gtk_widget_set_visible (self->continue_group, !complete && error == NULL && !host_key_failed);
  if (complete && tunnel != NULL)
    tw_tunnel_set_unverified_checks (tunnel, NULL);
  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), complete);
}

static void
continue_anyway_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TwSshCheckPage *self = TW_SSH_CHECK_PAGE (widget);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  GListModel *checks;
  g_autoptr(GPtrArray) failed = g_ptr_array_new ();

  if (tw_check_panel_get_report (self->panel) == NULL || tunnel == NULL)
    return;
  checks = tw_report_get_checks (tw_check_panel_get_report (self->panel));
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, i);

      if (tw_check_result_get_status (result) == TW_CHECK_STATUS_FAIL)
        g_ptr_array_add (failed, (gpointer) tw_check_result_get_id (result));
    }
  g_ptr_array_add (failed, NULL);
  tw_tunnel_set_unverified_checks (tunnel, (const char * const *) failed->pdata);
  gtk_widget_set_visible (self->continue_group, FALSE);
  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), TRUE);
}

static gboolean
tw_ssh_check_page_prepare_run (TwCheckPage *page)
{
  gtk_widget_set_visible (TW_SSH_CHECK_PAGE (page)->continue_group, FALSE);
  return TRUE;
}

/* The panel has a new probe, with a fresh report of pending checks: the old
 * results described another server. */
static void
on_probe_changed (TwSshCheckPage *self)
{
  gtk_widget_set_visible (self->continue_group, FALSE);

  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), FALSE);
  tw_ui_set_boolean (self, &self->host_key_changed, FALSE,
                     properties[PROP_HOST_KEY_CHANGED]);
  update_description (self);
}

static void
tw_ssh_check_page_tunnel_changed (TwWizardPage *page,
                                  TwTunnel     *previous)
{
  tw_check_panel_set_tunnel (TW_SSH_CHECK_PAGE (page)->panel, tw_wizard_page_get_tunnel (page));
}

static void
tw_ssh_check_page_dispose (GObject *object)
{
  TwSshCheckPage *self = TW_SSH_CHECK_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_SSH_CHECK_PAGE);

  G_OBJECT_CLASS (tw_ssh_check_page_parent_class)->dispose (object);
}

static void
tw_ssh_check_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TwSshCheckPage *self = TW_SSH_CHECK_PAGE (object);

  switch (prop_id)
    {
    case PROP_HOST_KEY_CHANGED:
      g_value_set_boolean (value, self->host_key_changed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_ssh_check_page_class_init (TwSshCheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TwWizardPageClass *page_class = TW_WIZARD_PAGE_CLASS (klass);
  TwCheckPageClass *check_page_class = TW_CHECK_PAGE_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tw_ssh_check_page_dispose;
  page_class->tunnel_changed = tw_ssh_check_page_tunnel_changed;
  check_page_class->prepare_run = tw_ssh_check_page_prepare_run;
  object_class->get_property = tw_ssh_check_page_get_property;

  properties[PROP_HOST_KEY_CHANGED] =
    g_param_spec_boolean ("host-key-changed", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TW_TYPE_CHECK_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tw-ssh-check-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwSshCheckPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, TwSshCheckPage, panel);
  gtk_widget_class_bind_template_child (widget_class, TwSshCheckPage, continue_group);
  gtk_widget_class_bind_template_callback (widget_class, on_finished);
  gtk_widget_class_bind_template_callback (widget_class, on_probe_changed);

  gtk_widget_class_install_action (widget_class, "page.continue-anyway", NULL, continue_anyway_action);
}

static void
tw_ssh_check_page_init (TwSshCheckPage *self)
{
  /* Only what the SSH-port checks read makes their results stale. */
  static const char * const watched[] = { "ssh-host", "ssh-port", "user", "service-key", NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  tw_check_page_set_panel (TW_CHECK_PAGE (self), self->panel);
  tw_check_panel_set_checks (self->panel, tw_probe_get_ssh_port_check_ids (), watched);
  on_probe_changed (self);
}

GtkWidget *
tw_ssh_check_page_new (void)
{
  return g_object_new (TW_TYPE_SSH_CHECK_PAGE, NULL);
}

gboolean
tw_ssh_check_page_get_complete (TwSshCheckPage *self)
{
  return tw_wizard_page_get_complete (TW_WIZARD_PAGE (self));
}

gboolean
tw_ssh_check_page_get_host_key_changed (TwSshCheckPage *self)
{
  g_return_val_if_fail (TW_IS_SSH_CHECK_PAGE (self), FALSE);

  return self->host_key_changed;
}
