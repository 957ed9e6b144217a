/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window's actions do: Next and Back, a new tunnel, the draft of
 * unsaved input, saving (secrets to the keyring, the rest to the store),
 * opening a saved tunnel, and delete with an Undo toast.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-destination-page.h"
#include "tw-key-page.h"
#include "tw-reverse-key-page.h"
#include "tw-window-reverse.h"
#include "tw-start-page.h"
#include "tw-summary-page.h"
#include "tw-window-private.h"
#include "tw-wizard-page.h"

/* ---- the draft ---------------------------------------------------------------- */

static void
on_draft_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;
  g_autoptr(GError) error = NULL;

  if (!tw_tunnel_store_save_draft_finish (TW_TUNNEL_STORE (source), result, &error))
    g_warning ("Could not keep the draft: %s", error->message);
  g_application_release (app);
}

/* Whether the wizard holds input that is not saved: a new tunnel, or a saved one changed. */
static gboolean
has_unsaved_input (TwWindow *self)
{
  g_autoptr(GKeyFile) edited = NULL;
  g_autoptr(GKeyFile) saved = NULL;
  g_autofree char *edited_text = NULL;
  g_autofree char *saved_text = NULL;

  if (self->tunnel == NULL)
    return FALSE;
  if (self->entry == NULL)
    return TRUE;

  edited = tw_tunnel_to_key_file (self->tunnel);
  saved = tw_tunnel_to_key_file (tw_tunnel_entry_get_tunnel (self->entry));
  edited_text = g_key_file_to_data (edited, NULL, NULL);
  saved_text = g_key_file_to_data (saved, NULL, NULL);
  return g_strcmp0 (edited_text, saved_text) != 0;
}

void
tw_window_save_draft_now (TwWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (app == NULL || self->tunnel == NULL)
    return;

  /* A saved tunnel opened and changed back needs no draft. */
  if (!has_unsaved_input (self))
    {
      if (self->entry != NULL)
        tw_tunnel_store_clear_draft (self->store);
      return;
    }

  /* Held until written, so that closing the window does not lose the last keystrokes. */
  g_application_hold (app);
  tw_tunnel_store_save_draft_async (self->store, self->tunnel,
                                    self->entry ? tw_tunnel_entry_get_id (self->entry) : NULL,
                                    NULL, on_draft_saved, g_object_ref (app));
}

static gboolean
on_draft_timeout (gpointer user_data)
{
  TwWindow *self = user_data;

  self->draft_source = 0;
  tw_window_save_draft_now (self);
  return G_SOURCE_REMOVE;
}

void
tw_window_on_tunnel_changed (TwWindow *self)
{
  /* "Check again" edits nothing: the keyring's answer filling in the login is no input */
  if (self->rechecking)
    return;
  if (self->draft_source == 0)
    self->draft_source = g_timeout_add (TW_WINDOW_DRAFT_DELAY_MS, on_draft_timeout, self);
}

/* ---- the tunnel being edited ------------------------------------------------------ */

void
tw_window_set_tunnel (TwWindow      *self,
                      TwTunnel      *tunnel,
                      TwTunnelEntry *entry)
{
  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, tw_window_on_tunnel_changed, self);

  g_set_object (&self->tunnel, tunnel);
  g_set_object (&self->entry, entry);

  if (tunnel != NULL)
    tw_window_ensure_steps (self);
  /* Every page of both modes: the mode decides which of them the steps show. */
  for (GtkWidget *page = self->steps ? gtk_widget_get_first_child (GTK_WIDGET (self->steps)) : NULL; page != NULL;
       page = gtk_widget_get_next_sibling (page))
    if (TW_IS_WIZARD_PAGE (page))
      tw_wizard_page_set_tunnel (TW_WIZARD_PAGE (page), tunnel);
  tw_window_reverse_set_tunnel (self, tunnel, entry);

  if (tunnel != NULL)
    g_signal_connect_swapped (tunnel, "notify", G_CALLBACK (tw_window_on_tunnel_changed), self);
}

/* A copy, so that the start page keeps showing the saved values until the edit is saved. */
static TwTunnel *
copy_tunnel (TwTunnel *tunnel)
{
  g_autoptr(GKeyFile) key_file = tw_tunnel_to_key_file (tunnel);

  return tw_tunnel_from_key_file (key_file, NULL);
}

