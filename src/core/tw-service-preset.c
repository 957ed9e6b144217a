/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Service presets: what a data service expects of a bastion (user, who makes the key, key
 * types, reverse tunnels…), read from data files so that a changed service is a data change,
 * not a code change. Every field is required and checked here, so a preset that loads is
 * complete; the IP addresses are never shipped, only where the service shows them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "tw-paths.h"
#include "tw-service-preset.h"

#define GROUP "Service Preset"
#define SUFFIX ".preset"

G_DEFINE_QUARK (tw-service-preset-error-quark, tw_service_preset_error)

struct _TwServicePreset
{
  GObject parent_instance;

  char *id, *name, *user, *group, *private_key_format, *documentation, *addresses, *notes;
  GStrv key_types;
  GDate checked;
  TwServicePresetKeyMaker key_maker;
  TwServicePresetReverse reverse;
  gboolean several_keys, require_tls;
  guint keepalive_seconds;
};

G_DEFINE_FINAL_TYPE (TwServicePreset, tw_service_preset, G_TYPE_OBJECT)

static void
tw_service_preset_finalize (GObject *object)
{
  TwServicePreset *self = TW_SERVICE_PRESET (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->user);
  g_free (self->group);
  g_free (self->private_key_format);
  g_free (self->documentation);
  g_free (self->addresses);
  g_free (self->notes);
  g_strfreev (self->key_types);
  G_OBJECT_CLASS (tw_service_preset_parent_class)->finalize (object);
}

static void
tw_service_preset_class_init (TwServicePresetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_service_preset_finalize;
}

static void
tw_service_preset_init (TwServicePreset *self)
{
  g_date_clear (&self->checked, 1);
}

static gboolean
invalid (GError    **error,
         const char *path,
         const char *key,
         const char *why)
{
  g_autofree char *base = g_path_get_basename (path);

  /* Translators: the first %s is a file name like fivetran.preset, the second a field like User. */
  g_set_error (error, TW_SERVICE_PRESET_ERROR, TW_SERVICE_PRESET_ERROR_INVALID,
               _("The service preset %s has a bad %s: %s"), base, key, why);
  return FALSE;
}

/* A non-empty single-line value, so nothing later has to guess how to show or embed it. */
static char *
get_text (GKeyFile   *file,
          const char *path,
          const char *key,
          gboolean    localized,
          GError    **error)
{
  g_autofree char *value = localized ? g_key_file_get_locale_string (file, GROUP, key, NULL, NULL)
                                     : g_key_file_get_string (file, GROUP, key, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    {
      invalid (error, path, key, _("it is missing or empty"));
      return NULL;
    }
  if (strchr (value, '\n') != NULL || !g_utf8_validate (value, -1, NULL))
    {
      invalid (error, path, key, _("it must be one line of text"));
      return NULL;
    }
  return g_steal_pointer (&value);
}

static gboolean
get_boolean (GKeyFile   *file,
             const char *path,
             const char *key,
             gboolean   *out,
             GError    **error)
{
  g_autoptr(GError) local = NULL;

  *out = g_key_file_get_boolean (file, GROUP, key, &local);
  return local == NULL || invalid (error, path, key, _("it must be true or false"));
}

/* Names like the ones useradd accepts on every distribution: the preset is a default that
 * goes into scripts unquoted in places (group names in ansible, cloud-init). */
static gboolean
is_account_name (const char *name)
{
  if (!g_ascii_islower (*name) && *name != '_')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '-')
      return FALSE;
  return strlen (name) <= 32;
}

