/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window: the start page of saved tunnels, and the wizard, one page per
 * step in a GtkStack (AdwNavigationView is libadwaita 1.4; the floor is 1.2).
 * Each step page but the reverse tunnel's status is a TwWizardPage: the
 * window sets its tunnel, and its "complete" enables Next. The window also
 * keeps the draft: unsaved input is written a moment after each change, so
 * that an accidental close loses nothing.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-destination-page.h"
#include "tw-fingerprint-page.h"
#include "tw-key-page.h"
#include "tw-prepare-page.h"
#include "tw-recheck-page.h"
#include "tw-resources.h"
#include "tw-reverse-key-page.h"
#include "tw-reverse-server-page.h"
#include "tw-reverse-status-page.h"
#include "tw-window-reverse.h"
#include "tw-server-page.h"
#include "tw-ssh-check-page.h"
#include "tw-start-page.h"
#include "tw-summary-page.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "tw-wizard-page.h"


/* Each step's title, and a shorter one for a narrow window, where the header bar has room
 * for about a word beside its buttons (libadwaita 1.2 has no breakpoints to move them). */
typedef struct {
  const char *name;
  const char *title;
  const char *short_title;
} TwStep;

static const TwStep steps[TW_WINDOW_N_STEPS] = {
  { "key", N_("Service key"), N_("Key") },
  { "server", N_("Tunnel server"), N_("Server") },
  { "prepare", N_("Prepare the server"), N_("Prepare") },
  { "ssh-check", N_("Test the SSH port"), N_("SSH port") },
  { "fingerprint", N_("Confirm the fingerprint"), N_("Host key") },
  { "destination", N_("Destination and TLS"), N_("Target") },
  { "summary", N_("Summary"), N_("Summary") },
};

/* Reverse mode (this machine opens the tunnel): its own first two steps and status page;
 * preparing the server, the SSH checks and the fingerprint are the forward mode's pages. */
static const TwStep reverse_steps[TW_WINDOW_N_REVERSE_STEPS] = {
  { "reverse-key", N_("Key pair"), N_("Key pair") },
  { "reverse-server", N_("Bastion"), N_("Bastion") },
  { "prepare", N_("Prepare the bastion"), N_("Prepare") },
  { "ssh-check", N_("Test the SSH port"), N_("SSH port") },
  { "fingerprint", N_("Confirm the fingerprint"), N_("Host key") },
  { "reverse-status", N_("Reverse tunnel"), N_("Tunnel") },
};

/* Below this width the header bar's title cannot hold a long step title beside Back, Next,
 * the menu and the window buttons. */
#define NARROW_WIDTH 600

static gboolean
is_reverse (TwWindow *self)
{
  return self->tunnel != NULL && tw_tunnel_get_mode (self->tunnel) == TW_TUNNEL_MODE_REVERSE;
}

guint
tw_window_get_n_steps (TwWindow *self)
{
  return is_reverse (self) ? TW_WINDOW_N_REVERSE_STEPS : TW_WINDOW_N_STEPS;
}

static const char *
step_name (TwWindow *self,
           guint     step)
{
  return is_reverse (self) ? reverse_steps[step].name : steps[step].name;
}

static const char *
step_title (TwWindow *self,
            guint     step)
{
  return _(is_reverse (self) ? reverse_steps[step].title : steps[step].title);
}

static const char *
step_header_title (TwWindow *self,
                   guint     step)
{
  const TwStep *shown = is_reverse (self) ? &reverse_steps[step] : &steps[step];

  return _(self->narrow ? shown->short_title : shown->title);
}


G_DEFINE_FINAL_TYPE (TwWindow, tw_window, ADW_TYPE_APPLICATION_WINDOW)

static GtkWidget *
step_page (TwWindow *self,
           guint     step)
{
  tw_window_ensure_steps (self);
  return gtk_stack_get_child_by_name (self->steps, step_name (self, step));
}

