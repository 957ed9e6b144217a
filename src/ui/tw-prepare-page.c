/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Prepare the server": the setup generator's outputs, each in its own view with a copy
 * button. They are regenerated whenever the tunnel changes, so that the
 * least-privilege switch and the service addresses show their effect at once.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-code-block.h"
#include "tw-export-list.h"
#include "tw-prepare-page.h"

struct _TwPreparePage
{
  TwWizardPage  parent_instance;

  AdwPreferencesGroup *intro_group;
  AdwActionRow *least_privilege_row;
  GtkSwitch    *least_privilege_switch;
  GtkWidget    *least_privilege_group;
  AdwActionRow *least_privilege_key_row;
  AdwActionRow *least_privilege_sshd_row;
  AdwEntryRow  *addresses_row;
  AdwEntryRow  *group_row;
  GtkLabel     *addresses_problem;
  GtkLabel     *addresses_hint;
  TwCodeBlock  *linux_block;
  TwCodeBlock  *keys_block;
  TwCodeBlock  *sshd_block;
  TwCodeBlock  *windows_block;
  TwCodeBlock  *firewall_block;
  AdwComboRow  *view_row;
  GtkStack     *stack;

  GBinding     *least_privilege_binding;
  guint         regenerate_source;
};

G_DEFINE_FINAL_TYPE (TwPreparePage, tw_prepare_page, TW_TYPE_WIZARD_PAGE)

typedef char *(*Generator) (TwTunnel *tunnel, TwPublicKey *key, GError **error);

static void
fill (TwCodeBlock *block,
      Generator    generate,
      TwTunnel    *tunnel,
      TwPublicKey *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = generate (tunnel, key, &error);

  if (text != NULL)
    tw_code_block_set_text (block, text);
  else
    tw_code_block_set_error (block, error->message);
}

/* The same page serves both modes: in reverse mode the key is this machine's, and the
 * addresses are where this machine connects from (from= and the firewall rules). The
 * template holds the forward mode's wording. */
static void
update_wording (TwPreparePage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  gboolean reverse = tunnel != NULL && tw_tunnel_get_mode (tunnel) == TW_TUNNEL_MODE_REVERSE;

  adw_preferences_group_set_title (self->intro_group,
                                   reverse ? _("Prepare the Bastion") : _("Prepare the Tunnel Server"));
  adw_preferences_group_set_description (self->intro_group,
    reverse ? _("Run these on the bastion as root. They create the tunnel user and install this machine’s key on one line, with the right owner and modes.")
            : _("Run these on the tunnel server as root. They create the tunnel user and install the service’s key on one line, with the right owner and modes."));
  adw_action_row_set_subtitle (self->least_privilege_row,
    reverse ? _("The key may only open the tunnel’s port on the bastion: no shell, no other ports")
            : _("The key may only forward to the destination: no shell, no other ports"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->addresses_row),
    reverse ? _("This machine’s _addresses (optional)") : _("Service _addresses (optional)"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->addresses_row),
    reverse ? _("The public IP addresses or CIDR blocks this machine connects from, separated by commas")
            : _("The IP addresses or CIDR blocks the service connects from, separated by commas"));
  gtk_label_set_label (self->addresses_hint,
    reverse ? _("For example 203.0.113.7, 2001:db8:1200::/48, separated by commas: this machine’s public addresses, as the bastion sees them. With them, only this machine may use the key.")
            : _("For example 35.234.176.144/29, 2600:1900:4010::/48, separated by commas. The service’s connection form lists the addresses it connects from. With them, only the service may use the key."));
}

