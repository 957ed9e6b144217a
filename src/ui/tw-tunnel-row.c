/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-tunnel-row.h"

struct _TwTunnelRow
{
  AdwActionRow   parent_instance;

  GtkImage      *status_icon;
  GtkButton     *check_button;
  GtkButton     *delete_button;

  TwTunnelEntry *entry;
};

G_DEFINE_FINAL_TYPE (TwTunnelRow, tw_tunnel_row, ADW_TYPE_ACTION_ROW)

static const char *
verdict_label (const char *verdict)
{
  if (g_strcmp0 (verdict, "pass") == 0)
    return _("All checks passed");
  if (g_strcmp0 (verdict, "warn") == 0)
    return _("Passed with warnings");
  if (g_strcmp0 (verdict, "fail") == 0)
    return _("A check failed");
  return _("Not checked yet");
}

static const char *
verdict_icon (const char *verdict,
              const char **css_class)
{
  if (g_strcmp0 (verdict, "pass") == 0)
    return *css_class = "success", "emblem-ok-symbolic";
  if (g_strcmp0 (verdict, "warn") == 0)
    return *css_class = "warning", "dialog-warning-symbolic";
  if (g_strcmp0 (verdict, "fail") == 0)
    return *css_class = "error", "dialog-error-symbolic";
  return *css_class = "dim-label", "network-server-symbolic";
}

static void
update (TwTunnelRow *self)
{
  TwTunnel *tunnel = tw_tunnel_entry_get_tunnel (self->entry);
  g_autofree char *subtitle = NULL;
  g_autofree char *target = NULL;
  const char *css_class = NULL;
  const char *verdict;
  GDateTime *checked;

  if (tunnel == NULL)
    {
      g_autofree char *title = g_path_get_basename (tw_tunnel_entry_get_path (self->entry));
      /* Translators: %s is why the file could not be read; the file's path follows */
      g_autofree char *message = g_strdup_printf (_("Could not be read, left untouched: %s\n%s"),
                                                   tw_tunnel_entry_get_error (self->entry)->message,
                                                   tw_tunnel_entry_get_path (self->entry));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), message);
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Broken file"), -1);
      gtk_widget_set_visible (GTK_WIDGET (self->check_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->delete_button), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
      return;
    }

  target = g_strdup_printf ("%s@%s:%u",
                            tw_tunnel_get_user (tunnel) ? tw_tunnel_get_user (tunnel) : "?",
                            tw_tunnel_get_ssh_host (tunnel) ? tw_tunnel_get_ssh_host (tunnel) : "?",
                            tw_tunnel_get_ssh_port (tunnel));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 tw_tunnel_get_name (tunnel) && *tw_tunnel_get_name (tunnel)
                                 ? tw_tunnel_get_name (tunnel) : target);

  verdict = tw_tunnel_entry_get_last_verdict (self->entry);
  checked = tw_tunnel_entry_get_last_checked (self->entry);
  if (checked != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (checked);
      /* Translators: a date and time in strftime() format */
      g_autofree char *when = g_date_time_format (local, _("%e %b %Y, %H:%M"));

      /* Translators: "fivetran@bastion:22 · All checks passed, 24 Nov 2026, 10:30" */
      subtitle = g_strdup_printf (_("%s · %s, %s"), target, verdict_label (verdict), g_strstrip (when));
    }
  else
    subtitle = g_strdup_printf (_("%s · %s"), target, verdict_label (verdict));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  gtk_image_set_from_icon_name (self->status_icon, verdict_icon (verdict, &css_class));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, verdict_label (verdict), -1);
}

static void
tw_tunnel_row_dispose (GObject *object)
{
  TwTunnelRow *self = TW_TUNNEL_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_TUNNEL_ROW);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (tw_tunnel_row_parent_class)->dispose (object);
}

static void
tw_tunnel_row_class_init (TwTunnelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_tunnel_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-tunnel-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TwTunnelRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, TwTunnelRow, check_button);
  gtk_widget_class_bind_template_child (widget_class, TwTunnelRow, delete_button);
}

static void
tw_tunnel_row_init (TwTunnelRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TwTunnelRow *
tw_tunnel_row_new (TwTunnelEntry *entry)
{
  TwTunnelRow *self = g_object_new (TW_TYPE_TUNNEL_ROW, NULL);
  GVariant *id = g_variant_new_string (tw_tunnel_entry_get_id (entry));

  self->entry = g_object_ref (entry);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->check_button), id);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->delete_button), id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), "win.open-tunnel");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self), id);
  g_signal_connect_object (entry, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  return self;
}

TwTunnelEntry *
tw_tunnel_row_get_entry (TwTunnelRow *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ROW (self), NULL);
  return self->entry;
}
