/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe: a tunnel description, the run's settings and the live report.
 * The worker is in tw-probe-runner.c, the checks in checks/.
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

gboolean
tw_probe_get_running (TwProbe *self)
{
  g_return_val_if_fail (TW_IS_PROBE (self), FALSE);
  return self->running;
}

static void
tw_probe_set_running (TwProbe  *self,
                      gboolean  running)
{
  running = !!running;
  if (self->running == running)
    return;

  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
on_run_done (gpointer data)
{
  tw_probe_set_running (TW_PROBE (data), FALSE);
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
  gpointer run;

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
  ctx->least_privilege = tw_tunnel_get_least_privilege (self->tunnel);
  ctx->credentials = self->credentials ? g_object_ref (self->credentials) : NULL;
  ctx->known_hosts_file = g_strdup (self->known_hosts_file);
  ctx->expected_fingerprint = strip_dup (self->expected_fingerprint);
  if (ctx->expected_fingerprint == NULL)
    {
      ctx->pins = tw_tunnel_dup_pins (self->tunnel);
      ctx->pinned_ca = g_strdup (tw_tunnel_get_pinned_certificate_authority (self->tunnel));
    }
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

  run = tw_probe_runner_new (self->report, ctx, (const char * const *) self->scope,
                             on_run_done, g_object_ref (self), g_object_unref);

  tw_report_reset (self->report);
  tw_probe_set_running (self, TRUE);

  g_task_set_task_data (task, run, tw_probe_runner_free);
  g_task_run_in_thread (task, tw_probe_runner_thread);
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
