/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Service presets: every data file is complete and well-formed (each field present, no
 * unknown one, dates real and not in the future, links https), the services the app
 * promises are there with what their documentation says, a broken file is refused with the
 * field named, and tunnel-check setup --service / tunnel-check presets use them.
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tw-service-preset.h"
#include "tw-test-files.h"

static const char *const fields[] = {
  "Name", "User", "Group", "KeyMaker", "PrivateKeyFormat", "KeyTypes", "SeveralKeys", "Reverse",
  "RequireTls", "KeepaliveSeconds", "Documentation", "Checked", "Addresses", "Notes", NULL,
};

static const char *const services[] = {
  "fivetran", "hevo", "hightouch", "dbt-cloud", "stitch", "matillion", "materialize", "integrate-io", "generic", NULL,
};

static char *
presets_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "presets", NULL);
}

/* Independently of the loader: the file holds exactly the documented keys. */
static void
test_files_complete (void)
{
  g_autofree char *dir_name = presets_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *entry;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_name, entry, NULL);
      g_autoptr(GKeyFile) file = g_key_file_new ();
      g_autoptr(TwServicePreset) preset = NULL;
      g_autoptr(GDate) checked = NULL, today = g_date_new_dmy ((GDateDay) g_date_time_get_day_of_month (now),
                                                              (GDateMonth) g_date_time_get_month (now),
                                                              (GDateYear) g_date_time_get_year (now));
      g_auto(GStrv) keys = NULL;
      g_autoptr(GError) error = NULL;

      if (g_str_equal (entry, "README"))
        continue;
      g_test_message ("%s", entry);
      g_assert_true (g_str_has_suffix (entry, ".preset"));
      g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
      g_assert_no_error (error);
      keys = g_key_file_get_keys (file, "Service Preset", NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; fields[i] != NULL; i++)
        g_assert_true (g_key_file_has_key (file, "Service Preset", fields[i], NULL));
      for (guint i = 0; keys[i] != NULL; i++)
        {
          g_autofree char *base = g_strdup (keys[i]);
          char *bracket = strchr (base, '[');

          if (bracket != NULL)       /* Notes[de]: a translation of a known key */
            *bracket = '\0';
          g_assert_true (g_strv_contains (fields, base));
        }

      preset = tw_service_preset_load_file (path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (preset);
      checked = tw_service_preset_dup_checked (preset);
      g_assert_true (g_date_valid (checked));
      g_assert_cmpint (g_date_compare (checked, today), <=, 0);
      g_assert_true (g_str_has_prefix (tw_service_preset_get_documentation (preset), "https://"));
      /* No address lists: they change, and the admin copies them from the service. */
      g_assert_false (g_regex_match_simple ("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+", tw_service_preset_get_addresses (preset), 0, 0));
      count++;
    }
  g_assert_cmpuint (count, ==, g_strv_length ((GStrv) services));
}

