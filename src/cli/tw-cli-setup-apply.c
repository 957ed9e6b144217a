/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check setup --apply: sets the bastion up over SSH with the admin's login and prints
 * one line per step. Exit 0: applied, or nothing to do (a dry run: nothing changed); 1: it
 * failed, and the server is unchanged or rolled back (the message says which); 2: usage.
 *
 * Passwords come from environment variables named on the command line, never from the
 * command line itself. The sudo password's value is wiped from this process's environment as
 * soon as it is read, so that /proc/PID/environ does not keep it for the whole run.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "tw-cli.h"
#include "tw-cli-common.h"
#include "tw-cli-setup-apply.h"

void
tw_cli_setup_apply_init (TwCliSetupApply *options)
{
  memset (options, 0, sizeof *options);
  options->revert_after = 120;
  options->timeout = 10;
}

void
tw_cli_setup_apply_clear (TwCliSetupApply *options)
{
  g_clear_pointer (&options->host, g_free);
  g_clear_pointer (&options->login_user, g_free);
  g_clear_pointer (&options->identity, g_free);
  g_clear_pointer (&options->password_env, g_free);
  g_clear_pointer (&options->sudo_password_env, g_free);
  g_clear_pointer (&options->expect_fingerprint, g_free);
  g_clear_pointer (&options->known_hosts, g_free);
  g_clear_pointer (&options->sshd_lines, g_free);
}