/* A step that is no wizard page (the reverse tunnel's status) never blocks the way. */
gboolean
tw_window_page_is_complete (GtkWidget *page)
{
  return !TW_IS_WIZARD_PAGE (page) || tw_wizard_page_get_complete (TW_WIZARD_PAGE (page));
}

static void
update_actions (TwWindow *self)
{
  gboolean in_wizard = self->step >= 0;
  gboolean last = self->step == (int) tw_window_get_n_steps (self) - 1;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", in_wizard || self->rechecking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next",
                                 in_wizard && !last && tw_window_page_is_complete (step_page (self, self->step)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", in_wizard);
  gtk_widget_set_visible (self->back_button, in_wizard || self->rechecking);
  gtk_widget_set_visible (self->next_button, in_wizard && !last);
  gtk_widget_set_visible (self->new_button, !in_wizard && !self->rechecking);

  /* Enter in a field activates Next (AdwEntryRow's activates-default). GTK forgets the default
   * widget whenever it is hidden, so it is set again each time Next shows. */
  if (gtk_widget_get_visible (self->next_button))
    gtk_window_set_default_widget (GTK_WINDOW (self), self->next_button);
}

void
tw_window_show_step (TwWindow *self,
                     int       step)
{
  g_autofree char *subtitle = NULL;

  if (self->watched_page != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->watched_page, update_actions, self);
      g_clear_object (&self->watched_page);
    }

  /* Leaving "Check again" stops its run: nobody would see the rest */
  if (self->rechecking)
    {
      self->rechecking = FALSE;
      tw_recheck_page_cancel (TW_RECHECK_PAGE (self->recheck_page));
    }

  self->step = step;
  if (step < 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "start");
      adw_window_title_set_title (self->window_title, _("Tunnel Wizard"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      update_actions (self);
      return;
    }

  tw_window_ensure_steps (self);
  gtk_stack_set_visible_child_name (self->steps, step_name (self, step));
  gtk_stack_set_visible_child_name (self->main_stack, "wizard");
  self->watched_page = g_object_ref (step_page (self, step));
  if (TW_IS_WIZARD_PAGE (self->watched_page))
    g_signal_connect_swapped (self->watched_page, "notify::complete", G_CALLBACK (update_actions), self);

  /* The step's name as the title and "Step 2 of 7" below it: both short enough for 360 px. */
  /* Translators: the step indicator, e.g. "Step 2 of 7" */
  subtitle = g_strdup_printf (_("Step %d of %d"), step + 1, tw_window_get_n_steps (self));
  adw_window_title_set_title (self->window_title, step_header_title (self, step));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_progress_bar_set_fraction (self->progress, (double) (step + 1) / tw_window_get_n_steps (self));
  {
    /* Translators: for screen readers, e.g. "Step 2 of 7: Tunnel server" */
    g_autofree char *value_text = g_strdup_printf (_("%s: %s"), subtitle, step_title (self, step));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                    GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, value_text, -1);
  }
  update_actions (self);
  /* A page that knows where typing starts says so (grab_focus); else the first control */
  if (!gtk_widget_grab_focus (step_page (self, step)))
    gtk_widget_child_focus (step_page (self, step), GTK_DIR_TAB_FORWARD);
}

/* ---- check runs ------------------------------------------------------------------ */

/* The summary exports the most complete run: the destination checks include the SSH ones. */
static void
update_summary_report (TwWindow *self)
{
  TwReport *report = self->ssh_report;

  if (self->destination_report != NULL && tw_report_get_finished (self->destination_report))
    report = self->destination_report;
  if (report != NULL && !tw_report_get_finished (report))
    report = NULL;
  tw_summary_page_set_report (TW_SUMMARY_PAGE (self->summary_page), report);
}

void
tw_window_show_recheck (TwWindow *self)
{
  tw_window_show_step (self, -1);
  self->rechecking = TRUE;
  gtk_stack_set_visible_child_name (self->main_stack, "recheck");
  adw_window_title_set_title (self->window_title, tw_tunnel_get_name (self->tunnel));
  adw_window_title_set_subtitle (self->window_title, _("Checking Again"));
  update_actions (self);
}