static gboolean
is_https_link (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_str_equal (g_uri_get_scheme (uri), "https") && g_uri_get_host (uri) != NULL
         && *g_uri_get_host (uri) != '\0';
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  guint year, month, day;
  char end;

  if (strlen (text) != 10 || sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static gboolean
read_fields (TwServicePreset *self,
             GKeyFile        *file,
             const char      *path,
             GError         **error)
{
  static const char *const key_formats[] = { "openssh", "pkcs1", "pkcs8", NULL };
  g_autofree char *key_maker = NULL, *reverse = NULL, *checked = NULL;
  g_autoptr(GError) local = NULL;
  gint64 keepalive;

  if ((self->name = get_text (file, path, "Name", FALSE, error)) == NULL
      || (self->user = get_text (file, path, "User", FALSE, error)) == NULL
      || (self->group = get_text (file, path, "Group", FALSE, error)) == NULL
      || (key_maker = get_text (file, path, "KeyMaker", FALSE, error)) == NULL
      || (self->private_key_format = get_text (file, path, "PrivateKeyFormat", FALSE, error)) == NULL
      || (reverse = get_text (file, path, "Reverse", FALSE, error)) == NULL
      || (self->documentation = get_text (file, path, "Documentation", FALSE, error)) == NULL
      || (checked = get_text (file, path, "Checked", FALSE, error)) == NULL
      || (self->addresses = get_text (file, path, "Addresses", TRUE, error)) == NULL
      || (self->notes = get_text (file, path, "Notes", TRUE, error)) == NULL)
    return FALSE;

  if (!is_account_name (self->user))
    return invalid (error, path, "User", _("it must be a lower-case account name"));
  if (!is_account_name (self->group))
    return invalid (error, path, "Group", _("it must be a lower-case group name"));

  if (g_str_equal (key_maker, "service"))
    self->key_maker = TW_SERVICE_PRESET_KEY_MAKER_SERVICE;
  else if (g_str_equal (key_maker, "you"))
    self->key_maker = TW_SERVICE_PRESET_KEY_MAKER_YOU;
  else
    return invalid (error, path, "KeyMaker", _("it must be service or you"));

  /* The private key's format only means something when the admin hands one over. */
  if (self->key_maker == TW_SERVICE_PRESET_KEY_MAKER_SERVICE
      ? !g_str_equal (self->private_key_format, "none")
      : !g_strv_contains (key_formats, self->private_key_format))
    return invalid (error, path, "PrivateKeyFormat",
                    _("it must be none when the service makes the key, otherwise openssh, pkcs1 or pkcs8"));

  self->key_types = g_key_file_get_string_list (file, GROUP, "KeyTypes", NULL, NULL);
  if (self->key_types == NULL || self->key_types[0] == NULL)
    return invalid (error, path, "KeyTypes", _("it must list at least one key type"));
  for (guint i = 0; self->key_types[i] != NULL; i++)
    if (!g_str_has_prefix (self->key_types[i], "ssh-") && !g_str_has_prefix (self->key_types[i], "ecdsa-sha2-")
        && !g_str_has_prefix (self->key_types[i], "sk-"))
      return invalid (error, path, "KeyTypes", _("it must hold SSH key types like ssh-ed25519"));

  if (!get_boolean (file, path, "SeveralKeys", &self->several_keys, error)
      || !get_boolean (file, path, "RequireTls", &self->require_tls, error))
    return FALSE;

  if (g_str_equal (reverse, "no"))
    self->reverse = TW_SERVICE_PRESET_REVERSE_NO;
  else if (g_str_equal (reverse, "available"))
    self->reverse = TW_SERVICE_PRESET_REVERSE_AVAILABLE;
  else if (g_str_equal (reverse, "only"))
    self->reverse = TW_SERVICE_PRESET_REVERSE_ONLY;
  else
    return invalid (error, path, "Reverse", _("it must be no, available or only"));

  keepalive = g_key_file_get_int64 (file, GROUP, "KeepaliveSeconds", &local);
  if (local != NULL || keepalive < 0 || keepalive > 3600)
    return invalid (error, path, "KeepaliveSeconds", _("it must be a number of seconds from 0 to 3600"));
  self->keepalive_seconds = (guint) keepalive;

  if (!is_https_link (self->documentation))
    return invalid (error, path, "Documentation", _("it must be an https link"));
  if (!parse_date (checked, &self->checked))
    return invalid (error, path, "Checked", _("it must be a date like 2024-05-31"));
  return TRUE;
}

/**
 * tw_service_preset_load_file:
 * @path: a .preset file
 *
 * Returns: (transfer full) (nullable): the preset, or %NULL with @error set when the file
 *   cannot be read or a field is missing or malformed
 */
TwServicePreset *
tw_service_preset_load_file (const char  *path,
                             GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(TwServicePreset) self = g_object_new (TW_TYPE_SERVICE_PRESET, NULL);
  g_autofree char *base = g_path_get_basename (path);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return NULL;
  if (!g_key_file_has_group (file, GROUP))
    {
      invalid (error, path, "[" GROUP "]", _("the group is missing"));
      return NULL;
    }
  self->id = g_str_has_suffix (base, SUFFIX) ? g_strndup (base, strlen (base) - strlen (SUFFIX))
                                             : g_steal_pointer (&base);
  if (!read_fields (self, file, path, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gint
compare_presets (gconstpointer a,
                 gconstpointer b)
{
  TwServicePreset *pa = *(TwServicePreset **) a, *pb = *(TwServicePreset **) b;
  /* Generic goes last: it is the one to pick when no other fits. */
  gboolean ga = g_str_equal (pa->id, "generic"), gb = g_str_equal (pb->id, "generic");

  g_autofree char *fa = NULL, *fb = NULL;

  if (ga != gb)
    return ga ? 1 : -1;
  fa = g_utf8_casefold (pa->name, -1);
  fb = g_utf8_casefold (pb->name, -1);
  return g_utf8_collate (fa, fb);
}

/**
 * tw_service_preset_list:
 *
 * Returns: (transfer full) (element-type TwServicePreset): every preset of the data
 *   directory, by name with Generic last; %NULL with @error set when one of them is broken
 */
GPtrArray *
tw_service_preset_list (GError **error)
{
  const char *dir_name = tw_paths_presets_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, error);
  g_autoptr(GPtrArray) presets = g_ptr_array_new_with_free_func (g_object_unref);
  const char *entry;

  if (dir == NULL)
    return NULL;
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      TwServicePreset *preset;

      if (!g_str_has_suffix (entry, SUFFIX))
        continue;
      path = g_build_filename (dir_name, entry, NULL);
      preset = tw_service_preset_load_file (path, error);
      if (preset == NULL)
        return NULL;
      g_ptr_array_add (presets, preset);
    }
  g_ptr_array_sort (presets, compare_presets);
  return g_steal_pointer (&presets);
}

/**
 * tw_service_preset_find:
 * @id: a preset's name as tunnel-check takes it (fivetran, dbt-cloud…), any case
 *
 * Returns: (transfer full) (nullable): the preset, or %NULL with @error set
 */
TwServicePreset *
tw_service_preset_find (const char  *id,
                        GError     **error)
{
  g_autoptr(GPtrArray) presets = tw_service_preset_list (error);
  g_autoptr(GString) names = g_string_new (NULL);

  if (presets == NULL)
    return NULL;
  for (guint i = 0; i < presets->len; i++)
    {
      TwServicePreset *preset = g_ptr_array_index (presets, i);

      if (g_ascii_strcasecmp (preset->id, id) == 0)
        return g_object_ref (preset);
      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", preset->id);
    }
  g_set_error (error, TW_SERVICE_PRESET_ERROR, TW_SERVICE_PRESET_ERROR_NOT_FOUND,
               _("There is no preset for the service “%s”. Presets: %s"), id, names->str);
  return NULL;
}

const char *
tw_service_preset_reverse_to_string (TwServicePresetReverse reverse)
{
  switch (reverse)
    {
    case TW_SERVICE_PRESET_REVERSE_NO:
      return "no";
    case TW_SERVICE_PRESET_REVERSE_AVAILABLE:
      return "available";
    case TW_SERVICE_PRESET_REVERSE_ONLY:
      return "only";
    default:
      g_return_val_if_reached ("no");
    }
}

#define GETTER(type, field) \
  type tw_service_preset_get_##field (TwServicePreset *self) \
  { \
    g_return_val_if_fail (TW_IS_SERVICE_PRESET (self), (type) 0); \
    return self->field; \
  }

GETTER (const char *, id)
GETTER (const char *, name)
GETTER (const char *, user)
GETTER (const char *, group)
GETTER (TwServicePresetKeyMaker, key_maker)
GETTER (const char *, private_key_format)
GETTER (gboolean, several_keys)
GETTER (TwServicePresetReverse, reverse)
GETTER (gboolean, require_tls)
GETTER (guint, keepalive_seconds)
GETTER (const char *, documentation)
GETTER (const char *, addresses)
GETTER (const char *, notes)

const char * const *
tw_service_preset_get_key_types (TwServicePreset *self)
{
  g_return_val_if_fail (TW_IS_SERVICE_PRESET (self), NULL);
  return (const char * const *) self->key_types;
}

/* Returns: (transfer full): the date the preset was checked against the service's documentation */
GDate *
tw_service_preset_dup_checked (TwServicePreset *self)
{
  g_return_val_if_fail (TW_IS_SERVICE_PRESET (self), NULL);
  return g_date_copy (&self->checked);
}