GOptionGroup *
tw_cli_setup_apply_group (TwCliSetupApply *options)
{
  const GOptionEntry entries[] = {
    { "apply", 0, 0, G_OPTION_ARG_NONE, &options->apply, N_("Set the bastion up over SSH (a dry run first)"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &options->dry_run, N_("With --apply: only report what would change"), NULL },
    { "host", 0, 0, G_OPTION_ARG_STRING, &options->host, N_("SSH host (the bastion)"), "H" },
    { "login-user", 0, 0, G_OPTION_ARG_STRING, &options->login_user, N_("Your own account on the bastion (root, or a sudo user)"), "U" },
    { "identity", 0, 0, G_OPTION_ARG_FILENAME, &options->identity, N_("Log in with this private key (passphrase from $TUNNEL_CHECK_PASSPHRASE)"), "FILE" },
    { "agent", 0, 0, G_OPTION_ARG_NONE, &options->agent, N_("Log in with the ssh-agent"), NULL },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &options->password_env, N_("Log in with the password in this environment variable"), "VAR" },
    { "sudo-password-env", 0, 0, G_OPTION_ARG_STRING, &options->sudo_password_env, N_("The sudo password is in this environment variable"), "VAR" },
    { "expect-fingerprint", 0, 0, G_OPTION_ARG_STRING, &options->expect_fingerprint, N_("The host key fingerprint to expect"), "SHA256:…" },
    { "known-hosts", 0, 0, G_OPTION_ARG_FILENAME, &options->known_hosts, N_("known_hosts file (default: yours and the system's)"), "FILE" },
    { "allow-forwarding", 0, 0, G_OPTION_ARG_NONE, &options->allow_forwarding, N_("With --apply: also let the tunnel user forward whatever the rest of sshd_config says (the fix when the bastion refuses the forward)"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &options->timeout, N_("Seconds per stage of the login (10)"), "SECONDS" },
    /* For tests and for admins with lines of their own; not part of the contract. */
    { "revert-after", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &options->revert_after, N_("Seconds before an unconfirmed sshd change is reverted (120)"), "SECONDS" },
    { "sshd-lines", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &options->sshd_lines, N_("Install these sshd_config lines instead of the generated ones"), "FILE" },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("apply", _("Setting the server up over SSH:"),
                                            _("Show the options that set the server up over SSH"),
                                            NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

/* A copy of the variable's value; the original is overwritten and the variable removed. */
static char *
take_secret_from_environment (const char *name)
{
  char *value = (char *) g_getenv (name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup (value);
  explicit_bzero (value, strlen (value));
  g_unsetenv (name);
  return copy;
}

static const char *
status_label (TwSetupStepStatus status)
{
  switch (status)
    {
    case TW_SETUP_STEP_OK: return _("ok");
    case TW_SETUP_STEP_CHANGED: return _("changed");
    case TW_SETUP_STEP_WOULD_CHANGE: return _("would change");
    case TW_SETUP_STEP_FAILED: return _("FAILED");
    case TW_SETUP_STEP_RUNNING: default: return "…";
    }
}

static void
on_step (TwSetupApply *apply,
         const char   *id,
         int           status,
         const char   *text,
         gpointer      user_data)
{
  tw_cli_print_padded (status_label (status), 13);
  printf (" %-13s %s\n", id, text);
  fflush (stdout);
}

static void
on_output (TwSetupApply *apply,
           const char   *line,
           gpointer      user_data)
{
  printf ("    %s\n", line);
  fflush (stdout);
}

int
tw_cli_setup_apply_run (TwCliSetupApply *options,
                        TwTunnel        *tunnel,
                        TwPublicKey     *key)
{
  g_autoptr(TwSetupApply) apply = NULL;
  g_autoptr(TwCredentials) credentials = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  char *sudo_password = NULL;
  g_auto(TwCliWait) wait = { cancellable };
  int outcome;
  guint n_logins;

  n_logins = (options->identity != NULL) + options->agent + (options->password_env != NULL);
  if (options->host == NULL || options->login_user == NULL || n_logins != 1)
    return tw_cli_usage_error ("setup", _("--apply needs --host, --login-user and one of --identity, --agent and --password-env"));
  if (options->revert_after < 1 || options->revert_after > 3600)
    return tw_cli_usage_error ("setup", _("--revert-after must be between 1 and 3600 seconds"));
  if (options->timeout < 1)
    return tw_cli_usage_error ("setup", _("--timeout must be at least 1 second"));

  if (options->password_env != NULL)
    {
      g_autofree char *password = take_secret_from_environment (options->password_env);

      if (password == NULL)
        return tw_cli_usage_error ("setup", _("the variable given to --password-env is not set"));
      credentials = tw_credentials_new_password (password);
      explicit_bzero (password, strlen (password));
    }
  else if (options->identity != NULL)
    credentials = tw_credentials_new_identity_file (options->identity, g_getenv ("TUNNEL_CHECK_PASSPHRASE"));
  else
    credentials = tw_credentials_new_agent ();
  tw_credentials_set_user (credentials, options->login_user);

  if (options->sudo_password_env != NULL)
    {
      sudo_password = take_secret_from_environment (options->sudo_password_env);
      if (sudo_password == NULL)
        return tw_cli_usage_error ("setup", _("the variable given to --sudo-password-env is not set"));
    }

  tw_tunnel_set_ssh_host (tunnel, options->host);
  apply = tw_setup_apply_new (tunnel, key, &error);
  if (apply != NULL && options->allow_forwarding && options->sshd_lines == NULL &&
      !tw_setup_apply_allow_forwarding (apply, key, &error))
    g_clear_object (&apply);
  if (apply != NULL && options->sshd_lines != NULL)
    {
      g_autofree char *lines = NULL;

      if (!g_file_get_contents (options->sshd_lines, &lines, NULL, &error) ||
          !tw_setup_apply_set_sshd_lines (apply, lines, &error))
        g_clear_object (&apply);
    }
  if (apply == NULL)
    {
      if (sudo_password != NULL)
        explicit_bzero (sudo_password, strlen (sudo_password));
      g_free (sudo_password);
      return tw_cli_usage_error ("setup", error->message);
    }

  tw_setup_apply_set_credentials (apply, credentials);
  tw_setup_apply_set_sudo_password (apply, sudo_password);
  if (sudo_password != NULL)
    explicit_bzero (sudo_password, strlen (sudo_password));
  g_clear_pointer (&sudo_password, g_free);
  tw_setup_apply_set_known_hosts_file (apply, options->known_hosts);
  if (options->expect_fingerprint != NULL)
    tw_setup_apply_set_expected_fingerprint (apply, options->expect_fingerprint);
  tw_setup_apply_set_dry_run (apply, options->dry_run);
  tw_setup_apply_set_revert_after (apply, (guint) options->revert_after);
  tw_setup_apply_set_timeout (apply, (guint) options->timeout);

  g_signal_connect (apply, "step", G_CALLBACK (on_step), NULL);
  g_signal_connect (apply, "output", G_CALLBACK (on_output), NULL);
  tw_setup_apply_run_async (apply, cancellable, tw_cli_wait_done, &wait);
  outcome = tw_setup_apply_run_finish (apply, tw_cli_wait_run (&wait), &error);
  /* Steps still queued behind the result. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (error != NULL)
    {
      g_printerr ("tunnel-check setup: %s\n", error->message);
      return TW_CLI_EXIT_FAILED;
    }

  switch (outcome)
    {
    case TW_SETUP_APPLY_CHANGED:
      printf ("%s\n", _("The server is set up."));
      break;
    case TW_SETUP_APPLY_UNCHANGED:
      printf ("%s\n", _("Nothing to do: the server is set up already."));
      break;
    case TW_SETUP_APPLY_WOULD_CHANGE:
      printf ("%s\n", _("Dry run: nothing was changed; the steps above say what would."));
      break;
    case TW_SETUP_APPLY_WOULD_NOT_CHANGE:
    default:
      printf ("%s\n", _("Dry run: nothing would change; the server is set up already."));
      break;
    }
  return TW_CLI_EXIT_OK;
}