/* The saved tunnel @id as the window's tunnel (a copy, to edit or to check), its password
 * asked of the keyring; FALSE when there is none that loads */
static gboolean
take_entry (TwWindow   *self,
            const char *id)
{
  TwTunnelEntry *entry = tw_tunnel_store_find (self->store, id);
  g_autoptr(TwTunnel) copy = NULL;

  if (entry == NULL || tw_tunnel_entry_is_broken (entry))
    return FALSE;

  copy = copy_tunnel (tw_tunnel_entry_get_tunnel (entry));
  tw_window_set_tunnel (self, copy, entry);
  tw_window_recall_password (self, entry);
  return TRUE;
}

/* @step: -1 for the last step of the tunnel's mode */
void
tw_window_open_entry (TwWindow   *self,
                      const char *id,
                      int         step)
{
  if (!take_entry (self, id))
    return;

  /* The pages' own runs start afresh with the tunnel; the last one can still be exported */
  tw_summary_page_set_report (TW_SUMMARY_PAGE (self->summary_page),
                              g_hash_table_lookup (self->last_reports, id));
  tw_window_show_step (self, step < 0 ? (int) tw_window_get_n_steps (self) - 1 : step);
}

/* ---- actions ------------------------------------------------------------------------ */

static void
tw_window_next (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);

  if (self->step >= 0 && self->step < (int) tw_window_get_n_steps (self) - 1 &&
      tw_window_page_is_complete (tw_window_get_step_page (self, self->step)))
    tw_window_show_step (self, self->step + 1);
}

static void
tw_window_back (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);

  if (self->rechecking)
    {
      /* Done: nothing was edited, so nothing to keep */
      tw_window_set_tunnel (self, NULL, NULL);
      tw_window_show_step (self, -1);
    }
  else if (self->step > 0)
    tw_window_show_step (self, self->step - 1);
  else if (self->step == 0)
    {
      /* Leaving the wizard keeps unsaved input as the draft, offered on the start page. */
      tw_window_save_draft_now (self);
      if (has_unsaved_input (self))
        {
          g_free (self->draft_entry_id);
          self->draft_entry_id = self->entry ? g_strdup (tw_tunnel_entry_get_id (self->entry)) : NULL;
          tw_start_page_set_draft (self->start_page, self->tunnel);
        }
      tw_window_show_step (self, -1);
    }
}

static void
tw_window_new_tunnel (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();

  tw_tunnel_store_clear_draft (self->store);
  tw_start_page_set_draft (self->start_page, NULL);
  g_clear_pointer (&self->draft_entry_id, g_free);
  tw_window_set_tunnel (self, tunnel, NULL);
  tw_window_show_step (self, 0);
}

static void
tw_window_resume_draft (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  TwTunnel *draft = tw_start_page_get_draft (self->start_page);

  if (draft == NULL)
    return;
  /* The draft of a saved tunnel's changes saves over that tunnel; if it is gone, as a new one. */
  tw_window_set_tunnel (self, draft,
                        self->draft_entry_id ? tw_tunnel_store_find (self->store, self->draft_entry_id) : NULL);
  tw_start_page_set_draft (self->start_page, NULL);
  tw_window_show_step (self, 0);
}

static void
tw_window_discard_draft (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);

  tw_tunnel_store_clear_draft (self->store);
  tw_start_page_set_draft (self->start_page, NULL);
  g_clear_pointer (&self->draft_entry_id, g_free);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Unsaved input discarded")));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!tw_tunnel_store_save_finish (TW_TUNNEL_STORE (source), result, &error))
    {
      /* Translators: %s is why the file could not be written */
      message = g_strdup_printf (_("The tunnel could not be saved: %s"), error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
      return;
    }

  tw_tunnel_store_clear_draft (self->store);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Tunnel saved")));
  tw_window_set_tunnel (self, NULL, NULL);
  tw_window_show_step (self, -1);
}

/* The entry that saving the tunnel being edited writes: a name if it has none (the
 * start page lists tunnels by name), its id and file if it was saved before, and the
 * last check's result, which an edit does not undo. */
