/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outcome of a probe run: the checks as a list model the window shows,
 * the server's identity, and the two exports for a ticket (JSON, Markdown).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tw-enums.h"
#include "tw-report-private.h"
#include "tw-string-private.h"

struct _TwReport
{
  GObject parent_instance;

  GListStore         *checks;
  char               *server_banner;
  char               *server_software;
  char               *login_user;
  gboolean            login_is_tunnel_user;
  gboolean            login_stand_in;
  char               *host_key_type;
  char               *host_key_fingerprint;
  char               *host_key_randomart;
  GPtrArray          *host_keys;        /* TwPublicKey, the default one first */
  TwKnownHostsStatus  known_hosts_status;
  TwHostCertificate  *host_certificate;
  gboolean            host_certificate_trusted;
  char               *host_certificate_note;
  TwCheckStatus       verdict;
  gboolean            finished;
};

G_DEFINE_FINAL_TYPE (TwReport, tw_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER_BANNER,
  PROP_SERVER_SOFTWARE,
  PROP_LOGIN_USER,
  PROP_HOST_KEY_TYPE,
  PROP_HOST_KEY_FINGERPRINT,
  PROP_HOST_KEY_RANDOMART,
  PROP_HOST_KEYS,
  PROP_KNOWN_HOSTS_STATUS,
  PROP_HOST_CERTIFICATE,
  PROP_VERDICT,
  PROP_FINISHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (TwReport    *self,
            char       **slot,
            const char  *value,
            guint        prop)
{
  if (tw_replace_string (slot, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static TwCheckStatus
compute_verdict (TwReport *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));
  gboolean any_warn = FALSE, any_fail = FALSE, any_done = FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (G_LIST_MODEL (self->checks), i);
      TwCheckStatus status = tw_check_result_get_status (result);

      if (!tw_check_status_is_final (status))
        return TW_CHECK_STATUS_PENDING;
      any_fail |= status == TW_CHECK_STATUS_FAIL;
      any_warn |= status == TW_CHECK_STATUS_WARN;
      any_done |= status != TW_CHECK_STATUS_SKIP;
    }

  if (any_fail)
    return TW_CHECK_STATUS_FAIL;
  if (any_warn)
    return TW_CHECK_STATUS_WARN;
  /* Nothing ran (all skipped, or an empty run): claiming "pass" would lie. */
  return any_done ? TW_CHECK_STATUS_PASS : TW_CHECK_STATUS_SKIP;
}

static void
refresh_verdict (TwReport *self)
{
  TwCheckStatus verdict = compute_verdict (self);

  if (self->verdict == verdict)
    return;

  self->verdict = verdict;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
}

static void
tw_report_dispose (GObject *object)
{
  TwReport *self = (TwReport *) object;
  guint n = self->checks ? g_list_model_get_n_items (G_LIST_MODEL (self->checks)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (G_LIST_MODEL (self->checks), i);
      g_signal_handlers_disconnect_by_data (result, self);
    }
  g_clear_object (&self->checks);

  G_OBJECT_CLASS (tw_report_parent_class)->dispose (object);
}

static void
tw_report_finalize (GObject *object)
{
  TwReport *self = (TwReport *) object;

  g_free (self->server_banner);
  g_free (self->server_software);
  g_free (self->login_user);
  g_free (self->host_key_type);
  g_free (self->host_key_fingerprint);
  g_free (self->host_key_randomart);
  g_ptr_array_unref (self->host_keys);
  g_clear_object (&self->host_certificate);
  g_free (self->host_certificate_note);

  G_OBJECT_CLASS (tw_report_parent_class)->finalize (object);
}

static void
tw_report_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TwReport *self = TW_REPORT (object);

  switch (prop_id)
    {
    case PROP_SERVER_BANNER:
      g_value_set_string (value, self->server_banner);
      break;

    case PROP_SERVER_SOFTWARE:
      g_value_set_string (value, self->server_software);
      break;
    case PROP_LOGIN_USER:
      g_value_set_string (value, self->login_user);
      break;

    case PROP_HOST_KEY_TYPE:
      g_value_set_string (value, self->host_key_type);
      break;

    case PROP_HOST_KEY_FINGERPRINT:
      g_value_set_string (value, self->host_key_fingerprint);
      break;

    case PROP_HOST_KEY_RANDOMART:
      g_value_set_string (value, self->host_key_randomart);
      break;

    case PROP_HOST_KEYS:
      g_value_set_boxed (value, self->host_keys);
      break;

    case PROP_KNOWN_HOSTS_STATUS:
      g_value_set_enum (value, self->known_hosts_status);
      break;

    case PROP_HOST_CERTIFICATE:
      g_value_set_object (value, self->host_certificate);
      break;

    case PROP_VERDICT:
      g_value_set_enum (value, self->verdict);
      break;

    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_report_class_init (TwReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tw_report_dispose;
  object_class->finalize = tw_report_finalize;
  object_class->get_property = tw_report_get_property;

  properties[PROP_SERVER_BANNER] = g_param_spec_string ("server-banner", NULL, NULL, NULL, flags);
  properties[PROP_SERVER_SOFTWARE] = g_param_spec_string ("server-software", NULL, NULL, NULL, flags);
  properties[PROP_LOGIN_USER] = g_param_spec_string ("login-user", NULL, NULL, NULL, flags);
  properties[PROP_HOST_KEY_TYPE] = g_param_spec_string ("host-key-type", NULL, NULL, NULL, flags);
  properties[PROP_HOST_KEY_FINGERPRINT] = g_param_spec_string ("host-key-fingerprint", NULL, NULL, NULL, flags);
  properties[PROP_HOST_KEY_RANDOMART] = g_param_spec_string ("host-key-randomart", NULL, NULL, NULL, flags);
  properties[PROP_HOST_KEYS] = g_param_spec_boxed ("host-keys", NULL, NULL, G_TYPE_PTR_ARRAY, flags);
  properties[PROP_KNOWN_HOSTS_STATUS] =
    g_param_spec_enum ("known-hosts-status", NULL, NULL, TW_TYPE_KNOWN_HOSTS_STATUS,
                       TW_KNOWN_HOSTS_UNCHECKED, flags);
  properties[PROP_HOST_CERTIFICATE] = g_param_spec_object ("host-certificate", NULL, NULL,
                                                           TW_TYPE_HOST_CERTIFICATE, flags);
  properties[PROP_VERDICT] = g_param_spec_enum ("verdict", NULL, NULL, TW_TYPE_CHECK_STATUS,
                                                TW_CHECK_STATUS_PENDING, flags);
  properties[PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_report_init (TwReport *self)
{
  self->checks = g_list_store_new (TW_TYPE_CHECK_RESULT);
  self->host_keys = g_ptr_array_new_with_free_func (g_object_unref);
  self->verdict = TW_CHECK_STATUS_SKIP;
}

TwReport *
tw_report_new (void)
{
  return g_object_new (TW_TYPE_REPORT, NULL);
}

GListModel *
tw_report_get_checks (TwReport *self)
{
  g_return_val_if_fail (TW_IS_REPORT (self), NULL);
  return G_LIST_MODEL (self->checks);
}

TwCheckResult *
tw_report_get_check (TwReport   *self,
                     const char *id)
{
  guint n;

  g_return_val_if_fail (TW_IS_REPORT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      if (g_str_equal (tw_check_result_get_id (result), id))
        return result; /* the store keeps its own reference */
    }

  return NULL;
}

#define GETTER(type, name, field, fallback) \
  type tw_report_get_##name (TwReport *self) \
  { \
    g_return_val_if_fail (TW_IS_REPORT (self), fallback); \
    return self->field; \
  }

GETTER (const char *, server_banner, server_banner, NULL)
GETTER (const char *, server_software, server_software, NULL)
GETTER (const char *, login_user, login_user, NULL)
GETTER (gboolean, login_is_tunnel_user, login_is_tunnel_user, FALSE)
GETTER (gboolean, login_stand_in, login_stand_in, FALSE)
GETTER (const char *, host_key_type, host_key_type, NULL)
GETTER (const char *, host_key_fingerprint, host_key_fingerprint, NULL)
GETTER (const char *, host_key_randomart, host_key_randomart, NULL)
GETTER (TwKnownHostsStatus, known_hosts_status, known_hosts_status, TW_KNOWN_HOSTS_UNCHECKED)
GETTER (TwCheckStatus, verdict, verdict, TW_CHECK_STATUS_PENDING)
GETTER (gboolean, finished, finished, FALSE)

#undef GETTER

const char *
tw_known_hosts_status_to_string (TwKnownHostsStatus status)
{
  switch (status)
    {
    case TW_KNOWN_HOSTS_KNOWN:
      return "known";
    case TW_KNOWN_HOSTS_UNKNOWN:
      return "unknown";
    case TW_KNOWN_HOSTS_CHANGED:
      return "changed";
    case TW_KNOWN_HOSTS_REVOKED:
      return "revoked";
    case TW_KNOWN_HOSTS_UNCHECKED:
    default:
      return NULL;
    }
}

void
tw_report_set_checks (TwReport  *self,
                      GPtrArray *results)
{
  guint n_old;

  g_return_if_fail (TW_IS_REPORT (self));

  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->checks));
  for (guint i = 0; i < n_old; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (G_LIST_MODEL (self->checks), i);
      g_signal_handlers_disconnect_by_data (result, self);
    }

  for (guint i = 0; i < results->len; i++)
    g_signal_connect_swapped (results->pdata[i], "notify::status",
                              G_CALLBACK (refresh_verdict), self);

  g_list_store_splice (self->checks, 0, n_old, results->pdata, results->len);
  refresh_verdict (self);
}

void
tw_report_reset (TwReport *self)
{
  guint n;

  g_return_if_fail (TW_IS_REPORT (self));

  g_object_freeze_notify (G_OBJECT (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (G_LIST_MODEL (self->checks), i);
      tw_check_result_reset (result);
    }
  tw_report_set_server (self, NULL, NULL);
  tw_report_set_host_key (self, NULL, NULL, NULL);
  tw_report_set_host_keys (self, NULL);
  tw_report_set_known_hosts_status (self, TW_KNOWN_HOSTS_UNCHECKED);
  tw_report_set_host_certificate (self, NULL, FALSE, NULL);
  tw_report_set_login_user (self, NULL, FALSE, FALSE);
  tw_report_set_finished (self, FALSE);
  refresh_verdict (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
tw_report_set_server (TwReport   *self,
                      const char *banner,
                      const char *software)
{
  g_return_if_fail (TW_IS_REPORT (self));

  set_string (self, &self->server_banner, banner, PROP_SERVER_BANNER);
  set_string (self, &self->server_software, software, PROP_SERVER_SOFTWARE);
}

void
tw_report_set_host_key (TwReport   *self,
                        const char *type,
                        const char *fingerprint,
                        const char *randomart)
{
  g_return_if_fail (TW_IS_REPORT (self));

  set_string (self, &self->host_key_type, type, PROP_HOST_KEY_TYPE);
  set_string (self, &self->host_key_fingerprint, fingerprint, PROP_HOST_KEY_FINGERPRINT);
  set_string (self, &self->host_key_randomart, randomart, PROP_HOST_KEY_RANDOMART);
}

static gboolean
same_keys (GPtrArray *a,
           GPtrArray *b)
{
  guint n_b = b != NULL ? b->len : 0;

  if (a->len != n_b)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_bytes_equal (tw_public_key_get_blob (g_ptr_array_index (a, i)),
                        tw_public_key_get_blob (g_ptr_array_index (b, i))))
      return FALSE;
  return TRUE;
}

void
tw_report_set_host_keys (TwReport  *self,
                         GPtrArray *keys)
{
  g_return_if_fail (TW_IS_REPORT (self));

  if (same_keys (self->host_keys, keys))
    return;

  g_ptr_array_set_size (self->host_keys, 0);
  for (guint i = 0; keys != NULL && i < keys->len; i++)
    g_ptr_array_add (self->host_keys, g_object_ref (g_ptr_array_index (keys, i)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_KEYS]);
}

GPtrArray *
tw_report_get_host_keys (TwReport *self)
{
  g_return_val_if_fail (TW_IS_REPORT (self), NULL);

  return self->host_keys;
}

void
tw_report_set_known_hosts_status (TwReport           *self,
                                  TwKnownHostsStatus  status)
{
  g_return_if_fail (TW_IS_REPORT (self));

  if (self->known_hosts_status == status)
    return;

  self->known_hosts_status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KNOWN_HOSTS_STATUS]);
}

void
tw_report_set_host_certificate (TwReport          *self,
                                TwHostCertificate *certificate,
                                gboolean           trusted,
                                const char        *note)
{
  g_return_if_fail (TW_IS_REPORT (self));

  /* The note and the trust come with the certificate: one notification */
  self->host_certificate_trusted = trusted;
  tw_replace_string (&self->host_certificate_note, note);
  if (g_set_object (&self->host_certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_CERTIFICATE]);
}

TwHostCertificate *
tw_report_get_host_certificate (TwReport *self)
{
  g_return_val_if_fail (TW_IS_REPORT (self), NULL);
  return self->host_certificate;
}

gboolean
tw_report_get_host_certificate_trusted (TwReport *self)
{
  g_return_val_if_fail (TW_IS_REPORT (self), FALSE);
  return self->host_certificate_trusted;
}

const char *
tw_report_get_host_certificate_note (TwReport *self)
{
  g_return_val_if_fail (TW_IS_REPORT (self), NULL);
  return self->host_certificate_note;
}

void
tw_report_set_login_user (TwReport   *self,
                          const char *user,
                          gboolean    is_tunnel_user,
                          gboolean    stand_in)
{
  g_return_if_fail (TW_IS_REPORT (self));

  self->login_is_tunnel_user = user != NULL && is_tunnel_user;
  self->login_stand_in = user != NULL && stand_in;
  set_string (self, &self->login_user, user, PROP_LOGIN_USER);
}

void
tw_report_set_finished (TwReport *self,
                        gboolean  finished)
{
  g_return_if_fail (TW_IS_REPORT (self));

  finished = !!finished;
  if (self->finished == finished)
    return;

  self->finished = finished;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* ISO 8601 in UTC, or null for a bound the certificate does not set */
static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 guint64      seconds,
                 gboolean     unbounded)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *text = NULL;

  if (!unbounded && seconds <= (guint64) G_MAXINT64)
    time = g_date_time_new_from_unix_utc ((gint64) seconds);
  if (time != NULL)
    text = g_date_time_format_iso8601 (time);
  add_string_member (builder, name, text);
}

static void
add_certificate_member (JsonBuilder *builder,
                        TwReport    *self)
{
  TwHostCertificate *certificate = self->host_certificate;
  const char * const *principals;
  TwPublicKey *ca;

  json_builder_set_member_name (builder, "host_certificate");
  if (certificate == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  ca = tw_host_certificate_get_ca_key (certificate);
  principals = tw_host_certificate_get_principals (certificate);
  json_builder_begin_object (builder);
  add_string_member (builder, "type", tw_host_certificate_get_cert_type (certificate));
  add_string_member (builder, "key_fingerprint",
                     tw_public_key_get_fingerprint (tw_host_certificate_get_key (certificate)));
  add_string_member (builder, "key_id", tw_host_certificate_get_key_id (certificate));
  json_builder_set_member_name (builder, "serial");
  json_builder_add_int_value (builder, (gint64) MIN (tw_host_certificate_get_serial (certificate), G_MAXINT64));
  json_builder_set_member_name (builder, "principals");
  json_builder_begin_array (builder);
  for (guint i = 0; principals[i] != NULL; i++)
    json_builder_add_string_value (builder, principals[i]);
  json_builder_end_array (builder);
  add_time_member (builder, "valid_after", tw_host_certificate_get_valid_after (certificate),
                   tw_host_certificate_get_valid_after (certificate) == 0);
  add_time_member (builder, "valid_before", tw_host_certificate_get_valid_before (certificate),
                   tw_host_certificate_get_valid_before (certificate) == TW_HOST_CERTIFICATE_FOREVER);
  add_string_member (builder, "ca_type", tw_public_key_get_key_type (ca));
  add_string_member (builder, "ca_fingerprint", tw_public_key_get_fingerprint (ca));
  add_string_member (builder, "signature_algorithm", tw_host_certificate_get_signature_algorithm (certificate));
  json_builder_set_member_name (builder, "trusted");
  json_builder_add_boolean_value (builder, self->host_certificate_trusted);
  add_string_member (builder, "note", self->host_certificate_note);
  json_builder_end_object (builder);
}

char *
tw_report_to_json (TwReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n;

  g_return_val_if_fail (TW_IS_REPORT (self), NULL);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      json_builder_begin_object (builder);
      add_string_member (builder, "id", tw_check_result_get_id (result));
      add_string_member (builder, "status",
                         tw_check_status_to_string (tw_check_result_get_status (result)));
      json_builder_set_member_name (builder, "duration_ms");
      json_builder_add_int_value (builder, tw_check_result_get_duration_ms (result));
      add_string_member (builder, "summary", tw_check_result_get_summary (result));
      add_string_member (builder, "detail", tw_check_result_get_detail (result));
      add_string_member (builder, "hint", tw_check_result_get_hint (result));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "server");
  json_builder_begin_object (builder);
  add_string_member (builder, "banner", self->server_banner);
  add_string_member (builder, "software", self->server_software);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "host_key");
  json_builder_begin_object (builder);
  add_string_member (builder, "type", self->host_key_type);
  add_string_member (builder, "fingerprint", self->host_key_fingerprint);
  add_string_member (builder, "randomart", self->host_key_randomart);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "host_keys");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->host_keys->len; i++)
    {
      TwPublicKey *key = g_ptr_array_index (self->host_keys, i);

      json_builder_begin_object (builder);
      add_string_member (builder, "type", tw_public_key_get_key_type (key));
      add_string_member (builder, "fingerprint", tw_public_key_get_fingerprint (key));
      add_string_member (builder, "randomart", tw_public_key_get_randomart (key));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_certificate_member (builder, self);

  /* Who the checks through the tunnel ran as: the tunnel user's limits
   * (Match User, permitopen=) are proven only when it is that user. */
  json_builder_set_member_name (builder, "login");
  if (self->login_user != NULL)
    {
      json_builder_begin_object (builder);
      add_string_member (builder, "user", self->login_user);
      json_builder_set_member_name (builder, "is_tunnel_user");
      json_builder_add_boolean_value (builder, self->login_is_tunnel_user);
      json_builder_set_member_name (builder, "stand_in_key");
      json_builder_add_boolean_value (builder, self->login_stand_in);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  add_string_member (builder, "verdict", tw_check_status_to_string (self->verdict));

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* Table cells may not contain "|" or line breaks. */
static char *
markdown_cell (const char *text)
{
  g_autoptr(GString) cell = g_string_new (text ? text : "");

  g_string_replace (cell, "|", "\\|", 0);
  g_string_replace (cell, "\n", " ", 0);
  return g_string_free (g_steal_pointer (&cell), FALSE);
}

char *
tw_report_to_markdown (TwReport *self)
{
  g_autoptr(GString) md = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (TW_IS_REPORT (self), NULL);

  g_string_append_printf (md, "# %s\n\n", _("Tunnel check report"));
  g_string_append_printf (md, "%s **%s**\n\n", _("Verdict:"),
                          tw_check_status_to_string (self->verdict));

  if (self->server_banner != NULL)
    g_string_append_printf (md, "- %s `%s`\n", _("Server:"), self->server_banner);
  if (self->host_key_fingerprint != NULL)
    g_string_append_printf (md, "- %s %s `%s`\n", _("Host key:"),
                            self->host_key_type ? self->host_key_type : "",
                            self->host_key_fingerprint);
  for (guint i = 1; i < self->host_keys->len; i++)
    {
      TwPublicKey *key = g_ptr_array_index (self->host_keys, i);

      g_string_append_printf (md, "- %s %s `%s`\n", _("Also offered:"),
                              tw_public_key_get_key_type (key), tw_public_key_get_fingerprint (key));
    }
  if (self->known_hosts_status != TW_KNOWN_HOSTS_UNCHECKED)
    g_string_append_printf (md, "- %s %s\n", _("known_hosts:"),
                            tw_known_hosts_status_to_string (self->known_hosts_status));
  if (self->host_certificate != NULL)
    {
      TwHostCertificate *certificate = self->host_certificate;
      g_autofree char *validity = tw_host_certificate_describe_validity (certificate);

      /* e.g. "- Host certificate: key ID “bastion-1”, CA `SHA256:…`, valid from … to …" */
      g_string_append_printf (md, _("- Host certificate: key ID “%s”, CA `%s`, valid %s\n"),
                              tw_host_certificate_get_key_id (certificate),
                              tw_public_key_get_fingerprint (tw_host_certificate_get_ca_key (certificate)),
                              validity);
      if (self->host_certificate_note != NULL)
        g_string_append_printf (md, "  %s\n", self->host_certificate_note);
    }
  if (self->login_user != NULL)
    g_string_append_printf (md, "- %s `%s`%s\n", _("Checks through the tunnel ran as:"), self->login_user,
                            self->login_stand_in ? _(" (the tunnel user, with a stand-in key)") :
                            self->login_is_tunnel_user ? _(" (the tunnel user)") : _(" (not the tunnel user)"));
  if (self->host_key_randomart != NULL)
    g_string_append_printf (md, "\n```\n%s\n```\n", self->host_key_randomart);

  g_string_append_printf (md, "\n| %s | %s | %s | %s |\n|---|---|---:|---|\n",
                          _("Check"), _("Status"), _("Time (ms)"), _("Result"));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (G_LIST_MODEL (self->checks), i);
      g_autofree char *summary = markdown_cell (tw_check_result_get_summary (result));

      g_string_append_printf (md, "| %s (`%s`) | %s | %u | %s |\n",
                              tw_check_result_get_title (result),
                              tw_check_result_get_id (result),
                              tw_check_status_to_string (tw_check_result_get_status (result)),
                              tw_check_result_get_duration_ms (result),
                              summary);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (G_LIST_MODEL (self->checks), i);
      const char *detail = tw_check_result_get_detail (result);
      const char *hint = tw_check_result_get_hint (result);

      if (detail == NULL && hint == NULL)
        continue;

      g_string_append_printf (md, "\n## %s\n", tw_check_result_get_title (result));
      if (detail != NULL)
        g_string_append_printf (md, "\n```\n%s\n```\n", detail);
      if (hint != NULL)
        g_string_append_printf (md, "\n%s %s\n", _("Hint:"), hint);
    }

  return g_string_free (g_steal_pointer (&md), FALSE);
}
