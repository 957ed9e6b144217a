/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reverse tunnel's status page. It observes the engine the runner holds
 * for the saved tunnel (the window may come and go; the engine does not), and
 * ticks once a second while a countdown or an uptime is shown.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-copy-row.h"
#include "tw-reverse-autostart.h"
#include "tw-reverse-status-page.h"
#include "tw-ui-util.h"

struct _TwReverseStatusPage
{
  AdwBin           parent_instance;

  AdwActionRow    *state_row;
  GtkImage        *state_icon;
  GtkLabel        *up_since_label;
  GtkLabel        *reconnects_label;
  GtkLabel        *sent_label;
  GtkLabel        *received_label;
  GtkLabel        *connections_label;
  TwCopyRow       *listen_row;
  TwCopyRow       *dest_row;
  TwCopyRow       *bastion_row;
  GtkSwitch       *autostart_switch;
  GtkWidget       *autostart_row;
  AdwPreferencesGroup *tunnel_group;

  TwTunnel        *tunnel;
  char            *entry_id;
  TwReverseRunner *runner;
  TwReverseTunnel *engine;
  guint            tick_source;
  gboolean         updating_switch;
};

G_DEFINE_FINAL_TYPE (TwReverseStatusPage, tw_reverse_status_page, ADW_TYPE_BIN)

