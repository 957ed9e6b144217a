/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The monitoring side of tunnel-check: saved tunnels by name, several probes at once, and
 * their reports for Nagios/Icinga, Prometheus (stdout or node_exporter's textfile) and
 * `tunnel-check list`.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tw-cli.h"
#include "tw-cli-common.h"
#include "tw-cli-monitor.h"

gboolean
tw_cli_format_from_string (const char  *text,
                           TwCliFormat *format)
{
  static const char * const names[] = { "text", "json", "nagios", "prometheus" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *format = (TwCliFormat) i;
        return TRUE;
      }
  return FALSE;
}

char *
tw_cli_tunnel_label (TwTunnel *tunnel)
{
  const char *name = tw_tunnel_get_name (tunnel);

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  return g_strdup_printf ("%s:%u", tw_tunnel_get_ssh_host (tunnel), tw_tunnel_get_ssh_port (tunnel));
}

GPtrArray *
tw_cli_load_tunnels (const char  *name,
                     GError     **error)
{
  g_autoptr(TwTunnelStore) store = tw_tunnel_store_new (NULL);
  g_autoptr(GPtrArray) tunnels = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(TwCliWait) wait = { NULL };
  guint n;

  tw_tunnel_store_load_async (store, NULL, tw_cli_wait_done, &wait);
  if (!tw_tunnel_store_load_finish (store, tw_cli_wait_run (&wait), error))
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwTunnelEntry) entry = g_list_model_get_item (G_LIST_MODEL (store), i);
      TwTunnel *tunnel = tw_tunnel_entry_get_tunnel (entry);

      /* A file that did not load has no tunnel to check: said, not skipped silently */
      if (tw_tunnel_entry_get_error (entry) != NULL || tunnel == NULL)
        {
          if (name == NULL)
            g_printerr (_("tunnel-check: skipping a saved tunnel that does not load: %s\n"),
                        tw_tunnel_entry_get_error (entry) ? tw_tunnel_entry_get_error (entry)->message : "");
          continue;
        }
      if (name == NULL || g_strcmp0 (tw_tunnel_get_name (tunnel), name) == 0 ||
          g_strcmp0 (tw_tunnel_entry_get_id (entry), name) == 0)
        {
          g_object_set_data_full (G_OBJECT (tunnel), TW_CLI_TUNNEL_ID, g_strdup (tw_tunnel_entry_get_id (entry)),
                                  g_free);
          g_ptr_array_add (tunnels, g_object_ref (tunnel));
        }
    }
  if (tunnels->len == 0)
    {
      if (name != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("no saved tunnel is called “%s” (tunnel-check list shows them)"), name);
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("there are no saved tunnels (save one in Tunnel Wizard first)"));
      return NULL;
    }
  return g_steal_pointer (&tunnels);
}

static void notify_changes (GPtrArray          *probes,
                            GPtrArray          *reports,
                            const char * const *names);

/* ---- running several probes ---------------------------------------------------------- */

typedef struct
{
  guint      *pending;
  GPtrArray  *reports;
  guint       index;
} RunSlot;

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  RunSlot *slot = user_data;
  g_autoptr(GError) error = NULL;
  TwReport *report = tw_probe_run_finish (TW_PROBE (source), result, &error);

  /* A cancelled run still has its report: what finished, the rest skipped */
  if (report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    report = g_object_ref (tw_probe_get_report (TW_PROBE (source)));
  g_ptr_array_index (slot->reports, slot->index) = report;
  --*slot->pending;
  g_free (slot);
}

/* A slot stays NULL for a run that ended without a report */
static void
unref_report (gpointer report)
{
  if (report != NULL)
    g_object_unref (report);
}

static void
print_text (GPtrArray          *reports,
            const char * const *names)
{
  for (guint i = 0; i < reports->len; i++)
    {
      TwReport *report = g_ptr_array_index (reports, i);
      GListModel *checks = report != NULL ? tw_report_get_checks (report) : NULL;
      g_autofree char *verdict = g_ascii_strup (report != NULL ? tw_check_status_to_string (tw_report_get_verdict (report))
                                                               : "unknown", -1);

      printf ("%-8s %s\n", verdict, names[i]);
      for (guint j = 0; checks != NULL && j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, j);
          TwCheckStatus status = tw_check_result_get_status (result);

          if (status == TW_CHECK_STATUS_FAIL || status == TW_CHECK_STATUS_WARN)
            printf ("         %s %s: %s\n", tw_check_status_to_string (status), tw_check_result_get_id (result),
                    tw_check_result_get_summary (result) ? tw_check_result_get_summary (result) : "");
        }
    }
}

