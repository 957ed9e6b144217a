/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Applies the prepare step on the bastion. The order is the admin's safety net:
 * 1. log in only to a confirmed host key (tw-admin-session.c);
 * 2. a dry run of each script: what would change, step by step, with the sshd_config diff;
 *    if nothing would, stop there (running twice changes nothing);
 * 3. the Linux script, then the sshd script, each step reported as the server prints it;
 * 4. after an sshd reload a NEW connection must log in before the armed revert is cancelled
 *    (--confirm, on that new connection); if it cannot, the server reverts by itself and we
 *    wait for that and prove the way in works again.
 * Everything runs in one GTask thread, cancellable at any point (the sockets are shut down);
 * steps reach the caller's main context in order.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tw-admin-session.h"
#include "tw-dispatch-private.h"
#include "tw-remote-exec.h"
#include "tw-setup-apply.h"
#include "tw-setup-private.h"
#include "tw-setup-linux.h"
#include "tw-setup-sshd-apply.h"
#include "tw-setup-sshd.h"
#include "tw-string-private.h"

G_DEFINE_QUARK (tw-setup-apply-error-quark, tw_setup_apply_error)

/* How long a reloaded sshd may take to listen again */
#define RELISTEN_S 15

/* What a run reads. The worker takes a copy, so that the object may change or go meanwhile. */
typedef struct
{
  char          *script;
  char          *sshd_script;
  char          *host;
  guint          port;
  TwCredentials *credentials;
  char          *sudo_password;
  char          *known_hosts_file;
  char          *expected_fingerprint;
  gboolean       dry_run;
  guint          revert_after;
  guint          timeout_s;
} Settings;

static void
settings_copy (Settings       *copy,
               const Settings *settings)
{
  *copy = *settings;
  copy->script = g_strdup (settings->script);
  copy->sshd_script = g_strdup (settings->sshd_script);
  copy->host = g_strdup (settings->host);
  copy->credentials = settings->credentials ? g_object_ref (settings->credentials) : NULL;
  copy->sudo_password = g_strdup (settings->sudo_password);
  copy->known_hosts_file = g_strdup (settings->known_hosts_file);
  copy->expected_fingerprint = g_strdup (settings->expected_fingerprint);
}

static void
settings_clear (Settings *settings)
{
  g_clear_pointer (&settings->script, g_free);
  g_clear_pointer (&settings->sshd_script, g_free);
  g_clear_pointer (&settings->host, g_free);
  g_clear_object (&settings->credentials);
  g_clear_pointer (&settings->sudo_password, tw_wipe_free);
  g_clear_pointer (&settings->known_hosts_file, g_free);
  g_clear_pointer (&settings->expected_fingerprint, g_free);
}

struct _TwSetupApply
{
  GObject        parent_instance;

  TwTunnel      *tunnel;
  Settings       settings;
  char          *fingerprint;
  gboolean       running;
};

G_DEFINE_FINAL_TYPE (TwSetupApply, tw_setup_apply, G_TYPE_OBJECT)

enum {
  SIGNAL_STEP,
  SIGNAL_OUTPUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  TwSetupApply  *self;
  GMainContext  *context;
  Settings       settings;
  GCancellable  *cancellable;
  /* per script run */
  guint          n_changes;
  char          *failed_step;
} Job;

typedef struct
{
  TwSetupApply      *self;
  char              *id;     /* NULL: an output line */
  TwSetupStepStatus  status;
  char              *text;
} Event;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_object_unref (job->self);
  g_main_context_unref (job->context);
  settings_clear (&job->settings);
  g_clear_object (&job->cancellable);
  g_free (job->failed_step);
  g_free (job);
}

static gboolean
deliver_event (gpointer data)
{
  Event *event = data;

  if (event->id != NULL)
    g_signal_emit (event->self, signals[SIGNAL_STEP], 0, event->id, (int) event->status, event->text);
  else
    g_signal_emit (event->self, signals[SIGNAL_OUTPUT], 0, event->text);
  return G_SOURCE_REMOVE;
}

static void
event_free (gpointer data)
{
  Event *event = data;

  g_object_unref (event->self);
  g_free (event->id);
  g_free (event->text);
  g_free (event);
}

