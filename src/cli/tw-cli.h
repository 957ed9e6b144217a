/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The exit codes of the command-line contract (tunnel-check(1)). */
enum {
  TW_CLI_EXIT_OK = 0,
  TW_CLI_EXIT_FAILED = 1,
  TW_CLI_EXIT_USAGE = 2,
};

/* Each command gets argv with its own name at argv[0]. */
int tw_cli_key   (int argc, char **argv);
int tw_cli_keygen (int argc, char **argv);
int tw_cli_list (int argc, char **argv);
/* Installs, removes or prints the systemd user units that check a saved tunnel in the background */
int tw_cli_monitor (int argc, char **argv);
int tw_cli_presets (int argc, char **argv);
int tw_cli_probe (int argc, char **argv);
int tw_cli_reverse (int argc, char **argv);
int tw_cli_setup   (int argc, char **argv);
int tw_cli_stand_in (int argc, char **argv);

G_END_DECLS
