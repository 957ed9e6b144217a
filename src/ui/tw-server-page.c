/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Tunnel server": the fields of the service's form (host, port, user) and the
 * destination the bastion forwards to. Every field is checked as it is typed
 * and the reason is shown next to the field, not in a dialog.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-preset-choice.h"
#include "tw-server-page.h"
#include "tw-ui-util.h"

struct _TwServerPage
{
  TwWizardPage  parent_instance;

  AdwComboRow  *service_row;
  AdwEntryRow  *host_row;
  GtkImage     *host_icon;
  GtkSpinButton *port_spin;
  AdwEntryRow  *user_row;
  GtkImage     *user_icon;
  GtkLabel     *server_problems;
  AdwEntryRow  *dest_host_row;
  GtkImage     *dest_host_icon;
  GtkSpinButton *dest_port_spin;
  AdwComboRow  *kind_row;
  GtkLabel     *dest_problems;

  TwPresetChoice *presets;
  GPtrArray    *bindings;
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (TwServerPage, tw_server_page, TW_TYPE_WIZARD_PAGE)

gboolean
tw_server_page_validate_host (const char  *host,
                              GError     **error)
{
  g_auto(GStrv) labels = NULL;
  g_autofree char *trimmed = NULL;
  size_t length;

  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Enter the server’s host name or IP address"));
      return FALSE;
    }
  if (g_hostname_is_ip_address (host))
    return TRUE;

  length = strlen (host);
  if (length > 253)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("A host name has at most 253 characters"));
      return FALSE;
    }

  /* A single trailing dot (the DNS root) is allowed. */
  trimmed = g_strndup (host, host[length - 1] == '.' ? length - 1 : length);
  labels = g_strsplit (trimmed, ".", -1);

  for (guint i = 0; labels[i] != NULL; i++)
    {
      const char *label = labels[i];
      size_t n = strlen (label);

      if (n == 0 || n > 63)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Each part between dots must have 1 to 63 characters"));
          return FALSE;
        }
      for (size_t j = 0; j < n; j++)
        if (label[j] == ' ')
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 _("A host name cannot contain spaces"));
            return FALSE;
          }
        else if (!g_ascii_isalnum (label[j]) && label[j] != '-')
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("“%c” cannot be part of a host name: only letters, digits, dots and hyphens"),
                         g_ascii_isprint (label[j]) ? label[j] : '?');
            return FALSE;
          }
      if (label[0] == '-' || label[n - 1] == '-')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("A part of a host name cannot start or end with a hyphen"));
          return FALSE;
        }
    }
  return TRUE;
}

static void
mark_field (GtkWidget    *row,
            GtkImage     *icon,
            const GError *error,
            GString      *problems,
            const char   *field)
{
  gtk_widget_set_visible (GTK_WIDGET (icon), error != NULL);
  if (error != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      /* Only when it changes: setting a tooltip asks the display where the pointer is. */
      if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (icon)), error->message) != 0)
        gtk_widget_set_tooltip_text (GTK_WIDGET (icon), error->message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      error->message, -1);
      if (problems->len > 0)
        g_string_append_c (problems, '\n');
      /* Translators: a field name and why its value is not accepted */
      g_string_append_printf (problems, _("%s: %s"), field, error->message);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
show_problems (GtkLabel *label,
               GString  *problems)
{
  gtk_label_set_label (label, problems->str);
  gtk_widget_set_visible (GTK_WIDGET (label), problems->len > 0);
}

static void
validate (TwServerPage *self)
{
  g_autoptr(GError) host_error = NULL;
  g_autoptr(GError) user_error = NULL;
  g_autoptr(GError) dest_error = NULL;
  g_autoptr(GString) server_problems = g_string_new (NULL);
  g_autoptr(GString) dest_problems = g_string_new (NULL);
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *dest_host = gtk_editable_get_text (GTK_EDITABLE (self->dest_host_row));
  guint dest_port = (guint) gtk_spin_button_get_value_as_int (self->dest_port_spin);
  gboolean complete;

  tw_server_page_validate_host (host, &host_error);
  if (*user == '\0')
    g_set_error_literal (&user_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Enter the user the service logs in as"));
  else
    tw_setup_validate_user (user, &user_error);
  if (*dest_host == '\0')
    g_set_error_literal (&dest_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Enter the database host as the tunnel server sees it, e.g. localhost"));
  else
    tw_setup_validate_dest (dest_host, dest_port, &dest_error);

  /* An empty field is not wrong yet, only not done: no red before the admin has typed (Next
   * stays off all the same) */
  mark_field (GTK_WIDGET (self->host_row), self->host_icon, *host != '\0' ? host_error : NULL,
              server_problems, _("Host"));
  mark_field (GTK_WIDGET (self->user_row), self->user_icon, *user != '\0' ? user_error : NULL,
              server_problems, _("User"));
  mark_field (GTK_WIDGET (self->dest_host_row), self->dest_host_icon, *dest_host != '\0' ? dest_error : NULL,
              dest_problems, _("Destination"));
  show_problems (self->server_problems, server_problems);
  show_problems (self->dest_problems, dest_problems);

  complete = host_error == NULL && user_error == NULL && dest_error == NULL;
  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), complete);
}

