/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window: the start page of saved tunnels, and the wizard, one page per
 * step in a GtkStack (AdwNavigationView is libadwaita 1.4; the floor is 1.2).
 * Each step page has a "tunnel" property the window sets and a "complete"
 * property that enables Next. The window also keeps the draft: unsaved input
 * is written a moment after each change, so that an accidental close loses
 * nothing.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-key-page.h"
#include "tw-prepare-page.h"
#include "tw-resources.h"
#include "tw-server-page.h"
#include "tw-start-page.h"
#include "tw-summary-page.h"
#include "tw-window.h"

#define N_STEPS 7
#define DRAFT_DELAY_MS 400

static const struct {
  const char *name;
  const char *title;
} steps[N_STEPS] = {
  { "key", N_("Service key") },
  { "server", N_("Tunnel server") },
  { "prepare", N_("Prepare the server") },
  { "ssh-check", N_("Test the SSH port") },
  { "fingerprint", N_("Confirm the fingerprint") },
  { "destination", N_("Destination and TLS") },
  { "summary", N_("Summary") },
};

struct _TwWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  GtkWidget            *new_button;
  GtkWidget            *next_button;
  GtkStack             *main_stack;
  GtkProgressBar       *progress;
  GtkStack             *steps;
  TwStartPage          *start_page;

  TwTunnelStore        *store;
  GCancellable         *cancellable;
  TwTunnel             *tunnel;
  TwTunnelEntry        *entry;
  GtkWidget            *watched_page;
  int                   step;
  guint                 draft_source;
  guint                 pending_loads;
  GPtrArray            *pending_deletes;
};

G_DEFINE_FINAL_TYPE (TwWindow, tw_window, ADW_TYPE_APPLICATION_WINDOW)

static GtkWidget *
step_page (TwWindow *self,
           guint     step)
{
  return gtk_stack_get_child_by_name (self->steps, steps[step].name);
}

/* The placeholders of steps not built yet have no "complete": they never block the way. */
static gboolean
page_is_complete (GtkWidget *page)
{
  gboolean complete = TRUE;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (page), "complete") != NULL)
    g_object_get (page, "complete", &complete, NULL);
  return complete;
}

static void
update_actions (TwWindow *self)
{
  gboolean in_wizard = self->step >= 0;
  gboolean last = self->step == N_STEPS - 1;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", in_wizard);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next",
                                 in_wizard && !last && page_is_complete (step_page (self, self->step)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", in_wizard);
  gtk_widget_set_visible (self->back_button, in_wizard);
  gtk_widget_set_visible (self->next_button, in_wizard && !last);
  gtk_widget_set_visible (self->new_button, !in_wizard);
}

static void
show_step (TwWindow *self,
           int       step)
{
  g_autofree char *subtitle = NULL;

  if (self->watched_page != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->watched_page, update_actions, self);
      g_clear_object (&self->watched_page);
    }

  self->step = step;
  if (step < 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "start");
      adw_window_title_set_subtitle (self->window_title, NULL);
      update_actions (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->steps, steps[step].name);
  gtk_stack_set_visible_child_name (self->main_stack, "wizard");
  self->watched_page = g_object_ref (step_page (self, step));
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (self->watched_page), "complete") != NULL)
    g_signal_connect_swapped (self->watched_page, "notify::complete", G_CALLBACK (update_actions), self);

  /* Translators: the step indicator, e.g. "Step 2 of 7 · Tunnel server" */
  subtitle = g_strdup_printf (_("Step %d of %d · %s"), step + 1, N_STEPS, _(steps[step].title));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_progress_bar_set_fraction (self->progress, (double) (step + 1) / N_STEPS);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, subtitle, -1);
  update_actions (self);
  gtk_widget_child_focus (step_page (self, step), GTK_DIR_TAB_FORWARD);
}

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

static void
save_draft_now (TwWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->tunnel == NULL || self->entry != NULL || app == NULL)
    return;

  /* Held until written, so that closing the window does not lose the last keystrokes. */
  g_application_hold (app);
  tw_tunnel_store_save_draft_async (self->store, self->tunnel, NULL, on_draft_saved, g_object_ref (app));
}