enum {
  SIGNAL_START_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void watch_engine (TwReverseStatusPage *self);

static void
set_label_uint (GtkLabel *label,
                guint64   value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

  gtk_label_set_label (label, text);
}

static void
set_label_size (GtkLabel *label,
                guint64   bytes)
{
  g_autofree char *text = g_format_size (bytes);

  gtk_label_set_label (label, text);
}

static char *
format_duration (gint64 seconds)
{
  if (seconds < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (seconds < 3600)
    /* Translators: a duration in minutes */
    return g_strdup_printf (_("%d min"), (int) (seconds / 60));
  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%d h %d min"), (int) (seconds / 3600), (int) (seconds / 60 % 60));
}

static gboolean
on_tick (gpointer data);

static void
update (TwReverseStatusPage *self)
{
  TwReverseTunnelState state = self->engine ? tw_reverse_tunnel_get_state (self->engine)
                                            : TW_REVERSE_TUNNEL_STATE_STOPPED;
  const char *start_error = self->runner ? tw_reverse_runner_get_start_error (self->runner, self->entry_id) : NULL;
  const GError *error = self->engine ? tw_reverse_tunnel_get_error (self->engine) : NULL;
  g_autofree char *title = NULL;
  const char *subtitle = NULL;
  const char *icon = "network-offline-symbolic";
  const char *css = "dim-label";
  gboolean running;

  switch (state)
    {
    case TW_REVERSE_TUNNEL_STATE_CONNECTING:
      title = g_strdup (_("Connecting…"));
      icon = "network-transmit-receive-symbolic";
      css = NULL;
      subtitle = error ? error->message : NULL;
      break;

    case TW_REVERSE_TUNNEL_STATE_UP:
      title = g_strdup (_("Up"));
      icon = "emblem-ok-symbolic";
      css = "success";
      subtitle = _("The bastion listens and relays each connection to the destination.");
      break;

    case TW_REVERSE_TUNNEL_STATE_RETRYING:
      {
        gint64 left = (tw_reverse_tunnel_get_next_attempt_time (self->engine) - g_get_real_time () +
                       G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

        /* Translators: the tunnel is down; %d is the seconds until the next attempt */
        title = g_strdup_printf (_("Down, retrying in %d s"), (int) MAX (left, 0));
        icon = "view-refresh-symbolic";
        css = "warning";
        subtitle = error ? error->message : NULL;
      }
      break;

    case TW_REVERSE_TUNNEL_STATE_FAILED:
      if (g_error_matches (error, TW_REVERSE_TUNNEL_ERROR, TW_REVERSE_TUNNEL_ERROR_HOST_KEY_CHANGED))
        title = g_strdup (_("Stopped: the bastion’s host key has changed"));
      else
        title = g_strdup (_("Stopped by an error"));
      icon = "dialog-error-symbolic";
      css = "error";
      subtitle = error ? error->message : NULL;
      break;

    case TW_REVERSE_TUNNEL_STATE_STOPPED:
    default:
      if (start_error != NULL)
        {
          title = g_strdup (_("Could not start"));
          icon = "dialog-error-symbolic";
          css = "error";
          subtitle = start_error;
        }
      else
        {
          title = g_strdup (_("Stopped"));
          subtitle = self->entry_id ? _("Start the tunnel to open the port on the bastion.")
                                    : _("Save and start the tunnel to open the port on the bastion.");
        }
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row), title);
  adw_action_row_set_subtitle (self->state_row, subtitle ? subtitle : "");
  gtk_image_set_from_icon_name (self->state_icon, icon);
  tw_ui_set_status_class (GTK_WIDGET (self->state_icon), css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_icon), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  if (state == TW_REVERSE_TUNNEL_STATE_UP)
    {
      gint64 since = tw_reverse_tunnel_get_up_since (self->engine);
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (since / G_USEC_PER_SEC);
      g_autofree char *time = g_date_time_format (local, "%H:%M:%S");
      g_autofree char *duration = format_duration ((g_get_real_time () - since) / G_USEC_PER_SEC);
      /* Translators: "10:30:12 (5 min)": when the tunnel came up and how long ago */
      g_autofree char *text = g_strdup_printf (_("%s (%s)"), time, duration);

      gtk_label_set_label (self->up_since_label, text);
    }
  else
    gtk_label_set_label (self->up_since_label, "—");

  set_label_uint (self->reconnects_label, self->engine ? tw_reverse_tunnel_get_reconnect_count (self->engine) : 0);
  set_label_size (self->sent_label, self->engine ? tw_reverse_tunnel_get_bytes_sent (self->engine) : 0);
  set_label_size (self->received_label, self->engine ? tw_reverse_tunnel_get_bytes_received (self->engine) : 0);
  set_label_uint (self->connections_label, self->engine ? tw_reverse_tunnel_get_connections (self->engine) : 0);

  running = state == TW_REVERSE_TUNNEL_STATE_CONNECTING || state == TW_REVERSE_TUNNEL_STATE_UP ||
            state == TW_REVERSE_TUNNEL_STATE_RETRYING;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.start", !running && self->tunnel != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.stop", running);

  /* A countdown and an uptime change every second without the engine saying so. */
  if ((state == TW_REVERSE_TUNNEL_STATE_RETRYING || state == TW_REVERSE_TUNNEL_STATE_UP) &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (self->tick_source == 0)
        self->tick_source = g_timeout_add_seconds (1, on_tick, self);
    }
  else
    g_clear_handle_id (&self->tick_source, g_source_remove);
}

static gboolean
on_tick (gpointer data)
{
  TwReverseStatusPage *self = data;

  update (self);
  return G_SOURCE_CONTINUE;
}

static void
update_settings (TwReverseStatusPage *self)
{
  g_autofree char *listen = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *bastion = NULL;

  if (self->tunnel != NULL)
    {
      const char *address = tw_tunnel_get_remote_address (self->tunnel);
      gboolean all = g_strcmp0 (address, "*") == 0 || address == NULL || *address == '\0';

      listen = g_strdup_printf ("%s:%u", tw_tunnel_get_ssh_host (self->tunnel) ? tw_tunnel_get_ssh_host (self->tunnel) : "",
                                tw_tunnel_get_remote_port (self->tunnel));
      adw_preferences_group_set_description (self->tunnel_group,
                                             all ? _("Point the service at the port the bastion listens on. "
                                                     "Other hosts can connect to it if the bastion’s sshd "
                                                     "allows it (GatewayPorts).")
                                                 : _("Point the service at the port the bastion listens on. "
                                                     "Only programs on the bastion itself can connect to it."));
      dest = g_strdup_printf ("%s:%u", tw_tunnel_get_dest_host (self->tunnel) ? tw_tunnel_get_dest_host (self->tunnel) : "",
                              tw_tunnel_get_dest_port (self->tunnel));
      bastion = g_strdup_printf ("%s@%s:%u", tw_tunnel_get_user (self->tunnel) ? tw_tunnel_get_user (self->tunnel) : "",
                                 tw_tunnel_get_ssh_host (self->tunnel) ? tw_tunnel_get_ssh_host (self->tunnel) : "",
                                 tw_tunnel_get_ssh_port (self->tunnel));
    }
  tw_copy_row_set_value (self->listen_row, listen);
  tw_copy_row_set_value (self->dest_row, dest);
  tw_copy_row_set_value (self->bastion_row, bastion);

  self->updating_switch = TRUE;
  gtk_switch_set_active (self->autostart_switch,
                         self->entry_id != NULL && tw_reverse_autostart_is_enabled (self->entry_id));
  self->updating_switch = FALSE;
  gtk_widget_set_sensitive (self->autostart_row, self->entry_id != NULL);
}

static void
on_autostart_changed (TwReverseStatusPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean active = gtk_switch_get_active (self->autostart_switch);

  if (self->updating_switch || self->entry_id == NULL)
    return;
  if (!tw_reverse_autostart_set_enabled (self->entry_id,
                                         self->tunnel ? tw_tunnel_get_name (self->tunnel) : NULL,
                                         active, &error))
    {
      tw_ui_show_toast (GTK_WIDGET (self), error->message);
      update_settings (self);
    }
}

static void
on_runner_changed (TwReverseStatusPage *self,
                   const char          *id)
{
  if (g_strcmp0 (id, self->entry_id) == 0)
    watch_engine (self);
}

static void
watch_engine (TwReverseStatusPage *self)
{
  TwReverseTunnel *engine = self->runner ? tw_reverse_runner_lookup (self->runner, self->entry_id) : NULL;

  if (engine != self->engine)
    {
      if (self->engine != NULL)
        g_signal_handlers_disconnect_by_func (self->engine, update, self);
      g_set_object (&self->engine, engine);
      if (engine != NULL)
        g_signal_connect_swapped (engine, "notify", G_CALLBACK (update), self);
    }
  update (self);
}

static void
tw_reverse_status_page_start (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_START_REQUESTED], 0);
}

