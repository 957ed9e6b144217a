/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Destination and TLS": the Require-TLS choice, the admin's own
 * login to the bastion, and the checks through the tunnel (login, forward,
 * tls, channels), run by a TwProbe in its worker thread.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-check-page.h"
#include "tw-destination-page.h"
#include "tw-enums.h"
#include "tw-ssh-config-row.h"
#include "tw-stand-in-group.h"
#include "tw-ui-util.h"

struct _TwDestinationPage
{
  TwCheckPage           parent_instance;

  char                 *identity_file;
  gboolean              remember_password;

  GtkLabel             *description_label;
  AdwActionRow         *require_tls_row;
  GtkSwitch            *require_tls_switch;
  AdwEntryRow          *login_user_row;
  TwSshConfigRow       *ssh_config_row;
  AdwComboRow          *login_kind_row;
  TwStandInGroup       *stand_in_group;
  AdwActionRow         *key_file_row;
  AdwPasswordEntryRow  *passphrase_row;
  AdwPasswordEntryRow  *password_row;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  TwCheckPanel         *panel;
  /* The login choices live in the tunnel, so that they are saved with it */
  GPtrArray            *login_bindings;
};

G_DEFINE_FINAL_TYPE (TwDestinationPage, tw_destination_page, TW_TYPE_CHECK_PAGE)

enum {
  PROP_0,
  PROP_LOGIN_KIND,
  PROP_LOGIN_USER,
  PROP_IDENTITY_FILE,
  PROP_REMEMBER_PASSWORD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
login_ready (TwDestinationPage *self)
{
  switch (tw_destination_page_get_login_kind (self))
    {
    case TW_CREDENTIALS_IDENTITY_FILE:
      return self->identity_file != NULL;
    case TW_CREDENTIALS_PASSWORD:
      return *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';
    case TW_CREDENTIALS_AGENT:
    default:
      return TRUE;
    }
}

static gboolean
tw_destination_page_can_run (TwCheckPage *page)
{
  TwDestinationPage *self = TW_DESTINATION_PAGE (page);

  return tw_stand_in_group_get_active (self->stand_in_group) || login_ready (self);
}

static void
update_controls (TwDestinationPage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  TwCredentialsKind kind = tw_destination_page_get_login_kind (self);
  gboolean require_tls = gtk_switch_get_active (self->require_tls_switch);

  gtk_widget_set_visible (GTK_WIDGET (self->key_file_row), kind == TW_CREDENTIALS_IDENTITY_FILE);
  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_row), kind == TW_CREDENTIALS_IDENTITY_FILE);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), kind == TW_CREDENTIALS_PASSWORD);
  gtk_widget_set_visible (GTK_WIDGET (self->remember_row), kind == TW_CREDENTIALS_PASSWORD);
  adw_action_row_set_subtitle (self->key_file_row,
                               self->identity_file != NULL ? self->identity_file
                                                           : _("No file chosen"));

  /* The seed's rule, said plainly: OFF is not "no TLS", it is "TLS if it works". */
  adw_action_row_set_subtitle (self->require_tls_row,
                               require_tls && tunnel != NULL &&
                               tw_tunnel_get_dest_kind (tunnel) == TW_DEST_KIND_TCP
                               ? _("On, but the destination is plain TCP: the service would expect TLS "
                                   "and not connect. Turn this off, or choose the database’s kind in "
                                   "step 2.")
                               : require_tls
                               ? _("On (recommended): the service connects only if the database "
                                   "speaks TLS. A database without TLS fails this step.")
                               : _("Off: the service tries TLS first. If TLS fails, it falls back to "
                                   "clear text, and the data travels unencrypted between the "
                                   "tunnel server and the database."));

  tw_check_page_update_actions (TW_CHECK_PAGE (self));
}

static void
update_description (TwDestinationPage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_autofree char *text = NULL;
  const char *dest_host = tunnel != NULL ? tw_tunnel_get_dest_host (tunnel) : NULL;

  if (dest_host == NULL || tw_tunnel_get_ssh_host (tunnel) == NULL)
    {
      gtk_label_set_label (self->description_label,
                           _("Enter the tunnel server and the destination first."));
      return;
    }
  text = g_strdup_printf (_("Tunnel Wizard logs in to %s with your own account, opens the tunnel to "
                            "%s:%u as the service will, negotiates TLS the way the database does, "
                            "and checks that several connections can share one tunnel."),
                          tw_tunnel_get_ssh_host (tunnel), dest_host,
                          tw_tunnel_get_dest_port (tunnel));
  gtk_label_set_label (self->description_label, text);
}