static void
test_services (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) presets = tw_service_preset_list (&error);
  g_autoptr(TwServicePreset) fivetran = NULL, materialize = NULL, stitch = NULL, integrate = NULL, upper = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (presets->len, ==, g_strv_length ((GStrv) services));
  for (guint i = 0; services[i] != NULL; i++)
    {
      g_autoptr(TwServicePreset) preset = tw_service_preset_find (services[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (tw_service_preset_get_id (preset), ==, services[i]);
    }
  /* Generic last, for when no other fits. */
  g_assert_cmpstr (tw_service_preset_get_id (g_ptr_array_index (presets, presets->len - 1)), ==, "generic");

  fivetran = tw_service_preset_find ("fivetran", &error);
  g_assert_cmpstr (tw_service_preset_get_user (fivetran), ==, "fivetran");
  g_assert_cmpstr (tw_service_preset_get_group (fivetran), ==, "fivetran");
  g_assert_cmpint (tw_service_preset_get_key_maker (fivetran), ==, TW_SERVICE_PRESET_KEY_MAKER_SERVICE);
  g_assert_cmpstr (tw_service_preset_get_private_key_format (fivetran), ==, "none");
  g_assert_true (tw_service_preset_get_require_tls (fivetran));
  g_assert_cmpint (tw_service_preset_get_reverse (fivetran), ==, TW_SERVICE_PRESET_REVERSE_AVAILABLE);

  materialize = tw_service_preset_find ("Materialize", &error);
  g_assert_no_error (error);
  g_assert_true (tw_service_preset_get_several_keys (materialize));
  g_assert_true (g_strv_contains (tw_service_preset_get_key_types (materialize), "ssh-ed25519"));

  stitch = tw_service_preset_find ("stitch", &error);
  g_assert_cmpint (tw_service_preset_get_reverse (stitch), ==, TW_SERVICE_PRESET_REVERSE_ONLY);
  g_assert_cmpuint (tw_service_preset_get_keepalive_seconds (stitch), >, 0);

  integrate = tw_service_preset_find ("integrate-io", &error);
  g_assert_cmpint (tw_service_preset_get_reverse (integrate), ==, TW_SERVICE_PRESET_REVERSE_ONLY);
  g_assert_true (g_strv_contains (tw_service_preset_get_key_types (integrate), "ssh-ed25519"));

  upper = tw_service_preset_find ("no-such-service", &error);
  g_assert_null (upper);
  g_assert_error (error, TW_SERVICE_PRESET_ERROR, TW_SERVICE_PRESET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "fivetran"));
}

/* A good file with one line replaced (or dropped when @line is ""): the loader must refuse
 * it and name the field. */
static void
test_broken_refused (void)
{
  static const struct { const char *key, *line; } cases[] = {
    { "User", "" },
    { "User", "User=Fivetran Admin" },
    { "Group", "Group=$(reboot)" },
    { "KeyMaker", "KeyMaker=someone" },
    { "PrivateKeyFormat", "PrivateKeyFormat=pkcs8" },          /* with KeyMaker=service */
    { "KeyTypes", "KeyTypes=rsa;" },
    { "SeveralKeys", "SeveralKeys=maybe" },
    { "Reverse", "Reverse=sometimes" },
    { "KeepaliveSeconds", "KeepaliveSeconds=-5" },
    { "Documentation", "Documentation=http://fivetran.com/docs" },
    { "Documentation", "Documentation=fivetran.com" },
    { "Checked", "Checked=2024-02-30" },
    { "Checked", "Checked=31.05.2024" },
    { "Notes", "Notes=" },
  };
  g_autofree char *dir_name = presets_dir ();
  g_autofree char *good_path = g_build_filename (dir_name, "fivetran.preset", NULL);
  g_autofree char *good = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("tw-preset-XXXXXX", NULL);

  g_assert_true (g_file_get_contents (good_path, &good, NULL, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) lines = g_strsplit (good, "\n", -1);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *prefix = g_strconcat (cases[i].key, "=", NULL);
      g_autofree char *path = g_build_filename (tmp, "broken.preset", NULL);
      g_autoptr(TwServicePreset) preset = NULL;
      g_autoptr(GError) error = NULL;
      gboolean replaced = FALSE;

      for (guint j = 0; lines[j] != NULL; j++)
        {
          const char *line = lines[j];

          if (g_str_has_prefix (line, prefix))
            line = cases[i].line, replaced = TRUE;
          g_string_append_printf (text, "%s\n", line);
        }
      g_assert_true (replaced);
      g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
      preset = tw_service_preset_load_file (path, &error);
      g_test_message ("%s → %s", cases[i].line, error ? error->message : "(loaded)");
      g_assert_null (preset);
      g_assert_error (error, TW_SERVICE_PRESET_ERROR, TW_SERVICE_PRESET_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].key));
    }

  /* The one combination the shipped files lack: the admin makes the key. */
  {
    g_autofree char *path = g_build_filename (tmp, "you.preset", NULL);
    g_autoptr(GString) text = g_string_new (good);
    g_autoptr(TwServicePreset) preset = NULL;
    g_autoptr(GError) error = NULL;

    g_string_replace (text, "KeyMaker=service", "KeyMaker=you", 1);
    g_string_replace (text, "PrivateKeyFormat=none", "PrivateKeyFormat=pkcs8", 1);
    g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
    preset = tw_service_preset_load_file (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tw_service_preset_get_key_maker (preset), ==, TW_SERVICE_PRESET_KEY_MAKER_YOU);
    g_assert_cmpstr (tw_service_preset_get_private_key_format (preset), ==, "pkcs8");
  }
  tw_test_remove_tree (tmp);
}

