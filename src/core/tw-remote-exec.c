/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a script as root over the admin's SSH session. The order on the channel is what keeps
 * the sudo password safe: sudo -S prints our own prompt on standard error when (and only
 * when) it wants a password, and the password goes on standard input then, once; root's shell
 * prints a marker when it runs, and only then does the script follow. Sent blindly ahead, a
 * password sudo did not ask for (NOPASSWD, a cached login) would be read by bash as a command
 * and end up in an error message. A second prompt means the password was wrong: the channel
 * gets EOF at once rather than the password again.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tw-remote-exec.h"
#include "tw-setup-apply.h"
#include "tw-setup-common.h"
#include "tw-string-private.h"

#define SUDO_PROMPT "[tunnel-wizard] sudo password:"
#define READY_MARK "TW-ROOT-READY"
/* Without any output for this long the server is taken to be gone. */
#define IDLE_LIMIT_S 300

typedef struct
{
  ssh_channel       channel;
  const char       *script;
  const char       *password;
  TwRemoteLineFunc  on_line;
  gpointer          user_data;
  GString          *out;        /* standard output not yet split into lines */
  GString          *err;        /* standard error not yet searched for the prompt */
  GString          *err_all;    /* standard error without the prompts */
  guint             prompts;
  gboolean          ready;
  gboolean          eof_sent;
} Exec;

void
tw_remote_result_clear (TwRemoteResult *result)
{
  g_clear_pointer (&result->error_output, g_free);
}

static char *
build_command (gboolean            use_sudo,
               const char * const *args)
{
  GString *command = g_string_new (NULL);

  /* -S: the password from standard input, not a terminal; -p: a prompt we can recognise;
   * -k: ask every time, rather than sometimes (a cached login): the same run, every run. */
  if (use_sudo)
    g_string_append (command, "sudo -k -S -p '" SUDO_PROMPT "' -- ");
  g_string_append (command, "bash -c 'echo " READY_MARK "; exec bash -s -- \"$@\"' tunnel-wizard");
  for (guint i = 0; args != NULL && args[i]; i++)
    {
      g_autofree char *quoted = tw_setup_shell_quote (args[i]);

      g_string_append_printf (command, " %s", quoted);
    }
  return g_string_free (command, FALSE);
}

static void
send_eof (Exec *exec)
{
  if (!exec->eof_sent)
    ssh_channel_send_eof (exec->channel);
  exec->eof_sent = TRUE;
}

static void
take_stdout (Exec       *exec,
             const char *data,
             gsize       len)
{
  char *newline;

  g_string_append_len (exec->out, data, len);
  while ((newline = memchr (exec->out->str, '\n', exec->out->len)) != NULL)
    {
      g_autofree char *line = g_strndup (exec->out->str, newline - exec->out->str);

      g_string_erase (exec->out, 0, newline - exec->out->str + 1);
      if (!exec->ready && g_str_equal (line, READY_MARK))
        {
          exec->ready = TRUE;
          ssh_channel_write (exec->channel, exec->script, strlen (exec->script));
          send_eof (exec);
        }
      else if (exec->on_line != NULL)
        exec->on_line (line, exec->user_data);
    }
}

static void
take_stderr (Exec       *exec,
             const char *data,
             gsize       len)
{
  char *prompt;

  g_string_append_len (exec->err, data, len);
  while (!exec->ready && (prompt = strstr (exec->err->str, SUDO_PROMPT)) != NULL)
    {
      g_string_append_len (exec->err_all, exec->err->str, prompt - exec->err->str);
      g_string_erase (exec->err, 0, prompt - exec->err->str + strlen (SUDO_PROMPT));
      exec->prompts++;

      if (exec->prompts == 1 && exec->password != NULL && !exec->eof_sent)
        {
          char *line = g_strconcat (exec->password, "\n", NULL);

          ssh_channel_write (exec->channel, line, strlen (line));
          tw_wipe_free (line);
        }
      else
        send_eof (exec);
    }
  /* Keep only what could be the start of a prompt cut in two. */
  if (exec->ready || exec->err->len > strlen (SUDO_PROMPT))
    {
      gsize keep = exec->ready ? 0 : strlen (SUDO_PROMPT);

      g_string_append_len (exec->err_all, exec->err->str, exec->err->len - keep);
      g_string_erase (exec->err, 0, exec->err->len - keep);
    }
}

