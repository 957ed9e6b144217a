/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tw-cli.h"

int
tw_cli_probe (int    argc,
              char **argv)
{
  fprintf (stderr, "%s\n", _("tunnel-check probe: not implemented yet"));
  return TW_CLI_EXIT_USAGE;
}