static void
post (Job               *job,
      const char        *id,
      TwSetupStepStatus  status,
      const char        *text)
{
  Event *event = g_new0 (Event, 1);

  event->self = g_object_ref (job->self);
  event->id = g_strdup (id);
  event->status = status;
  event->text = g_strdup (text);
  tw_dispatch_to_context (job->context, "[tw] setup step", deliver_event, event, event_free);
}

const char *
tw_setup_step_status_to_string (TwSetupStepStatus status)
{
  switch (status)
    {
    case TW_SETUP_STEP_RUNNING: return "running";
    case TW_SETUP_STEP_OK: return "ok";
    case TW_SETUP_STEP_CHANGED: return "changed";
    case TW_SETUP_STEP_WOULD_CHANGE: return "would-change";
    case TW_SETUP_STEP_FAILED: default: return "failed";
    }
}

static gboolean
parse_status (const char        *text,
              TwSetupStepStatus *status)
{
  for (TwSetupStepStatus s = TW_SETUP_STEP_OK; s <= TW_SETUP_STEP_FAILED; s++)
    if (g_str_equal (text, tw_setup_step_status_to_string (s)))
      {
        *status = s;
        return TRUE;
      }
  return FALSE;
}

/* "TW-STEP <step> <status> <text>" becomes a step; anything else is output for the log. */
static void
on_script_line (const char *line,
                gpointer    user_data)
{
  Job *job = user_data;
  g_auto(GStrv) parts = NULL;
  TwSetupStepStatus status;

  if (g_str_has_prefix (line, "TW-STEP "))
    {
      parts = g_strsplit (line + strlen ("TW-STEP "), " ", 3);
      if (parts[0] != NULL && parts[1] != NULL && parse_status (parts[1], &status))
        {
          if (status == TW_SETUP_STEP_CHANGED || status == TW_SETUP_STEP_WOULD_CHANGE)
            job->n_changes++;
          if (status == TW_SETUP_STEP_FAILED && job->failed_step == NULL)
            job->failed_step = g_strdup (parts[0]);
          post (job, parts[0], status, parts[2] ? parts[2] : "");
          return;
        }
    }
  post (job, NULL, TW_SETUP_STEP_OK, line);
}

/* Runs one script as root; FALSE with @error when it could not run or failed. */
static gboolean
run_script (Job             *job,
            TwAdminSession  *session,
            const char      *script,
            const char      *what,
            const char     **args,
            char           **error_output,
            GError         **error)
{
  TwRemoteResult result = { -1, NULL };
  gboolean ok;

  job->n_changes = 0;
  g_clear_pointer (&job->failed_step, g_free);
  ok = tw_remote_exec_as_root (session, script, args, job->settings.sudo_password, on_script_line,
                               job, &result, error);
  if (ok && result.exit_status != 0)
    {
      g_autofree char *said = g_strstrip (g_strdup (result.error_output ? result.error_output : ""));

      g_set_error (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_SCRIPT_FAILED,
                   _("The %s stopped with exit status %d: %s"), what, result.exit_status,
                   *said ? said : _("no message"));
      ok = FALSE;
    }
  if (error_output != NULL)
    *error_output = g_strdup (result.error_output);
  tw_remote_result_clear (&result);
  return ok;
}

static TwAdminSession *
open_session (Job     *job,
              GError **error)
{
  const Settings *settings = &job->settings;
  TwAdminSession *session = tw_admin_session_new (settings->host, settings->port,
                                                  settings->credentials, settings->known_hosts_file,
                                                  settings->expected_fingerprint, settings->timeout_s,
                                                  job->cancellable);

  if (!tw_admin_session_open (session, error))
    {
      if (session->ctx->fingerprint != NULL && job->self->fingerprint == NULL)
        job->self->fingerprint = g_strdup (session->ctx->fingerprint);
      tw_admin_session_free (session);
      return NULL;
    }
  return session;
}

/* Sleeps @seconds unless cancelled first. */
static gboolean
wait_seconds (Job   *job,
              guint  seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_is_cancelled (job->cancellable))
        return FALSE;
      g_usleep (100 * 1000);
    }
  return TRUE;
}

/* After the reload: a new connection must get in. If it does, it confirms (cancels the
 * revert); if not, the server's own revert puts the old settings back, which a later new
 * connection proves. */
