/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-tunnel-row.h"
#include "tw-ui-util.h"

struct _TwTunnelRow
{
  AdwActionRow   parent_instance;

  GtkImage      *status_icon;
  GtkButton     *check_button;
  GtkButton     *delete_button;
  GtkToggleButton *background_button;

  TwTunnelEntry *entry;
  TwReverseRunner *runner;                /* nullable: a reverse tunnel shows its state */
  GCancellable  *background_cancellable;  /* a look, an install or a remove under way */
  gboolean       syncing;                 /* the button follows the files, not the admin */
};

G_DEFINE_FINAL_TYPE (TwTunnelRow, tw_tunnel_row, ADW_TYPE_ACTION_ROW)

/* What the last run proved, and no more: which checks ran (the SSH port's alone after a
 * "Check again"), never "all" unless all ran. (transfer full) */
static char *
verdict_label (const char         *verdict,
               const char * const *checks)
{
  const char * const *tunnel_checks = tw_probe_get_tunnel_check_ids ();
  guint n = checks != NULL ? g_strv_length ((char **) checks) : 0;
  gboolean ssh_only = n > 0;

  for (guint i = 0; ssh_only && tunnel_checks[i] != NULL; i++)
    if (g_strv_contains (checks, tunnel_checks[i]))
      ssh_only = FALSE;

  if (g_strcmp0 (verdict, "pass") == 0 && n == 0)
    return g_strdup (_("Checks passed"));
  if (g_strcmp0 (verdict, "pass") == 0 && ssh_only)
    /* e.g. "The SSH port’s 6 checks passed": those of "Test the SSH port" only */
    return g_strdup_printf (ngettext ("The SSH port’s check passed", "The SSH port’s %u checks passed", n), n);
  if (g_strcmp0 (verdict, "pass") == 0)
    return g_strdup_printf (ngettext ("%u check passed", "%u checks passed", n), n);
  if (g_strcmp0 (verdict, "warn") == 0 && ssh_only)
    return g_strdup (_("The SSH port’s checks passed with warnings"));
  if (g_strcmp0 (verdict, "warn") == 0)
    return g_strdup (_("Passed with warnings"));
  if (g_strcmp0 (verdict, "fail") == 0)
    return g_strdup (_("A check failed"));
  return g_strdup (_("Not checked yet"));
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

/* A reverse tunnel shows its live state instead of a check result. */
static void
update_reverse (TwTunnelRow *self,
                TwTunnel    *tunnel,
                const char  *target)
{
  TwReverseRunner *runner = self->runner;
  TwReverseTunnel *engine = runner ? tw_reverse_runner_lookup (runner, tw_tunnel_entry_get_id (self->entry)) : NULL;
  TwReverseTunnelState state = engine ? tw_reverse_tunnel_get_state (engine) : TW_REVERSE_TUNNEL_STATE_STOPPED;
  g_autofree char *status = engine ? tw_reverse_runner_describe (engine) : g_strdup (_("Stopped"));
  g_autofree char *subtitle = NULL;
  const char *icon = "network-offline-symbolic";
  const char *css = "dim-label";

  if (state == TW_REVERSE_TUNNEL_STATE_UP)
    icon = "emblem-ok-symbolic", css = "success";
  else if (state == TW_REVERSE_TUNNEL_STATE_RETRYING)
    icon = "view-refresh-symbolic", css = "warning";
  else if (state == TW_REVERSE_TUNNEL_STATE_FAILED)
    icon = "dialog-error-symbolic", css = "error";
  else if (state == TW_REVERSE_TUNNEL_STATE_CONNECTING)
    icon = "network-transmit-receive-symbolic", css = NULL;

  /* Translators: "Reverse, fivetran@bastion:22 → port 55432 · Up since 10:30" */
  subtitle = g_strdup_printf (_("Reverse, %s → port %u · %s"), target, tw_tunnel_get_remote_port (tunnel), status);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_image_set_from_icon_name (self->status_icon, icon);
  tw_ui_set_status_class (GTK_WIDGET (self->status_icon), css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status, -1);
}

static void
update (TwTunnelRow *self)
{
  TwTunnel *tunnel = tw_tunnel_entry_get_tunnel (self->entry);
  g_autofree char *subtitle = NULL;
  g_autofree char *target = NULL;
  const char *css_class = NULL;
  const char *verdict;
  g_autofree char *label = NULL;
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
      gtk_widget_set_visible (GTK_WIDGET (self->background_button), FALSE);
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

  /* A reverse tunnel is watched live by the app itself */
  gtk_widget_set_visible (GTK_WIDGET (self->background_button), tw_tunnel_get_mode (tunnel) != TW_TUNNEL_MODE_REVERSE);
  if (tw_tunnel_get_mode (tunnel) == TW_TUNNEL_MODE_REVERSE)
    {
      update_reverse (self, tunnel, target);
      return;
    }

  verdict = tw_tunnel_entry_get_last_verdict (self->entry);
  label = verdict_label (verdict, tw_tunnel_entry_get_last_checks (self->entry));
  checked = tw_tunnel_entry_get_last_checked (self->entry);
  if (checked != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (checked);
      /* Translators: a date and time in strftime() format */
      g_autofree char *when = g_date_time_format (local, _("%e %b %Y, %H:%M"));

      /* Translators: "fivetran@bastion:22 · All checks passed, 24 Nov 2026, 10:30" */
      const char *day = when;

      /* %e pads a one-digit day with a figure space (U+2007), which g_strstrip() keeps */
      while (g_str_has_prefix (day, "\u2007") || *day == ' ')
        day += *day == ' ' ? 1 : strlen ("\u2007");
      subtitle = g_strdup_printf (_("%s · %s, %s"), target, label, day);
    }
  else
    subtitle = g_strdup_printf (_("%s · %s"), target, label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  gtk_image_set_from_icon_name (self->status_icon, verdict_icon (verdict, &css_class));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* ---- Check in the Background ----------------------------------------------------------- */

#define BACKGROUND_MINUTES 15

/* @installed: what the worker found after its job, so the main thread never stats */
static void
show_background_state (TwTunnelRow *self,
                       gboolean     installed,
                       const char  *problem)
{
  g_autofree char *tip = NULL;

  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->background_button, installed);
  self->syncing = FALSE;
  if (problem != NULL)
    /* e.g. "Installed, but not started: Failed to connect to bus …" */
    tip = g_strdup_printf (_("Set up, but systemd did not start it (%s): it starts with your next login"), problem);
  else if (installed)
    tip = g_strdup_printf (_("Checked every %u minutes in the background; a notification says when the "
                             "result or the host key changes. Click to stop."), BACKGROUND_MINUTES);
  else
    tip = g_strdup (_("Check in the Background"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->background_button), tip);
}

typedef enum
{
  BACKGROUND_QUERY,     /* only find out whether the units are there */
  BACKGROUND_INSTALL,
  BACKGROUND_REMOVE,
} BackgroundAction;

typedef struct
{
  char             *id;
  char             *name;
  BackgroundAction  action;
  char             *problem;
  gboolean          installed;   /* after the action */
} BackgroundJob;

static void
background_job_free (gpointer data)
{
  BackgroundJob *job = data;

  g_free (job->id);
  g_free (job->name);
  g_free (job->problem);
  g_free (job);
}

static gboolean
background_act (BackgroundJob  *job,
                GError        **error)
{
  g_autofree char *tool = NULL;
  gboolean started = FALSE;

  switch (job->action)
    {
    case BACKGROUND_QUERY:
      return TRUE;

    case BACKGROUND_REMOVE:
      tw_monitor_remove (job->id);
      return TRUE;

    case BACKGROUND_INSTALL:
    default:
      tool = tw_monitor_find_tool ();
      if (tool == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("tunnel-check, which runs the checks, is not installed"));
          return FALSE;
        }
      return tw_monitor_install (job->id, job->name, tool, BACKGROUND_MINUTES, &started, &job->problem, error);
    }
}

/* Worker thread: files and systemctl may take their time, and even a stat may (a home on NFS) */
static void
background_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BackgroundJob *job = task_data;
  GError *error = NULL;
  gboolean done = background_act (job, &error);

  job->installed = tw_monitor_is_installed (job->id);
  if (!done)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_background_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  BackgroundJob *job = g_task_get_task_data (G_TASK (result));
  TwTunnelRow *self = TW_TUNNEL_ROW (source);

  /* Cancelled: the row went, or the admin clicked before the first answer came */
  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->background_cancellable);
  if (job->action != BACKGROUND_QUERY)
    gtk_widget_set_sensitive (GTK_WIDGET (self->background_button), TRUE);
  show_background_state (self, job->installed, error != NULL ? error->message : job->problem);
}