static void
print_json (GPtrArray          *reports,
            const char * const *names)
{
  printf ("{\"tunnels\": [");
  for (guint i = 0; i < reports->len; i++)
    {
      TwReport *report = g_ptr_array_index (reports, i);
      g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), names[i]);
      g_autofree char *quoted = json_to_string (name, FALSE);
      g_autofree char *text = report != NULL ? tw_report_to_json (report) : g_strdup ("null");

      printf ("%s\n{\"name\": %s, \"report\": %s}", i > 0 ? "," : "", quoted, text);
    }
  printf ("]}\n");
}

int
tw_cli_monitor_run (GPtrArray   *probes,
                    TwCliFormat  format,
                    const char  *textfile,
                    gboolean     notify_changes_wanted)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) reports = g_ptr_array_new_full (probes->len, unref_report);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint pending = probes->len;
  guint sigint_id;
  int exit_code = TW_CLI_EXIT_OK;

  g_ptr_array_set_size (reports, probes->len);
  for (guint i = 0; i < probes->len; i++)
    {
      TwProbe *probe = g_ptr_array_index (probes, i);
      RunSlot *slot = g_new0 (RunSlot, 1);

      g_ptr_array_add (names, tw_cli_tunnel_label (tw_probe_get_tunnel (probe)));
      slot->pending = &pending;
      slot->reports = reports;
      slot->index = i;
      tw_probe_run_async (probe, cancellable, on_probe_done, slot);
    }
  g_ptr_array_add (names, NULL);

  sigint_id = tw_cli_cancel_on_interrupt (cancellable);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint_id);

  if (notify_changes_wanted && !g_cancellable_is_cancelled (cancellable))
    notify_changes (probes, reports, (const char * const *) names->pdata);

  if (textfile != NULL)
    {
      g_autofree char *metrics = tw_reports_to_prometheus (reports, (const char * const *) names->pdata);
      g_autoptr(GError) error = NULL;

      /* A temporary file renamed over the old one: the collector never reads half a file */
      if (!g_file_set_contents_full (textfile, metrics, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
        {
          g_printerr ("tunnel-check probe: %s\n", error->message);
          exit_code = TW_CLI_EXIT_FAILED;
        }
    }

  switch (format)
    {
    case TW_CLI_FORMAT_NAGIOS:
      {
        TwNagiosState state;
        g_autofree char *line = tw_reports_to_nagios (reports, (const char * const *) names->pdata, &state);

        printf ("%s", line);
        return state;
      }
    case TW_CLI_FORMAT_PROMETHEUS:
      if (textfile == NULL)
        {
          g_autofree char *metrics = tw_reports_to_prometheus (reports, (const char * const *) names->pdata);

          printf ("%s", metrics);
        }
      break;
    case TW_CLI_FORMAT_JSON:
      print_json (reports, (const char * const *) names->pdata);
      break;
    case TW_CLI_FORMAT_TEXT:
    default:
      print_text (reports, (const char * const *) names->pdata);
      break;
    }

  for (guint i = 0; i < reports->len; i++)
    {
      TwReport *report = g_ptr_array_index (reports, i);

      if (report == NULL || tw_report_get_verdict (report) == TW_CHECK_STATUS_FAIL)
        exit_code = TW_CLI_EXIT_FAILED;
    }
  return exit_code;
}

/* ---- --notify-changes ------------------------------------------------------------------- */

/* What a run said that is worth a notification when it changes */
static char *
state_of (TwReport *report)
{
  if (report == NULL)
    return g_strdup ("unknown");
  return g_strdup_printf ("%s %s", tw_check_status_to_string (tw_report_get_verdict (report)),
                          tw_report_get_host_key_fingerprint (report) ? tw_report_get_host_key_fingerprint (report)
                                                                      : "-");
}

static gboolean
notify (const char  *summary,
        const char  *body,
        GError     **error)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  g_autoptr(GVariant) reply = NULL;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                                       "org.freedesktop.Notifications", "Notify",
                                       g_variant_new ("(susssasa{sv}i)", "Tunnel Wizard", 0,
                                                      "io.github.tunnelwizard.TunnelWizard", summary, body,
                                                      NULL, NULL, -1),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, error);
  return reply != NULL;
}