void
tw_window_start_recheck (TwWindow *self,
                         guint     serial)
{
  g_autoptr(TwCredentials) credentials = NULL;

  if (!self->rechecking || serial != self->lookup_serial || self->tunnel == NULL || self->entry == NULL)
    return;
  /* The login saved with the tunnel, as the destination step holds it now (with the keyring's
   * password, when there was one) */
  if (tw_tunnel_has_saved_login (self->tunnel))
    credentials = tw_destination_page_dup_login_credentials (TW_DESTINATION_PAGE (self->destination_page));
  tw_recheck_page_start (TW_RECHECK_PAGE (self->recheck_page), self->tunnel,
                         tw_tunnel_entry_get_id (self->entry), credentials);
  gtk_widget_child_focus (self->recheck_page, GTK_DIR_TAB_FORWARD);
}

static void
on_recheck_finished (TwWindow     *self,
                     const GError *error)
{
  TwReport *report = tw_recheck_page_get_report (TW_RECHECK_PAGE (self->recheck_page));

  if (error == NULL && report != NULL && tw_report_get_finished (report))
    tw_window_record_result (self, report);
}

static void
on_ssh_report_finished (TwWindow *self)
{
  update_summary_report (self);
  if (self->ssh_report == NULL || !tw_report_get_finished (self->ssh_report))
    return;
  tw_window_record_result (self, self->ssh_report);
}

void
tw_window_record_result (TwWindow *self,
                         TwReport *report)
{
  g_autoptr(GDateTime) now = NULL;
  TwCheckStatus verdict;

  if (self->entry == NULL)
    return;

  g_hash_table_replace (self->last_reports, g_strdup (tw_tunnel_entry_get_id (self->entry)),
                        g_object_ref (report));
  /* "Check again" on the start page shows this result and when it ran. */
  verdict = tw_report_get_verdict (report);
  now = g_date_time_new_now_utc ();
  tw_tunnel_entry_set_last_result (self->entry, tw_check_status_to_string (verdict), now);
  /* Which checks that was: the list says so, not "all" */
  {
    GListModel *checks = tw_report_get_checks (report);
    g_autoptr(GStrvBuilder) ran = g_strv_builder_new ();
    g_auto(GStrv) ids = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
      {
        g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, i);
        TwCheckStatus status = tw_check_result_get_status (result);

        if (status == TW_CHECK_STATUS_PASS || status == TW_CHECK_STATUS_WARN || status == TW_CHECK_STATUS_FAIL)
          g_strv_builder_add (ran, tw_check_result_get_id (result));
      }
    ids = g_strv_builder_end (ran);
    tw_tunnel_entry_set_last_checks (self->entry, (const char * const *) ids);
  }
  tw_tunnel_store_save_async (self->store, self->entry, NULL, NULL, NULL);
}

static void
watch_report (TwWindow   *self,
              TwReport  **slot,
              GtkWidget  *page,
              GCallback   on_finished)
{
  TwReport *report = NULL;

  g_object_get (page, "report", &report, NULL);
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, on_finished, self);
  g_clear_object (slot);
  *slot = report;
  if (report != NULL)
    g_signal_connect_swapped (report, "notify::finished", on_finished, self);
  update_summary_report (self);
}

static void
on_ssh_report_changed (TwWindow *self)
{
  watch_report (self, &self->ssh_report, self->ssh_check_page, G_CALLBACK (on_ssh_report_finished));
}

static void
on_destination_report_changed (TwWindow *self)
{
  watch_report (self, &self->destination_report, self->destination_page, G_CALLBACK (update_summary_report));
}

/* ---- loading ------------------------------------------------------------------------------ */

/* ---- the steps, built on first use ------------------------------------------------------ */

