/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One check's result: a plain model the window's rows and the report bind to.
 */
#include "config.h"

#include "tw-check-result.h"
#include "tw-enums.h"
#include "tw-string-private.h"

struct _TwCheckResult
{
  GObject parent_instance;

  char          *id;
  char          *title;
  TwCheckStatus  status;
  guint          duration_ms;
  char          *summary;
  char          *detail;
  char          *hint;
  gboolean       server_fix;
};

G_DEFINE_FINAL_TYPE (TwCheckResult, tw_check_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_STATUS,
  PROP_DURATION_MS,
  PROP_SUMMARY,
  PROP_DETAIL,
  PROP_HINT,
  PROP_SERVER_FIX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const status_names[] = {
  [TW_CHECK_STATUS_PENDING] = "pending",
  [TW_CHECK_STATUS_RUNNING] = "running",
  [TW_CHECK_STATUS_PASS] = "pass",
  [TW_CHECK_STATUS_WARN] = "warn",
  [TW_CHECK_STATUS_FAIL] = "fail",
  [TW_CHECK_STATUS_SKIP] = "skip",
};

const char *
tw_check_status_to_string (TwCheckStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
tw_check_status_from_string (const char    *text,
                             TwCheckStatus *status)
{
  g_return_val_if_fail (status != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (text, status_names[i]))
      {
        *status = i;
        return TRUE;
      }

  return FALSE;
}

gboolean
tw_check_status_is_final (TwCheckStatus status)
{
  return status >= TW_CHECK_STATUS_PASS;
}

static void
tw_check_result_finalize (GObject *object)
{
  TwCheckResult *self = (TwCheckResult *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->summary);
  g_free (self->detail);
  g_free (self->hint);

  G_OBJECT_CLASS (tw_check_result_parent_class)->finalize (object);
}

static void
tw_check_result_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TwCheckResult *self = TW_CHECK_RESULT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_DURATION_MS:
      g_value_set_uint (value, self->duration_ms);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;

    case PROP_HINT:
      g_value_set_string (value, self->hint);
      break;

    case PROP_SERVER_FIX:
      g_value_set_boolean (value, self->server_fix);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_check_result_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TwCheckResult *self = TW_CHECK_RESULT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;

    case PROP_STATUS:
      tw_check_result_set_status (self, g_value_get_enum (value));
      break;

    case PROP_DURATION_MS:
      tw_check_result_set_duration_ms (self, g_value_get_uint (value));
      break;

    case PROP_SUMMARY:
      tw_check_result_set_summary (self, g_value_get_string (value));
      break;

    case PROP_DETAIL:
      tw_check_result_set_detail (self, g_value_get_string (value));
      break;

    case PROP_HINT:
      tw_check_result_set_hint (self, g_value_get_string (value));
      break;

    case PROP_SERVER_FIX:
      tw_check_result_set_server_fix (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_check_result_class_init (TwCheckResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tw_check_result_finalize;
  object_class->get_property = tw_check_result_get_property;
  object_class->set_property = tw_check_result_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, construct);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, TW_TYPE_CHECK_STATUS,
                                               TW_CHECK_STATUS_PENDING, flags);
  properties[PROP_DURATION_MS] = g_param_spec_uint ("duration-ms", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, flags);
  properties[PROP_HINT] = g_param_spec_string ("hint", NULL, NULL, NULL, flags);
  properties[PROP_SERVER_FIX] = g_param_spec_boolean ("server-fix", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_check_result_init (TwCheckResult *self)
{
}

TwCheckResult *
tw_check_result_new (const char *id,
                     const char *title)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (TW_TYPE_CHECK_RESULT, "id", id, "title", title, NULL);
}

const char *
tw_check_result_get_id (TwCheckResult *self)
{
  g_return_val_if_fail (TW_IS_CHECK_RESULT (self), NULL);
  return self->id;
}

const char *
tw_check_result_get_title (TwCheckResult *self)
{
  g_return_val_if_fail (TW_IS_CHECK_RESULT (self), NULL);
  return self->title;
}

TwCheckStatus
tw_check_result_get_status (TwCheckResult *self)
{
  g_return_val_if_fail (TW_IS_CHECK_RESULT (self), TW_CHECK_STATUS_PENDING);
  return self->status;
}

guint
tw_check_result_get_duration_ms (TwCheckResult *self)
{
  g_return_val_if_fail (TW_IS_CHECK_RESULT (self), 0);
  return self->duration_ms;
}

const char *
tw_check_result_get_summary (TwCheckResult *self)
{
  g_return_val_if_fail (TW_IS_CHECK_RESULT (self), NULL);
  return self->summary;
}

const char *
tw_check_result_get_detail (TwCheckResult *self)
{
  g_return_val_if_fail (TW_IS_CHECK_RESULT (self), NULL);
  return self->detail;
}

const char *
tw_check_result_get_hint (TwCheckResult *self)
{
  g_return_val_if_fail (TW_IS_CHECK_RESULT (self), NULL);
  return self->hint;
}

void
tw_check_result_set_status (TwCheckResult *self,
                            TwCheckStatus  status)
{
  g_return_if_fail (TW_IS_CHECK_RESULT (self));
  g_return_if_fail (status <= TW_CHECK_STATUS_SKIP);

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
tw_check_result_set_duration_ms (TwCheckResult *self,
                                 guint          duration_ms)
{
  g_return_if_fail (TW_IS_CHECK_RESULT (self));

  if (self->duration_ms == duration_ms)
    return;

  self->duration_ms = duration_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MS]);
}

void
tw_check_result_set_summary (TwCheckResult *self,
                             const char    *summary)
{
  g_return_if_fail (TW_IS_CHECK_RESULT (self));

  if (tw_replace_string (&self->summary, summary))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

void
tw_check_result_set_detail (TwCheckResult *self,
                            const char    *detail)
{
  g_return_if_fail (TW_IS_CHECK_RESULT (self));

  if (tw_replace_string (&self->detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
}

void
tw_check_result_set_hint (TwCheckResult *self,
                          const char    *hint)
{
  g_return_if_fail (TW_IS_CHECK_RESULT (self));

  if (tw_replace_string (&self->hint, hint))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
}

gboolean
tw_check_result_get_server_fix (TwCheckResult *self)
{
  g_return_val_if_fail (TW_IS_CHECK_RESULT (self), FALSE);
  return self->server_fix;
}

void
tw_check_result_set_server_fix (TwCheckResult *self,
                                gboolean       server_fix)
{
  g_return_if_fail (TW_IS_CHECK_RESULT (self));

  server_fix = !!server_fix;
  if (self->server_fix == server_fix)
    return;
  self->server_fix = server_fix;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_FIX]);
}

void
tw_check_result_update (TwCheckResult *self,
                        TwCheckStatus  status,
                        guint          duration_ms,
                        const char    *summary,
                        const char    *detail,
                        const char    *hint)
{
  g_return_if_fail (TW_IS_CHECK_RESULT (self));

  g_object_freeze_notify (G_OBJECT (self));
  tw_check_result_set_duration_ms (self, duration_ms);
  tw_check_result_set_summary (self, summary);
  tw_check_result_set_detail (self, detail);
  tw_check_result_set_hint (self, hint);
  /* Last, so a handler watching "status" sees the texts already in place. */
  tw_check_result_set_status (self, status);
  g_object_thaw_notify (G_OBJECT (self));
}

void
tw_check_result_reset (TwCheckResult *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  tw_check_result_set_server_fix (self, FALSE);
  tw_check_result_update (self, TW_CHECK_STATUS_PENDING, 0, NULL, NULL, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}