/* What each part of least privilege does, said with this tunnel's values */
static void
update_least_privilege_parts (TwPreparePage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  gboolean on = tunnel != NULL && tw_tunnel_get_least_privilege (tunnel);
  g_autofree char *key_text = NULL;
  g_autofree char *sshd_text = NULL;
  g_autofree char *target = NULL;
  const char *user;

  gtk_widget_set_visible (self->least_privilege_group, on);
  if (!on)
    return;

  user = tw_tunnel_get_user (tunnel) != NULL ? tw_tunnel_get_user (tunnel) : "";
  if (tw_tunnel_get_mode (tunnel) == TW_TUNNEL_MODE_REVERSE)
    {
      target = g_strdup_printf ("%u", tw_tunnel_get_remote_port (tunnel));
      /* Translators: %s is a port number on the bastion */
      key_text = g_strdup_printf (_("restrict,port-forwarding,permitlisten: this key may only ask the "
                                    "bastion to listen on port %s, with no terminal and no agent or X11 "
                                    "forwarding. Alone it does not stop a command: on an account with a "
                                    "shell, the key could still run one."), target);
      /* Translators: %s is a user name */
      sshd_text = g_strdup_printf (_("For “%s”, whatever key or password logs in: ForceCommand /bin/false "
                                     "(no shell, no command), only the tunnel’s port to listen on, no "
                                     "other forwarding, key logins only."), user);
    }
  else
    {
      target = tw_setup_format_host_port (tw_tunnel_get_dest_host (tunnel),
                                          tw_tunnel_get_dest_port (tunnel));
      /* Translators: %s is the destination, e.g. "10.0.0.5:5432" */
      key_text = g_strdup_printf (_("restrict,port-forwarding,permitopen: this key may only open tunnels "
                                    "to %s, with no terminal and no agent or X11 forwarding. Alone it does "
                                    "not stop a command: on an account with a shell, the key could still "
                                    "run one."), target);
      /* Translators: the first %s is a user name, the second the destination */
      sshd_text = g_strdup_printf (_("For “%s”, whatever key or password logs in: ForceCommand /bin/false "
                                     "(no shell, no command), forwarding to %s only, no listening ports, "
                                     "key logins only."), user, target);
    }
  adw_action_row_set_subtitle (self->least_privilege_key_row, key_text);
  adw_action_row_set_subtitle (self->least_privilege_sshd_row, sshd_text);
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TwPreparePage *self = TW_PREPARE_PAGE (widget);

  /* The view's own row takes the focus: the admin sees where the text now is */
  adw_combo_row_set_selected (self->view_row, g_variant_get_uint32 (parameter));
  gtk_widget_grab_focus (GTK_WIDGET (self->view_row));
}

static gboolean
regenerate (gpointer user_data)
{
  TwPreparePage *self = user_data;
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *firewall = NULL;
  const char *group;

  self->regenerate_source = 0;
  update_wording (self);
  update_least_privilege_parts (self);
  if (tunnel == NULL)
    return G_SOURCE_REMOVE;

  key = tw_public_key_parse (tw_tunnel_get_service_key (tunnel), &error);
  if (key == NULL)
    {
      const char *message = tw_tunnel_get_mode (tunnel) == TW_TUNNEL_MODE_REVERSE
                            ? _("Go back to step 1 and make this machine’s key pair first.")
                            : _("Go back to step 1 and paste the service’s public key first.");

      tw_code_block_set_error (self->linux_block, message);
      tw_code_block_set_error (self->keys_block, message);
      tw_code_block_set_error (self->sshd_block, message);
      tw_code_block_set_error (self->windows_block, message);
    }
  else
    {
      fill (self->linux_block, tw_setup_linux_script, tunnel, key);
      fill (self->keys_block, tw_setup_authorized_keys_line, tunnel, key);
      fill (self->sshd_block, tw_setup_sshd_config, tunnel, key);
      fill (self->windows_block, tw_setup_windows_script, tunnel, key);
    }

  g_clear_error (&error);
  group = gtk_editable_get_text (GTK_EDITABLE (self->group_row));
  firewall = tw_setup_aws_commands (tunnel, *group ? group : NULL, &error);
  if (firewall != NULL)
    tw_code_block_set_text (self->firewall_block, firewall);
  else
    tw_code_block_set_error (self->firewall_block, error->message);

  return G_SOURCE_REMOVE;
}

static void
queue_regenerate (TwPreparePage *self)
{
  if (self->regenerate_source == 0)
    self->regenerate_source = g_idle_add (regenerate, self);
}