void
tw_window_ensure_steps (TwWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->steps != NULL)
    return;

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/ui/tw-window-steps.ui");
  self->steps = GTK_STACK (gtk_builder_get_object (builder, "steps"));
  self->ssh_check_page = GTK_WIDGET (gtk_builder_get_object (builder, "ssh_check_page"));
  self->fingerprint_page = GTK_WIDGET (gtk_builder_get_object (builder, "fingerprint_page"));
  self->destination_page = GTK_WIDGET (gtk_builder_get_object (builder, "destination_page"));
  self->summary_page = GTK_WIDGET (gtk_builder_get_object (builder, "summary_page"));
  self->reverse_key_page = GTK_WIDGET (gtk_builder_get_object (builder, "reverse_key_page"));
  self->reverse_status_page = GTK_WIDGET (gtk_builder_get_object (builder, "reverse_status_page"));
  /* The box owns the stack from here on */
  gtk_box_append (GTK_BOX (self->wizard_box), GTK_WIDGET (self->steps));

  tw_window_reverse_init (self);
  /* "Confirm the fingerprint" shows the host key "Test the SSH port" saw; "Summary" exports
   * the last finished run. */
  g_object_bind_property (self->ssh_check_page, "report", self->fingerprint_page, "report", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->ssh_check_page, "notify::report", G_CALLBACK (on_ssh_report_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->destination_page, "notify::report", G_CALLBACK (on_destination_report_changed),
                           self, G_CONNECT_SWAPPED);
}

static void
on_store_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TwWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tw_tunnel_store_load_finish (TW_TUNNEL_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Saved tunnels could not be read: %s"), error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
    }
  self->pending_loads--;
  tw_window_reverse_on_store_loaded (self);
}

static void
on_draft_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *entry_id = NULL;
  g_autoptr(TwTunnel) draft = tw_tunnel_store_load_draft_finish (TW_TUNNEL_STORE (source), result,
                                                                 &entry_id, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not read the draft: %s", error->message);
  if (draft != NULL && self->step < 0)
    {
      g_free (self->draft_entry_id);
      self->draft_entry_id = g_steal_pointer (&entry_id);
      tw_start_page_set_draft (self->start_page, draft);
    }
  self->pending_loads--;
  tw_window_reverse_on_store_loaded (self);
}

static gboolean
tw_window_close_request (GtkWindow *window)
{
  TwWindow *self = TW_WINDOW (window);

  if (self->draft_source != 0)
    tw_window_save_draft_now (self);
  tw_window_flush_deletes (self);
  tw_window_reverse_on_close (self);

  return GTK_WINDOW_CLASS (tw_window_parent_class)->close_request (window);
}

/* A narrow window: the short step titles, and Next as an arrow */
static void
apply_narrow (gpointer data)
{
  TwWindow *self = data;
  gboolean narrow = gtk_widget_get_width (GTK_WIDGET (self)) < NARROW_WIDTH;

  self->narrow_source = 0;
  if (narrow == self->narrow)
    return;
  self->narrow = narrow;
  if (narrow)
    {
      gtk_button_set_icon_name (GTK_BUTTON (self->next_button), "go-next-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->next_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Next"), -1);
    }
  else
    {
      gtk_button_set_label (GTK_BUTTON (self->next_button), _("_Next"));
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->next_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
    }
  if (self->step >= 0 && !self->rechecking)
    adw_window_title_set_title (self->window_title, step_header_title (self, self->step));
}

static void
tw_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  TwWindow *self = TW_WINDOW (widget);

  GTK_WIDGET_CLASS (tw_window_parent_class)->size_allocate (widget, width, height, baseline);
  /* Changing the header now would resize it in the middle of this allocation: next idle */
  if ((width < NARROW_WIDTH) != self->narrow && self->narrow_source == 0)
    self->narrow_source = g_idle_add_once (apply_narrow, self);
}