static gboolean
on_draft_timeout (gpointer user_data)
{
  TwWindow *self = user_data;

  self->draft_source = 0;
  save_draft_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_tunnel_changed (TwWindow *self)
{
  /* Only new tunnels get a draft; a saved tunnel is changed by saving it. */
  if (self->entry == NULL && self->draft_source == 0)
    self->draft_source = g_timeout_add (DRAFT_DELAY_MS, on_draft_timeout, self);
}

/* ---- the tunnel being edited ------------------------------------------------------ */

static void
set_tunnel (TwWindow      *self,
            TwTunnel      *tunnel,
            TwTunnelEntry *entry)
{
  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, on_tunnel_changed, self);

  g_set_object (&self->tunnel, tunnel);
  g_set_object (&self->entry, entry);

  for (guint i = 0; i < N_STEPS; i++)
    {
      GtkWidget *page = step_page (self, i);

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (page), "tunnel") != NULL)
        g_object_set (page, "tunnel", tunnel, NULL);
    }

  if (tunnel != NULL)
    g_signal_connect_swapped (tunnel, "notify", G_CALLBACK (on_tunnel_changed), self);
}

/* A copy, so that the start page keeps showing the saved values until the edit is saved. */
static TwTunnel *
copy_tunnel (TwTunnel *tunnel)
{
  g_autoptr(GKeyFile) key_file = tw_tunnel_to_key_file (tunnel);

  return tw_tunnel_from_key_file (key_file, NULL);
}

static void
open_entry (TwWindow   *self,
            const char *id,
            int         step)
{
  TwTunnelEntry *entry = tw_tunnel_store_find (self->store, id);
  g_autoptr(TwTunnel) copy = NULL;

  if (entry == NULL || tw_tunnel_entry_is_broken (entry))
    return;

  copy = copy_tunnel (tw_tunnel_entry_get_tunnel (entry));
  set_tunnel (self, copy, entry);
  show_step (self, step);
}

/* ---- actions ------------------------------------------------------------------------ */

static void
tw_window_next (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);

  if (self->step >= 0 && self->step < N_STEPS - 1 && page_is_complete (step_page (self, self->step)))
    show_step (self, self->step + 1);
}

static void
tw_window_back (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);

  if (self->step > 0)
    show_step (self, self->step - 1);
  else if (self->step == 0)
    {
      /* Leaving the wizard keeps a new tunnel's input as the draft, offered on the start page. */
      if (self->entry == NULL && self->tunnel != NULL)
        {
          save_draft_now (self);
          tw_start_page_set_draft (self->start_page, self->tunnel);
        }
      show_step (self, -1);
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
  set_tunnel (self, tunnel, NULL);
  show_step (self, 0);
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
  set_tunnel (self, draft, NULL);
  tw_start_page_set_draft (self->start_page, NULL);
  show_step (self, 0);
}

static void
tw_window_discard_draft (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);

  tw_tunnel_store_clear_draft (self->store);
  tw_start_page_set_draft (self->start_page, NULL);
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
  set_tunnel (self, NULL, NULL);
  show_step (self, -1);
}

static void
tw_window_save (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  g_autoptr(TwTunnelEntry) entry = NULL;
  const char *name;

  if (self->tunnel == NULL)
    return;

  name = tw_tunnel_get_name (self->tunnel);
  if (name == NULL || *name == '\0')
    {
      g_autofree char *fallback = g_strdup_printf ("%s@%s",
                                                   tw_tunnel_get_user (self->tunnel) ? tw_tunnel_get_user (self->tunnel) : "",
                                                   tw_tunnel_get_ssh_host (self->tunnel) ? tw_tunnel_get_ssh_host (self->tunnel) : "");
      tw_tunnel_set_name (self->tunnel, fallback);
    }

  if (self->entry == NULL)
    entry = tw_tunnel_store_create_entry (self->store, self->tunnel);
  else
    {
      entry = tw_tunnel_entry_new (tw_tunnel_entry_get_id (self->entry),
                                   tw_tunnel_entry_get_path (self->entry), self->tunnel);
      tw_tunnel_entry_set_last_result (entry, tw_tunnel_entry_get_last_verdict (self->entry),
                                       tw_tunnel_entry_get_last_checked (self->entry));
    }

  g_clear_handle_id (&self->draft_source, g_source_remove);
  tw_tunnel_store_save_async (self->store, entry, self->cancellable, on_saved, g_object_ref (self));
}

static void
tw_window_open_tunnel (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  open_entry (TW_WINDOW (widget), g_variant_get_string (parameter, NULL), N_STEPS - 1);
}

