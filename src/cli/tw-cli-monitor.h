/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-core.h"

G_BEGIN_DECLS

/* How tunnel-check probe prints its reports */
typedef enum {
  TW_CLI_FORMAT_TEXT,
  TW_CLI_FORMAT_JSON,
  TW_CLI_FORMAT_NAGIOS,
  TW_CLI_FORMAT_PROMETHEUS,
} TwCliFormat;

gboolean   tw_cli_format_from_string (const char   *text,
                                      TwCliFormat  *format);

/* The saved tunnels (the window's store): the one named @name (its name or id), or all of
 * them when @name is NULL. (transfer full) (element-type TwTunnel); NULL with @error set when
 * none matches or the store cannot be read. */
GPtrArray *tw_cli_load_tunnels       (const char   *name,
                                      GError      **error);

/* Runs every probe at once (Ctrl+C cancels them), then prints their reports in @format and,
 * with @textfile, writes them in the Prometheus format to that file atomically (for
 * node_exporter's textfile collector). With @notify_changes, a saved tunnel whose verdict or
 * host key differs from its last run's (kept in XDG_STATE_HOME) raises a desktop notification. Returns the exit code: Nagios's for that format,
 * else 0, or 1 when a check failed. */
int        tw_cli_monitor_run        (GPtrArray    *probes,
                                      TwCliFormat   format,
                                      const char   *textfile,
                                      gboolean      notify_changes);

/* Object data on the tunnels tw_cli_load_tunnels() returns: the saved tunnel's id */
#define TW_CLI_TUNNEL_ID "tw-cli-tunnel-id"


/* The name a probe's report goes by: the tunnel's name, else HOST:PORT. (transfer full) */
char      *tw_cli_tunnel_label       (TwTunnel     *tunnel);

G_END_DECLS
