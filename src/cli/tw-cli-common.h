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

/* Prints @text and then spaces up to @width characters: printf's %-Ns counts bytes, and a
 * translation's umlaut (or a tunnel's name) has two or more to a character. */
void         tw_cli_print_padded     (const char  *text,
                                      guint        width);

/* Ctrl+C cancels @cancellable instead of killing the process midway (a run then ends as
 * cancelled, with what it has); returns the signal source's id, for g_source_remove(). */
guint        tw_cli_cancel_on_interrupt (GCancellable *cancellable);

/* The commands wait for one asynchronous call at a time: start it with tw_cli_wait_done
 * as its callback and the TwCliWait as its data, then finish it with what tw_cli_wait_run()
 * returns once it has called back. Ctrl+C cancels @cancellable meanwhile, when there is one. */
typedef struct
{
  GCancellable *cancellable;
  GAsyncResult *result;
} TwCliWait;

void          tw_cli_wait_done  (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      wait);
GAsyncResult *tw_cli_wait_run   (TwCliWait    *wait);
void          tw_cli_wait_clear (TwCliWait    *wait);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TwCliWait, tw_cli_wait_clear)

G_END_DECLS
