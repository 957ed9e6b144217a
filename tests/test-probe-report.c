/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The report model the window and the CLI share: statuses, notifications
 * only on change, every check listed before the run, tunnel-check(1)'s JSON.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tw-core.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_status_strings (void)
{
  const char *names[] = { "pending", "running", "pass", "warn", "fail", "skip" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      TwCheckStatus status = TW_CHECK_STATUS_PENDING;

      g_assert_cmpstr (tw_check_status_to_string (i), ==, names[i]);
      g_assert_true (tw_check_status_from_string (names[i], &status));
      g_assert_cmpint (status, ==, i);
      g_assert_cmpint (tw_check_status_is_final (i), ==, i >= TW_CHECK_STATUS_PASS);
    }
  {
    TwCheckStatus status = TW_CHECK_STATUS_PASS;
    g_assert_false (tw_check_status_from_string ("passed", &status));
    g_assert_false (tw_check_status_from_string (NULL, &status));
    g_assert_cmpint (status, ==, TW_CHECK_STATUS_PASS);
  }
}

/* A row binds to these: a notification must mean a change, and one update
 * is one notification per changed property. */
static void
test_check_result_notify (void)
{
  g_autoptr(TwCheckResult) result = tw_check_result_new ("host-key", "Host key");
  guint status_count = 0, summary_count = 0;

  g_signal_connect (result, "notify::status", G_CALLBACK (count_notify), &status_count);
  g_signal_connect (result, "notify::summary", G_CALLBACK (count_notify), &summary_count);

  g_assert_cmpint (tw_check_result_get_status (result), ==, TW_CHECK_STATUS_PENDING);
  tw_check_result_set_status (result, TW_CHECK_STATUS_PENDING);
  g_assert_cmpuint (status_count, ==, 0);

  tw_check_result_update (result, TW_CHECK_STATUS_PASS, 12, "ok", "detail", NULL);
  g_assert_cmpuint (status_count, ==, 1);
  g_assert_cmpuint (summary_count, ==, 1);
  tw_check_result_update (result, TW_CHECK_STATUS_PASS, 12, "ok", "detail", NULL);
  g_assert_cmpuint (status_count, ==, 1);
  g_assert_cmpuint (summary_count, ==, 1);
  g_assert_cmpstr (tw_check_result_get_id (result), ==, "host-key");
  g_assert_cmpstr (tw_check_result_get_title (result), ==, "Host key");
  g_assert_cmpuint (tw_check_result_get_duration_ms (result), ==, 12);

  tw_check_result_reset (result);
  g_assert_cmpint (tw_check_result_get_status (result), ==, TW_CHECK_STATUS_PENDING);
  g_assert_null (tw_check_result_get_summary (result));

  g_assert_finalize_object (g_steal_pointer (&result));
}

/* Before any run the window can list every check, pending, with a title;
 * the scope picks the window's two steps. */
static void
test_probe_lists_checks (void)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwProbe) probe = tw_probe_new (tunnel);
  GListModel *checks = tw_report_get_checks (tw_probe_get_report (probe));
  guint n = g_list_model_get_n_items (checks);

  g_assert_cmpuint (n, >=, 10);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, i);

      g_assert_cmpint (tw_check_result_get_status (result), ==, TW_CHECK_STATUS_PENDING);
      g_assert_nonnull (tw_check_result_get_title (result));
      g_assert_cmpstr (tw_check_result_get_id (result), ==, tw_probe_get_all_check_ids ()[i]);
    }
  g_assert_cmpstr (tw_probe_get_check_title ("host-key"), ==, "Host key");
  g_assert_null (tw_probe_get_check_title ("no-such-check"));

  tw_probe_set_checks (probe, tw_probe_get_ssh_port_check_ids ());
  g_assert_cmpuint (g_list_model_get_n_items (checks), ==, 8);
  g_assert_nonnull (tw_report_get_check (tw_probe_get_report (probe), "service-key-sha1"));
  g_assert_null (tw_report_get_check (tw_probe_get_report (probe), "login"));

  tw_probe_set_checks (probe, tw_probe_get_tunnel_check_ids ());
  g_assert_nonnull (tw_report_get_check (tw_probe_get_report (probe), "login"));
  g_assert_nonnull (tw_report_get_check (tw_probe_get_report (probe), "forward"));
  g_assert_null (tw_report_get_check (tw_probe_get_report (probe), "banner"));
}