static int
run_cli (char **out,
         char **err,
         ...)
{
  const char *tunnel_check = g_getenv ("TUNNEL_CHECK");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_assert_nonnull (tunnel_check);
  g_ptr_array_add (args, (char *) tunnel_check);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static char *
make_public_key (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "service", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) keygen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "ssh-keygen", "-q", "-t",
                                                    "ed25519", "-N", "", "-C", "service@example", "-f", path, NULL);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (keygen, NULL, &error));
  g_assert_no_error (error);
  return g_strconcat (path, ".pub", NULL);
}

static void
test_cli_setup_service (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("tw-preset-cli-XXXXXX", NULL);
  g_autofree char *key = make_public_key (tmp);
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL, *out3 = NULL, *err3 = NULL;

  /* The preset's user, where the admin typed none… */
  g_assert_cmpint (run_cli (&out, &err, "setup", "--service", "fivetran", "--service-key", key,
                            "--dest", "db.internal:5432", "--format", "linux", NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("^tw_user='?fivetran'?$", out, G_REGEX_MULTILINE, 0));
  /* …the admin's own otherwise. */
  g_assert_cmpint (run_cli (&out2, &err2, "setup", "--service", "fivetran", "--user", "etl", "--service-key", key,
                            "--dest", "db.internal:5432", "--format", "linux", NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("^tw_user='?etl'?$", out2, G_REGEX_MULTILINE, 0));
  g_assert_false (g_regex_match_simple ("^tw_user='?fivetran'?$", out2, G_REGEX_MULTILINE, 0));

  g_assert_cmpint (run_cli (&out3, &err3, "setup", "--service", "nosuch", "--service-key", key,
                            "--dest", "db.internal:5432", NULL), ==, 2);
  g_assert_nonnull (strstr (err3, "nosuch"));
  g_assert_nonnull (strstr (err3, "materialize"));
  tw_test_remove_tree (tmp);
}

static void
test_cli_presets (void)
{
  g_autofree char *out = NULL, *err = NULL, *one = NULL, *one_err = NULL, *text = NULL, *text_err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  gboolean seen_fivetran = FALSE;

  g_assert_cmpint (run_cli (&out, &err, "presets", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, g_strv_length ((GStrv) services));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      g_assert_true (g_strv_contains (services, json_object_get_string_member (object, "id")));
      if (g_str_equal (json_object_get_string_member (object, "id"), "fivetran"))
        {
          seen_fivetran = TRUE;
          g_assert_cmpstr (json_object_get_string_member (object, "user"), ==, "fivetran");
          g_assert_cmpstr (json_object_get_string_member (object, "key_maker"), ==, "service");
          g_assert_true (json_object_get_boolean_member (object, "require_tls"));
          g_assert_cmpstr (json_object_get_string_member (object, "reverse"), ==, "available");
          g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                                               json_object_get_string_member (object, "checked"), 0, 0));
        }
    }
  g_assert_true (seen_fivetran);

  g_assert_cmpint (run_cli (&one, &one_err, "presets", "--json", "materialize", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, one, -1, &error));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (array, 0), "several_keys"));

  g_assert_cmpint (run_cli (&text, &text_err, "presets", "nosuch", NULL), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/presets/files-complete", test_files_complete);
  g_test_add_func ("/presets/services", test_services);
  g_test_add_func ("/presets/broken-refused", test_broken_refused);
  g_test_add_func ("/presets/cli-setup-service", test_cli_setup_service);
  g_test_add_func ("/presets/cli-presets", test_cli_presets);
  return g_test_run ();
}
