/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Set Up on the Server" for "Prepare the server". Show first, change only with consent: the scripts are
 * shown exactly as they will run; the first button only asks the server what would change
 * (a dry run, nothing changed); only then does "Apply Changes" run them. Every step the server
 * reports is a row that updates live; Cancel stops at once (after an sshd change the server
 * reverts by itself). The sudo password goes to the server only when sudo asks, and to the
 * keyring only when "Remember in keyring" is on.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-code-block.h"
#include "tw-setup-apply-dialog.h"
#include "tw-setup-step-list.h"
#include "tw-ui-util.h"

typedef enum {
  STATE_IDLE,
  STATE_CHECKING,
  STATE_REVIEW,
  STATE_APPLYING,
  STATE_DONE,
} State;

struct _TwSetupApplyDialog
{
  AdwWindow             parent_instance;

  TwTunnel             *tunnel;
  TwPublicKey          *key;
  gboolean              allow_forwarding;  /* the fix for a refused forward */
  TwSetupApply         *apply;
  GCancellable         *cancellable;
  char                 *identity_file;
  char                 *known_hosts_file;
  gboolean              disposed;
  GString              *output;
  State                 state;

  GtkButton            *action_button;
  GtkButton            *cancel_button;
  AdwPreferencesGroup  *login_group;
  AdwEntryRow          *login_user_row;
  AdwComboRow          *login_kind_row;
  AdwActionRow         *key_file_row;
  AdwPasswordEntryRow  *passphrase_row;
  AdwPasswordEntryRow  *password_row;
  AdwPasswordEntryRow  *sudo_row;
  GtkWidget            *remember_row;
  GtkSwitch            *remember_switch;
  GtkLabel             *status_label;
  GtkScrolledWindow    *scroller;
  AdwPreferencesGroup  *steps_group;
  TwSetupStepList      *steps_list;
  TwCodeBlock          *output_block;
  TwCodeBlock          *script_block;
  TwCodeBlock          *sshd_block;
};

G_DEFINE_FINAL_TYPE (TwSetupApplyDialog, tw_setup_apply_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The keyring entry of a sudo password: it belongs to the admin's account on that server. */
static char *
account_id (TwSetupApplyDialog *self)
{
  return g_strdup_printf ("%s@%s:%u", gtk_editable_get_text (GTK_EDITABLE (self->login_user_row)),
                          tw_tunnel_get_ssh_host (self->tunnel), tw_tunnel_get_ssh_port (self->tunnel));
}

static gboolean
is_running (TwSetupApplyDialog *self)
{
  return self->state == STATE_CHECKING || self->state == STATE_APPLYING;
}

static gboolean
login_ready (TwSetupApplyDialog *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->login_user_row)) == '\0')
    return FALSE;
  switch (adw_combo_row_get_selected (self->login_kind_row))
    {
    case TW_CREDENTIALS_IDENTITY_FILE:
      return self->identity_file != NULL;
    case TW_CREDENTIALS_PASSWORD:
      return *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';
    default:
      return TRUE;
    }
}

static void
update_controls (TwSetupApplyDialog *self)
{
  guint kind = adw_combo_row_get_selected (self->login_kind_row);
  gboolean running = is_running (self);
  gboolean is_root = g_str_equal (gtk_editable_get_text (GTK_EDITABLE (self->login_user_row)), "root");
  const char *label;

  gtk_widget_set_visible (GTK_WIDGET (self->key_file_row), kind == TW_CREDENTIALS_IDENTITY_FILE);
  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_row), kind == TW_CREDENTIALS_IDENTITY_FILE);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), kind == TW_CREDENTIALS_PASSWORD);
  /* root needs no sudo, so no sudo password either */
  gtk_widget_set_visible (GTK_WIDGET (self->sudo_row), !is_root);
  gtk_widget_set_visible (self->remember_row, !is_root);
  adw_action_row_set_subtitle (self->key_file_row, self->identity_file ? self->identity_file : _("None chosen"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_group), !running && self->state != STATE_DONE);

  switch (self->state)
    {
    case STATE_REVIEW:
    case STATE_APPLYING:
      label = _("_Apply Changes");
      break;
    case STATE_DONE:
      label = _("_Close");
      break;
    case STATE_IDLE:
    case STATE_CHECKING:
    default:
      label = _("Check What _Would Change");
      break;
    }
  gtk_button_set_label (self->action_button, label);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.go",
                                 !running && (self->state == STATE_DONE || login_ready (self)));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->state != STATE_DONE);
}

