/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "tw-core.h"
#include "tw-test-badserver.h"

G_BEGIN_DECLS

/* Runs @probe to the end on the thread-default main context and returns
 * its report (transfer full); @error gets the run's error (cancelled…).
 * @cancel_after_ms > 0 cancels the run that long after it started and
 * stores in @callback_ms how long the callback took to come after that. */
TwReport *tw_test_run_probe (TwProbe  *probe,
                             guint     cancel_after_ms,
                             double   *callback_ms,
                             GError  **error);

/* A probe for host 127.0.0.1:@port, user TW_TEST_USER, timeout @timeout_s,
 * no known_hosts of the machine's (an empty file in @dir). */
TwProbe  *tw_test_probe_new (guint       port,
                             guint       timeout_s,
                             const char *dir);

/* Runs the SSH-port checks (resolve … host-key) against a new misbehaving server of
 * @kind with @timeout_s, asserting the run itself ends without an error; stores the
 * run's wall time in @elapsed_s when not NULL. */
TwReport *tw_test_probe_bad_server (const char *dir,
                                    TwBadKind   kind,
                                    guint       timeout_s,
                                    double     *elapsed_s);

/* The status of check @id in @report, asserting it is there */
TwCheckStatus tw_test_check_status  (TwReport   *report,
                                     const char *id);
const char   *tw_test_check_summary (TwReport   *report,
                                     const char *id);
const char   *tw_test_check_hint    (TwReport   *report,
                                     const char *id);
const char   *tw_test_check_detail  (TwReport   *report,
                                     const char *id);

/* What a table of cases expects of one check; a NULL text is not looked at. */
typedef struct {
  const char    *check;
  TwCheckStatus  status;
  const char    *summary_has;
  const char    *hint_has;
  const char    *detail_has;
} TwTestExpect;

/* Asserts each of @expect (up to @n_expect, or the first with a NULL check)
 * against @report, naming the check and the text that lacks a part. */
void          tw_test_assert_checks (TwReport           *report,
                                     const TwTestExpect *expect,
                                     guint               n_expect);

/* Aborts the test unless @text contains @needle */
void          tw_test_assert_has    (const char         *text,
                                     const char         *needle);

/* Runs $TUNNEL_CHECK with @args (with @envp, or this process's environment when NULL);
 * returns its standard output and sets @exit_status to its exit code. (transfer full) */
char         *tw_test_run_tunnel_check (const char * const *args,
                                        const char * const *envp,
                                        int                *exit_status);

/* The check @id in the "checks" array of `tunnel-check probe --json` output, asserting it is there */
JsonObject   *tw_test_json_check       (JsonObject         *root,
                                        const char         *id);
/* Its summary, detail and hint, one per line (those that are not null). (transfer full) */
char         *tw_test_json_check_texts (JsonObject         *check);

G_END_DECLS
