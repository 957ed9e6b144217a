/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-report-monitoring.h"

static const char *
state_label (TwNagiosState state)
{
  static const char * const labels[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

  return labels[state];
}

/* The worst check of a report and what it makes the state */
static TwNagiosState
report_state (TwReport       *report,
              TwCheckResult **worst)
{
  GListModel *checks = tw_report_get_checks (report);
  TwNagiosState state = TW_NAGIOS_OK;

  *worst = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, i);
      TwCheckStatus status = tw_check_result_get_status (result);
      TwNagiosState here = status == TW_CHECK_STATUS_FAIL ? TW_NAGIOS_CRITICAL
                           : status == TW_CHECK_STATUS_WARN ? TW_NAGIOS_WARNING : TW_NAGIOS_OK;

      if (here > state)
        {
          state = here;
          *worst = result;  /* the report holds it */
        }
    }
  return state;
}

/* A status line may not hold a "|" (it starts the perfdata) nor a line break. */
static void
append_plain (GString    *out,
              const char *text)
{
  for (const char *c = text != NULL ? text : ""; *c != '\0'; c++)
    g_string_append_c (out, *c == '|' ? '/' : (*c == '\n' || *c == '\r') ? ' ' : *c);
}

/* Perfdata labels are quoted with ', which a label doubles */
static void
append_perf_label (GString    *out,
                   const char *name,
                   const char *check)
{
  g_autofree char *label = g_strdup_printf ("%s %s", name, check);
  g_auto(GStrv) parts = g_strsplit (label, "'", -1);
  g_autofree char *quoted = g_strjoinv ("''", parts);

  g_string_append_printf (out, " '%s'", quoted);
}

char *
tw_reports_to_nagios (GPtrArray          *reports,
                      const char * const *names,
                      TwNagiosState      *state)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GString) perf = g_string_new (NULL);
  TwNagiosState worst_state = TW_NAGIOS_OK;
  guint n_bad = 0;

  g_return_val_if_fail (reports != NULL && names != NULL && state != NULL, NULL);

  for (guint i = 0; i < reports->len; i++)
    {
      TwReport *report = g_ptr_array_index (reports, i);
      TwCheckResult *worst = NULL;
      TwNagiosState here = report != NULL ? report_state (report, &worst) : TW_NAGIOS_UNKNOWN;
      GListModel *checks;

      worst_state = MAX (worst_state, here);
      if (here != TW_NAGIOS_OK)
        {
          g_string_append (line, n_bad++ > 0 ? "; " : "");
          append_plain (line, names[i]);
          if (worst != NULL)
            {
              g_string_append_printf (line, ": %s: ", tw_check_result_get_id (worst));
              append_plain (line, tw_check_result_get_summary (worst));
            }
          else
            g_string_append (line, _(": the checks did not run to the end"));
        }
      if (report == NULL)
        continue;
      checks = tw_report_get_checks (report);
      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, j);
          TwCheckStatus status = tw_check_result_get_status (result);

          if (status == TW_CHECK_STATUS_SKIP || !tw_check_status_is_final (status))
            continue;
          append_perf_label (perf, names[i], tw_check_result_get_id (result));
          g_string_append_printf (perf, "=%ums;;;;", tw_check_result_get_duration_ms (result));
        }
    }

  if (n_bad == 0)
    {
      if (reports->len == 1)
        {
          g_string_append (line, _("every check passed: "));
          append_plain (line, names[0]);
        }
      else
        g_string_printf (line, _("%u tunnels, every check passed"), reports->len);
    }
  *state = worst_state;
  return g_strdup_printf ("TUNNEL %s - %s |%s\n", state_label (worst_state), line->str, perf->str);
}