static void
set_status (TwSetupApplyDialog *self,
            const char         *text,
            gboolean            error)
{
  gtk_label_set_label (self->status_label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
on_step (TwSetupApply       *apply,
         const char         *id,
         int                 status,
         const char         *text,
         TwSetupApplyDialog *self)
{
  tw_setup_step_list_update (self->steps_list, id, status, text);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), TRUE);
}

static void
on_output (TwSetupApply       *apply,
           const char         *line,
           TwSetupApplyDialog *self)
{
  g_string_append_printf (self->output, "%s\n", line);
  tw_code_block_set_text (self->output_block, self->output->str);
  gtk_widget_set_visible (GTK_WIDGET (self->output_block), TRUE);
}

/* The sshd script armed its revert: the server puts the old settings back by itself. */
static gboolean
revert_armed (TwSetupApplyDialog *self)
{
  return tw_setup_step_list_get_status (self->steps_list, "sshd-revert") == TW_SETUP_STEP_CHANGED;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TwSetupApplyDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  int outcome = tw_setup_apply_run_finish (TW_SETUP_APPLY (source), result, &error);

  /* Closed while it ran: the run was cancelled and there is nothing left to show it in. */
  if (self->disposed)
    return;
  g_clear_object (&self->cancellable);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->state == STATE_CHECKING)
    {
      self->state = STATE_IDLE;
      set_status (self, _("Stopped. Nothing was changed: checking what would change changes nothing."), FALSE);
    }
  else if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_error_matches (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_LOCKED_OUT))
    {
      /* Each step is whole or not done at all; a new run skips what is in place. */
      self->state = STATE_IDLE;
      set_status (self, revert_armed (self)
                        ? error->message
                        : _("Stopped. The steps marked Done are in place, the others untouched; check again to finish."),
                  TRUE);
    }
  else if (error != NULL)
    {
      self->state = STATE_IDLE;
      set_status (self, error->message, TRUE);
    }
  else
    switch (outcome)
      {
      case TW_SETUP_APPLY_WOULD_CHANGE:
        self->state = STATE_REVIEW;
        set_status (self, _("Nothing has changed yet. The steps below say what would change; apply them?"), FALSE);
        break;
      case TW_SETUP_APPLY_WOULD_NOT_CHANGE:
      case TW_SETUP_APPLY_UNCHANGED:
        self->state = STATE_DONE;
        set_status (self, _("The server is set up already: nothing had to change."), FALSE);
        g_signal_emit (self, signals[SIGNAL_APPLIED], 0);
        break;
      case TW_SETUP_APPLY_CHANGED:
      default:
        self->state = STATE_DONE;
        set_status (self, _("The server is set up. The SSH checks run again."), FALSE);
        g_signal_emit (self, signals[SIGNAL_APPLIED], 0);
        break;
      }
  update_controls (self);
}