/* Why sudo did not start the script, from its exit and its words. */
static void
explain_refusal (Exec       *exec,
                 int         exit_status,
                 const char *user,
                 GError    **error)
{
  const char *text = exec->err_all->str;
  g_autofree char *said = g_strstrip (g_strdup (text));

  if (strstr (text, "not in the sudoers") != NULL || strstr (text, "not allowed to run sudo") != NULL ||
      strstr (text, "is not allowed to execute") != NULL)
    g_set_error (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_SUDO_NOT_ALLOWED,
                 _("“%s” may not use sudo on the server (not in the sudoers file). Log in as an "
                   "administrator, or add “%s” to the sudo group (usermod -aG sudo %s; wheel on "
                   "RHEL and Fedora). Nothing was changed."), user, user, user);
  else if (strstr (text, "must have a tty") != NULL || strstr (text, "terminal is required") != NULL)
    g_set_error_literal (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_SUDO_NEEDS_TTY,
                         _("sudo on the server only works from a terminal (“Defaults requiretty” "
                           "in /etc/sudoers). Remove that line with visudo, or log in as root. "
                           "Nothing was changed."));
  else if (exec->prompts == 1 && exec->password == NULL)
    g_set_error (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_SUDO_PASSWORD_NEEDED,
                 _("sudo on the server asks for the password of “%s”. Enter it to go on. Nothing "
                   "was changed."), user);
  else if (exec->prompts >= 2 || strstr (text, "incorrect password") != NULL)
    g_set_error_literal (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_SUDO_WRONG_PASSWORD,
                         _("sudo refused the password. Enter the password of your account on the "
                           "server (sudo asks for your own, not root’s). Nothing was changed."));
  else if (exit_status == 127 || strstr (text, "sudo: not found") != NULL ||
           strstr (text, "sudo: command not found") != NULL)
    g_set_error_literal (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_SUDO_MISSING,
                         _("sudo is not installed on the server. Install it as root (apt install "
                           "sudo), or log in as root. Nothing was changed."));
  else
    g_set_error (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_SCRIPT_FAILED,
                 _("The server did not start the script as root (exit status %d): %s"),
                 exit_status, *said ? said : _("no message"));
}

gboolean
tw_remote_exec_as_root (TwAdminSession     *session,
                        const char         *script,
                        const char * const *args,
                        const char         *sudo_password,
                        TwRemoteLineFunc    on_line,
                        gpointer            user_data,
                        TwRemoteResult     *result,
                        GError            **error)
{
  TwProbeContext *ctx = session->ctx;
  ssh_session ssh = tw_admin_session_get_ssh (session);
  gboolean use_sudo = !g_str_equal (tw_admin_session_get_user (session), "root");
  g_autofree char *command = build_command (use_sudo, args);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GString) err_all = g_string_new (NULL);
  Exec exec = { NULL, script, sudo_password, on_line, user_data, out, err, err_all, 0, FALSE, FALSE };
  gint64 last_data = g_get_monotonic_time ();
  gboolean ok = FALSE;
  char buffer[4096];

  g_return_val_if_fail (ssh != NULL, FALSE);

  result->exit_status = -1;
  result->error_output = NULL;

  exec.channel = ssh_channel_new (ssh);
  if (exec.channel == NULL || ssh_channel_open_session (exec.channel) != SSH_OK ||
      ssh_channel_request_exec (exec.channel, command) != SSH_OK)
    goto lost;

  for (;;)
    {
      int n, m;

      if (tw_probe_context_is_cancelled (ctx))
        goto lost;

      n = ssh_channel_read_timeout (exec.channel, buffer, sizeof buffer, 0, 200);
      if (n == SSH_ERROR)
        goto lost;
      if (n > 0)
        take_stdout (&exec, buffer, n);

      m = ssh_channel_read_nonblocking (exec.channel, buffer, sizeof buffer, 1);
      if (m == SSH_ERROR)
        goto lost;
      if (m > 0)
        take_stderr (&exec, buffer, m);

      if (n > 0 || m > 0)
        last_data = g_get_monotonic_time ();
      else if (ssh_channel_is_eof (exec.channel) || ssh_channel_is_closed (exec.channel))
        break;
      else if (g_get_monotonic_time () - last_data > (gint64) IDLE_LIMIT_S * G_USEC_PER_SEC)
        goto lost;
    }

  if (out->len > 0)
    take_stdout (&exec, "\n", 1);
  g_string_append (err_all, err->str);
  result->exit_status = ssh_channel_get_exit_status (exec.channel);
  result->error_output = g_strdup (err_all->str);

  if (!exec.ready)
    explain_refusal (&exec, result->exit_status, tw_admin_session_get_user (session), error);
  else
    ok = TRUE;
  goto done;

lost:
  if (tw_probe_context_is_cancelled (ctx))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else
    {
      g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, ssh);

      g_set_error (error, TW_SETUP_APPLY_ERROR, TW_SETUP_APPLY_ERROR_CONNECT,
                   _("The connection to the server broke while it ran the script: %s. Each "
                     "step is done whole or not at all; run it again to finish."), why);
    }

done:
  if (exec.channel != NULL)
    {
      ssh_channel_close (exec.channel);
      ssh_channel_free (exec.channel);
    }
  return ok;
}