/* A tunnel without host or user is an error, not a report. */
static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;
  TwReport *report = tw_probe_run_finish (TW_PROBE (source), result, error);

  g_assert_null (report);
}

static void
test_probe_invalid (void)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwProbe) probe = tw_probe_new (tunnel);
  GError *error = NULL;

  tw_probe_run_async (probe, NULL, on_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, TW_PROBE_ERROR, TW_PROBE_ERROR_INVALID);
  g_error_free (error);
}

/* tunnel-check(1)'s JSON, key for key; unknowns are null. */
static void
test_report_json (void)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwProbe) probe = tw_probe_new (tunnel);
  TwReport *report = tw_probe_get_report (probe);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autofree char *markdown = NULL;
  JsonObject *root, *check, *server, *host_key;
  JsonArray *checks;

  tw_check_result_update (tw_report_get_check (report, "resolve"), TW_CHECK_STATUS_PASS, 3,
                          "a | b", NULL, NULL);
  tw_check_result_update (tw_report_get_check (report, "connect"), TW_CHECK_STATUS_FAIL, 2000,
                          "No answer", "detail", "firewall");
  json = tw_report_to_json (report);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_true (json_object_has_member (root, "checks"));
  g_assert_true (json_object_has_member (root, "server"));
  g_assert_true (json_object_has_member (root, "host_key"));
  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "pending");
  g_assert_true (json_object_has_member (root, "host_keys"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "host_keys")), ==, 0);
  /* nobody logged in: who the tunnel checks ran as is null */
  g_assert_true (json_object_get_null_member (root, "login"));
  /* no host certificate seen: null, not missing */
  g_assert_true (json_object_get_null_member (root, "host_certificate"));
  g_assert_cmpuint (json_object_get_size (root), ==, 7);

  checks = json_object_get_array_member (root, "checks");
  check = json_array_get_object_element (checks, 1);
  g_assert_cmpstr (json_object_get_string_member (check, "id"), ==, "connect");
  g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "fail");
  g_assert_cmpint (json_object_get_int_member (check, "duration_ms"), ==, 2000);
  g_assert_cmpstr (json_object_get_string_member (check, "summary"), ==, "No answer");
  g_assert_cmpstr (json_object_get_string_member (check, "detail"), ==, "detail");
  g_assert_cmpstr (json_object_get_string_member (check, "hint"), ==, "firewall");
  g_assert_cmpuint (json_object_get_size (check), ==, 6);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (checks, 0), "hint"));

  server = json_object_get_object_member (root, "server");
  g_assert_true (json_object_get_null_member (server, "banner"));
  g_assert_true (json_object_has_member (server, "software"));
  host_key = json_object_get_object_member (root, "host_key");
  g_assert_true (json_object_has_member (host_key, "type"));
  g_assert_true (json_object_has_member (host_key, "fingerprint"));
  g_assert_true (json_object_has_member (host_key, "randomart"));

  markdown = tw_report_to_markdown (report);
  g_assert_nonnull (strstr (markdown, "| Name resolution (`resolve`) | pass | 3 | a \\| b |"));
  g_assert_nonnull (strstr (markdown, "firewall"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe/report/status-strings", test_status_strings);
  g_test_add_func ("/probe/report/check-result-notify", test_check_result_notify);
  g_test_add_func ("/probe/report/lists-checks", test_probe_lists_checks);
  g_test_add_func ("/probe/report/invalid", test_probe_invalid);
  g_test_add_func ("/probe/report/json", test_report_json);

  return g_test_run ();
}
