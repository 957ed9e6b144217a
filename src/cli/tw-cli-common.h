/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "tw-core.h"

G_BEGIN_DECLS

/* "HOST:PORT" or "[IPV6]:PORT" → host and port (1–65535); FALSE when malformed. */
gboolean     tw_cli_parse_dest       (const char  *text,
                                      char       **host,
                                      guint       *port);
/* The service's public key from @path, or standard input for "-"; the error says which. */
TwPublicKey *tw_cli_read_public_key  (const char  *option,
                                      const char  *path,
                                      GError     **error);
/* Prints @root on standard output as the commands' --json does: indented by two spaces,
 * with a final newline. */
void         tw_cli_print_json       (JsonNode    *root);
/* Prints "tunnel-check COMMAND: MESSAGE" and the --help pointer; returns TW_CLI_EXIT_USAGE. */
int          tw_cli_usage_error      (const char  *command,
                                      const char  *message);

G_END_DECLS
