/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check presets [NAME]: the service presets, as text for a person or --json for a
 * script. Exit 0: printed; 1: a preset file is broken; 2: usage or no such preset.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "tw-cli.h"
#include "tw-cli-common.h"
#include "tw-service-preset.h"

static const char *
key_maker_to_string (TwServicePreset *preset)
{
  return tw_service_preset_get_key_maker (preset) == TW_SERVICE_PRESET_KEY_MAKER_YOU ? "you" : "service";
}

/* (transfer full) */
static JsonObject *
preset_to_json (TwServicePreset *preset)
{
  JsonObject *object = json_object_new ();
  JsonArray *key_types = json_array_new ();
  g_autoptr(GDate) checked = tw_service_preset_dup_checked (preset);
  const char * const *types = tw_service_preset_get_key_types (preset);
  char date[16];

  g_date_strftime (date, sizeof date, "%Y-%m-%d", checked);
  for (guint i = 0; types[i] != NULL; i++)
    json_array_add_string_element (key_types, types[i]);

  json_object_set_string_member (object, "id", tw_service_preset_get_id (preset));
  json_object_set_string_member (object, "name", tw_service_preset_get_name (preset));
  json_object_set_string_member (object, "user", tw_service_preset_get_user (preset));
  json_object_set_string_member (object, "group", tw_service_preset_get_group (preset));
  json_object_set_string_member (object, "key_maker", key_maker_to_string (preset));
  json_object_set_string_member (object, "private_key_format", tw_service_preset_get_private_key_format (preset));
  json_object_set_array_member (object, "key_types", key_types);
  json_object_set_boolean_member (object, "several_keys", tw_service_preset_get_several_keys (preset));
  json_object_set_string_member (object, "reverse",
                                 tw_service_preset_reverse_to_string (tw_service_preset_get_reverse (preset)));
  json_object_set_boolean_member (object, "require_tls", tw_service_preset_get_require_tls (preset));
  json_object_set_int_member (object, "keepalive_seconds", tw_service_preset_get_keepalive_seconds (preset));
  json_object_set_string_member (object, "documentation", tw_service_preset_get_documentation (preset));
  json_object_set_string_member (object, "checked", date);
  json_object_set_string_member (object, "addresses", tw_service_preset_get_addresses (preset));
  json_object_set_string_member (object, "notes", tw_service_preset_get_notes (preset));
  return object;
}

static void
print_text (TwServicePreset *preset,
            gboolean         detailed)
{
  g_autofree char *types = g_strjoinv (", ", (char **) tw_service_preset_get_key_types (preset));

  if (!detailed)
    {
      printf ("%-14s %-14s %s\n", tw_service_preset_get_id (preset), tw_service_preset_get_name (preset),
              tw_service_preset_get_documentation (preset));
      return;
    }
  printf ("%s (%s)\n", tw_service_preset_get_name (preset), tw_service_preset_get_id (preset));
  printf (_("  User and group:   %s, %s\n"), tw_service_preset_get_user (preset), tw_service_preset_get_group (preset));
  if (tw_service_preset_get_key_maker (preset) == TW_SERVICE_PRESET_KEY_MAKER_YOU)
    printf (_("  Key:              you make a key pair and give the service the private key (%s)\n"),
            tw_service_preset_get_private_key_format (preset));
  else
    printf (_("  Key:              the service gives you its public key\n"));
  printf (_("  Key types:        %s\n"), types);
  printf (_("  Several keys:     %s\n"), tw_service_preset_get_several_keys (preset) ? _("yes") : _("no"));
  printf (_("  Reverse tunnel:   %s\n"), tw_service_preset_reverse_to_string (tw_service_preset_get_reverse (preset)));
  printf (_("  Require TLS:      %s\n"), tw_service_preset_get_require_tls (preset) ? _("yes") : _("no"));
  printf (_("  Documentation:    %s\n"), tw_service_preset_get_documentation (preset));
  printf (_("  IP addresses:     %s\n"), tw_service_preset_get_addresses (preset));
  printf (_("  Notes:            %s\n"), tw_service_preset_get_notes (preset));
}

int
tw_cli_presets (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[NAME]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) presets = NULL;

  g_option_context_set_summary (context, _("List the service presets, or show one."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tw_cli_usage_error ("presets", error->message);
  if (argc > 2)
    return tw_cli_usage_error ("presets", _("unexpected argument"));

  if (argc == 2)
    {
      TwServicePreset *preset = tw_service_preset_find (argv[1], &error);

      if (preset == NULL)
        return g_error_matches (error, TW_SERVICE_PRESET_ERROR, TW_SERVICE_PRESET_ERROR_NOT_FOUND)
                 ? tw_cli_usage_error ("presets", error->message)
                 : (fprintf (stderr, "tunnel-check presets: %s\n", error->message), TW_CLI_EXIT_FAILED);
      presets = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (presets, preset);
    }
  else if ((presets = tw_service_preset_list (&error)) == NULL)
    {
      fprintf (stderr, "tunnel-check presets: %s\n", error->message);
      return TW_CLI_EXIT_FAILED;
    }

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < presets->len; i++)
        json_array_add_object_element (array, preset_to_json (g_ptr_array_index (presets, i)));
      json_node_set_array (root, array);
      tw_cli_print_json (root);
      return TW_CLI_EXIT_OK;
    }
  for (guint i = 0; i < presets->len; i++)
    print_text (g_ptr_array_index (presets, i), argc == 2);
  return TW_CLI_EXIT_OK;
}