/* Label values escape \, " and line breaks (the exposition format) */
static char *
label_value (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *c = text != NULL ? text : ""; *c != '\0'; c++)
    {
      if (*c == '\\' || *c == '"')
        g_string_append_c (out, '\\');
      if (*c == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

static void
family (GString    *out,
        const char *name,
        const char *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* One series per check of each report: its status as a number, or (@durations) how long it
 * took, for the checks that ran */
static void
append_check_series (GString    *out,
                     GPtrArray  *reports,
                     GPtrArray  *labels,
                     const char *name,
                     gboolean    durations)
{
  for (guint i = 0; i < reports->len; i++)
    {
      TwReport *report = g_ptr_array_index (reports, i);
      GListModel *checks = report != NULL ? tw_report_get_checks (report) : NULL;

      for (guint j = 0; checks != NULL && j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, j);
          TwCheckStatus status = tw_check_result_get_status (result);
          char value[G_ASCII_DTOSTR_BUF_SIZE];

          if (durations && (status == TW_CHECK_STATUS_SKIP || !tw_check_status_is_final (status)))
            continue;
          if (durations)
            g_ascii_formatd (value, sizeof value, "%.3f", tw_check_result_get_duration_ms (result) / 1000.0);
          else
            g_snprintf (value, sizeof value, "%d", status == TW_CHECK_STATUS_PASS ? 0
                                                   : status == TW_CHECK_STATUS_WARN ? 1
                                                   : status == TW_CHECK_STATUS_FAIL ? 2 : 3);
          g_string_append_printf (out, "%s{tunnel=\"%s\",check=\"%s\"} %s\n", name,
                                  (char *) g_ptr_array_index (labels, i), tw_check_result_get_id (result), value);
        }
    }
}

static gboolean
host_key_changed (TwReport *report)
{
  TwCheckResult *result = tw_report_get_check (report, "host-key");

  /* The key differs from what vouched for it (pinned keys, the expected fingerprint, a
   * changed or revoked known_hosts entry): the host-key check fails only then. */
  return result != NULL && tw_check_result_get_status (result) == TW_CHECK_STATUS_FAIL &&
         tw_report_get_host_key_fingerprint (report) != NULL;
}

char *
tw_reports_to_prometheus (GPtrArray          *reports,
                          const char * const *names)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  gboolean any_certificate = FALSE;

  g_return_val_if_fail (reports != NULL && names != NULL, NULL);

  for (guint i = 0; i < reports->len; i++)
    g_ptr_array_add (labels, label_value (names[i]));

  family (out, "tunnel_check_success", "Whether no check of the tunnel failed (1) or one did (0)");
  for (guint i = 0; i < reports->len; i++)
    {
      TwReport *report = g_ptr_array_index (reports, i);
      gboolean success = report != NULL && tw_report_get_verdict (report) != TW_CHECK_STATUS_FAIL;

      g_string_append_printf (out, "tunnel_check_success{tunnel=\"%s\"} %d\n",
                              (char *) g_ptr_array_index (labels, i), success);
    }

  family (out, "tunnel_check_status", "Each check: 0 passed, 1 warned, 2 failed, 3 skipped");
  append_check_series (out, reports, labels, "tunnel_check_status", FALSE);
  family (out, "tunnel_check_duration_seconds", "How long each check that ran took");
  append_check_series (out, reports, labels, "tunnel_check_duration_seconds", TRUE);

  family (out, "tunnel_check_host_key_changed",
          "Whether the host key differs from the one confirmed, expected or recorded (1) or not (0)");
  for (guint i = 0; i < reports->len; i++)
    {
      TwReport *report = g_ptr_array_index (reports, i);

      if (report == NULL || tw_report_get_host_key_fingerprint (report) == NULL)
        continue;
      g_string_append_printf (out, "tunnel_check_host_key_changed{tunnel=\"%s\"} %d\n",
                              (char *) g_ptr_array_index (labels, i), host_key_changed (report));
      any_certificate |= tw_report_get_host_certificate (report) != NULL;
    }

  if (any_certificate)
    {
      family (out, "tunnel_check_host_certificate_expiry_seconds",
              "When the host certificate expires, in seconds since the epoch");
      for (guint i = 0; i < reports->len; i++)
        {
          TwReport *report = g_ptr_array_index (reports, i);
          TwHostCertificate *certificate = report != NULL ? tw_report_get_host_certificate (report) : NULL;
          guint64 before;

          if (certificate == NULL)
            continue;
          before = tw_host_certificate_get_valid_before (certificate);
          if (before == TW_HOST_CERTIFICATE_FOREVER)
            g_string_append_printf (out, "tunnel_check_host_certificate_expiry_seconds{tunnel=\"%s\"} +Inf\n",
                                    (char *) g_ptr_array_index (labels, i));
          else
            g_string_append_printf (out, "tunnel_check_host_certificate_expiry_seconds{tunnel=\"%s\"} %"
                                    G_GUINT64_FORMAT "\n", (char *) g_ptr_array_index (labels, i), before);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
