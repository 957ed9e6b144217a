/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "tw-cli.h"
#include "tw-paths.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
} commands[] = {
  { "key", tw_cli_key },
  { "keygen", tw_cli_keygen },
  { "list", tw_cli_list },
  { "monitor", tw_cli_monitor },
  { "presets", tw_cli_presets },
  { "probe", tw_cli_probe },
  { "reverse", tw_cli_reverse },
  { "setup", tw_cli_setup },
  { "stand-in", tw_cli_stand_in },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s",
           _("Usage: tunnel-check COMMAND [OPTION…]\n"
             "\n"
             "Commands:\n"
             "  key [FILE|-]   Parse a public key and print it as JSON\n"
             "  keygen …       Make a key pair whose private key a service asks for\n"
             "  list           List the tunnels saved in the app (--json)\n"
             "  monitor …      Check a saved tunnel in the background (systemd user timer)\n"
             "  presets [NAME] List the service presets, or show one (--json)\n"
             "  probe …        Check an SSH tunnel (tunnel-check probe --help)\n"
             "  reverse …      Keep a reverse tunnel open (tunnel-check reverse --help)\n"
             "  setup …        Print the bastion's setup instructions (tunnel-check setup --help)\n"
             "  stand-in …     Make a stand-in for the service's key (tunnel-check stand-in --help)\n"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  /* From the build tree, the catalogues meson compiled there. */
  bindtextdomain (GETTEXT_PACKAGE, tw_paths_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return TW_CLI_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (stdout);
      return 0;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      printf ("tunnel-check %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, _("tunnel-check: unknown command “%s”\n"), argv[1]);
  print_usage (stderr);
  return TW_CLI_EXIT_USAGE;
}