static TwCredentials *
make_credentials (TwSetupApplyDialog *self)
{
  TwCredentials *credentials;
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  switch (adw_combo_row_get_selected (self->login_kind_row))
    {
    case TW_CREDENTIALS_IDENTITY_FILE:
      credentials = tw_credentials_new_identity_file (self->identity_file, *passphrase ? passphrase : NULL);
      break;
    case TW_CREDENTIALS_PASSWORD:
      credentials = tw_credentials_new_password (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
      break;
    default:
      credentials = tw_credentials_new_agent ();
      break;
    }
  tw_credentials_set_user (credentials, gtk_editable_get_text (GTK_EDITABLE (self->login_user_row)));
  return credentials;
}

static void
remember_sudo_password (TwSetupApplyDialog *self)
{
  const char *sudo = gtk_editable_get_text (GTK_EDITABLE (self->sudo_row));
  g_autofree char *id = account_id (self);

  if (gtk_switch_get_active (self->remember_switch) && *sudo != '\0')
    {
      g_autofree char *label = g_strdup_printf (_("Tunnel Wizard: sudo password for %s"), id);

      tw_secrets_store_async (id, TW_SECRET_SUDO_PASSWORD, label, sudo, NULL, NULL, NULL);
    }
  else if (!gtk_switch_get_active (self->remember_switch))
    tw_secrets_clear_async (id, TW_SECRET_SUDO_PASSWORD, NULL, NULL, NULL);
}

/* The login fields are filled in by now: what matters next is the status and the steps. */
static void
scroll_to_status (TwSetupApplyDialog *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  graphene_point_t point;

  if (gtk_widget_compute_point (GTK_WIDGET (self->status_label), gtk_scrolled_window_get_child (self->scroller),
                                &GRAPHENE_POINT_INIT (0, 0), &point))
    gtk_adjustment_set_value (adjustment, point.y - 12);
}

/* The apply object the run uses; the preview comes from the same call. */
static TwSetupApply *
make_apply (TwSetupApplyDialog  *self,
            GError             **error)
{
  g_autoptr(TwSetupApply) apply = tw_setup_apply_new (self->tunnel, self->key, error);

  if (apply == NULL)
    return NULL;
  if (self->allow_forwarding && !tw_setup_apply_allow_forwarding (apply, self->key, error))
    return NULL;
  return g_steal_pointer (&apply);
}

/* The very texts the run uses */
static void
show_scripts (TwSetupApplyDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwSetupApply) preview = NULL;

  if (self->key != NULL)
    preview = make_apply (self, &error);
  else
    g_set_error_literal (&error, TW_KEY_ERROR, TW_KEY_ERROR_EMPTY, _("The tunnel has no service key yet"));
  if (preview != NULL)
    {
      tw_code_block_set_text (self->script_block, tw_setup_apply_get_script (preview));
      if (tw_setup_apply_get_sshd_script (preview) != NULL)
        tw_code_block_set_text (self->sshd_block, tw_setup_apply_get_sshd_script (preview));
      gtk_widget_set_visible (GTK_WIDGET (self->sshd_block), tw_setup_apply_get_sshd_script (preview) != NULL);
    }
  else
    {
      tw_code_block_set_error (self->script_block, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->sshd_block), FALSE);
      set_status (self, error->message, TRUE);
      self->state = STATE_DONE;
    }
}

static void
start_run (TwSetupApplyDialog *self,
           gboolean            dry_run)
{
  g_autoptr(TwCredentials) credentials = make_credentials (self);
  g_autoptr(GError) error = NULL;
  const char *sudo = gtk_editable_get_text (GTK_EDITABLE (self->sudo_row));

  g_clear_object (&self->apply);
  self->apply = make_apply (self, &error);
  if (self->apply == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }
  tw_setup_apply_set_credentials (self->apply, credentials);
  tw_setup_apply_set_sudo_password (self->apply, *sudo && gtk_widget_get_visible (GTK_WIDGET (self->sudo_row)) ? sudo : NULL);
  tw_setup_apply_set_known_hosts_file (self->apply, self->known_hosts_file);
  tw_setup_apply_set_dry_run (self->apply, dry_run);
  g_signal_connect_object (self->apply, "step", G_CALLBACK (on_step), self, 0);
  g_signal_connect_object (self->apply, "output", G_CALLBACK (on_output), self, 0);

  tw_setup_step_list_clear (self->steps_list);
  g_string_truncate (self->output, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->output_block), FALSE);

  self->state = dry_run ? STATE_CHECKING : STATE_APPLYING;
  set_status (self, dry_run ? _("Asking the server what would change…") : _("Setting the server up…"), FALSE);
  self->cancellable = g_cancellable_new ();
  scroll_to_status (self);
  tw_setup_apply_run_async (self->apply, self->cancellable, on_run_done, g_object_ref (self));
  update_controls (self);
}