TwTunnelEntry *
tw_window_entry_to_save (TwWindow *self)
{
  const char *name = tw_tunnel_get_name (self->tunnel);
  const char *host = tw_tunnel_get_ssh_host (self->tunnel);
  TwTunnelEntry *entry;

  if (name == NULL || *name == '\0')
    {
      g_autofree char *fallback = NULL;

      if (tw_tunnel_get_mode (self->tunnel) == TW_TUNNEL_MODE_REVERSE)
        /* Translators: the default name of a reverse tunnel: "bastion.example.com:55432" */
        fallback = g_strdup_printf (_("%s:%u"), host ? host : "",
                                    tw_tunnel_get_remote_port (self->tunnel));
      else
        fallback = g_strdup_printf ("%s@%s", tw_tunnel_get_user (self->tunnel) ? tw_tunnel_get_user (self->tunnel) : "",
                                    host ? host : "");
      tw_tunnel_set_name (self->tunnel, fallback);
    }

  if (self->entry == NULL)
    return tw_tunnel_store_create_entry (self->store, self->tunnel);

  entry = tw_tunnel_entry_new (tw_tunnel_entry_get_id (self->entry),
                               tw_tunnel_entry_get_path (self->entry), self->tunnel);
  tw_tunnel_entry_set_last_result (entry, tw_tunnel_entry_get_last_verdict (self->entry),
                                   tw_tunnel_entry_get_last_checked (self->entry));
  tw_tunnel_entry_set_last_checks (entry, tw_tunnel_entry_get_last_checks (self->entry));
  return entry;
}

static void
tw_window_save (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  g_autoptr(TwTunnelEntry) entry = NULL;
  TwReport *report;

  if (self->tunnel == NULL)
    return;

  entry = tw_window_entry_to_save (self);
  g_clear_handle_id (&self->draft_source, g_source_remove);
  /* Saving leaves the wizard: the report stays exportable from the reopened tunnel */
  report = tw_summary_page_get_report (TW_SUMMARY_PAGE (self->summary_page));
  if (report != NULL)
    g_hash_table_replace (self->last_reports, g_strdup (tw_tunnel_entry_get_id (entry)), g_object_ref (report));
  tw_window_remember_password (self, entry);
  tw_tunnel_store_save_async (self->store, entry, self->cancellable, on_saved, g_object_ref (self));
}

static void
tw_window_open_tunnel (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  tw_window_open_entry (TW_WINDOW (widget), g_variant_get_string (parameter, NULL), -1);
}

static void
tw_window_check_again (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);

  /* Outside the wizard, with Done back to the list; the checks start once the keyring has
   * answered for the saved login's password. */
  if (take_entry (self, g_variant_get_string (parameter, NULL)))
    tw_window_show_recheck (self);
}

/* ---- delete with undo ------------------------------------------------------------------ */

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;
  g_autoptr(GError) error = NULL;

  if (!tw_tunnel_store_delete_finish (TW_TUNNEL_STORE (source), result, &error))
    g_warning ("Could not delete a tunnel: %s", error->message);
  g_application_release (app);
}

static void
on_secrets_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;
  g_autoptr(GError) error = NULL;

  /* No keyring (or nothing stored) is not worth a warning. */
  if (!tw_secrets_clear_finish (result, &error) && error != NULL)
    g_debug ("Could not clear the tunnel's secrets: %s", error->message);
  g_application_release (app);
}

static void
on_undo_clicked (AdwToast *toast,
                 TwWindow *self)
{
  TwTunnelEntry *entry = g_object_get_data (G_OBJECT (toast), "entry");

  g_object_set_data (G_OBJECT (toast), "undone", GINT_TO_POINTER (TRUE));
  tw_tunnel_store_restore (self->store, entry);
}