static void
on_addresses_changed (TwPreparePage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->addresses_row));
  g_auto(GStrv) parts = g_strsplit_set (text, ", \t\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) addresses = NULL;
  g_auto(GStrv) normalized = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  addresses = g_strv_builder_end (builder);

  normalized = tw_setup_normalize_addresses ((const char * const *) addresses, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->addresses_problem), error != NULL);
  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->addresses_row), "error");
      gtk_label_set_label (self->addresses_problem, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->addresses_row), "error");
  if (tunnel != NULL)
    tw_tunnel_set_service_addresses (tunnel, (const char * const *) normalized);
}

static void
set_addresses_text (TwPreparePage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  const char * const *addresses = tunnel ? tw_tunnel_get_service_addresses (tunnel) : NULL;
  g_autofree char *text = addresses ? g_strjoinv (", ", (char **) addresses) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (self->addresses_row), text);
}

/* A combo row rather than a view switcher: five tabs do not fit a 360 px wide window. */
static void
on_view_selected (TwPreparePage *self)
{
  static const char *names[] = { "linux", "keys", "sshd", "windows", "firewall" };
  guint selected = adw_combo_row_get_selected (self->view_row);

  if (selected < G_N_ELEMENTS (names))
    gtk_stack_set_visible_child_name (self->stack, names[selected]);
}

static void
tw_prepare_page_tunnel_changed (TwWizardPage *page,
                                TwTunnel     *previous)
{
  TwPreparePage *self = TW_PREPARE_PAGE (page);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (page);

  if (previous != NULL)
    g_signal_handlers_disconnect_by_func (previous, queue_regenerate, self);
  g_clear_pointer (&self->least_privilege_binding, g_binding_unbind);

  if (tunnel != NULL)
    {
      g_signal_connect_swapped (tunnel, "notify", G_CALLBACK (queue_regenerate), self);
      self->least_privilege_binding =
        g_object_bind_property (tunnel, "least-privilege", self->least_privilege_switch, "active",
                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      set_addresses_text (self);
    }
  update_wording (self);
  queue_regenerate (self);
}

static void
tw_prepare_page_dispose (GObject *object)
{
  TwPreparePage *self = TW_PREPARE_PAGE (object);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));

  g_clear_handle_id (&self->regenerate_source, g_source_remove);
  g_clear_pointer (&self->least_privilege_binding, g_binding_unbind);
  if (tunnel != NULL)
    g_signal_handlers_disconnect_by_func (tunnel, queue_regenerate, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_PREPARE_PAGE);

  G_OBJECT_CLASS (tw_prepare_page_parent_class)->dispose (object);
}

static void
tw_prepare_page_class_init (TwPreparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TwWizardPageClass *page_class = TW_WIZARD_PAGE_CLASS (klass);

  object_class->dispose = tw_prepare_page_dispose;
  page_class->tunnel_changed = tw_prepare_page_tunnel_changed;

  g_type_ensure (TW_TYPE_CODE_BLOCK);
  g_type_ensure (TW_TYPE_EXPORT_LIST);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-prepare-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, intro_group);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, least_privilege_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, least_privilege_switch);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, least_privilege_group);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, least_privilege_key_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, least_privilege_sshd_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, addresses_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, group_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, addresses_problem);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, addresses_hint);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, linux_block);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, keys_block);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, sshd_block);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, windows_block);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, firewall_block);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, view_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreparePage, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_view_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_addresses_changed);
  gtk_widget_class_bind_template_callback (widget_class, queue_regenerate);

  gtk_widget_class_install_action (widget_class, "prepare.show-view", "u", show_view_action);
}

static void
tw_prepare_page_init (TwPreparePage *self)
{
  /* Always complete, as a wizard page is unless it says otherwise: the admin may prepare
   * the server by other means. */
  gtk_widget_init_template (GTK_WIDGET (self));
  update_wording (self);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->addresses_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->addresses_hint, NULL,
                                  -1);
}
