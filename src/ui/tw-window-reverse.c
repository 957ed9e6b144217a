/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's reverse-mode side. The tunnels themselves run in the
 * application's TwReverseRunner, so that closing the window does not close
 * them; the window only starts them, shows them and says that they go on.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-reverse-key-page.h"
#include "tw-reverse-status-page.h"
#include "tw-window-reverse.h"
#include "tw-start-page.h"
#include "tw-window-private.h"

typedef struct {
  TwWindow      *window;
  TwTunnelEntry *entry;
  char          *private_key;
} StartData;

static void
start_data_free (StartData *data)
{
  g_object_unref (data->window);
  g_object_unref (data->entry);
  g_clear_pointer (&data->private_key, tw_keypair_free_secret);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StartData, start_data_free)

static void
on_saved_start (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(StartData) data = user_data;
  TwWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  TwReverseRunner *runner = self->runner;

  if (!tw_tunnel_store_save_finish (TW_TUNNEL_STORE (source), result, &error))
    {
      /* Translators: %s is why the file could not be written */
      g_autofree char *message = g_strdup_printf (_("The tunnel could not be saved: %s"), error->message);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
      return;
    }

  tw_tunnel_store_clear_draft (self->store);
  g_set_object (&self->entry, data->entry);
  tw_reverse_status_page_set_entry_id (TW_REVERSE_STATUS_PAGE (self->reverse_status_page),
                                       tw_tunnel_entry_get_id (data->entry));
  if (runner == NULL)
    return;

  tw_reverse_runner_start (runner, tw_tunnel_entry_get_id (data->entry),
                           tw_tunnel_entry_get_tunnel (data->entry), data->private_key);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Tunnel started: it keeps running when you close this window")));
}

/* "Start" saves first: what runs is always what is saved (and what starts at login). */
static void
on_start_requested (TwWindow *self)
{
  g_autoptr(TwTunnelEntry) entry = NULL;
  const char *private_key;
  StartData *data;

  if (self->tunnel == NULL)
    {
      TwReverseRunner *runner = self->runner;
      const char *id = tw_reverse_status_page_get_entry_id (TW_REVERSE_STATUS_PAGE (self->reverse_status_page));
      TwTunnelEntry *saved = id ? tw_tunnel_store_find (self->store, id) : NULL;

      if (runner != NULL && saved != NULL && tw_tunnel_entry_get_tunnel (saved) != NULL)
        tw_reverse_runner_start (runner, id, tw_tunnel_entry_get_tunnel (saved), NULL);
      return;
    }

  entry = tw_window_entry_to_save (self);

  g_clear_handle_id (&self->draft_source, g_source_remove);
  /* The keyring gets the private key; the runner gets it at once, not by a lookup that
   * could overtake the keyring's write. */
  tw_window_remember_password (self, entry);
  private_key = tw_reverse_key_page_get_private_key (TW_REVERSE_KEY_PAGE (self->reverse_key_page));

  data = g_new0 (StartData, 1);
  data->window = g_object_ref (self);
  data->entry = g_object_ref (entry);
  data->private_key = g_strdup (private_key);
  tw_tunnel_store_save_async (self->store, entry, self->cancellable, on_saved_start, data);
}

static void
tw_window_new_reverse_tunnel (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();

  tw_tunnel_set_mode (tunnel, TW_TUNNEL_MODE_REVERSE);
  tw_tunnel_store_clear_draft (self->store);
  tw_start_page_set_draft (self->start_page, NULL);
  g_clear_pointer (&self->draft_entry_id, g_free);
  tw_window_set_tunnel (self, tunnel, NULL);
  tw_window_show_step (self, 0);
}

void
tw_window_reverse_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-reverse-tunnel", NULL, tw_window_new_reverse_tunnel);
}

void
tw_window_reverse_init (TwWindow *self)
{
  g_signal_connect_object (self->reverse_status_page, "start-requested", G_CALLBACK (on_start_requested),
                           self, G_CONNECT_SWAPPED);
  tw_reverse_status_page_set_runner (TW_REVERSE_STATUS_PAGE (self->reverse_status_page), self->runner);
}