static void
go_action (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TwSetupApplyDialog *self = TW_SETUP_APPLY_DIALOG (widget);

  switch (self->state)
    {
    case STATE_REVIEW:
      remember_sudo_password (self);
      start_run (self, FALSE);
      break;
    case STATE_DONE:
      gtk_window_close (GTK_WINDOW (self));
      break;
    case STATE_IDLE:
      start_run (self, TRUE);
      break;
    case STATE_CHECKING:
    case STATE_APPLYING:
    default:
      break;
    }
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TwSetupApplyDialog *self = TW_SETUP_APPLY_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
key_file_chosen (GtkWidget  *widget,
                 const char *path)
{
  TwSetupApplyDialog *self = TW_SETUP_APPLY_DIALOG (widget);

  g_free (self->identity_file);
  self->identity_file = g_strdup (path);
  update_controls (self);
}

static void
choose_key_file_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  tw_ui_choose_private_key (widget, key_file_chosen);
}

static void
on_sudo_password_found (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TwSetupApplyDialog) self = user_data;
  char *secret = tw_secrets_lookup_finish (result, NULL);

  if (secret != NULL && !self->disposed && *gtk_editable_get_text (GTK_EDITABLE (self->sudo_row)) == '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->sudo_row), secret);
      gtk_switch_set_active (self->remember_switch, TRUE);
    }
  if (secret != NULL)
    secret_password_free (secret);
}

static gboolean
on_close_request (GtkWindow *window)
{
  TwSetupApplyDialog *self = TW_SETUP_APPLY_DIALOG (window);

  /* The run keeps its own references; it only has to stop. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
tw_setup_apply_dialog_dispose (GObject *object)
{
  TwSetupApplyDialog *self = TW_SETUP_APPLY_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_SETUP_APPLY_DIALOG);
  g_clear_object (&self->apply);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->tunnel);
  g_clear_object (&self->key);
  self->disposed = TRUE;

  G_OBJECT_CLASS (tw_setup_apply_dialog_parent_class)->dispose (object);
}

static void
tw_setup_apply_dialog_finalize (GObject *object)
{
  TwSetupApplyDialog *self = TW_SETUP_APPLY_DIALOG (object);

  g_free (self->identity_file);
  g_free (self->known_hosts_file);
  g_string_free (self->output, TRUE);

  G_OBJECT_CLASS (tw_setup_apply_dialog_parent_class)->finalize (object);
}

static void
tw_setup_apply_dialog_class_init (TwSetupApplyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_setup_apply_dialog_dispose;
  object_class->finalize = tw_setup_apply_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = on_close_request;

  /**
   * TwSetupApplyDialog::applied:
   *
   * The server is set up: changed now, or nothing had to change.
   */
  signals[SIGNAL_APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (TW_TYPE_CODE_BLOCK);
  g_type_ensure (TW_TYPE_SETUP_STEP_LIST);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-setup-apply-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, action_button);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, login_group);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, login_user_row);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, login_kind_row);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, key_file_row);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, sudo_row);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, remember_row);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, scroller);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, steps_group);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, steps_list);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, output_block);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, script_block);
  gtk_widget_class_bind_template_child (widget_class, TwSetupApplyDialog, sshd_block);
  gtk_widget_class_bind_template_callback (widget_class, update_controls);

  gtk_widget_class_install_action (widget_class, "dialog.go", NULL, go_action);
  gtk_widget_class_install_action (widget_class, "dialog.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose-key-file", NULL, choose_key_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "dialog.cancel", NULL);
}

