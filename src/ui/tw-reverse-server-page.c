/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reverse mode, "Bastion": where this machine logs in, what the bastion listens
 * on, and where each connection made there goes. The fields write straight to
 * the tunnel through bindings, as the forward mode's server page does.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-reverse-server-page.h"
#include "tw-server-page.h"
#include "tw-ui-util.h"

/* The bind address choices, in the order of the combo row. */
enum {
  BIND_LOOPBACK,
  BIND_ALL,
};

struct _TwReverseServerPage
{
  TwWizardPage   parent_instance;

  AdwEntryRow   *host_row;
  GtkSpinButton *port_spin;
  AdwEntryRow   *user_row;
  GtkSpinButton *remote_port_spin;
  AdwComboRow   *bind_row;
  GtkRevealer   *gateway_revealer;
  AdwEntryRow   *dest_host_row;
  GtkSpinButton *dest_port_spin;
  GtkSpinButton *keepalive_spin;
  GtkLabel      *problems;

  GPtrArray     *bindings;
};

G_DEFINE_FINAL_TYPE (TwReverseServerPage, tw_reverse_server_page, TW_TYPE_WIZARD_PAGE)

static void
add_problem (GString    *problems,
             GtkWidget  *row,
             const char *field,
             GError     *error)
{
  if (error == NULL)
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  gtk_widget_add_css_class (row, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  error->message, -1);
  if (problems->len > 0)
    g_string_append_c (problems, '\n');
  /* Translators: a field name and why its value is not accepted */
  g_string_append_printf (problems, _("%s: %s"), field, error->message);
}

static void
validate (TwReverseServerPage *self)
{
  g_autoptr(GError) host_error = NULL;
  g_autoptr(GError) user_error = NULL;
  g_autoptr(GError) dest_error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *dest_host = gtk_editable_get_text (GTK_EDITABLE (self->dest_host_row));
  gboolean complete;

  tw_server_page_validate_host (host, &host_error);
  if (*user == '\0')
    g_set_error_literal (&user_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Enter the user this machine logs in as"));
  else
    tw_setup_validate_user (user, &user_error);
  if (*dest_host == '\0')
    g_set_error_literal (&dest_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Enter the database host as this machine sees it, e.g. localhost"));
  else
    tw_server_page_validate_host (dest_host, &dest_error);

  add_problem (problems, GTK_WIDGET (self->host_row), _("Bastion"), host_error);
  add_problem (problems, GTK_WIDGET (self->user_row), _("User"), user_error);
  add_problem (problems, GTK_WIDGET (self->dest_host_row), _("Local destination"), dest_error);
  gtk_label_set_label (self->problems, problems->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problems), problems->len > 0);

  /* Listening on every interface only works when sshd allows it: say so where it is chosen. */
  gtk_revealer_set_reveal_child (self->gateway_revealer,
                                 adw_combo_row_get_selected (self->bind_row) == BIND_ALL);

  complete = host_error == NULL && user_error == NULL && dest_error == NULL;
  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), complete);
}

/* "localhost" (the bastion itself) or "*" (every interface: other hosts, e.g. the service). */
static gboolean
address_to_selected (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  const char *address = g_value_get_string (from);
  gboolean all = g_strcmp0 (address, "*") == 0 || g_strcmp0 (address, "0.0.0.0") == 0 ||
                 g_strcmp0 (address, "") == 0;

  g_value_set_uint (to, all ? BIND_ALL : BIND_LOOPBACK);
  return TRUE;
}

static gboolean
selected_to_address (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  g_value_set_string (to, g_value_get_uint (from) == BIND_ALL ? "*" : "localhost");
  return TRUE;
}

static void
tw_reverse_server_page_tunnel_changed (TwWizardPage *page,
                                       TwTunnel     *previous)
{
  TwReverseServerPage *self = TW_REVERSE_SERVER_PAGE (page);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (page);

  tw_ui_unbind_fields (self->bindings);
  if (tunnel != NULL)
    {
      tw_ui_bind_field (self->bindings, tunnel, "ssh-host", self->host_row, "text");
      tw_ui_bind_field (self->bindings, tunnel, "ssh-port", self->port_spin, "value");
      tw_ui_bind_field (self->bindings, tunnel, "user", self->user_row, "text");
      tw_ui_bind_field (self->bindings, tunnel, "remote-port", self->remote_port_spin, "value");
      tw_ui_bind_field (self->bindings, tunnel, "dest-host", self->dest_host_row, "text");
      tw_ui_bind_field (self->bindings, tunnel, "dest-port", self->dest_port_spin, "value");
      tw_ui_bind_field (self->bindings, tunnel, "keepalive-interval", self->keepalive_spin, "value");
      g_ptr_array_add (self->bindings,
                       g_object_ref (g_object_bind_property_full (tunnel, "remote-address", self->bind_row, "selected",
                                                                  G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                                  address_to_selected, selected_to_address,
                                                                  NULL, NULL)));
    }
  validate (self);
}

static void
tw_reverse_server_page_dispose (GObject *object)
{
  TwReverseServerPage *self = TW_REVERSE_SERVER_PAGE (object);

  tw_ui_unbind_fields (self->bindings);
  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_REVERSE_SERVER_PAGE);

  G_OBJECT_CLASS (tw_reverse_server_page_parent_class)->dispose (object);
}

static void
tw_reverse_server_page_class_init (TwReverseServerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TwWizardPageClass *page_class = TW_WIZARD_PAGE_CLASS (klass);

  object_class->dispose = tw_reverse_server_page_dispose;
  page_class->tunnel_changed = tw_reverse_server_page_tunnel_changed;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-reverse-server-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, remote_port_spin);
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, bind_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, gateway_revealer);
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, dest_host_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, dest_port_spin);
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, keepalive_spin);
  gtk_widget_class_bind_template_child (widget_class, TwReverseServerPage, problems);
  gtk_widget_class_bind_template_callback (widget_class, validate);
}

static void
tw_reverse_server_page_init (TwReverseServerPage *self)
{
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), FALSE);
  gtk_widget_init_template (GTK_WIDGET (self));
  validate (self);
}