static void
tw_window_check_again (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  /* Straight to the SSH checks: the key and server are known already. */
  open_entry (TW_WINDOW (widget), g_variant_get_string (parameter, NULL), 3);
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

static void
on_delete_toast_dismissed (AdwToast *toast,
                           TwWindow *self)
{
  TwTunnelEntry *entry = g_object_get_data (G_OBJECT (toast), "entry");
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  g_ptr_array_remove (self->pending_deletes, toast);
  if (g_object_get_data (G_OBJECT (toast), "undone") || app == NULL)
    return;

  g_application_hold (app);
  g_application_hold (app);
  tw_tunnel_store_delete_async (self->store, entry, NULL, on_deleted, g_object_ref (app));
  tw_secrets_clear_async (tw_tunnel_entry_get_id (entry), -1, NULL, on_secrets_cleared, g_object_ref (app));
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
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "entry", g_object_ref (entry), g_object_unref);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_delete_toast_dismissed), self);
  g_ptr_array_add (self->pending_deletes, g_object_ref (toast));

  /* Only out of the list for now: the file goes when the toast does, unless undone. */
  tw_tunnel_store_remove (self->store, entry);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- loading ------------------------------------------------------------------------------ */

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
}

static void
on_draft_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTunnel) draft = tw_tunnel_store_load_draft_finish (TW_TUNNEL_STORE (source), result, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not read the draft: %s", error->message);
  if (draft != NULL && self->step < 0)
    tw_start_page_set_draft (self->start_page, draft);
  self->pending_loads--;
}

static gboolean
tw_window_close_request (GtkWindow *window)
{
  TwWindow *self = TW_WINDOW (window);

  if (self->draft_source != 0)
    save_draft_now (self);

  /* Deletions waiting on their Undo toast happen now rather than never. */
  while (self->pending_deletes->len > 0)
    adw_toast_dismiss (g_ptr_array_index (self->pending_deletes, 0));

  return GTK_WINDOW_CLASS (tw_window_parent_class)->close_request (window);
}

static void
tw_window_dispose (GObject *object)
{
  TwWindow *self = TW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->watched_page != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_page, update_actions, self);
  g_clear_object (&self->watched_page);
  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, on_tunnel_changed, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_WINDOW);
  g_clear_object (&self->tunnel);
  g_clear_object (&self->entry);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_deletes, g_ptr_array_unref);

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

  /* The resource registers itself from a constructor, but in a static library the linker
   * drops an object nobody references: this reference keeps it. */
  (void) tw_get_resource ();

  g_type_ensure (TW_TYPE_KEY_PAGE);
  g_type_ensure (TW_TYPE_PREPARE_PAGE);
  g_type_ensure (TW_TYPE_SERVER_PAGE);
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
  gtk_widget_class_bind_template_child (widget_class, TwWindow, steps);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, start_page);

  gtk_widget_class_install_action (widget_class, "win.next", NULL, tw_window_next);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, tw_window_back);
  gtk_widget_class_install_action (widget_class, "win.new-tunnel", NULL, tw_window_new_tunnel);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, tw_window_save);
  gtk_widget_class_install_action (widget_class, "win.resume-draft", NULL, tw_window_resume_draft);
  gtk_widget_class_install_action (widget_class, "win.discard-draft", NULL, tw_window_discard_draft);
  gtk_widget_class_install_action (widget_class, "win.open-tunnel", "s", tw_window_open_tunnel);
  gtk_widget_class_install_action (widget_class, "win.check-again", "s", tw_window_check_again);
  gtk_widget_class_install_action (widget_class, "win.delete-tunnel", "s", tw_window_delete_tunnel);

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
  self->store = tw_tunnel_store_new (NULL);
  tw_start_page_set_store (self->start_page, self->store);

  /* Enter in a field activates Next (AdwEntryRow's activates-default). */
  gtk_window_set_default_widget (GTK_WINDOW (self), self->next_button);

  self->pending_loads = 2;
  tw_tunnel_store_load_async (self->store, self->cancellable, on_store_loaded, g_object_ref (self));
  tw_tunnel_store_load_draft_async (self->store, self->cancellable, on_draft_loaded, g_object_ref (self));

  show_step (self, -1);
}

TwWindow *
tw_window_new (TwApplication *application)
{
  return g_object_new (TW_TYPE_WINDOW, "application", application, NULL);
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
  g_return_val_if_fail (step < N_STEPS, NULL);
  return step_page (self, step);
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
