/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe's worker: runs the checks of tw-probe-checks.c in order in the
 * GTask thread, skips those an earlier result makes meaningless, and hands
 * each start and result to the report on the main context that started the
 * run, in order (tw-dispatch-private.h).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-dispatch-private.h"
#include "tw-probe-private.h"
#include "tw-report-private.h"
#include "tw-setup-apply.h"

/* What the main context gets: a check's new state, the context the checks gathered and,
 * last, the end of the run (with the caller's completion callback). */
typedef struct
{
  TwReport           *report;
  TwProbeRunnerDone   done;
  gpointer            done_data;
  GDestroyNotify      done_data_free;
  char               *id;
  TwCheckStatus       status;
  gboolean            server_fix;
  guint               duration_ms;
  char               *summary;
  char               *detail;
  char               *hint;
  char               *banner;
  char               *software;
  char               *login_user;
  gboolean            login_is_tunnel_user;
  gboolean            login_stand_in;
  char               *host_key_type;
  char               *fingerprint;
  char               *randomart;
  GPtrArray          *host_keys;
  TwKnownHostsStatus  known_hosts;
  TwHostCertificate  *certificate;
  gboolean            certificate_trusted;
  char               *certificate_note;
  gboolean            finished;
} Update;

static void
update_free (gpointer data)
{
  Update *update = data;

  g_object_unref (update->report);
  if (update->done_data_free != NULL)
    update->done_data_free (update->done_data);
  g_free (update->id);
  g_free (update->summary);
  g_free (update->detail);
  g_free (update->hint);
  g_free (update->banner);
  g_free (update->software);
  g_free (update->login_user);
  g_free (update->host_key_type);
  g_free (update->fingerprint);
  g_free (update->randomart);
  g_clear_pointer (&update->host_keys, g_ptr_array_unref);
  g_clear_object (&update->certificate);
  g_free (update->certificate_note);
  g_free (update);
}

static gboolean
apply_update (gpointer data)
{
  Update *update = data;
  TwReport *report = update->report;

  tw_report_set_server (report, update->banner, update->software);
  tw_report_set_host_key (report, update->host_key_type, update->fingerprint, update->randomart);
  tw_report_set_host_keys (report, update->host_keys);
  tw_report_set_known_hosts_status (report, update->known_hosts);
  tw_report_set_host_certificate (report, update->certificate, update->certificate_trusted,
                                  update->certificate_note);
  tw_report_set_login_user (report, update->login_user, update->login_is_tunnel_user,
                            update->login_stand_in);

  if (update->id != NULL)
    {
      TwCheckResult *result = tw_report_get_check (report, update->id);

      if (result != NULL)
        {
          g_object_freeze_notify (G_OBJECT (result));
          tw_check_result_set_server_fix (result, update->server_fix);
          tw_check_result_update (result, update->status, update->duration_ms,
                                  update->summary, update->detail, update->hint);
          g_object_thaw_notify (G_OBJECT (result));
        }
    }

  if (update->finished)
    {
      tw_report_set_finished (report, TRUE);
      if (update->done != NULL)
        update->done (update->done_data);
    }

  return G_SOURCE_REMOVE;
}

typedef struct
{
  const TwCheckInfo *info;
  gboolean           visible;
  gboolean           needed;
  gboolean           done;
  TwCheckStatus      status;
  TwCheckOutcome     out;
  gboolean           carried;   /* a hidden failure already shown on a visible check */
  gboolean           ran;       /* its function was called (not skipped) */
} Step;

typedef struct
{
  TwReport       *report;
  TwProbeRunnerDone done;
  gpointer        done_data;        /* handed to the last update */
  GDestroyNotify  done_data_free;
  GMainContext   *context;
  TwProbeContext *ctx;
  Step           *steps;
  guint           n_steps;
} RunData;

void
tw_probe_runner_free (gpointer data)
{
  RunData *run = data;

  for (guint i = 0; i < run->n_steps; i++)
    tw_check_outcome_clear (&run->steps[i].out);
  g_free (run->steps);
  tw_probe_context_free (run->ctx);
  g_main_context_unref (run->context);
  g_object_unref (run->report);
  if (run->done_data_free != NULL)
    run->done_data_free (run->done_data);
  g_free (run);
}