static void
tw_setup_apply_dialog_init (TwSetupApplyDialog *self)
{
  self->output = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

TwSetupApplyDialog *
tw_setup_apply_dialog_new (TwTunnel  *tunnel,
                           GtkWindow *parent)
{
  TwSetupApplyDialog *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);

  self = g_object_new (TW_TYPE_SETUP_APPLY_DIALOG, "transient-for", parent, NULL);
  self->tunnel = g_object_ref (tunnel);
  self->key = tw_public_key_parse (tw_tunnel_get_service_key (tunnel), &error);
  gtk_editable_set_text (GTK_EDITABLE (self->login_user_row), g_get_user_name ());

  title = g_strdup_printf (_("Your Login to %s"), tw_tunnel_get_ssh_host (tunnel));
  adw_preferences_group_set_title (self->login_group, title);

  show_scripts (self);

  id = account_id (self);
  tw_secrets_lookup_async (id, TW_SECRET_SUDO_PASSWORD, NULL, on_sudo_password_found, g_object_ref (self));
  update_controls (self);
  return self;
}

void
tw_setup_apply_dialog_set_known_hosts_file (TwSetupApplyDialog *self,
                                            const char         *path)
{
  g_return_if_fail (TW_IS_SETUP_APPLY_DIALOG (self));
  g_free (self->known_hosts_file);
  self->known_hosts_file = g_strdup (path);
}

void
tw_setup_apply_dialog_set_credentials (TwSetupApplyDialog *self,
                                       TwCredentials      *credentials)
{
  const char *text;

  g_return_if_fail (TW_IS_SETUP_APPLY_DIALOG (self));
  g_return_if_fail (TW_IS_CREDENTIALS (credentials));

  if (tw_credentials_get_user (credentials) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->login_user_row), tw_credentials_get_user (credentials));
  g_free (self->identity_file);
  self->identity_file = g_strdup (tw_credentials_get_identity_file (credentials));
  text = tw_credentials_get_passphrase (credentials);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), text != NULL ? text : "");
  text = tw_credentials_get_password (credentials);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), text != NULL ? text : "");
  adw_combo_row_set_selected (self->login_kind_row, tw_credentials_get_kind (credentials));
  update_controls (self);
}

void
tw_setup_apply_dialog_set_fix_for (TwSetupApplyDialog *self,
                                   const char         *check_id,
                                   const char         *check_title)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TW_IS_SETUP_APPLY_DIALOG (self));
  g_return_if_fail (check_id != NULL && check_title != NULL);

  gtk_window_set_title (GTK_WINDOW (self), _("Fix on the Server"));
  if (self->state != STATE_IDLE)
    return;
  if (tw_setup_apply_fix_allows_forwarding (check_id))
    {
      self->allow_forwarding = TRUE;
      show_scripts (self);
      if (self->state != STATE_IDLE)
        return;
      text = g_strdup_printf (_("To fix “%s”, the scripts below put the service’s key in place and add "
                                "sshd lines that let the tunnel user forward, whatever the rest of "
                                "sshd_config says. sshd checks them before it reloads, and they are "
                                "taken back by themselves unless a new login works. First the server is "
                                "asked what would change; nothing changes until you confirm."), check_title);
      set_status (self, text, FALSE);
      return;
    }
  text = g_strdup_printf (_("To fix “%s”, the scripts below put the service’s key in place with "
                            "the owner and modes sshd’s StrictModes wants, and the sshd lines the "
                            "key needs. First the server is asked what would change; nothing "
                            "changes until you confirm."), check_title);
  set_status (self, text, FALSE);
}

TwCredentials *
tw_setup_apply_dialog_dup_credentials (TwSetupApplyDialog *self)
{
  g_return_val_if_fail (TW_IS_SETUP_APPLY_DIALOG (self), NULL);

  return login_ready (self) ? make_credentials (self) : NULL;
}