static void
tw_reverse_status_page_stop (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TwReverseStatusPage *self = TW_REVERSE_STATUS_PAGE (widget);

  if (self->runner != NULL && self->entry_id != NULL)
    tw_reverse_runner_stop (self->runner, self->entry_id);
}

static void
tw_reverse_status_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tw_reverse_status_page_parent_class)->map (widget);
  update_settings (TW_REVERSE_STATUS_PAGE (widget));
  update (TW_REVERSE_STATUS_PAGE (widget));
}

static void
tw_reverse_status_page_unmap (GtkWidget *widget)
{
  g_clear_handle_id (&TW_REVERSE_STATUS_PAGE (widget)->tick_source, g_source_remove);
  GTK_WIDGET_CLASS (tw_reverse_status_page_parent_class)->unmap (widget);
}

static void
tw_reverse_status_page_dispose (GObject *object)
{
  TwReverseStatusPage *self = TW_REVERSE_STATUS_PAGE (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  tw_reverse_status_page_set_tunnel (self, NULL);
  tw_reverse_status_page_set_runner (self, NULL);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_func (self->engine, update, self);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->entry_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_REVERSE_STATUS_PAGE);

  G_OBJECT_CLASS (tw_reverse_status_page_parent_class)->dispose (object);
}

static void
tw_reverse_status_page_class_init (TwReverseStatusPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_reverse_status_page_dispose;
  widget_class->map = tw_reverse_status_page_map;
  widget_class->unmap = tw_reverse_status_page_unmap;

  signals[SIGNAL_START_REQUESTED] = g_signal_new ("start-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (TW_TYPE_COPY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-reverse-status-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, state_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, state_icon);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, up_since_label);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, reconnects_label);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, sent_label);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, received_label);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, connections_label);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, listen_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, dest_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, bastion_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, autostart_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseStatusPage, tunnel_group);
  gtk_widget_class_bind_template_callback (widget_class, on_autostart_changed);
  gtk_widget_class_install_action (widget_class, "page.start", NULL, tw_reverse_status_page_start);
  gtk_widget_class_install_action (widget_class, "page.stop", NULL, tw_reverse_status_page_stop);
}

static void
tw_reverse_status_page_init (TwReverseStatusPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

void
tw_reverse_status_page_set_tunnel (TwReverseStatusPage *self,
                                   TwTunnel            *tunnel)
{
  g_return_if_fail (TW_IS_REVERSE_STATUS_PAGE (self));

  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, update_settings, self);
  g_set_object (&self->tunnel, tunnel);
  if (tunnel != NULL)
    g_signal_connect_swapped (tunnel, "notify", G_CALLBACK (update_settings), self);
  if (self->listen_row != NULL)
    {
      update_settings (self);
      update (self);
    }
}

void
tw_reverse_status_page_set_entry_id (TwReverseStatusPage *self,
                                     const char          *entry_id)
{
  g_return_if_fail (TW_IS_REVERSE_STATUS_PAGE (self));

  g_free (self->entry_id);
  self->entry_id = g_strdup (entry_id);
  update_settings (self);
  watch_engine (self);
}

const char *
tw_reverse_status_page_get_entry_id (TwReverseStatusPage *self)
{
  g_return_val_if_fail (TW_IS_REVERSE_STATUS_PAGE (self), NULL);
  return self->entry_id;
}

void
tw_reverse_status_page_set_runner (TwReverseStatusPage *self,
                                   TwReverseRunner     *runner)
{
  g_return_if_fail (TW_IS_REVERSE_STATUS_PAGE (self));

  if (self->runner == runner)
    return;
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_func (self->runner, on_runner_changed, self);
  g_set_object (&self->runner, runner);
  if (runner != NULL)
    g_signal_connect_swapped (runner, "changed", G_CALLBACK (on_runner_changed), self);
  if (self->listen_row != NULL)
    watch_engine (self);
}

const char *
tw_reverse_status_page_get_state_text (TwReverseStatusPage *self)
{
  g_return_val_if_fail (TW_IS_REVERSE_STATUS_PAGE (self), NULL);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->state_row));
}
