/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-report.h"

G_BEGIN_DECLS

/*
 * Finished reports in the formats monitoring systems read: the Nagios/Icinga plugin contract
 * and the Prometheus exposition format (names in the style of the blackbox exporter). @names
 * label the reports, one each (a saved tunnel's name, or HOST:PORT).
 */

/**
 * TwNagiosState:
 * The plugin exit codes: every check passed or was skipped; one warned; one failed; the
 * run itself could not end (no report).
 */
typedef enum {
  TW_NAGIOS_OK = 0,
  TW_NAGIOS_WARNING = 1,
  TW_NAGIOS_CRITICAL = 2,
  TW_NAGIOS_UNKNOWN = 3,
} TwNagiosState;

/* One status line, "TUNNEL OK - …" or "TUNNEL CRITICAL - name: check: summary …", then
 * perfdata 'name check'=Nms;;;; for each check that ran. @reports: (element-type TwReport),
 * a NULL element for a run that did not end. @state: (out): the exit code. (transfer full) */
char *tw_reports_to_nagios     (GPtrArray          *reports,
                                const char * const *names,
                                TwNagiosState      *state);

/* tunnel_check_success, tunnel_check_status, tunnel_check_duration_seconds,
 * tunnel_check_host_key_changed and tunnel_check_host_certificate_expiry_seconds (when a
 * certificate was seen), each with a "tunnel" label; @reports may hold NULLs as above (only
 * tunnel_check_success 0). (transfer full) */
char *tw_reports_to_prometheus (GPtrArray          *reports,
                                const char * const *names);

G_END_DECLS