static gboolean
confirm_sshd (Job     *job,
              GError **error)
{
  const Settings *settings = &job->settings;
  g_autoptr(TwAdminSession) fresh = NULL;
  g_autoptr(GError) login_error = NULL;
  g_autofree char *text = NULL;
  const char *confirm[] = { "--confirm", NULL };
  gint64 give_up;

  text = g_strdup_printf (_("Logging in again as “%s” on a new connection"),
                          tw_credentials_get_user (settings->credentials));
  post (job, "sshd-login", TW_SETUP_STEP_RUNNING, text);
  /* A reloaded sshd executes itself anew and listens again a moment later: until then a
   * connection is refused, which is no lockout. */
  give_up = g_get_monotonic_time () + RELISTEN_S * G_USEC_PER_SEC;
  while ((fresh = open_session (job, &login_error)) == NULL &&
         g_error_matches (login_error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_CONNECT) &&
         g_get_monotonic_time () < give_up)
    {
      g_clear_error (&login_error);
      if (!wait_seconds (job, 1))
        goto cancelled;
    }
  if (fresh != NULL)
    {
      post (job, "sshd-login", TW_SETUP_STEP_OK, _("A new login works with the new sshd settings"));
      return run_script (job, fresh, settings->sshd_script, _("sshd settings script"), confirm,
                         NULL, error);
    }
  if (g_error_matches (login_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&login_error));
      return FALSE;
    }

  g_free (text);
  text = g_strdup_printf (_("A new login fails after the reload (%s). The server puts the previous "
                            "sshd settings back by itself in %u s"),
                          login_error->message, settings->revert_after);
  post (job, "sshd-login", TW_SETUP_STEP_FAILED, text);

  post (job, "sshd-revert", TW_SETUP_STEP_RUNNING, _("Waiting for the server to revert"));
  if (!wait_seconds (job, settings->revert_after))
    goto cancelled;
  give_up = g_get_monotonic_time () + (gint64) (30 + settings->timeout_s) * G_USEC_PER_SEC;
  do
    {
      g_autoptr(GError) again_error = NULL;

      g_clear_pointer (&fresh, tw_admin_session_free);
      fresh = open_session (job, &again_error);
      if (fresh != NULL)
        {
          post (job, "sshd-revert", TW_SETUP_STEP_CHANGED,
                _("The server put the previous sshd settings back; a new login works again"));
          g_set_error (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_LOCKED_OUT,
                       _("The new sshd settings would have locked “%s” out (%s), so they were "
                         "rolled back. Check the sshd_config lines for AllowUsers, AllowGroups, "
                         "DenyUsers or AuthenticationMethods that leave your account out."),
                       tw_credentials_get_user (settings->credentials), login_error->message);
          return FALSE;
        }
      if (g_error_matches (again_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !wait_seconds (job, 2))
        goto cancelled;
    }
  while (g_get_monotonic_time () < give_up);

  post (job, "sshd-revert", TW_SETUP_STEP_FAILED, _("Still no new login after the revert"));
  g_set_error (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_STILL_LOCKED_OUT,
               _("A new login still fails after the server should have put the previous sshd "
                 "settings back (%s). Keep any session you have open, and check "
                 "/etc/ssh/sshd_config and sshd_config.d on the server."), login_error->message);
  return FALSE;

cancelled:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("Cancelled; the server reverts its sshd settings by itself"));
  return FALSE;
}

