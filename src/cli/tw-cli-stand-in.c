/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check stand-in: a key pair that stands in for the service's key, so that
 * `tunnel-check probe --stand-in-key FILE` tests the forward as the tunnel user. Writes the
 * private key to the file the admin names (mode 0600, never over an existing file) and
 * prints the authorized_keys line (the service's options, valid for one hour), the command
 * that installs it and the one that removes it. Exit 0: done; 2: usage or a refused value.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tw-cli.h"
#include "tw-cli-common.h"
#include "tw-core.h"

int
tw_cli_stand_in (int    argc,
                 char **argv)
{
  g_autofree char *user = NULL, *dest = NULL, *key_file = NULL, *dest_host = NULL;
  gboolean least_privilege = FALSE;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Tunnel user"), "U" },
    { "dest", 0, 0, G_OPTION_ARG_STRING, &dest, N_("Destination as seen from the bastion"), "HOST:PORT" },
    { "least-privilege", 0, 0, G_OPTION_ARG_NONE, &least_privilege,
      N_("The service's line has the least-privilege options (then the stand-in's has them too)"), NULL },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("Write the stand-in's private key here (a new file, mode 0600), for probe --stand-in-key"), "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwKeypair) keypair = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *line = NULL, *install = NULL, *remove = NULL;
  char *private_key;
  guint dest_port = 0;
  gboolean written;

  g_option_context_set_summary (context, _("Make a stand-in for the service's key: the checks through "
                                           "the tunnel then run as the tunnel user, as the service's will."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tw_cli_usage_error ("stand-in", error->message);
  if (argc > 1)
    return tw_cli_usage_error ("stand-in", _("unexpected argument"));
  if (user == NULL || dest == NULL || key_file == NULL)
    return tw_cli_usage_error ("stand-in", _("--user, --dest and --key-file are required"));
  if (!tw_cli_parse_dest (dest, &dest_host, &dest_port))
    return tw_cli_usage_error ("stand-in", _("--dest must be HOST:PORT"));
  if (g_file_test (key_file, G_FILE_TEST_EXISTS))
    return tw_cli_usage_error ("stand-in", _("--key-file names a file that exists; name a new one"));

  tw_tunnel_set_user (tunnel, user);
  tw_tunnel_set_dest_host (tunnel, dest_host);
  tw_tunnel_set_dest_port (tunnel, dest_port);
  tw_tunnel_set_least_privilege (tunnel, least_privilege);

  keypair = tw_stand_in_generate (&error);
  if (keypair != NULL)
    line = tw_stand_in_authorized_line (tunnel, keypair, now, &error);
  if (line != NULL)
    install = tw_stand_in_install_command (tunnel, line, &error);
  if (install != NULL)
    remove = tw_stand_in_remove_command (tunnel, &error);
  if (remove == NULL)
    return tw_cli_usage_error ("stand-in", error->message);

  private_key = tw_keypair_export_private (keypair);
  written = g_file_set_contents_full (key_file, private_key, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                      &error);
  tw_keypair_free_secret (private_key);
  if (!written)
    {
      g_printerr ("tunnel-check stand-in: %s\n", error->message);
      return TW_CLI_EXIT_FAILED;
    }

  printf ("# %s\n%s\n\n", _("The stand-in's line for the tunnel user's authorized_keys (valid for one hour):"),
          line);
  printf ("# %s\n%s\n\n", _("Install it on the bastion, as root:"), install);
  printf ("# %s\ntunnel-check probe --stand-in-key %s …\n\n", _("Then check as the tunnel user:"), key_file);
  printf ("# %s\n%s\n", _("Afterwards remove it (the Linux setup script also does, on its next run):"), remove);
  return TW_CLI_EXIT_OK;
}