static void
start_background_job (TwTunnelRow      *self,
                      BackgroundAction  action)
{
  BackgroundJob *job = g_new0 (BackgroundJob, 1);
  TwTunnel *tunnel = tw_tunnel_entry_get_tunnel (self->entry);
  g_autoptr(GTask) task = NULL;

  if (self->background_cancellable != NULL)
    g_cancellable_cancel (self->background_cancellable);
  g_clear_object (&self->background_cancellable);

  job->id = g_strdup (tw_tunnel_entry_get_id (self->entry));
  job->name = g_strdup (tunnel != NULL ? tw_tunnel_get_name (tunnel) : NULL);
  job->action = action;
  self->background_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->background_cancellable, on_background_done, NULL);
  g_task_set_task_data (task, job, background_job_free);
  g_task_run_in_thread (task, background_thread);
}

static void
on_background_toggled (TwTunnelRow *self)
{
  if (self->syncing || tw_tunnel_entry_get_tunnel (self->entry) == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->background_button), FALSE);
  start_background_job (self, gtk_toggle_button_get_active (self->background_button)
                              ? BACKGROUND_INSTALL : BACKGROUND_REMOVE);
}

static void
tw_tunnel_row_dispose (GObject *object)
{
  TwTunnelRow *self = TW_TUNNEL_ROW (object);

  if (self->background_cancellable != NULL)
    g_cancellable_cancel (self->background_cancellable);
  g_clear_object (&self->background_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_TUNNEL_ROW);
  g_clear_object (&self->entry);
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_func (self->runner, update, self);
  g_clear_object (&self->runner);

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
  gtk_widget_class_bind_template_child (widget_class, TwTunnelRow, background_button);
  gtk_widget_class_bind_template_callback (widget_class, on_background_toggled);
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
  show_background_state (self, FALSE, NULL);
  if (tw_tunnel_entry_get_tunnel (entry) != NULL)
    start_background_job (self, BACKGROUND_QUERY);
  return self;
}

void
tw_tunnel_row_set_runner (TwTunnelRow     *self,
                          TwReverseRunner *runner)
{
  g_return_if_fail (TW_IS_TUNNEL_ROW (self));

  if (self->runner == runner)
    return;
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_func (self->runner, update, self);
  g_set_object (&self->runner, runner);
  if (runner != NULL)
    g_signal_connect_swapped (runner, "changed", G_CALLBACK (update), self);
  update (self);
}

TwTunnelEntry *
tw_tunnel_row_get_entry (TwTunnelRow *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ROW (self), NULL);
  return self->entry;
}