static void
tw_window_dispose (GObject *object)
{
  TwWindow *self = TW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->draft_source, g_source_remove);
  g_clear_handle_id (&self->narrow_source, g_source_remove);
  if (self->watched_page != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_page, update_actions, self);
  g_clear_object (&self->watched_page);
  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, tw_window_on_tunnel_changed, self);
  if (self->ssh_report != NULL)
    g_signal_handlers_disconnect_by_func (self->ssh_report, on_ssh_report_finished, self);
  if (self->destination_report != NULL)
    g_signal_handlers_disconnect_by_func (self->destination_report, update_summary_report, self);
  g_clear_object (&self->ssh_report);
  g_clear_object (&self->destination_report);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_WINDOW);
  g_clear_object (&self->tunnel);
  g_clear_object (&self->entry);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_deletes, g_ptr_array_unref);
  g_clear_pointer (&self->draft_entry_id, g_free);
  g_clear_pointer (&self->pending_show_id, g_free);
  g_clear_pointer (&self->last_reports, g_hash_table_unref);
  g_clear_object (&self->runner);

  G_OBJECT_CLASS (tw_window_parent_class)->dispose (object);
}

static void
tw_window_class_init (TwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tw_window_dispose;
  window_class->close_request = tw_window_close_request;
  widget_class->size_allocate = tw_window_size_allocate;

  /* The resource registers itself from a constructor, but in a static library the linker
   * drops an object nobody references: this reference keeps it. */
  (void) tw_get_resource ();

  g_type_ensure (TW_TYPE_DESTINATION_PAGE);
  g_type_ensure (TW_TYPE_FINGERPRINT_PAGE);
  g_type_ensure (TW_TYPE_KEY_PAGE);
  g_type_ensure (TW_TYPE_PREPARE_PAGE);
  g_type_ensure (TW_TYPE_RECHECK_PAGE);
  g_type_ensure (TW_TYPE_REVERSE_KEY_PAGE);
  g_type_ensure (TW_TYPE_REVERSE_SERVER_PAGE);
  g_type_ensure (TW_TYPE_REVERSE_STATUS_PAGE);
  g_type_ensure (TW_TYPE_SERVER_PAGE);
  g_type_ensure (TW_TYPE_SSH_CHECK_PAGE);
  g_type_ensure (TW_TYPE_START_PAGE);
  g_type_ensure (TW_TYPE_SUMMARY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, new_button);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, progress);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, wizard_box);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, recheck_page);
  gtk_widget_class_bind_template_callback (widget_class, on_recheck_finished);

  tw_window_class_install_actions (widget_class);
  tw_window_class_install_setup_actions (widget_class);
  tw_window_reverse_install_actions (widget_class);

  /* Bubble phase: a field that uses the key itself (Return in the key field, Escape in a
   * popover) gets it first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-tunnel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
}

static void
tw_window_init (TwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->pending_deletes = g_ptr_array_new_with_free_func (g_object_unref);
  self->last_reports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->store = tw_tunnel_store_new (NULL);
  tw_start_page_set_store (self->start_page, self->store);

  self->pending_loads = 2;
  tw_tunnel_store_load_async (self->store, self->cancellable, on_store_loaded, g_object_ref (self));
  tw_tunnel_store_load_draft_async (self->store, self->cancellable, on_draft_loaded, g_object_ref (self));

  tw_window_show_step (self, -1);
}

TwWindow *
tw_window_new (TwApplication *application)
{
  TwWindow *self = g_object_new (TW_TYPE_WINDOW, "application", application, NULL);

  tw_window_reverse_set_runner (self, application ? tw_application_get_runner (application) : NULL);
  return self;
}

TwTunnelStore *
tw_window_get_store (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);
  return self->store;
}

TwTunnel *
tw_window_get_tunnel (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);
  return self->tunnel;
}

int
tw_window_get_step (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), -1);
  return self->step;
}

GtkWidget *
tw_window_get_step_page (TwWindow *self,
                         guint     step)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (step < tw_window_get_n_steps (self), NULL);
  return step_page (self, step);
}

/* NULL when "Check again" is not on screen */
GtkWidget *
tw_window_get_recheck_page (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);
  return self->rechecking ? self->recheck_page : NULL;
}

GtkWidget *
tw_window_get_start_page (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->start_page);
}

gboolean
tw_window_get_loaded (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), FALSE);
  return self->pending_loads == 0;
}