/* The file and the keyring entry go now: the toast is gone and was not undone. */
/* Worker thread: systemctl may take its time */
static void
remove_background_check (GTask        *task,
                         gpointer      source,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  if (tw_monitor_is_installed (task_data))
    tw_monitor_remove (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
on_background_check_removed (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;

  g_application_release (app);
}

static void
delete_now (TwWindow      *self,
            TwTunnelEntry *entry)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (app == NULL)
    return;

  tw_window_reverse_on_deleted (self, tw_tunnel_entry_get_id (entry));
  g_application_hold (app);
  g_application_hold (app);
  tw_tunnel_store_delete_async (self->store, entry, NULL, on_deleted, g_object_ref (app));
  tw_secrets_clear_async (tw_tunnel_entry_get_id (entry), -1, NULL, on_secrets_cleared, g_object_ref (app));
  /* A deleted tunnel is checked in the background no more */
  {
    g_autoptr(GTask) task = g_task_new (NULL, NULL, on_background_check_removed, g_object_ref (app));

    g_application_hold (app);
    g_task_set_task_data (task, g_strdup (tw_tunnel_entry_get_id (entry)), g_free);
    g_task_run_in_thread (task, remove_background_check);
  }
}

static void
on_delete_toast_dismissed (AdwToast *toast,
                           TwWindow *self)
{
  TwTunnelEntry *entry = g_object_get_data (G_OBJECT (toast), "entry");

  g_ptr_array_remove (self->pending_deletes, toast);
  if (!g_object_get_data (G_OBJECT (toast), "undone"))
    delete_now (self, entry);
}

static void
tw_window_delete_tunnel (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  TwTunnelEntry *entry = tw_tunnel_store_find (self->store, g_variant_get_string (parameter, NULL));
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (entry == NULL || tw_tunnel_entry_is_broken (entry))
    return;

  /* Translators: %s is the tunnel's name */
  title = g_strdup_printf (_("“%s” deleted"), tw_tunnel_get_name (tw_tunnel_entry_get_tunnel (entry)));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  /* Normal priority, on purpose: a high-priority toast pushes the one on screen aside, and
   * libadwaita 1.2.2 aborts (adw-toast-overlay.c:244) when it is dismissed before the other's
   * hide animation ends — Undo, Escape or a closing window within 300 ms. Queued, the Undo
   * waits for the other toast instead; the deletion waits with it. */
  g_object_set_data_full (G_OBJECT (toast), "entry", g_object_ref (entry), g_object_unref);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_delete_toast_dismissed), self);
  g_ptr_array_add (self->pending_deletes, g_object_ref (toast));

  /* Only out of the list for now: the file goes when the toast does, unless undone. */
  tw_tunnel_store_remove (self->store, entry);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- the keyring --------------------------------------------------------------------- */

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TwWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tw_secrets_store_finish (result, &error))
    {
      /* Translators: %s is the keyring's error */
      g_autofree char *message = g_strdup_printf (_("A secret could not be kept in the keyring: %s"),
                                                  error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
    }
}

static void
on_password_cleared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tw_secrets_clear_finish (result, &error) && error != NULL)
    g_debug ("No password to forget: %s", error->message);
}

static void
remember_private_key (TwWindow      *self,
                      TwTunnelEntry *entry)
{
  const char *private_key = NULL;
  g_autofree char *label = NULL;

  /* Only a reverse tunnel's key pair is made here: a forward tunnel's key is the service's */
  if (tw_tunnel_get_mode (tw_tunnel_entry_get_tunnel (entry)) == TW_TUNNEL_MODE_REVERSE)
    private_key = tw_reverse_key_page_get_private_key (TW_REVERSE_KEY_PAGE (self->reverse_key_page));
  if (private_key == NULL)
    return;

  /* Translators: the keyring's label for a key pair made by the wizard */
  label = g_strdup_printf (_("Tunnel Wizard: private key for %s"), tw_tunnel_get_ssh_host (tw_tunnel_entry_get_tunnel (entry)));
  tw_secrets_store_async (tw_tunnel_entry_get_id (entry), TW_SECRET_PRIVATE_KEY, label, private_key,
                          self->cancellable, on_password_stored, g_object_ref (self));
}

void
tw_window_remember_password (TwWindow      *self,
                             TwTunnelEntry *entry)
{
  TwDestinationPage *page = TW_DESTINATION_PAGE (self->destination_page);
  g_autoptr(TwCredentials) credentials = tw_destination_page_dup_credentials (page);
  const char *id = tw_tunnel_entry_get_id (entry);

  remember_private_key (self, entry);

  /* The password goes to the keyring only, never to the tunnel file or the draft. */
  if (tw_destination_page_get_remember_password (page) && credentials != NULL &&
      tw_credentials_get_kind (credentials) == TW_CREDENTIALS_PASSWORD &&
      tw_credentials_get_password (credentials) != NULL)
    {
      TwTunnel *tunnel = tw_tunnel_entry_get_tunnel (entry);
      /* Translators: the keyring's label, e.g. "Tunnel Wizard: fivetran@bastion.example.com" */
      g_autofree char *label = g_strdup_printf (_("Tunnel Wizard: %s@%s"),
                                                tw_credentials_get_user (credentials)
                                                ? tw_credentials_get_user (credentials)
                                                : tw_tunnel_get_user (tunnel),
                                                tw_tunnel_get_ssh_host (tunnel));

      tw_secrets_store_async (id, TW_SECRET_PASSWORD, label, tw_credentials_get_password (credentials),
                              self->cancellable, on_password_stored, g_object_ref (self));
    }
  else if (!tw_destination_page_get_remember_password (page))
    tw_secrets_clear_async (id, TW_SECRET_PASSWORD, NULL, on_password_cleared, NULL);
}