/* Worker thread: copies everything it sends. */
static void
post (RunData        *run,
      const char     *id,
      TwCheckStatus   status,
      guint           duration_ms,
      TwCheckOutcome *out,
      gboolean        finished)
{
  TwProbeContext *ctx = run->ctx;
  Update *update = g_new0 (Update, 1);

  update->report = g_object_ref (run->report);
  if (finished)
    {
      update->done = run->done;
      update->done_data = g_steal_pointer (&run->done_data);
      update->done_data_free = g_steal_pointer (&run->done_data_free);
    }
  update->id = g_strdup (id);
  update->status = status;
  update->duration_ms = duration_ms;
  if (out != NULL)
    {
      update->summary = g_strdup (out->summary);
      /* The service key missing, or modes StrictModes refuses: the scripts put it right. */
      update->server_fix = (status == TW_CHECK_STATUS_FAIL || status == TW_CHECK_STATUS_WARN) &&
                           (out->server_fix || (status == TW_CHECK_STATUS_FAIL && tw_setup_apply_fixes_check (id)));
      update->detail = g_strdup (out->detail);
      update->hint = g_strdup (out->hint);
    }
  update->banner = g_strdup (ctx->banner);
  update->software = g_strdup (ctx->software);
  update->login_user = g_strdup (ctx->login_user);
  update->login_is_tunnel_user = g_strcmp0 (ctx->login_user, ctx->user) == 0;
  update->login_stand_in = ctx->credentials != NULL && tw_credentials_get_stand_in (ctx->credentials);
  update->host_key_type = g_strdup (ctx->host_key_type);
  update->fingerprint = g_strdup (ctx->fingerprint);
  update->randomart = g_strdup (ctx->randomart);
  /* The keys are immutable: sharing them with the main context is safe. */
  if (ctx->host_keys != NULL)
    update->host_keys = g_ptr_array_copy (ctx->host_keys, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  update->known_hosts = ctx->known_hosts;
  /* Immutable too */
  update->certificate = ctx->host_certificate ? g_object_ref (ctx->host_certificate) : NULL;
  update->certificate_trusted = ctx->certificate_trusted;
  update->certificate_note = g_strdup (ctx->certificate_note);
  update->finished = finished;

  tw_dispatch_to_context (run->context, "[tw] probe report update", apply_update, update, update_free);
}

static Step *
find_step (RunData    *run,
           const char *id)
{
  for (guint i = 0; id != NULL && i < run->n_steps; i++)
    if (g_str_equal (run->steps[i].info->id, id))
      return &run->steps[i];
  return NULL;
}

/* The check at the root of a chain of skips: the one that failed or was
 * not applicable in the first place. */
static Step *
blocking_root (RunData *run,
               Step    *step)
{
  Step *req = find_step (run, step->info->requires);

  while (req != NULL && req->status == TW_CHECK_STATUS_SKIP && req->info->requires != NULL)
    {
      Step *up = find_step (run, req->info->requires);

      if (up == NULL || (up->status != TW_CHECK_STATUS_SKIP && up->status != TW_CHECK_STATUS_FAIL))
        break;
      req = up;
    }
  return req;
}

static void
blocked_outcome (RunData        *run,
                 Step           *step,
                 TwCheckStatus  *status,
                 TwCheckOutcome *out)
{
  Step *root = blocking_root (run, step);
  const char *title = _(root->info->title);

  /* A failure the user cannot see (outside the scope) is shown once, on
   * the first selected check it blocks: e.g. a changed host key in the
   * step that tests through the tunnel. */
  if (!root->visible && root->status == TW_CHECK_STATUS_FAIL && !root->carried)
    {
      root->carried = TRUE;
      *status = TW_CHECK_STATUS_FAIL;
      out->summary = g_strdup_printf ("%s: %s", title, root->out.summary);
      out->detail = g_strdup (root->out.detail);
      out->hint = g_strdup (root->out.hint);
      return;
    }

  *status = TW_CHECK_STATUS_SKIP;
  if (root->status == TW_CHECK_STATUS_FAIL)
    out->summary = g_strdup_printf (_("Skipped: “%s” failed"), title);
  else
    out->summary = g_strdup_printf (_("Skipped: “%s” did not run (%s)"), title,
                                    root->out.summary ? root->out.summary : "");
}

static gboolean
is_blocked_by (RunData *run,
               Step    *step,
               Step    *req)
{
  if (req == NULL || (req->status != TW_CHECK_STATUS_FAIL && req->status != TW_CHECK_STATUS_SKIP))
    return FALSE;
  if (step->info->stands_alone != NULL && step->info->stands_alone (run->ctx))
    return req->ran && req->status == TW_CHECK_STATUS_FAIL;
  return TRUE;
}

void
tw_probe_runner_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  RunData *run = task_data;
  TwProbeContext *ctx = run->ctx;

  for (guint i = 0; i < run->n_steps; i++)
    {
      Step *step = &run->steps[i];
      Step *req = find_step (run, step->info->requires);
      gint64 start;

      if (!step->needed)
        continue;

      if (tw_probe_context_is_cancelled (ctx))
        {
          step->status = TW_CHECK_STATUS_SKIP;
          step->out.summary = g_strdup (_("Cancelled"));
        }
      else if (is_blocked_by (run, step, req))
        {
          blocked_outcome (run, step, &step->status, &step->out);
        }
      else
        {
          if (step->visible)
            post (run, step->info->id, TW_CHECK_STATUS_RUNNING, 0, NULL, FALSE);

          start = g_get_monotonic_time ();
          step->ran = TRUE;
          step->status = step->info->run (ctx, &step->out);
          if (tw_probe_context_is_cancelled (ctx))
            {
              tw_check_outcome_clear (&step->out);
              step->status = TW_CHECK_STATUS_SKIP;
              step->out.summary = g_strdup (_("Cancelled"));
            }
          if (step->out.summary == NULL)
            step->out.summary = g_strdup ("");
          g_debug ("check %s: %s (%s) in %" G_GINT64_FORMAT " µs", step->info->id,
                   tw_check_status_to_string (step->status), step->out.summary,
                   g_get_monotonic_time () - start);

          if (step->visible)
            post (run, step->info->id, step->status,
                  (guint) ((g_get_monotonic_time () - start) / 1000), &step->out, FALSE);
          step->done = TRUE;
          continue;
        }

      step->done = TRUE;
      if (step->visible)
        post (run, step->info->id, step->status, 0, &step->out, FALSE);
    }

  /* Sessions go now, in the thread that used them. */
  if (ctx->session != NULL)
    tw_probe_context_close_session (ctx, g_steal_pointer (&ctx->session));
  tw_probe_route_close (ctx);

  post (run, NULL, TW_CHECK_STATUS_PENDING, 0, NULL, TRUE);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_object_ref (run->report), g_object_unref);
}