static void
on_finished (TwDestinationPage *self,
             const GError      *error)
{
  gboolean passed =
    tw_check_panel_show_outcome (self->panel, error,
                                 _("The tunnel works, with warnings worth reading."),
                                 _("Every check passed: the service can reach the database "
                                   "through this tunnel."));

  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), passed);
}

static gboolean
tw_destination_page_prepare_run (TwCheckPage *page)
{
  TwDestinationPage *self = TW_DESTINATION_PAGE (page);
  g_autoptr(TwCredentials) credentials = tw_destination_page_dup_credentials (self);

  if (credentials == NULL)
    return FALSE;
  tw_probe_set_credentials (tw_check_panel_get_probe (self->panel), credentials);
  return TRUE;
}

static void
key_file_chosen (GtkWidget  *widget,
                 const char *path)
{
  tw_destination_page_set_identity_file (TW_DESTINATION_PAGE (widget), path);
}

static void
choose_key_file_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  tw_ui_choose_private_key (widget, key_file_chosen);
}

/* The panel has a new probe, with a fresh report of pending checks: the old results
 * described another tunnel. */
static void
on_probe_changed (TwDestinationPage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));

  tw_ssh_config_row_set_host (self->ssh_config_row,
                              tunnel != NULL ? tw_tunnel_get_ssh_host (tunnel) : NULL);
  if (tunnel != NULL)
    gtk_switch_set_active (self->require_tls_switch, tw_tunnel_get_require_tls (tunnel));

  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), FALSE);
  update_controls (self);
  update_description (self);
}

static void
on_require_tls_changed (TwDestinationPage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));

  if (tunnel != NULL)
    tw_tunnel_set_require_tls (tunnel, gtk_switch_get_active (self->require_tls_switch));
  update_controls (self);
}

static void
on_login_kind_changed (TwDestinationPage *self)
{
  update_controls (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGIN_KIND]);
}

/* The checks log in as the tunnel user with the stand-in, not with the login above. */
static void
on_stand_in_changed (TwDestinationPage *self)
{
  update_controls (self);
}

static void
on_login_user_changed (TwDestinationPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGIN_USER]);
}

static void
on_password_changed (TwDestinationPage *self)
{
  update_controls (self);
}

static void
on_remember_changed (TwDestinationPage *self)
{
  tw_ui_set_boolean (self, &self->remember_password,
                     gtk_switch_get_active (self->remember_switch),
                     properties[PROP_REMEMBER_PASSWORD]);
}

static void
tw_destination_page_tunnel_changed (TwWizardPage *page,
                                    TwTunnel     *previous)
{
  TwDestinationPage *self = TW_DESTINATION_PAGE (page);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (page);

  tw_ui_unbind_fields (self->login_bindings);
  if (tunnel != NULL)
    {
      tw_ui_bind_field (self->login_bindings, tunnel, "login-user", self, "login-user");
      g_ptr_array_add (self->login_bindings,
                       g_object_ref (g_object_bind_property (tunnel, "login-identity-file", self, "identity-file",
                                                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE)));
      g_ptr_array_add (self->login_bindings,
                       g_object_ref (g_object_bind_property (tunnel, "login-method", self, "login-kind",
                                                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE)));
    }
  tw_stand_in_group_set_tunnel (self->stand_in_group, tunnel);
  tw_check_panel_set_tunnel (self->panel, tunnel);
}

static void
tw_destination_page_dispose (GObject *object)
{
  TwDestinationPage *self = TW_DESTINATION_PAGE (object);

  tw_ui_unbind_fields (self->login_bindings);
  g_clear_pointer (&self->login_bindings, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_DESTINATION_PAGE);

  G_OBJECT_CLASS (tw_destination_page_parent_class)->dispose (object);
}

