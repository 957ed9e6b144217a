/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe engine: runs the checks of tw-probe-checks.c in order in a GTask
 * worker thread and hands each start and result to the report on the main
 * context that started the run. The checks themselves live in checks/.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-enums.h"
#include "tw-probe-private.h"
#include "tw-report-private.h"

struct _TwProbe
{
  GObject parent_instance;

  TwTunnel      *tunnel;
  TwPublicKey   *service_key;
  TwCredentials *credentials;
  char          *known_hosts_file;
  char          *expected_fingerprint;
  guint          timeout_s;
  guint          n_channels;
  GStrv          scope;
  TwReport      *report;
  gboolean       running;
};

G_DEFINE_FINAL_TYPE (TwProbe, tw_probe, G_TYPE_OBJECT)
G_DEFINE_QUARK (tw-probe-error-quark, tw_probe_error)

enum {
  PROP_0,
  PROP_TUNNEL,
  PROP_REPORT,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const all_ids[] = {
  "resolve", "connect", "banner", "kex", "host-key", "auth-methods", "service-key",
  "service-key-sha1", "login", "forward", "tls", "channels", NULL
};

/* all_ids + 0 … + 8 and + 8 … are the window's two steps. */
static const char * const ssh_port_ids[] = {
  "resolve", "connect", "banner", "kex", "host-key", "auth-methods", "service-key",
  "service-key-sha1", NULL
};

static const char * const tunnel_ids[] = {
  "login", "forward", "tls", "channels", NULL
};

const char * const *
tw_probe_get_all_check_ids (void)
{
  return all_ids;
}

const char * const *
tw_probe_get_ssh_port_check_ids (void)
{
  return ssh_port_ids;
}

const char * const *
tw_probe_get_tunnel_check_ids (void)
{
  return tunnel_ids;
}

const char *
tw_probe_get_check_title (const char *id)
{
  const TwCheckInfo *info = tw_probe_find_check (id);

  return info ? _(info->title) : NULL;
}

static gboolean
in_scope (TwProbe    *self,
          const char *id)
{
  return self->scope == NULL || g_strv_contains ((const char * const *) self->scope, id);
}

static void
rebuild_checks (TwProbe *self)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  const TwCheckInfo *table;
  guint n;

  table = tw_probe_get_check_table (&n);
  for (guint i = 0; i < n; i++)
    if (in_scope (self, table[i].id))
      g_ptr_array_add (results, tw_check_result_new (table[i].id, _(table[i].title)));

  tw_report_set_checks (self->report, results);
}

static void
tw_probe_dispose (GObject *object)
{
  TwProbe *self = (TwProbe *) object;

  g_clear_object (&self->tunnel);
  g_clear_object (&self->service_key);
  g_clear_object (&self->credentials);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (tw_probe_parent_class)->dispose (object);
}

static void
tw_probe_finalize (GObject *object)
{
  TwProbe *self = (TwProbe *) object;

  g_free (self->known_hosts_file);
  g_free (self->expected_fingerprint);
  g_strfreev (self->scope);

  G_OBJECT_CLASS (tw_probe_parent_class)->finalize (object);
}