gpointer
tw_probe_runner_new (TwReport           *report,
                     TwProbeContext     *ctx,
                     const char * const *scope,
                     TwProbeRunnerDone   done,
                     gpointer            done_data,
                     GDestroyNotify      done_data_free)
{
  RunData *run = g_new0 (RunData, 1);
  const TwCheckInfo *table;
  guint n;

  run->report = g_object_ref (report);
  run->done = done;
  run->done_data = done_data;
  run->done_data_free = done_data_free;
  run->context = g_main_context_ref_thread_default ();
  run->ctx = ctx;
  table = tw_probe_get_check_table (&n);
  run->steps = g_new0 (Step, n);
  run->n_steps = n;
  for (guint i = 0; i < n; i++)
    {
      run->steps[i].info = &table[i];
      run->steps[i].visible = scope == NULL || g_strv_contains (scope, table[i].id);
      run->steps[i].needed = run->steps[i].visible;
    }
  /* Whatever a selected check requires runs too, unseen. */
  for (guint i = n; i-- > 0;)
    if (run->steps[i].needed &&
        (table[i].stands_alone == NULL || !table[i].stands_alone (ctx)))
      {
        Step *req = find_step (run, table[i].requires);
        if (req != NULL)
          req->needed = TRUE;
      }
  return run;
}
