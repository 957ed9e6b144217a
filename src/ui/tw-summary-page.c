/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Summary": the values for the service's form, each with a copy button, in the
 * order the form asks for them; saving the tunnel; exporting the check report
 * for a ticket. The report never holds a secret (the probe engine's rule).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-copy-row.h"
#include "tw-summary-page.h"
#include "tw-ui-util.h"

struct _TwSummaryPage
{
  TwWizardPage  parent_instance;

  TwCopyRow    *host_row;
  TwCopyRow    *port_row;
  TwCopyRow    *user_row;
  TwCopyRow    *fingerprint_row;
  TwCopyRow    *destination_row;
  GtkWidget    *unverified_group;
  AdwActionRow *unverified_row;
  TwCopyRow    *tls_row;
  AdwEntryRow  *name_row;
  GtkLabel     *report_label;

  TwReport     *report;
  GPtrArray    *bindings;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TwSummaryPage, tw_summary_page, TW_TYPE_WIZARD_PAGE)

enum {
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Checks the admin went on without (from a computer the bastion lets no one in from) */
static void
update_unverified (TwSummaryPage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  const char * const *ids = tw_tunnel_get_unverified_checks (tunnel);
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->unverified_group, ids != NULL);
  if (ids == NULL)
    return;
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (titles, (gpointer) (tw_probe_get_check_title (ids[i]) ? tw_probe_get_check_title (ids[i])
                                                                          : ids[i]));
  g_ptr_array_add (titles, NULL);
  list = g_strjoinv (", ", (char **) titles->pdata);
  /* Translators: %s is a list of check names, e.g. "TCP connection, SSH banner" */
  text = g_strdup_printf (_("These checks failed here and were skipped: %s. The service, from its "
                            "own addresses, may still get through; if it does not, start there."), list);
  adw_action_row_set_subtitle (self->unverified_row, text);
}

static void
update (TwSummaryPage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_autofree char *port = NULL;
  g_autofree char *destination = NULL;
  const char *fingerprint = NULL;

  if (tunnel == NULL)
    return;

  port = g_strdup_printf ("%u", tw_tunnel_get_ssh_port (tunnel));
  fingerprint = tw_tunnel_get_pinned_fingerprint (tunnel);
  tw_copy_row_set_value (self->host_row, tw_tunnel_get_ssh_host (tunnel));
  tw_copy_row_set_value (self->port_row, port);
  tw_copy_row_set_value (self->user_row, tw_tunnel_get_user (tunnel));
  tw_copy_row_set_value (self->fingerprint_row, fingerprint);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->fingerprint_row),
                               fingerprint ? _("Compare it with the one the service shows")
                                           : _("Not confirmed yet: confirm it in step 5"));
  update_unverified (self);
  if (tw_tunnel_get_dest_host (tunnel) != NULL)
    destination = tw_setup_format_host_port (tw_tunnel_get_dest_host (tunnel),
                                             tw_tunnel_get_dest_port (tunnel));
  tw_copy_row_set_value (self->destination_row, destination);
  tw_copy_row_set_value (self->tls_row, tw_tunnel_get_require_tls (tunnel) ? _("On") : _("Off"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->tls_row),
                               tw_tunnel_get_require_tls (tunnel) &&
                               tw_tunnel_get_dest_kind (tunnel) == TW_DEST_KIND_TCP
                               ? _("The destination is plain TCP: with this on, the service will not "
                                   "connect. Turn it off in step 6, or choose the database’s kind in "
                                   "step 2.")
                               : NULL);
}

char *
tw_summary_page_dup_text (TwSummaryPage *self)
{
  TwCopyRow *rows[] = { self->host_row, self->port_row, self->user_row, self->fingerprint_row,
                        self->destination_row, self->tls_row };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *value = tw_copy_row_get_value (rows[i]);

      g_string_append_printf (text, "%s: %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows[i])),
                              value ? value : _("(not set)"));
    }
  return g_string_free (text, FALSE);
}

static void
tw_summary_page_copy_all (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  g_autofree char *text = tw_summary_page_dup_text (TW_SUMMARY_PAGE (widget));

  tw_ui_copy_to_clipboard (widget, text, _("Form values"));
}

static void
tw_summary_page_export (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TwSummaryPage *self = TW_SUMMARY_PAGE (widget);

  if (self->report != NULL)
    tw_ui_export_report (widget, self->report, g_str_equal (g_variant_get_string (parameter, NULL), "json"),
                         self->cancellable);
}

static void
tw_summary_page_tunnel_changed (TwWizardPage *page,
                                TwTunnel     *previous)
{
  TwSummaryPage *self = TW_SUMMARY_PAGE (page);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (page);

  if (previous != NULL)
    g_signal_handlers_disconnect_by_func (previous, update, self);
  tw_ui_unbind_fields (self->bindings);

  if (tunnel != NULL)
    {
      g_signal_connect_swapped (tunnel, "notify", G_CALLBACK (update), self);
      tw_ui_bind_field (self->bindings, tunnel, "name", self->name_row, "text");
      update (self);
    }
}

static void
tw_summary_page_dispose (GObject *object)
{
  TwSummaryPage *self = TW_SUMMARY_PAGE (object);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  tw_ui_unbind_fields (self->bindings);
  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  if (tunnel != NULL)
    g_signal_handlers_disconnect_by_func (tunnel, update, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_SUMMARY_PAGE);
  g_clear_object (&self->report);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tw_summary_page_parent_class)->dispose (object);
}

static void
tw_summary_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TwSummaryPage *self = TW_SUMMARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_summary_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_REPORT:
      tw_summary_page_set_report (TW_SUMMARY_PAGE (object), g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_summary_page_class_init (TwSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TwWizardPageClass *page_class = TW_WIZARD_PAGE_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tw_summary_page_dispose;
  page_class->tunnel_changed = tw_summary_page_tunnel_changed;
  object_class->get_property = tw_summary_page_get_property;
  object_class->set_property = tw_summary_page_set_property;

  properties[PROP_REPORT] = g_param_spec_object ("report", NULL, NULL, TW_TYPE_REPORT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TW_TYPE_COPY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, tls_row);
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, destination_row);
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, unverified_group);
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, unverified_row);
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, TwSummaryPage, report_label);

  gtk_widget_class_install_action (widget_class, "summary.copy-all", NULL, tw_summary_page_copy_all);
  gtk_widget_class_install_action (widget_class, "summary.export", "s", tw_summary_page_export);
}

static void
tw_summary_page_init (TwSummaryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "summary.export", FALSE);
}

TwReport *
tw_summary_page_get_report (TwSummaryPage *self)
{
  g_return_val_if_fail (TW_IS_SUMMARY_PAGE (self), NULL);
  return self->report;
}

void
tw_summary_page_set_report (TwSummaryPage *self,
                            TwReport      *report)
{
  g_return_if_fail (TW_IS_SUMMARY_PAGE (self));

  if (!g_set_object (&self->report, report))
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "summary.export", report != NULL);
  gtk_label_set_label (self->report_label,
                       report ? _("Export the results of the last check run, for a ticket or a colleague. It holds no password or key.")
                              : _("Run the checks in steps 4 and 6, or “Check Again” in the list of saved "
                                  "tunnels, to get a report to export."));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}