/* Which "Check again" the answer is for: a later one (another tunnel) must not start on it */
typedef struct
{
  TwWindow *window;
  guint     serial;
} PasswordLookup;

static void
on_password_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree PasswordLookup *lookup = user_data;
  g_autoptr(TwWindow) self = lookup->window;
  guint serial = lookup->serial;
  g_autoptr(GError) error = NULL;
  char *password = tw_secrets_lookup_finish (result, &error);
  TwDestinationPage *page = TW_DESTINATION_PAGE (self->destination_page);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || serial != self->lookup_serial)
    {
      if (password != NULL)
        secret_password_free (password);
      return;
    }
  if (password != NULL)
    {
      tw_destination_page_set_login_kind (page, TW_CREDENTIALS_PASSWORD);
      tw_destination_page_set_password (page, password);
      tw_destination_page_set_remember_password (page, TRUE);
      secret_password_free (password);
    }
  else if (error != NULL)
    g_debug ("No remembered password: %s", error->message);
  /* No keyring is no reason not to check: the SSH port's checks need no password */
  tw_window_start_recheck (self, serial);
}

void
tw_window_recall_password (TwWindow      *self,
                           TwTunnelEntry *entry)
{
  /* A password left from the tunnel shown before is not this one's */
  tw_destination_page_set_password (TW_DESTINATION_PAGE (self->destination_page), NULL);
  PasswordLookup *lookup = g_new0 (PasswordLookup, 1);

  lookup->window = g_object_ref (self);
  lookup->serial = ++self->lookup_serial;
  /* A password left from the tunnel shown before is not this one's */
  tw_destination_page_set_password (TW_DESTINATION_PAGE (self->destination_page), NULL);
  tw_secrets_lookup_async (tw_tunnel_entry_get_id (entry), TW_SECRET_PASSWORD, self->cancellable,
                           on_password_found, lookup);
}

void
tw_window_flush_deletes (TwWindow *self)
{
  /* Without dismissing the toasts: dismissing one the overlay has not shown yet, or one that
   * pushed another aside, is where libadwaita 1.2.2 trips; the overlay drops them all
   * quietly when the window goes. */
  while (self->pending_deletes->len > 0)
    {
      g_autoptr(AdwToast) toast = g_ptr_array_steal_index (self->pending_deletes, 0);

      g_signal_handlers_disconnect_by_data (toast, self);
      if (!g_object_get_data (G_OBJECT (toast), "undone"))
        delete_now (self, g_object_get_data (G_OBJECT (toast), "entry"));
    }
}

/* The shortcuts window, built the first time it is asked for. GtkApplication would build
 * it from gtk/help-overlay.ui with every window, before the first frame (2 % of the
 * instructions to the first frame, for a window most starts never open). */
static void
tw_window_show_help_overlay (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource (RESOURCE_PREFIX "/ui/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

void
tw_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.next", NULL, tw_window_next);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, tw_window_back);
  gtk_widget_class_install_action (widget_class, "win.new-tunnel", NULL, tw_window_new_tunnel);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, tw_window_save);
  gtk_widget_class_install_action (widget_class, "win.resume-draft", NULL, tw_window_resume_draft);
  gtk_widget_class_install_action (widget_class, "win.discard-draft", NULL, tw_window_discard_draft);
  gtk_widget_class_install_action (widget_class, "win.open-tunnel", "s", tw_window_open_tunnel);
  gtk_widget_class_install_action (widget_class, "win.check-again", "s", tw_window_check_again);
  gtk_widget_class_install_action (widget_class, "win.delete-tunnel", "s", tw_window_delete_tunnel);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   tw_window_show_help_overlay);
}