static gboolean
sshd_failure (Job         *job,
              const char  *error_output,
              GError     **error)
{
  g_autofree char *said = g_strstrip (g_strdup (error_output ? error_output : ""));

  if (g_strcmp0 (job->failed_step, "sshd-check") != 0)
    return FALSE;
  g_clear_error (error);
  g_set_error (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_SSHD_REFUSED,
               _("sshd refused the new settings, so the previous file was put back and sshd "
                 "was not reloaded. sshd said: %s"), said);
  return TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  const Settings *settings = &job->settings;
  g_autoptr(TwAdminSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *revert = g_strdup_printf ("%u", settings->revert_after);
  const char *dry[] = { "--dry-run", NULL };
  const char *sshd_args[] = { "--revert-after", revert, NULL };
  guint would_change = 0;

  text = g_strdup_printf (_("Logging in to %s as “%s”"), settings->host,
                          tw_credentials_get_user (settings->credentials));
  post (job, "login", TW_SETUP_STEP_RUNNING, text);
  session = open_session (job, &error);
  if (session == NULL)
    {
      post (job, "login", TW_SETUP_STEP_FAILED, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (text);
  text = g_strdup_printf (_("Logged in as “%s”; host key %s, %s"),
                          tw_credentials_get_user (settings->credentials),
                          session->ctx->fingerprint, session->confirmed_by);
  if (job->self->fingerprint == NULL)
    job->self->fingerprint = g_strdup (session->ctx->fingerprint);
  post (job, "login", TW_SETUP_STEP_OK, text);

  /* What would change, first: the admin sees it (and a dry run ends there). */
  if (!run_script (job, session, settings->script, _("setup script"), dry, NULL, &error))
    goto failed;
  would_change += job->n_changes;
  if (settings->sshd_script != NULL)
    {
      g_autofree char *error_output = NULL;

      if (!run_script (job, session, settings->sshd_script, _("sshd settings script"), dry,
                       &error_output, &error))
        goto failed;
      would_change += job->n_changes;
    }
  if (settings->dry_run || would_change == 0)
    {
      g_task_return_int (task, settings->dry_run ? (would_change ? TW_SETUP_APPLY_WOULD_CHANGE
                                                     : TW_SETUP_APPLY_WOULD_NOT_CHANGE)
                                     : TW_SETUP_APPLY_UNCHANGED);
      return;
    }

  if (!run_script (job, session, settings->script, _("setup script"), NULL, NULL, &error))
    goto failed;

  if (settings->sshd_script != NULL)
    {
      g_autofree char *error_output = NULL;

      if (!run_script (job, session, settings->sshd_script, _("sshd settings script"), sshd_args,
                       &error_output, &error))
        {
          sshd_failure (job, error_output, &error);
          goto failed;
        }
      /* Reloaded (the script says so only when it did): prove the way in still works. */
      if (job->n_changes > 0 && !confirm_sshd (job, &error))
        goto failed;
    }

  g_task_return_int (task, TW_SETUP_APPLY_CHANGED);
  return;

failed:
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
tw_setup_apply_finalize (GObject *object)
{
  TwSetupApply *self = (TwSetupApply *) object;

  g_clear_object (&self->tunnel);
  settings_clear (&self->settings);
  g_free (self->fingerprint);

  G_OBJECT_CLASS (tw_setup_apply_parent_class)->finalize (object);
}

static void
tw_setup_apply_class_init (TwSetupApplyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_setup_apply_finalize;

  /**
   * TwSetupApply::step:
   * @id: the step ("login", "user", "key", "sshd-config", …)
   * @status: a #TwSetupStepStatus
   * @text: what it did or would do, in plain words
   */
  signals[SIGNAL_STEP] = g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                       G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING);
  /**
   * TwSetupApply::output:
   * @line: any other line the scripts print (the sshd_config diff, ls -l)
   */
  signals[SIGNAL_OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tw_setup_apply_init (TwSetupApply *self)
{
  self->settings.revert_after = 120;
  self->settings.timeout_s = 10;
}

TwSetupApply *
tw_setup_apply_new (TwTunnel     *tunnel,
                    TwPublicKey  *key,
                    GError      **error)
{
  g_autoptr(TwSetupApply) self = NULL;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);

  self = g_object_new (TW_TYPE_SETUP_APPLY, NULL);
  self->tunnel = g_object_ref (tunnel);
  self->settings.script = tw_setup_linux_script (tunnel, key, error);
  if (self->settings.script == NULL)
    return NULL;
  if (tw_setup_sshd_config_needed (tunnel, key))
    {
      self->settings.sshd_script = tw_setup_sshd_apply_script (tunnel, key, error);
      if (self->settings.sshd_script == NULL)
        return NULL;
    }
  self->settings.host = g_strdup (tw_tunnel_get_ssh_host (tunnel));
  self->settings.port = tw_tunnel_get_ssh_port (tunnel);
  self->settings.expected_fingerprint = g_strdup (tw_tunnel_get_pinned_fingerprint (tunnel));
  return g_steal_pointer (&self);
}

gboolean
tw_setup_apply_allow_forwarding (TwSetupApply  *self,
                                 TwPublicKey   *key,
                                 GError       **error)
{
  g_autofree char *lines = NULL;

  g_return_val_if_fail (TW_IS_SETUP_APPLY (self), FALSE);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), FALSE);

  lines = tw_setup_sshd_dropin_allowing_forward (self->tunnel, key);
  return tw_setup_apply_set_sshd_lines (self, lines, error);
}

gboolean
tw_setup_apply_set_sshd_lines (TwSetupApply  *self,
                               const char    *lines,
                               GError       **error)
{
  char *script;

  g_return_val_if_fail (TW_IS_SETUP_APPLY (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (lines == NULL)
    return TRUE;
  script = tw_setup_sshd_apply_script_for_lines (self->tunnel, lines, error);
  if (script == NULL)
    return FALSE;
  g_free (self->settings.sshd_script);
  self->settings.sshd_script = script;
  return TRUE;
}

void
tw_setup_apply_set_server (TwSetupApply *self,
                           const char   *host,
                           guint         port)
{
  g_return_if_fail (TW_IS_SETUP_APPLY (self));
  tw_replace_string (&self->settings.host, host);
  self->settings.port = port;
}

void
tw_setup_apply_set_credentials (TwSetupApply  *self,
                                TwCredentials *credentials)
{
  g_return_if_fail (TW_IS_SETUP_APPLY (self));
  g_set_object (&self->settings.credentials, credentials);
}

void
tw_setup_apply_set_sudo_password (TwSetupApply *self,
                                  const char   *password)
{
  g_return_if_fail (TW_IS_SETUP_APPLY (self));
  g_clear_pointer (&self->settings.sudo_password, tw_wipe_free);
  self->settings.sudo_password = g_strdup (password);
}

void
tw_setup_apply_set_known_hosts_file (TwSetupApply *self,
                                     const char   *path)
{
  g_return_if_fail (TW_IS_SETUP_APPLY (self));
  tw_replace_string (&self->settings.known_hosts_file, path);
}

void
tw_setup_apply_set_expected_fingerprint (TwSetupApply *self,
                                         const char   *fingerprint)
{
  g_return_if_fail (TW_IS_SETUP_APPLY (self));
  tw_replace_string (&self->settings.expected_fingerprint, fingerprint);
}

void
tw_setup_apply_set_dry_run (TwSetupApply *self,
                            gboolean      dry_run)
{
  g_return_if_fail (TW_IS_SETUP_APPLY (self));
  self->settings.dry_run = dry_run;
}

void
tw_setup_apply_set_revert_after (TwSetupApply *self,
                                 guint         seconds)
{
  g_return_if_fail (TW_IS_SETUP_APPLY (self));
  self->settings.revert_after = seconds;
}

void
tw_setup_apply_set_timeout (TwSetupApply *self,
                            guint         seconds)
{
  g_return_if_fail (TW_IS_SETUP_APPLY (self));
  self->settings.timeout_s = MAX (seconds, 1);
}

const char *
tw_setup_apply_get_script (TwSetupApply *self)
{
  g_return_val_if_fail (TW_IS_SETUP_APPLY (self), NULL);
  return self->settings.script;
}

const char *
tw_setup_apply_get_sshd_script (TwSetupApply *self)
{
  g_return_val_if_fail (TW_IS_SETUP_APPLY (self), NULL);
  return self->settings.sshd_script;
}

const char *
tw_setup_apply_get_fingerprint (TwSetupApply *self)
{
  g_return_val_if_fail (TW_IS_SETUP_APPLY (self), NULL);
  return self->fingerprint;
}

void
tw_setup_apply_run_async (TwSetupApply        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (TW_IS_SETUP_APPLY (self));
  g_return_if_fail (TW_IS_CREDENTIALS (self->settings.credentials));
  g_return_if_fail (tw_credentials_get_user (self->settings.credentials) != NULL);
  g_return_if_fail (self->settings.host != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_setup_apply_run_async);

  job = g_new0 (Job, 1);
  job->self = g_object_ref (self);
  job->context = g_main_context_ref_thread_default ();
  settings_copy (&job->settings, &self->settings);
  job->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  g_task_set_task_data (task, job, job_free);
  /* Our own words for a cancel: after an sshd change they say what the server does next. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_thread);
}

int
tw_setup_apply_run_finish (TwSetupApply  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (int) g_task_propagate_int (G_TASK (result), error);
}

gboolean
tw_setup_apply_fixes_check (const char *check_id)
{
  g_return_val_if_fail (check_id != NULL, FALSE);

  return g_str_equal (check_id, "service-key") || g_str_equal (check_id, "service-key-sha1");
}

gboolean
tw_setup_apply_fix_allows_forwarding (const char *check_id)
{
  g_return_val_if_fail (check_id != NULL, FALSE);

  return g_str_equal (check_id, "forward");
}