static void
on_service_selected (TwServerPage *self)
{
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  TwServicePreset *preset = self->presets ? tw_preset_choice_get_selected (self->presets) : NULL;
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));

  if (preset == NULL || self->loading || tw_preset_choice_is_updating (self->presets))
    return;
  /* The preset only fills the user while the admin has not typed one of their own. */
  if (*user == '\0' || tw_preset_choice_is_preset_user (self->presets, user))
    gtk_editable_set_text (GTK_EDITABLE (self->user_row), tw_service_preset_get_user (preset));
  if (tunnel != NULL)
    {
      tw_tunnel_set_require_tls (tunnel, tw_service_preset_get_require_tls (preset));
      if (tw_service_preset_get_keepalive_seconds (preset) > 0)
        tw_tunnel_set_keepalive_interval (tunnel, tw_service_preset_get_keepalive_seconds (preset));
    }
}

static gboolean
kind_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));
  return TRUE;
}

static gboolean
selected_to_kind (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected > TW_DEST_KIND_TCP)
    return FALSE;
  g_value_set_enum (to, (int) selected);
  return TRUE;
}

static void
on_kind_selected (TwServerPage *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);
  guint port = (guint) gtk_spin_button_get_value_as_int (self->dest_port_spin);

  if (self->loading)
    return;

  /* Follow the kind's usual port unless the admin chose another one. */
  for (int kind = TW_DEST_KIND_POSTGRES; kind <= TW_DEST_KIND_TCP; kind++)
    if (port == tw_dest_kind_default_port (kind) && (guint) kind != selected)
      {
        guint wanted = tw_dest_kind_default_port (selected);

        if (wanted != 0)
          gtk_spin_button_set_value (self->dest_port_spin, wanted);
        break;
      }
}

static void
tw_server_page_tunnel_changed (TwWizardPage *page,
                               TwTunnel     *previous)
{
  TwServerPage *self = TW_SERVER_PAGE (page);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (page);

  tw_ui_unbind_fields (self->bindings);

  self->loading = TRUE;
  if (tunnel != NULL)
    {
      /* A saved user no preset has means the generic service. */
      tw_preset_choice_select_for_user (self->presets, tw_tunnel_get_user (tunnel) ? tw_tunnel_get_user (tunnel) : "fivetran");
      tw_ui_bind_field (self->bindings, tunnel, "ssh-host", self->host_row, "text");
      tw_ui_bind_field (self->bindings, tunnel, "ssh-port", self->port_spin, "value");
      tw_ui_bind_field (self->bindings, tunnel, "dest-host", self->dest_host_row, "text");
      tw_ui_bind_field (self->bindings, tunnel, "dest-port", self->dest_port_spin, "value");
      g_ptr_array_add (self->bindings,
                       g_object_ref (g_object_bind_property_full (tunnel, "dest-kind", self->kind_row, "selected",
                                                                  G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                                  kind_to_selected, selected_to_kind, NULL, NULL)));
      if (tw_tunnel_get_user (tunnel) == NULL)
        tw_tunnel_set_user (tunnel, "fivetran");
      tw_ui_bind_field (self->bindings, tunnel, "user", self->user_row, "text");
    }
  self->loading = FALSE;

  validate (self);
}

static void
tw_server_page_dispose (GObject *object)
{
  TwServerPage *self = TW_SERVER_PAGE (object);

  tw_ui_unbind_fields (self->bindings);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_SERVER_PAGE);
  g_clear_object (&self->presets);
  g_clear_pointer (&self->bindings, g_ptr_array_unref);

  G_OBJECT_CLASS (tw_server_page_parent_class)->dispose (object);
}

/* Coming to the step puts the cursor where typing starts: the first empty field */
static gboolean
tw_server_page_grab_focus (GtkWidget *widget)
{
  TwServerPage *self = TW_SERVER_PAGE (widget);
  AdwEntryRow *rows[] = { self->host_row, self->user_row, self->dest_host_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (*gtk_editable_get_text (GTK_EDITABLE (rows[i])) == '\0')
      return gtk_widget_grab_focus (GTK_WIDGET (rows[i]));
  return gtk_widget_grab_focus (GTK_WIDGET (self->host_row));
}

static void
tw_server_page_class_init (TwServerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TwWizardPageClass *page_class = TW_WIZARD_PAGE_CLASS (klass);

  object_class->dispose = tw_server_page_dispose;
  page_class->tunnel_changed = tw_server_page_tunnel_changed;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-server-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, service_row);
  widget_class->grab_focus = tw_server_page_grab_focus;
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, host_icon);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, user_icon);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, server_problems);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, dest_host_row);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, dest_host_icon);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, dest_port_spin);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TwServerPage, dest_problems);
  gtk_widget_class_bind_template_callback (widget_class, validate);
  gtk_widget_class_bind_template_callback (widget_class, on_service_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_selected);
}

static void
tw_server_page_init (TwServerPage *self)
{
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), FALSE);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->presets = tw_preset_choice_new (self->service_row);
  validate (self);
}

void
tw_server_page_set_tunnel (TwServerPage *self,
                           TwTunnel     *tunnel)
{
  tw_wizard_page_set_tunnel (TW_WIZARD_PAGE (self), tunnel);
}

gboolean
tw_server_page_get_complete (TwServerPage *self)
{
  return tw_wizard_page_get_complete (TW_WIZARD_PAGE (self));
}
