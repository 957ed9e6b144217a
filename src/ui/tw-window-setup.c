/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Set Up on the Server" ("Prepare the server") in the window. The dialog starts from the
 * login of "Destination and TLS", and that step keeps the login the admin used, so it is asked
 * once. Once the server is set up, the checks of "Test the SSH port" run again by themselves:
 * they prove what the scripts said they did. A failed check of "Test the SSH port" whose
 * remedy is on the bastion opens the same dialog ("Fix on the Server").
 */
#include "config.h"

#include "tw-destination-page.h"
#include "tw-setup-apply-dialog.h"
#include "tw-ssh-check-page.h"
#include "tw-start-page.h"
#include "tw-window-private.h"

static void
keep_login (TwWindow      *self,
            TwCredentials *credentials)
{
  TwDestinationPage *destination = TW_DESTINATION_PAGE (self->destination_page);

  tw_destination_page_set_login_kind (destination, tw_credentials_get_kind (credentials));
  tw_destination_page_set_login_user (destination, tw_credentials_get_user (credentials));
  if (tw_credentials_get_identity_file (credentials) != NULL)
    tw_destination_page_set_identity_file (destination, tw_credentials_get_identity_file (credentials));
  if (tw_credentials_get_password (credentials) != NULL)
    tw_destination_page_set_password (destination, tw_credentials_get_password (credentials));
}

static void
on_applied (TwSetupApplyDialog *dialog,
            TwWindow           *self)
{
  g_autoptr(TwCredentials) credentials = tw_setup_apply_dialog_dup_credentials (dialog);

  if (credentials != NULL)
    keep_login (self, credentials);
  if (self->tunnel != NULL && tw_tunnel_get_mode (self->tunnel) == TW_TUNNEL_MODE_FORWARD &&
      !tw_check_page_get_running (TW_CHECK_PAGE (self->ssh_check_page)))
    gtk_widget_activate_action (self->ssh_check_page, "page.run", NULL);
  /* The checks of "Destination and TLS" too, when they had run: the fix may be for one of them */
  {
    TwCheckPage *destination = TW_CHECK_PAGE (self->destination_page);
    TwReport *report = tw_check_page_get_report (destination);

    if (report != NULL && tw_report_get_finished (report) && !tw_check_page_get_running (destination))
      gtk_widget_activate_action (self->destination_page, "page.run", NULL);
  }
}

static TwSetupApplyDialog *
open_dialog (TwWindow *self)
{
  g_autoptr(TwCredentials) credentials = NULL;
  TwSetupApplyDialog *dialog;

  dialog = tw_setup_apply_dialog_new (self->tunnel, GTK_WINDOW (self));
  /* The same known_hosts as "Test the SSH port", so both trust the same host keys. */
  tw_setup_apply_dialog_set_known_hosts_file (dialog,
    tw_check_page_get_known_hosts_file (TW_CHECK_PAGE (self->ssh_check_page)));
  credentials = tw_destination_page_dup_login_credentials (TW_DESTINATION_PAGE (self->destination_page));
  if (credentials != NULL)
    tw_setup_apply_dialog_set_credentials (dialog, credentials);
  g_signal_connect_object (dialog, "applied", G_CALLBACK (on_applied), self, 0);
  return dialog;
}

static void
set_up_server (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);

  if (self->tunnel != NULL)
    gtk_window_present (GTK_WINDOW (open_dialog (self)));
}

/* A check of "Test the SSH port" failed whose remedy is on the bastion: the setup scripts are that remedy. */
static void
fix_on_server (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  TwReport *reports[] = {
    tw_check_page_get_report (TW_CHECK_PAGE (self->ssh_check_page)),
    tw_check_page_get_report (TW_CHECK_PAGE (self->destination_page)),
  };
  TwCheckResult *result = NULL;
  TwSetupApplyDialog *dialog;

  /* The checks of "Test the SSH port" or "Destination and TLS": whichever failed with a
   * remedy on the bastion */
  for (guint i = 0; i < G_N_ELEMENTS (reports) && result == NULL; i++)
    {
      TwCheckResult *candidate = reports[i] != NULL ? tw_report_get_check (reports[i], id) : NULL;

      if (candidate != NULL && tw_check_result_get_server_fix (candidate))
        result = candidate;
    }
  if (self->tunnel == NULL || result == NULL)
    return;
  dialog = open_dialog (self);
  tw_setup_apply_dialog_set_fix_for (dialog, id, tw_check_result_get_title (result));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
tw_window_class_install_setup_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.set-up-server", NULL, set_up_server);
  gtk_widget_class_install_action (widget_class, "win.fix-on-server", "s", fix_on_server);
}
