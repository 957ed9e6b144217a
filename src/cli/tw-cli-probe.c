/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check probe: the command-line contract (tunnel-check(1)) over the probe
 * engine. Human output as the checks finish (colour on a terminal), or one
 * JSON object with --json. Exit 0: no check failed; 1: one did; 2: usage.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tw-cli.h"
#include "tw-cli-common.h"
#include "tw-cli-monitor.h"

typedef struct
{
  TwReport     *report;
  GError       *error;
  /* The check titles' column, in characters: the longest title, at least 28 */
  guint         title_width;
  gboolean      json;
  gboolean      colour;
} Run;

static const char *
status_colour (TwCheckStatus status)
{
  switch (status)
    {
    case TW_CHECK_STATUS_PASS:
      return "\033[1;32m";
    case TW_CHECK_STATUS_WARN:
      return "\033[1;33m";
    case TW_CHECK_STATUS_FAIL:
      return "\033[1;31m";
    default:
      return "\033[2m";
    }
}

static void
print_check (Run           *run,
             TwCheckResult *result)
{
  TwCheckStatus status = tw_check_result_get_status (result);
  g_autofree char *label = g_ascii_strup (tw_check_status_to_string (status), -1);
  const char *hint = tw_check_result_get_hint (result);

  printf ("%s%-4s%s  ", run->colour ? status_colour (status) : "", label, run->colour ? "\033[0m" : "");
  tw_cli_print_padded (tw_check_result_get_title (result), run->title_width);
  printf (" %s", tw_check_result_get_summary (result) ? tw_check_result_get_summary (result) : "");
  if (status != TW_CHECK_STATUS_SKIP)
    printf (" %s(%u ms)%s", run->colour ? "\033[2m" : "", tw_check_result_get_duration_ms (result),
            run->colour ? "\033[0m" : "");
  printf ("\n");
  if (hint != NULL && (status == TW_CHECK_STATUS_FAIL || status == TW_CHECK_STATUS_WARN))
    {
      g_auto(GStrv) lines = g_strsplit (hint, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        printf ("      %s%s\n", i == 0 ? "→ " : "  ", lines[i]);
    }
  fflush (stdout);
}

static void
on_status (TwCheckResult *result,
           GParamSpec    *pspec,
           Run           *run)
{
  if (tw_check_status_is_final (tw_check_result_get_status (result)))
    print_check (run, result);
}

static void
print_human_footer (Run *run)
{
  TwReport *report = run->report;
  TwCheckStatus verdict = tw_report_get_verdict (report);
  g_autofree char *label = g_ascii_strup (tw_check_status_to_string (verdict), -1);

  if (tw_report_get_host_key_fingerprint (report) != NULL)
    {
      printf ("\n%s %s %s\n", _("Host key:"), tw_report_get_host_key_type (report),
              tw_report_get_host_key_fingerprint (report));
      if (tw_report_get_host_key_randomart (report) != NULL)
        printf ("%s\n", tw_report_get_host_key_randomart (report));
      for (guint i = 1; i < tw_report_get_host_keys (report)->len; i++)
        {
          TwPublicKey *key = g_ptr_array_index (tw_report_get_host_keys (report), i);

          printf ("%s %s %s\n", _("Also offered:"), tw_public_key_get_key_type (key),
                  tw_public_key_get_fingerprint (key));
        }
    }
  if (tw_report_get_login_user (report) != NULL && !tw_report_get_login_is_tunnel_user (report))
    printf ("\n%s\n", _("The checks through the tunnel ran as your account, not as the tunnel user: "
                          "they prove you may forward, not yet that the service may."));
  /* Interrupted, the checks that never ran are skipped, not failed: no verdict to give */
  if (g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    printf ("\n%s %s\n", _("Verdict:"), _("none, interrupted before every check ran"));
  else
    printf ("\n%s %s%s%s\n", _("Verdict:"), run->colour ? status_colour (verdict) : "", label,
            run->colour ? "\033[0m" : "");
}

/* --ssh-config alone: the user's and the system's files, as ssh reads
 * them; --ssh-config FILE (or =FILE): only that file, as ssh -F FILE. */
typedef struct
{
  gboolean  wanted;
  char     *file;
} SshConfigOption;

static SshConfigOption ssh_config_option;

static gboolean
on_ssh_config (const char  *name,
               const char  *value,
               gpointer     data,
               GError     **error)
{
  ssh_config_option.wanted = TRUE;
  g_free (ssh_config_option.file);
  ssh_config_option.file = g_strdup (value);
  return TRUE;
}

int
tw_cli_probe (int    argc,
              char **argv)
{
  g_autofree char *host = NULL, *user = NULL, *service_key_file = NULL, *dest = NULL;
  g_autofree char *dest_kind = NULL, *identity = NULL, *password_env = NULL;
  g_autofree char *expect = NULL, *known_hosts = NULL, *login_user = NULL, *stand_in_key = NULL;
  g_autofree char *format_name = NULL, *textfile = NULL, *tunnel_name = NULL;
  gboolean all = FALSE, notify_changes = FALSE;
  TwCliFormat format = TW_CLI_FORMAT_TEXT;
  g_autoptr(GPtrArray) tunnels = NULL;
  g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TwPublicKey) service_key = NULL;
  int port = 22, channels = 4, timeout = 10;
  gboolean require_tls = FALSE, no_require_tls = FALSE, agent = FALSE, json = FALSE, least_privilege = FALSE;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("SSH host (the bastion)"), "H" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("SSH port (22)"), "PORT" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Tunnel user"), "U" },
    { "service-key", 0, 0, G_OPTION_ARG_FILENAME, &service_key_file, N_("The service's public key (file, or - for standard input)"), "FILE" },
    { "dest", 0, 0, G_OPTION_ARG_STRING, &dest, N_("Destination as seen from the bastion"), "HOST:PORT" },
    { "dest-kind", 0, 0, G_OPTION_ARG_STRING, &dest_kind, N_("postgres, mysql, tls or tcp (default: from the port)"), "KIND" },
    { "require-tls", 0, 0, G_OPTION_ARG_NONE, &require_tls, N_("No TLS to the destination is a failure (default)"), NULL },
    { "no-require-tls", 0, 0, G_OPTION_ARG_NONE, &no_require_tls, N_("Clear text to the destination is a warning"), NULL },
    { "least-privilege", 0, 0, G_OPTION_ARG_NONE, &least_privilege, N_("The tunnel user may forward to the destination only: as the tunnel user, a forward elsewhere that sshd accepts is a warning"), NULL },
    { "stand-in-key", 0, 0, G_OPTION_ARG_FILENAME, &stand_in_key,
      N_("Run the checks through the tunnel as the tunnel user, with the private key of a stand-in "
         "made by tunnel-check stand-in and installed for that user"), "FILE" },
    { "login-user", 0, 0, G_OPTION_ARG_STRING, &login_user,
      N_("Your own account on the bastion for the checks through the tunnel (default: the tunnel user; "
         "--identity, --agent and --password-env log in as it)"), "USER" },
    { "identity", 0, 0, G_OPTION_ARG_FILENAME, &identity, N_("Log in with this private key (passphrase from $TUNNEL_CHECK_PASSPHRASE)"), "FILE" },
    { "agent", 0, 0, G_OPTION_ARG_NONE, &agent, N_("Log in with the ssh-agent"), NULL },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &password_env, N_("Log in with the password in this environment variable"), "VAR" },
    { "channels", 0, 0, G_OPTION_ARG_INT, &channels, N_("Connections at once through the tunnel (4)"), "N" },
    { "expect-fingerprint", 0, 0, G_OPTION_ARG_STRING, &expect, N_("The host key fingerprint to expect"), "SHA256:…" },
    { "known-hosts", 0, 0, G_OPTION_ARG_FILENAME, &known_hosts, N_("known_hosts file (default: yours and the system's)"), "FILE" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds per stage (10)"), "SECONDS" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("text, json, nagios (the plugin contract: one line, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) or prometheus"), "FORMAT" },
    { "textfile", 0, 0, G_OPTION_ARG_FILENAME, &textfile, N_("Also write the Prometheus metrics to this file, atomically (node_exporter's textfile collector)"), "PATH" },
    { "tunnel", 0, 0, G_OPTION_ARG_STRING, &tunnel_name, N_("Check the tunnel saved in the app under this name (its host, user, destination, pinned host keys and saved login, the password from the keyring)"), "NAME" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Check every saved tunnel, all at once"), NULL },
    { "notify-changes", 0, 0, G_OPTION_ARG_NONE, &notify_changes, N_("With --tunnel or --all: a desktop notification when a tunnel's verdict or host key differs from its last run's"), NULL },
    { "ssh-config", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, on_ssh_config,
      N_("Log in the way your ssh does for this host: HostName, Port, User, IdentityFile, "
         "CertificateFile, IdentityAgent and ProxyJump from ~/.ssh/config (or only FILE, as ssh -F); "
         "only for your login, never for the checks of the SSH port"), "[FILE]" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwCredentials) credentials = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run = { 0 };
  g_auto(TwCliWait) wait = { cancellable };
  guint n_logins;
  GListModel *checks;
  int exit_code;

  g_option_context_set_summary (context, _("Check an SSH tunnel (bastion) for a data service."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tw_cli_usage_error ("probe", error->message);
  if (argc > 1)
    return tw_cli_usage_error ("probe", _("unexpected argument"));
  if (format_name != NULL && !tw_cli_format_from_string (format_name, &format))
    return tw_cli_usage_error ("probe", _("--format must be text, json, nagios or prometheus"));
  if (json && format_name != NULL && format != TW_CLI_FORMAT_JSON)
    return tw_cli_usage_error ("probe", _("--json and --format exclude each other"));
  if (json)
    format = TW_CLI_FORMAT_JSON;
  json = format == TW_CLI_FORMAT_JSON;
  if (tunnel_name != NULL && all)
    return tw_cli_usage_error ("probe", _("--tunnel and --all exclude each other"));
  if ((tunnel_name != NULL || all) && (host != NULL || user != NULL || dest != NULL))
    return tw_cli_usage_error ("probe", _("a saved tunnel brings its own host, user and destination: "
                                          "leave out --host, --user and --dest"));
  if (notify_changes && tunnel_name == NULL && !all)
    return tw_cli_usage_error ("probe", _("--notify-changes needs --tunnel or --all"));
  if ((tunnel_name != NULL || all) && stand_in_key != NULL)
    return tw_cli_usage_error ("probe", _("--stand-in-key needs --host and --user"));
  if (tunnel_name == NULL && !all && (host == NULL || user == NULL))
    return tw_cli_usage_error ("probe", _("--host and --user are required"));
  if (port < 1 || port > 65535)
    return tw_cli_usage_error ("probe", _("--port must be between 1 and 65535"));
  if (timeout < 1)
    return tw_cli_usage_error ("probe", _("--timeout must be at least 1 second"));
  if (channels < 1 || channels > 64)
    return tw_cli_usage_error ("probe", _("--channels must be between 1 and 64"));
  if (require_tls && no_require_tls)
    return tw_cli_usage_error ("probe", _("--require-tls and --no-require-tls exclude each other"));
  n_logins = (identity != NULL) + agent + (password_env != NULL);
  if (n_logins > 1)
    return tw_cli_usage_error ("probe", _("give only one of --identity, --agent and --password-env"));
  if (stand_in_key != NULL && (n_logins > 0 || login_user != NULL || ssh_config_option.wanted))
    return tw_cli_usage_error ("probe", _("--stand-in-key logs in as the tunnel user with its own key: "
                                          "leave out --identity, --agent, --password-env, --login-user "
                                          "and --ssh-config"));
  if (expect != NULL)
    {
      g_autoptr(TwFingerprintInput) input = tw_fingerprint_input_parse (expect, &error);

      if (input == NULL)
        return tw_cli_usage_error ("probe", error->message);
    }

  if (tunnel_name != NULL || all)
    {
      tunnels = tw_cli_load_tunnels (tunnel_name, &error);
      if (tunnels == NULL)
        return tw_cli_usage_error ("probe", error->message);
      host = g_strdup (tw_tunnel_get_ssh_host (g_ptr_array_index (tunnels, 0)));
    }

  tw_tunnel_set_ssh_host (tunnel, host);
  tw_tunnel_set_ssh_port (tunnel, (guint) port);
  tw_tunnel_set_user (tunnel, user);
  tw_tunnel_set_require_tls (tunnel, !no_require_tls);
  tw_tunnel_set_least_privilege (tunnel, least_privilege);
  tw_tunnel_set_dest_host (tunnel, NULL);

  if (dest != NULL)
    {
      g_autofree char *dest_host = NULL;
      guint dest_port = 0;
      TwDestKind kind;

      if (!tw_cli_parse_dest (dest, &dest_host, &dest_port))
        return tw_cli_usage_error ("probe", _("--dest must be HOST:PORT"));
      if (dest_kind != NULL)
        {
          if (!tw_dest_kind_from_string (dest_kind, &kind))
            return tw_cli_usage_error ("probe", _("--dest-kind must be postgres, mysql, tls or tcp"));
        }
      else if (dest_port == 5432)
        kind = TW_DEST_KIND_POSTGRES;
      else if (dest_port == 3306)
        kind = TW_DEST_KIND_MYSQL;
      else
        kind = TW_DEST_KIND_TCP;
      tw_tunnel_set_dest_host (tunnel, dest_host);
      tw_tunnel_set_dest_port (tunnel, dest_port);
      tw_tunnel_set_dest_kind (tunnel, kind);
    }
  else if (dest_kind != NULL)
    return tw_cli_usage_error ("probe", _("--dest-kind needs --dest"));

  if (tunnels == NULL)
    {
      tunnels = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (tunnels, g_object_ref (tunnel));
    }

  if (service_key_file != NULL)
    {
      service_key = tw_cli_read_public_key ("--service-key", service_key_file, &error);
      if (service_key == NULL)
        return tw_cli_usage_error ("probe", error->message);
    }

  if (password_env != NULL)
    {
      const char *password = g_getenv (password_env);

      if (password == NULL)
        return tw_cli_usage_error ("probe", _("the variable given to --password-env is not set"));
      credentials = tw_credentials_new_password (password);
    }
  else if (identity != NULL)
    credentials = tw_credentials_new_identity_file (identity, g_getenv ("TUNNEL_CHECK_PASSPHRASE"));
  else if (agent)
    credentials = tw_credentials_new_agent ();

  if (ssh_config_option.wanted)
    {
      g_autofree char *file = g_steal_pointer (&ssh_config_option.file);
      g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (file, host, &error);

      if (config == NULL)
        return tw_cli_usage_error ("probe", error->message);
      /* Without a way given, ssh's own: the agent, then the IdentityFiles */
      if (credentials == NULL)
        credentials = tw_credentials_new_agent ();
      tw_credentials_set_ssh_config (credentials, config);
    }

  if (stand_in_key != NULL)
    {
      credentials = tw_credentials_new_identity_file (stand_in_key, NULL);
      tw_credentials_set_user (credentials, user);
      tw_credentials_set_stand_in (credentials, TRUE);
    }

  if (login_user != NULL)
    {
      for (const char *c = login_user; *c != '\0'; c++)
        if (g_ascii_iscntrl (*c) || g_ascii_isspace (*c))
          return tw_cli_usage_error ("probe", _("--login-user must be a user name, without spaces"));
      if (*login_user == '\0')
        return tw_cli_usage_error ("probe", _("--login-user must be a user name, without spaces"));
      /* As ssh does without -i: the agent */
      if (credentials == NULL)
        credentials = tw_credentials_new_agent ();
      tw_credentials_set_user (credentials, login_user);
    }

  /* The same settings for every tunnel checked; the login given here, else each saved
   * tunnel's own (its secret from the keyring) */
  for (guint i = 0; i < tunnels->len; i++)
    {
      TwTunnel *each_tunnel = g_ptr_array_index (tunnels, i);
      const char *id = g_object_get_data (G_OBJECT (each_tunnel), TW_CLI_TUNNEL_ID);
      TwProbe *each = tw_probe_new (each_tunnel);
      g_autoptr(TwCredentials) saved_login = NULL;

      if (credentials == NULL && id != NULL)
        {
          g_autoptr(GError) login_error = NULL;

          saved_login = tw_secrets_dup_saved_login (each_tunnel, id, cancellable, &login_error);
          /* The SSH port's checks still run; the checks through the tunnel say they need a login */
          if (login_error != NULL)
            {
              g_autofree char *label = tw_cli_tunnel_label (each_tunnel);

              g_printerr (_("tunnel-check probe: %s: %s\n"), label, login_error->message);
            }
        }
      if (service_key != NULL)
        tw_probe_set_service_key (each, service_key);
      tw_probe_set_credentials (each, saved_login != NULL ? saved_login : credentials);
      tw_probe_set_known_hosts_file (each, known_hosts);
      tw_probe_set_expected_fingerprint (each, expect);
      tw_probe_set_timeout (each, (guint) timeout);
      tw_probe_set_channels (each, (guint) channels);
      g_ptr_array_add (probes, each);
    }
  /* Several tunnels, or a format for machines: all at once, printed at the end */
  if (probes->len > 1 || tunnel_name != NULL || textfile != NULL ||
      format == TW_CLI_FORMAT_NAGIOS || format == TW_CLI_FORMAT_PROMETHEUS)
    return tw_cli_monitor_run (probes, format, textfile, notify_changes);
  probe = g_object_ref (g_ptr_array_index (probes, 0));

  run.json = json;
  run.colour = !json && isatty (STDOUT_FILENO) && g_getenv ("NO_COLOR") == NULL;

  checks = tw_report_get_checks (tw_probe_get_report (probe));
  run.title_width = 28;
  if (!json)
    for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
      {
        g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, i);

        run.title_width = MAX (run.title_width, (guint) g_utf8_strlen (tw_check_result_get_title (result), -1));
        g_signal_connect (result, "notify::status", G_CALLBACK (on_status), &run);
      }

  tw_probe_run_async (probe, cancellable, tw_cli_wait_done, &wait);
  run.report = tw_probe_run_finish (probe, tw_cli_wait_run (&wait), &run.error);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, i);
      g_signal_handlers_disconnect_by_data (result, &run);
    }

  if (run.error != NULL && !g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr ("tunnel-check probe: %s\n", run.error->message);
      g_clear_error (&run.error);
      return TW_CLI_EXIT_USAGE;
    }
  if (run.report == NULL)
    run.report = g_object_ref (tw_probe_get_report (probe));

  if (json)
    {
      g_autofree char *text = tw_report_to_json (run.report);
      printf ("%s\n", text);
    }
  else
    print_human_footer (&run);

  exit_code = tw_report_get_verdict (run.report) == TW_CHECK_STATUS_FAIL || run.error != NULL
              ? TW_CLI_EXIT_FAILED : TW_CLI_EXIT_OK;
  g_clear_error (&run.error);
  g_clear_object (&run.report);
  return exit_code;
}