static void
tw_destination_page_finalize (GObject *object)
{
  TwDestinationPage *self = TW_DESTINATION_PAGE (object);

  g_free (self->identity_file);

  G_OBJECT_CLASS (tw_destination_page_parent_class)->finalize (object);
}

static void
tw_destination_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TwDestinationPage *self = TW_DESTINATION_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOGIN_KIND:
      g_value_set_enum (value, tw_destination_page_get_login_kind (self));
      break;
    case PROP_LOGIN_USER:
      g_value_set_string (value, tw_destination_page_get_login_user (self));
      break;
    case PROP_IDENTITY_FILE:
      g_value_set_string (value, self->identity_file);
      break;
    case PROP_REMEMBER_PASSWORD:
      g_value_set_boolean (value, self->remember_password);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_destination_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TwDestinationPage *self = TW_DESTINATION_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOGIN_KIND:
      tw_destination_page_set_login_kind (self, g_value_get_enum (value));
      break;
    case PROP_LOGIN_USER:
      tw_destination_page_set_login_user (self, g_value_get_string (value));
      break;
    case PROP_IDENTITY_FILE:
      tw_destination_page_set_identity_file (self, g_value_get_string (value));
      break;
    case PROP_REMEMBER_PASSWORD:
      tw_destination_page_set_remember_password (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_destination_page_class_init (TwDestinationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TwWizardPageClass *page_class = TW_WIZARD_PAGE_CLASS (klass);
  TwCheckPageClass *check_page_class = TW_CHECK_PAGE_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tw_destination_page_dispose;
  object_class->finalize = tw_destination_page_finalize;
  object_class->get_property = tw_destination_page_get_property;
  object_class->set_property = tw_destination_page_set_property;
  page_class->tunnel_changed = tw_destination_page_tunnel_changed;
  check_page_class->can_run = tw_destination_page_can_run;
  check_page_class->prepare_run = tw_destination_page_prepare_run;

  properties[PROP_LOGIN_KIND] =
    g_param_spec_enum ("login-kind", NULL, NULL, TW_TYPE_CREDENTIALS_KIND,
                       TW_CREDENTIALS_AGENT, rw);
  properties[PROP_LOGIN_USER] = g_param_spec_string ("login-user", NULL, NULL, NULL, rw);
  properties[PROP_IDENTITY_FILE] = g_param_spec_string ("identity-file", NULL, NULL, NULL, rw);
  properties[PROP_REMEMBER_PASSWORD] =
    g_param_spec_boolean ("remember-password", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TW_TYPE_CHECK_PANEL);
  g_type_ensure (TW_TYPE_SSH_CONFIG_ROW);
  g_type_ensure (TW_TYPE_STAND_IN_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tw-destination-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, require_tls_row);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, require_tls_switch);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, login_user_row);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, ssh_config_row);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, login_kind_row);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, stand_in_group);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, key_file_row);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, remember_row);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, TwDestinationPage, panel);
  gtk_widget_class_bind_template_callback (widget_class, on_finished);
  gtk_widget_class_bind_template_callback (widget_class, on_probe_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_require_tls_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_login_kind_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stand_in_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_login_user_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_remember_changed);

  gtk_widget_class_install_action (widget_class, "page.choose-key-file", NULL,
                                   choose_key_file_action);
}

