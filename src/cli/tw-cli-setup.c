/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check setup: the prepare step's instructions for scripts and pipelines, in any of
 * the formats of tw-setup-format.c. Exit 0: printed; 2: usage, or a value that cannot be
 * embedded safely (the message says which).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tw-cli.h"
#include "tw-cli-common.h"
#include "tw-cli-setup-apply.h"
#include "tw-service-preset.h"
#include "tw-setup-format.h"

int
tw_cli_setup (int    argc,
              char **argv)
{
  g_autofree char *service_key_file = NULL, *user = NULL, *dest = NULL, *format_name = NULL, *service = NULL;
  g_auto(GStrv) from = NULL;
  gboolean least_privilege = FALSE;
  int port = 22;
  const GOptionEntry entries[] = {
    { "service-key", 0, 0, G_OPTION_ARG_FILENAME, &service_key_file, N_("The service's public key (file, or - for standard input)"), "FILE" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Tunnel user (default: the service preset's)"), "U" },
    { "service", 0, 0, G_OPTION_ARG_STRING, &service, N_("The data service's preset: its defaults (tunnel-check presets lists them)"), "NAME" },
    { "dest", 0, 0, G_OPTION_ARG_STRING, &dest, N_("Destination as seen from the bastion"), "HOST:PORT" },
    { "least-privilege", 0, 0, G_OPTION_ARG_NONE, &least_privilege, N_("Forwarding to the destination only: no shell, no other port"), NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING_ARRAY, &from, N_("The service's address or CIDR block (repeat for each)"), "CIDR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("SSH port of the bastion (22)"), "PORT" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("What to print (default: linux)"), "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(TwCliSetupApply) apply = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(TwServicePreset) preset = NULL;
  g_autofree char *dest_host = NULL, *format_names = tw_setup_describe_format_names ();
  g_autofree char *description = NULL, *text = NULL;
  const TwSetupFormat *format;
  guint dest_port = 0;

  description = g_strdup_printf (_("Formats: %s."), format_names);
  g_option_context_set_summary (context, _("Print the instructions that prepare the bastion."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  tw_cli_setup_apply_init (&apply);
  g_option_context_add_group (context, tw_cli_setup_apply_group (&apply));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tw_cli_usage_error ("setup", error->message);
  if (argc > 1)
    return tw_cli_usage_error ("setup", _("unexpected argument"));
  if (service != NULL)
    {
      preset = tw_service_preset_find (service, &error);
      if (preset == NULL)
        return tw_cli_usage_error ("setup", error->message);
      /* What the admin typed wins over the preset. */
      if (user == NULL)
        user = g_strdup (tw_service_preset_get_user (preset));
    }
  if (service_key_file == NULL || user == NULL || dest == NULL)
    return tw_cli_usage_error ("setup", _("--service-key, --user (or --service) and --dest are required"));
  if (port < 1 || port > 65535)
    return tw_cli_usage_error ("setup", _("--port must be between 1 and 65535"));
  if (!tw_cli_parse_dest (dest, &dest_host, &dest_port))
    return tw_cli_usage_error ("setup", _("--dest must be HOST:PORT"));

  format = tw_setup_find_format (format_name ? format_name : "linux");
  if (format == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("--format must be one of: %s"), format_names);
      return tw_cli_usage_error ("setup", message);
    }

  key = tw_cli_read_public_key ("--service-key", service_key_file, &error);
  if (key == NULL)
    return tw_cli_usage_error ("setup", error->message);

  tw_tunnel_set_user (tunnel, user);
  tw_tunnel_set_ssh_port (tunnel, (guint) port);
  tw_tunnel_set_dest_host (tunnel, dest_host);
  tw_tunnel_set_dest_port (tunnel, dest_port);
  tw_tunnel_set_least_privilege (tunnel, least_privilege);
  tw_tunnel_set_service_addresses (tunnel, (const char * const *) from);
  if (preset != NULL)
    {
      tw_tunnel_set_require_tls (tunnel, tw_service_preset_get_require_tls (preset));
      if (tw_service_preset_get_keepalive_seconds (preset) > 0)
        tw_tunnel_set_keepalive_interval (tunnel, tw_service_preset_get_keepalive_seconds (preset));
    }

  if (apply.apply)
    {
      if (format_name != NULL && !g_str_equal (format_name, "linux"))
        return tw_cli_usage_error ("setup", _("--apply runs the Linux script: leave --format out"));
      return tw_cli_setup_apply_run (&apply, tunnel, key);
    }
  if (apply.dry_run || apply.host != NULL || apply.login_user != NULL)
    return tw_cli_usage_error ("setup", _("--dry-run, --host and --login-user go with --apply"));

  text = format->render (tunnel, key, &error);
  if (text == NULL)
    return tw_cli_usage_error ("setup", error->message);
  fputs (text, stdout);
  if (*text != '\0' && !g_str_has_suffix (text, "\n"))
    fputc ('\n', stdout);
  return TW_CLI_EXIT_OK;
}