void
tw_window_reverse_set_runner (TwWindow        *self,
                              TwReverseRunner *runner)
{
  g_set_object (&self->runner, runner);
  /* The steps may not be built yet: tw_window_reverse_init hands it over then */
  if (self->reverse_status_page != NULL)
    tw_reverse_status_page_set_runner (TW_REVERSE_STATUS_PAGE (self->reverse_status_page), runner);
  tw_start_page_set_runner (self->start_page, runner);
}

void
tw_window_reverse_set_tunnel (TwWindow      *self,
                              TwTunnel      *tunnel,
                              TwTunnelEntry *entry)
{
  TwReverseStatusPage *page;

  if (self->reverse_status_page == NULL)
    return;
  page = TW_REVERSE_STATUS_PAGE (self->reverse_status_page);
  tw_reverse_status_page_set_tunnel (page, tunnel);
  tw_reverse_status_page_set_entry_id (page, entry ? tw_tunnel_entry_get_id (entry) : NULL);
}

void
tw_window_show_reverse_tunnel (TwWindow   *self,
                               const char *id)
{
  g_return_if_fail (TW_IS_WINDOW (self));

  if (!tw_window_get_loaded (self))
    {
      g_free (self->pending_show_id);
      self->pending_show_id = g_strdup (id);
      return;
    }
  tw_window_open_entry (self, id, -1);
}

/* Called as each of the window's loads (tunnels, draft) ends: the last one opens the tunnel. */
void
tw_window_reverse_on_store_loaded (TwWindow *self)
{
  g_autofree char *id = NULL;

  if (!tw_window_get_loaded (self))
    return;
  id = g_steal_pointer (&self->pending_show_id);
  if (id != NULL)
    tw_window_open_entry (self, id, -1);
}

/* ---- closing while a tunnel runs ----------------------------------------------------- */

typedef struct {
  GApplication  *app;
  GNotification *notification;
} RunningNotice;

static void
running_notice_free (RunningNotice *notice)
{
  g_object_unref (notice->app);
  g_object_unref (notice->notification);
  g_free (notice);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunningNotice, running_notice_free)

static void
on_notification_service (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(RunningNotice) notice = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  gboolean has_owner = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  /* Without a notification server GLib would only warn; the status page said it already. */
  if (has_owner)
    g_application_send_notification (notice->app, "reverse-tunnel-running", notice->notification);
}

void
tw_window_reverse_on_close (TwWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GDBusConnection *bus = app ? g_application_get_dbus_connection (G_APPLICATION (app)) : NULL;
  const char *id = self->runner ? tw_reverse_runner_get_first_running (self->runner) : NULL;
  RunningNotice *notice;

  if (id == NULL || bus == NULL)
    return;

  notice = g_new0 (RunningNotice, 1);
  notice->app = G_APPLICATION (g_object_ref (app));
  notice->notification = g_notification_new (_("The reverse tunnel keeps running"));
  g_notification_set_body (notice->notification, _("Tunnel Wizard keeps it open in the background. "
                                                   "Open Tunnel Wizard to see it or stop it."));
  g_notification_set_default_action_and_target (notice->notification, "app.show-tunnel", "s", id);
  g_notification_add_button_with_target (notice->notification, _("Stop the Tunnel"), "app.stop-tunnel", "s", id);
  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.Notifications"),
                          G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          on_notification_service, notice);
}

void
tw_window_reverse_on_deleted (TwWindow   *self,
                              const char *id)
{
  TwReverseRunner *runner = self->runner;
  g_autoptr(GError) error = NULL;

  if (runner != NULL)
    tw_reverse_runner_stop (runner, id);
  if (!tw_reverse_autostart_set_enabled (id, NULL, FALSE, &error))
    g_warning ("Could not remove the login entry of a deleted tunnel: %s", error->message);
}