static void
tw_destination_page_init (TwDestinationPage *self)
{
  /* What the checks through the tunnel read; a new pin changes the host-key verdict too. */
  static const char * const watched[] = { "ssh-host", "ssh-port", "user", "dest-host", "dest-port",
                                          "dest-kind", "require-tls", "pinned-fingerprint", NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->login_bindings = g_ptr_array_new_with_free_func (g_object_unref);
  tw_check_page_set_panel (TW_CHECK_PAGE (self), self->panel);
  tw_check_panel_set_checks (self->panel, tw_probe_get_tunnel_check_ids (), watched);
  on_probe_changed (self);
}

GtkWidget *
tw_destination_page_new (void)
{
  return g_object_new (TW_TYPE_DESTINATION_PAGE, NULL);
}

TwCredentialsKind
tw_destination_page_get_login_kind (TwDestinationPage *self)
{
  g_return_val_if_fail (TW_IS_DESTINATION_PAGE (self), TW_CREDENTIALS_AGENT);

  /* The combo's rows are in TwCredentialsKind order. */
  return (TwCredentialsKind) adw_combo_row_get_selected (self->login_kind_row);
}

void
tw_destination_page_set_login_kind (TwDestinationPage *self,
                                    TwCredentialsKind  kind)
{
  g_return_if_fail (TW_IS_DESTINATION_PAGE (self));
  g_return_if_fail (kind <= TW_CREDENTIALS_PASSWORD);

  /* notify::selected notifies "login-kind", only when it changed */
  adw_combo_row_set_selected (self->login_kind_row, kind);
}

const char *
tw_destination_page_get_login_user (TwDestinationPage *self)
{
  const char *user;

  g_return_val_if_fail (TW_IS_DESTINATION_PAGE (self), NULL);

  user = gtk_editable_get_text (GTK_EDITABLE (self->login_user_row));
  return *user != '\0' ? user : NULL;
}

void
tw_destination_page_set_login_user (TwDestinationPage *self,
                                    const char        *user)
{
  g_return_if_fail (TW_IS_DESTINATION_PAGE (self));

  if (g_strcmp0 (tw_destination_page_get_login_user (self), user) == 0)
    return;
  /* "changed" notifies "login-user" */
  gtk_editable_set_text (GTK_EDITABLE (self->login_user_row), user != NULL ? user : "");
}

const char *
tw_destination_page_get_identity_file (TwDestinationPage *self)
{
  g_return_val_if_fail (TW_IS_DESTINATION_PAGE (self), NULL);
  return self->identity_file;
}

void
tw_destination_page_set_identity_file (TwDestinationPage *self,
                                       const char        *path)
{
  g_return_if_fail (TW_IS_DESTINATION_PAGE (self));

  if (path != NULL && *path == '\0')
    path = NULL;
  if (g_strcmp0 (self->identity_file, path) == 0)
    return;
  g_free (self->identity_file);
  self->identity_file = g_strdup (path);
  update_controls (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY_FILE]);
}

gboolean
tw_destination_page_get_remember_password (TwDestinationPage *self)
{
  g_return_val_if_fail (TW_IS_DESTINATION_PAGE (self), FALSE);
  return self->remember_password;
}

void
tw_destination_page_set_remember_password (TwDestinationPage *self,
                                           gboolean           remember)
{
  g_return_if_fail (TW_IS_DESTINATION_PAGE (self));

  /* notify::active notifies "remember-password", only when it changed */
  gtk_switch_set_active (self->remember_switch, remember);
}

void
tw_destination_page_set_password (TwDestinationPage *self,
                                  const char        *password)
{
  g_return_if_fail (TW_IS_DESTINATION_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
}

TwCredentials *
tw_destination_page_dup_credentials (TwDestinationPage *self)
{
  g_return_val_if_fail (TW_IS_DESTINATION_PAGE (self), NULL);

  if (tw_stand_in_group_get_active (self->stand_in_group))
    return tw_stand_in_group_dup_credentials (self->stand_in_group);
  return tw_destination_page_dup_login_credentials (self);
}

TwCredentials *
tw_destination_page_dup_login_credentials (TwDestinationPage *self)
{
  g_autoptr(TwCredentials) credentials = NULL;
  const char *passphrase;

  g_return_val_if_fail (TW_IS_DESTINATION_PAGE (self), NULL);

  if (!login_ready (self))
    return NULL;

  switch (tw_destination_page_get_login_kind (self))
    {
    case TW_CREDENTIALS_IDENTITY_FILE:
      passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
      credentials = tw_credentials_new_identity_file (self->identity_file,
                                                      *passphrase != '\0' ? passphrase : NULL);
      break;
    case TW_CREDENTIALS_PASSWORD:
      credentials = tw_credentials_new_password (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
      break;
    case TW_CREDENTIALS_AGENT:
    default:
      credentials = tw_credentials_new_agent ();
      break;
    }
  tw_credentials_set_user (credentials, tw_destination_page_get_login_user (self));
  tw_credentials_set_ssh_config (credentials, tw_ssh_config_row_get_config (self->ssh_config_row));
  return g_steal_pointer (&credentials);
}
