/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * TwCheckStatus:
 * @TW_CHECK_STATUS_PENDING: not started yet
 * @TW_CHECK_STATUS_RUNNING: under way
 * @TW_CHECK_STATUS_PASS: done, all good
 * @TW_CHECK_STATUS_WARN: done, works but something deserves attention
 * @TW_CHECK_STATUS_FAIL: done, the tunnel will not work as described
 * @TW_CHECK_STATUS_SKIP: not applicable, or blocked by an earlier failure (the summary says which)
 *
 * The state of one check. The last four are final and are the only ones the
 * JSON report carries.
 */
typedef enum {
  TW_CHECK_STATUS_PENDING,
  TW_CHECK_STATUS_RUNNING,
  TW_CHECK_STATUS_PASS,
  TW_CHECK_STATUS_WARN,
  TW_CHECK_STATUS_FAIL,
  TW_CHECK_STATUS_SKIP,
} TwCheckStatus;

/* "pending", "running", "pass", "warn", "fail", "skip" */
const char *tw_check_status_to_string   (TwCheckStatus  status);
gboolean    tw_check_status_from_string (const char    *text,
                                         TwCheckStatus *status);
gboolean    tw_check_status_is_final    (TwCheckStatus  status);

#define TW_TYPE_CHECK_RESULT (tw_check_result_get_type ())
G_DECLARE_FINAL_TYPE (TwCheckResult, tw_check_result, TW, CHECK_RESULT, GObject)

/*
 * A check's result as the window and the report show it. Properties:
 * "id" (construct-only, e.g. "host-key"), "title" (construct-only, translated,
 * e.g. "Host key"), "status" (TwCheckStatus), "duration-ms" (guint),
 * "summary" (one line), "detail" (several lines, may be NULL), "hint" (the
 * likely cause and the fix, may be NULL).
 *
 * The probe engine only changes a result on the main context that called
 * tw_probe_run_async(), so "notify" handlers run there and may touch widgets.
 * Each property notifies only when its value changed.
 */
TwCheckResult *tw_check_result_new             (const char    *id,
                                                const char    *title);

const char    *tw_check_result_get_id          (TwCheckResult *self);
const char    *tw_check_result_get_title       (TwCheckResult *self);
TwCheckStatus  tw_check_result_get_status      (TwCheckResult *self);
guint          tw_check_result_get_duration_ms (TwCheckResult *self);
const char    *tw_check_result_get_summary     (TwCheckResult *self);
const char    *tw_check_result_get_detail      (TwCheckResult *self);
const char    *tw_check_result_get_hint        (TwCheckResult *self);

void           tw_check_result_set_status      (TwCheckResult *self,
                                                TwCheckStatus  status);
void           tw_check_result_set_duration_ms (TwCheckResult *self,
                                                guint          duration_ms);
void           tw_check_result_set_summary     (TwCheckResult *self,
                                                const char    *summary);
void           tw_check_result_set_detail      (TwCheckResult *self,
                                                const char    *detail);
void           tw_check_result_set_hint        (TwCheckResult *self,
                                                const char    *hint);
/* "server-fix": the remedy is on the bastion, and the setup scripts (run
 * with Set Up on the Server) are that remedy */
gboolean       tw_check_result_get_server_fix  (TwCheckResult *self);
void           tw_check_result_set_server_fix  (TwCheckResult *self,
                                                gboolean       server_fix);
/* All at once, notifications frozen until the end (a row redraws once). */
void           tw_check_result_update          (TwCheckResult *self,
                                                TwCheckStatus  status,
                                                guint          duration_ms,
                                                const char    *summary,
                                                const char    *detail,
                                                const char    *hint);
/* Back to PENDING with no text, as at the start of a run. */
void           tw_check_result_reset           (TwCheckResult *self);

G_END_DECLS