static void
tw_probe_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TwProbe *self = TW_PROBE (object);

  switch (prop_id)
    {
    case PROP_TUNNEL:
      g_value_set_object (value, self->tunnel);
      break;

    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_probe_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  TwProbe *self = TW_PROBE (object);

  switch (prop_id)
    {
    case PROP_TUNNEL:
      self->tunnel = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_probe_class_init (TwProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tw_probe_dispose;
  object_class->finalize = tw_probe_finalize;
  object_class->get_property = tw_probe_get_property;
  object_class->set_property = tw_probe_set_property;

  properties[PROP_TUNNEL] =
    g_param_spec_object ("tunnel", NULL, NULL, TW_TYPE_TUNNEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, TW_TYPE_REPORT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_probe_init (TwProbe *self)
{
  self->timeout_s = 10;
  self->n_channels = 4;
  self->report = tw_report_new ();
  rebuild_checks (self);
}

TwProbe *
tw_probe_new (TwTunnel *tunnel)
{
  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);

  return g_object_new (TW_TYPE_PROBE, "tunnel", tunnel, NULL);
}

TwTunnel *
tw_probe_get_tunnel (TwProbe *self)
{
  g_return_val_if_fail (TW_IS_PROBE (self), NULL);
  return self->tunnel;
}

void
tw_probe_set_service_key (TwProbe     *self,
                          TwPublicKey *key)
{
  g_return_if_fail (TW_IS_PROBE (self));
  g_set_object (&self->service_key, key);
}

void
tw_probe_set_credentials (TwProbe       *self,
                          TwCredentials *credentials)
{
  g_return_if_fail (TW_IS_PROBE (self));
  g_set_object (&self->credentials, credentials);
}

void
tw_probe_set_known_hosts_file (TwProbe    *self,
                               const char *path)
{
  g_return_if_fail (TW_IS_PROBE (self));
  g_free (self->known_hosts_file);
  self->known_hosts_file = g_strdup (path);
}

void
tw_probe_set_expected_fingerprint (TwProbe    *self,
                                   const char *fingerprint)
{
  g_return_if_fail (TW_IS_PROBE (self));
  g_free (self->expected_fingerprint);
  self->expected_fingerprint = g_strdup (fingerprint);
}

void
tw_probe_set_timeout (TwProbe *self,
                      guint    seconds)
{
  g_return_if_fail (TW_IS_PROBE (self));
  g_return_if_fail (seconds > 0);
  self->timeout_s = seconds;
}

void
tw_probe_set_channels (TwProbe *self,
                       guint    n_channels)
{
  g_return_if_fail (TW_IS_PROBE (self));
  g_return_if_fail (n_channels > 0);
  self->n_channels = n_channels;
}

guint
tw_probe_get_channels (TwProbe *self)
{
  g_return_val_if_fail (TW_IS_PROBE (self), 0);
  return self->n_channels;
}

void
tw_probe_set_checks (TwProbe            *self,
                     const char * const *ids)
{
  g_return_if_fail (TW_IS_PROBE (self));
  g_return_if_fail (!self->running);

  g_strfreev (self->scope);
  self->scope = g_strdupv ((char **) ids);
  rebuild_checks (self);
}

TwReport *
tw_probe_get_report (TwProbe *self)
{
  g_return_val_if_fail (TW_IS_PROBE (self), NULL);
  return self->report;
}

/* --- Delivering progress to the caller's main context --- */

typedef struct
{
  TwProbe            *probe;
  char               *id;
  TwCheckStatus       status;
  guint               duration_ms;
  char               *summary;
  char               *detail;
  char               *hint;
  char               *banner;
  char               *software;
  char               *host_key_type;
  char               *fingerprint;
  char               *randomart;
  TwKnownHostsStatus  known_hosts;
  gboolean            finished;
} Update;

static void
update_free (gpointer data)
{
  Update *update = data;

  g_object_unref (update->probe);
  g_free (update->id);
  g_free (update->summary);
  g_free (update->detail);
  g_free (update->hint);
  g_free (update->banner);
  g_free (update->software);
  g_free (update->host_key_type);
  g_free (update->fingerprint);
  g_free (update->randomart);
  g_free (update);
}

static gboolean
apply_update (gpointer data)
{
  Update *update = data;
  TwReport *report = update->probe->report;

  tw_report_set_server (report, update->banner, update->software);
  tw_report_set_host_key (report, update->host_key_type, update->fingerprint, update->randomart);
  tw_report_set_known_hosts_status (report, update->known_hosts);

  if (update->id != NULL)
    {
      TwCheckResult *result = tw_report_get_check (report, update->id);

      if (result != NULL)
        tw_check_result_update (result, update->status, update->duration_ms,
                                update->summary, update->detail, update->hint);
    }

  if (update->finished)
    {
      tw_report_set_finished (report, TRUE);
      update->probe->running = FALSE;
      g_object_notify_by_pspec (G_OBJECT (update->probe), properties[PROP_RUNNING]);
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
} Step;

typedef struct
{
  TwProbe        *probe;
  GMainContext   *context;
  TwProbeContext *ctx;
  Step           *steps;
  guint           n_steps;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  for (guint i = 0; i < run->n_steps; i++)
    tw_check_outcome_clear (&run->steps[i].out);
  g_free (run->steps);
  tw_probe_context_free (run->ctx);
  g_main_context_unref (run->context);
  g_object_unref (run->probe);
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

  update->probe = g_object_ref (run->probe);
  update->id = g_strdup (id);
  update->status = status;
  update->duration_ms = duration_ms;
  if (out != NULL)
    {
      update->summary = g_strdup (out->summary);
      update->detail = g_strdup (out->detail);
      update->hint = g_strdup (out->hint);
    }
  update->banner = g_strdup (ctx->banner);
  update->software = g_strdup (ctx->software);
  update->host_key_type = g_strdup (ctx->host_key_type);
  update->fingerprint = g_strdup (ctx->fingerprint);
  update->randomart = g_strdup (ctx->randomart);
  update->known_hosts = ctx->known_hosts;
  update->finished = finished;

  g_main_context_invoke_full (run->context, G_PRIORITY_DEFAULT, apply_update, update, update_free);
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

static void
run_in_thread (GTask        *task,
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
      else if (req != NULL && (req->status == TW_CHECK_STATUS_FAIL ||
                               req->status == TW_CHECK_STATUS_SKIP))
        {
          blocked_outcome (run, step, &step->status, &step->out);
        }
      else
        {
          if (step->visible)
            post (run, step->info->id, TW_CHECK_STATUS_RUNNING, 0, NULL, FALSE);

          start = g_get_monotonic_time ();
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

  post (run, NULL, TW_CHECK_STATUS_PENDING, 0, NULL, TRUE);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_object_ref (run->probe->report), g_object_unref);
}

static char *
strip_dup (const char *text)
{
  char *copy = g_strstrip (g_strdup (text ? text : ""));

  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

void
tw_probe_run_async (TwProbe             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TwProbeContext *ctx;
  RunData *run;
  const TwCheckInfo *table;
  guint n;

  g_return_if_fail (TW_IS_PROBE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_probe_run_async);

  if (self->running)
    {
      g_task_return_new_error (task, TW_PROBE_ERROR, TW_PROBE_ERROR_BUSY,
                               _("A check of this tunnel is already running"));
      return;
    }

  ctx = tw_probe_context_new (cancellable);
  ctx->host = strip_dup (tw_tunnel_get_ssh_host (self->tunnel));
  ctx->port = tw_tunnel_get_ssh_port (self->tunnel);
  ctx->user = strip_dup (tw_tunnel_get_user (self->tunnel));
  ctx->dest_host = strip_dup (tw_tunnel_get_dest_host (self->tunnel));
  ctx->dest_port = tw_tunnel_get_dest_port (self->tunnel);
  ctx->dest_kind = tw_tunnel_get_dest_kind (self->tunnel);
  ctx->require_tls = tw_tunnel_get_require_tls (self->tunnel);
  ctx->credentials = self->credentials ? g_object_ref (self->credentials) : NULL;
  ctx->known_hosts_file = g_strdup (self->known_hosts_file);
  ctx->expected_fingerprint = strip_dup (self->expected_fingerprint
                                         ? self->expected_fingerprint
                                         : tw_tunnel_get_pinned_fingerprint (self->tunnel));
  ctx->timeout_s = self->timeout_s;
  ctx->n_channels = self->n_channels;

  if (self->service_key != NULL)
    ctx->service_key = g_object_ref (self->service_key);
  else
    {
      g_autofree char *text = strip_dup (tw_tunnel_get_service_key (self->tunnel));
      g_autoptr(GError) error = NULL;

      if (text == NULL)
        ctx->service_key_problem = g_strdup (_("No service key given"));
      else if (!(ctx->service_key = tw_public_key_parse (text, &error)))
        ctx->service_key_problem = g_strdup_printf (_("The service key is not valid: %s"),
                                                    error->message);
    }

  if (ctx->host == NULL || ctx->user == NULL || ctx->port == 0)
    {
      tw_probe_context_free (ctx);
      g_task_return_new_error (task, TW_PROBE_ERROR, TW_PROBE_ERROR_INVALID,
                               _("The SSH host, port and user are needed to check a tunnel"));
      return;
    }

  run = g_new0 (RunData, 1);
  run->probe = g_object_ref (self);
  run->context = g_main_context_ref_thread_default ();
  run->ctx = ctx;
  table = tw_probe_get_check_table (&n);
  run->steps = g_new0 (Step, n);
  run->n_steps = n;
  for (guint i = 0; i < n; i++)
    {
      run->steps[i].info = &table[i];
      run->steps[i].visible = in_scope (self, table[i].id);
      run->steps[i].needed = run->steps[i].visible;
    }
  /* Whatever a selected check requires runs too, unseen. */
  for (guint i = n; i-- > 0;)
    if (run->steps[i].needed)
      {
        Step *req = find_step (run, table[i].requires);
        if (req != NULL)
          req->needed = TRUE;
      }

  tw_report_reset (self->report);
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  g_task_set_task_data (task, run, run_data_free);
  g_task_run_in_thread (task, run_in_thread);
}

TwReport *
tw_probe_run_finish (TwProbe       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (TW_IS_PROBE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tw_probe_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