/* Compares each saved tunnel's result with the one its last background run kept, and says
 * so on the desktop when the verdict or the host key changed. */
static void
notify_changes (GPtrArray          *probes,
                GPtrArray          *reports,
                const char * const *names)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "tunnel-wizard", "monitor", NULL);

  g_mkdir_with_parents (dir, 0700);
  for (guint i = 0; i < probes->len; i++)
    {
      const char *id = g_object_get_data (G_OBJECT (tw_probe_get_tunnel (g_ptr_array_index (probes, i))),
                                          TW_CLI_TUNNEL_ID);
      g_autofree char *file = NULL, *before = NULL, *now = NULL;
      g_autoptr(GError) error = NULL;

      if (id == NULL)
        continue;
      file = g_strdup_printf ("%s/%s.state", dir, id);
      now = state_of (g_ptr_array_index (reports, i));
      if (g_file_get_contents (file, &before, NULL, NULL) && g_strcmp0 (g_strchomp (before), now) != 0)
        {
          /* e.g. "Tunnel “warehouse” changed: pass SHA256:… → fail SHA256:…" */
          g_autofree char *summary = g_strdup_printf (_("Tunnel “%s” changed"), names[i]);
          g_autofree char *body = g_strdup_printf (_("Before: %s\nNow: %s"), before, now);

          g_autoptr(GError) notify_error = NULL;

          /* On standard error: standard output keeps the format's contract (one Nagios line) */
          g_printerr (_("%s: changed from “%s” to “%s”\n"), names[i], before, now);
          if (!notify (summary, body, &notify_error))
            g_printerr (_("tunnel-check: could not show a notification: %s\n"), notify_error->message);
        }
      if (!g_file_set_contents_full (file, now, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        g_printerr ("tunnel-check: %s\n", error->message);
    }
}

/* ---- tunnel-check list ---------------------------------------------------------------- */

/* (transfer full): one tunnel of list --json */
static JsonObject *
tunnel_to_json (TwTunnel *tunnel)
{
  JsonObject *object = json_object_new ();
  g_autofree char *label = tw_cli_tunnel_label (tunnel);

  json_object_set_string_member (object, "name", label);
  json_object_set_string_member (object, "host", tw_tunnel_get_ssh_host (tunnel));
  json_object_set_int_member (object, "port", tw_tunnel_get_ssh_port (tunnel));
  json_object_set_string_member (object, "user", tw_tunnel_get_user (tunnel));
  json_object_set_boolean_member (object, "pinned", tw_tunnel_get_pinned_fingerprint (tunnel) != NULL ||
                                                    tw_tunnel_get_pinned_host_keys (tunnel) != NULL);
  return object;
}

int
tw_cli_list (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tunnels = NULL;

  g_option_context_set_summary (context, _("List the tunnels saved in Tunnel Wizard, for probe --tunnel."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tw_cli_usage_error ("list", error->message);
  if (argc > 1)
    return tw_cli_usage_error ("list", _("unexpected argument"));

  tunnels = tw_cli_load_tunnels (NULL, &error);
  if (tunnels == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_printerr ("tunnel-check list: %s\n", error->message);
      return TW_CLI_EXIT_FAILED;
    }

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) object = json_object_new ();
      JsonArray *array = json_array_new ();

      for (guint i = 0; tunnels != NULL && i < tunnels->len; i++)
        json_array_add_object_element (array, tunnel_to_json (g_ptr_array_index (tunnels, i)));
      json_object_set_array_member (object, "tunnels", array);
      json_node_set_object (root, object);
      tw_cli_print_json (root);
      return TW_CLI_EXIT_OK;
    }

  for (guint i = 0; tunnels != NULL && i < tunnels->len; i++)
    {
      TwTunnel *tunnel = g_ptr_array_index (tunnels, i);
      g_autofree char *label = tw_cli_tunnel_label (tunnel);

      tw_cli_print_padded (label, 24);
      printf (" %s@%s:%u%s\n", tw_tunnel_get_user (tunnel) ? tw_tunnel_get_user (tunnel) : "?",
              tw_tunnel_get_ssh_host (tunnel) ? tw_tunnel_get_ssh_host (tunnel) : "?",
              tw_tunnel_get_ssh_port (tunnel),
              tw_tunnel_get_pinned_fingerprint (tunnel) != NULL || tw_tunnel_get_pinned_host_keys (tunnel) != NULL
              ? _("  (host key pinned)") : _("  (host key not pinned)"));
    }
  return TW_CLI_EXIT_OK;
}

/* ---- tunnel-check monitor ------------------------------------------------------------- */

int
tw_cli_monitor (int    argc,
                char **argv)
{
  g_autofree char *install = NULL, *remove = NULL, *print = NULL;
  int every = 15;
  const GOptionEntry entries[] = {
    { "install", 0, 0, G_OPTION_ARG_STRING, &install, N_("Check this saved tunnel in the background: write the systemd user service and timer, and start the timer"), "NAME" },
    { "remove", 0, 0, G_OPTION_ARG_STRING, &remove, N_("Stop checking this saved tunnel in the background, and remove its units"), "NAME" },
    { "print", 0, 0, G_OPTION_ARG_STRING, &print, N_("Print the units --install would write"), "NAME" },
    { "every", 0, 0, G_OPTION_ARG_INT, &every, N_("Minutes between two checks (15)"), "MINUTES" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tunnels = NULL;
  g_autofree char *self_path = NULL, *service = NULL, *timer = NULL, *unit = NULL, *dir = NULL;
  g_autofree char *service_path = NULL, *timer_path = NULL, *timer_name = NULL, *problem = NULL;
  gboolean started = FALSE;
  const char *name;
  const char *id;

  g_option_context_set_summary (context, _("Check a saved tunnel in the background, with a systemd user timer; "
                                           "a desktop notification says when its result or host key changes."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tw_cli_usage_error ("monitor", error->message);
  if (argc > 1)
    return tw_cli_usage_error ("monitor", _("unexpected argument"));
  if ((install != NULL) + (remove != NULL) + (print != NULL) != 1)
    return tw_cli_usage_error ("monitor", _("give one of --install, --remove and --print"));
  if (every < 1 || every > 1440)
    return tw_cli_usage_error ("monitor", _("--every must be between 1 and 1440 minutes"));

  name = install != NULL ? install : remove != NULL ? remove : print;
  tunnels = tw_cli_load_tunnels (name, &error);
  if (tunnels == NULL)
    return tw_cli_usage_error ("monitor", error->message);
  id = g_object_get_data (G_OBJECT (g_ptr_array_index (tunnels, 0)), TW_CLI_TUNNEL_ID);
  unit = tw_monitor_unit_name (id);
  dir = g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
  service_path = g_strdup_printf ("%s/%s.service", dir, unit);
  timer_path = g_strdup_printf ("%s/%s.timer", dir, unit);
  timer_name = g_strdup_printf ("%s.timer", unit);

  if (remove != NULL)
    {
      printf (tw_monitor_remove (id) ? _("Stopped checking “%s” in the background.\n")
                                     : _("“%s” was not checked in the background.\n"), name);
      return TW_CLI_EXIT_OK;
    }

  self_path = tw_paths_get_executable (&error);
  if (self_path == NULL)
    {
      g_printerr ("tunnel-check monitor: %s\n", error->message);
      return TW_CLI_EXIT_FAILED;
    }
  if (print != NULL)
    {
      if (!tw_monitor_units_new (id, tw_tunnel_get_name (g_ptr_array_index (tunnels, 0)), self_path, (guint) every,
                                 &service, &timer, &error))
        {
          g_printerr ("tunnel-check monitor: %s\n", error->message);
          return TW_CLI_EXIT_FAILED;
        }
      printf ("# %s\n%s\n# %s\n%s", service_path, service, timer_path, timer);
      return TW_CLI_EXIT_OK;
    }

  if (!tw_monitor_install (id, tw_tunnel_get_name (g_ptr_array_index (tunnels, 0)), self_path, (guint) every,
                           &started, &problem, &error))
    {
      g_printerr ("tunnel-check monitor: %s\n", error->message);
      return TW_CLI_EXIT_FAILED;
    }
  if (!started)
    {
      g_printerr (_("tunnel-check monitor: wrote %s and %s, but systemctl could not start the timer (%s). "
                    "In your desktop session, run: systemctl --user daemon-reload && "
                    "systemctl --user enable --now %s\n"), service_path, timer_path, problem, timer_name);
      return TW_CLI_EXIT_FAILED;
    }
  printf (_("Checking “%s” every %d minutes in the background (%s).\n"), name, every, timer_name);
  return TW_CLI_EXIT_OK;
}
