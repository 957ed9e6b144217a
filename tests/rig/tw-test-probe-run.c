/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/wait.h>

#include <string.h>

#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

typedef struct
{
  TwReport *report;
  GError   *error;
  gboolean  done;
  gint64    cancelled_at;
  gint64    done_at;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->report = tw_probe_run_finish (TW_PROBE (source), result, &wait->error);
  wait->done_at = g_get_monotonic_time ();
  wait->done = TRUE;
}

static gboolean
on_cancel_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

TwReport *
tw_test_run_probe (TwProbe  *probe,
                   guint     cancel_after_ms,
                   double   *callback_ms,
                   GError  **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait wait = { 0 };
  guint timeout_id = 0;

  tw_probe_run_async (probe, cancellable, on_done, &wait);
  if (cancel_after_ms > 0)
    timeout_id = g_timeout_add (cancel_after_ms, on_cancel_timeout, cancellable);

  while (!wait.done)
    {
      g_main_context_iteration (NULL, TRUE);
      if (timeout_id != 0 && g_cancellable_is_cancelled (cancellable) && wait.cancelled_at == 0)
        {
          wait.cancelled_at = g_get_monotonic_time ();
          timeout_id = 0;
        }
    }
  if (timeout_id != 0)
    g_source_remove (timeout_id);
  /* Let the last progress updates land. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  if (callback_ms != NULL)
    *callback_ms = wait.cancelled_at ? (wait.done_at - wait.cancelled_at) / 1000.0 : -1;

  if (wait.error != NULL)
    {
      g_propagate_error (error, wait.error);
      return NULL;
    }
  return wait.report;
}

TwProbe *
tw_test_probe_new (guint       port,
                   guint       timeout_s,
                   const char *dir)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autofree char *known_hosts = g_build_filename (dir, "empty_known_hosts", NULL);
  TwProbe *probe;

  tw_tunnel_set_ssh_host (tunnel, "127.0.0.1");
  tw_tunnel_set_ssh_port (tunnel, port);
  tw_tunnel_set_user (tunnel, TW_TEST_USER);
  tw_tunnel_set_dest_host (tunnel, NULL);
  if (!g_file_test (known_hosts, G_FILE_TEST_EXISTS))
    g_file_set_contents (known_hosts, "", 0, NULL);

  probe = tw_probe_new (tunnel);
  tw_probe_set_timeout (probe, timeout_s);
  tw_probe_set_known_hosts_file (probe, known_hosts);
  return probe;
}

static TwCheckResult *
get_check (TwReport   *report,
           const char *id)
{
  TwCheckResult *result = tw_report_get_check (report, id);

  if (result == NULL)
    g_error ("check %s not in the report", id);
  return result;
}

TwCheckStatus
tw_test_check_status (TwReport   *report,
                      const char *id)
{
  TwCheckResult *result = get_check (report, id);

  if (g_test_verbose ())
    g_test_message ("%s: %s — %s", id, tw_check_status_to_string (tw_check_result_get_status (result)),
                    tw_check_result_get_summary (result));
  return tw_check_result_get_status (result);
}

const char *
tw_test_check_summary (TwReport   *report,
                       const char *id)
{
  return tw_check_result_get_summary (get_check (report, id));
}

const char *
tw_test_check_hint (TwReport   *report,
                    const char *id)
{
  return tw_check_result_get_hint (get_check (report, id));
}

const char *
tw_test_check_detail (TwReport   *report,
                      const char *id)
{
  return tw_check_result_get_detail (get_check (report, id));
}

void
tw_test_assert_has (const char *text,
                    const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text ? text : "(null)", needle);
}

void
tw_test_assert_checks (TwReport           *report,
                       const TwTestExpect *expect,
                       guint               n_expect)
{
  for (guint i = 0; i < n_expect && expect[i].check != NULL; i++)
    {
      const TwTestExpect *e = &expect[i];

      g_test_message ("%s: %s", e->check, tw_test_check_summary (report, e->check));
      g_assert_cmpint (tw_test_check_status (report, e->check), ==, e->status);
      if (e->summary_has != NULL)
        tw_test_assert_has (tw_test_check_summary (report, e->check), e->summary_has);
      if (e->hint_has != NULL)
        tw_test_assert_has (tw_test_check_hint (report, e->check), e->hint_has);
      if (e->detail_has != NULL)
        tw_test_assert_has (tw_test_check_detail (report, e->check), e->detail_has);
    }
}

TwReport *
tw_test_probe_bad_server (const char *dir,
                          TwBadKind   kind,
                          guint       timeout_s,
                          double     *elapsed_s)
{
  static const char * const ssh_port[] = { "resolve", "connect", "banner", "kex", "host-key", NULL };
  g_autoptr(TwTestBadserver) server = tw_test_badserver_new (kind);
  g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_badserver_get_port (server), timeout_s, dir);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  TwReport *report;

  tw_probe_set_checks (probe, ssh_port);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  if (elapsed_s != NULL)
    *elapsed_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  return report;
}

JsonObject *
tw_test_json_check (JsonObject *root,
                    const char *id)
{
  JsonArray *checks = json_object_get_array_member (root, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "id"), id))
        return check;
    }
  g_error ("no check %s", id);
  return NULL;
}

char *
tw_test_json_check_texts (JsonObject *check)
{
  const char *names[] = { "summary", "detail", "hint" };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (!json_object_get_null_member (check, names[i]))
      g_string_append_printf (text, "%s\n", json_object_get_string_member (check, names[i]));
  return g_string_free (text, FALSE);
}

char *
tw_test_run_tunnel_check (const char * const *args,
                          const char * const *envp,
                          int                *exit_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TUNNEL_CHECK"));
  g_assert_nonnull (argv->pdata[0]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, (char **) envp, 0, NULL, NULL, &out, &err,
                               &status, NULL));
  g_test_message ("%s%s", out, err);
  *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  return out;
}
