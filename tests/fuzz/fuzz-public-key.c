/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pasted service key: whatever text the admin pastes, drops or opens
 * goes through tw_public_key_parse on every keystroke, and tunnel-check key
 * prints its JSON. Beyond memory safety, a key that parses must come back
 * unchanged from its own authorized_keys line, or the file the admin writes
 * would hold a different key than the one shown.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fuzz-common.h"
#include "tw-public-key.h"

/* The CLI refuses more than 1 MiB unread; the window has no limit, but
 * bigger inputs only slow the fuzzer down. */
#define MAX_TEXT_LEN (64 * 1024)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

static void
check_json (TwPublicKey *key)
{
  g_autoptr(JsonNode) node = tw_public_key_to_json (key);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  JsonObject *object;

  json_generator_set_root (generator, node);
  json = json_generator_to_data (generator, NULL);
  /* What the CLI prints must read back as the same object. */
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    g_error ("tunnel-check key would print invalid JSON");
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "authorized_keys"), ==,
                   tw_public_key_get_line (key));
  g_assert_cmpstr (json_object_get_string_member (object, "fingerprint"), ==,
                   tw_public_key_get_fingerprint (key));
}

static void
check_round_trip (TwPublicKey *key)
{
  const char *line = tw_public_key_get_line (key);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPublicKey) again = NULL;

  /* One line, valid UTF-8: it goes into authorized_keys as is. */
  g_assert_true (g_utf8_validate (line, -1, NULL));
  g_assert_null (strpbrk (line, "\r\n"));

  again = tw_public_key_parse (line, &error);
  /* KNOWN BUG (corpus/fuzz-public-key/crash-private-marker-split-over-comment):
   * a key followed by "BEGIN" and "PRIVATE KEY" on separate lines is
   * accepted, its comment joins them, and the one line it produces is then
   * refused as a private key. */
  if (again == NULL && fuzz_skip_known_bugs () &&
      g_error_matches (error, TW_KEY_ERROR, TW_KEY_ERROR_PRIVATE_KEY))
    return;
  if (again == NULL)
    g_error ("the authorized_keys line “%s” does not parse: %s", line, error->message);
  g_assert_cmpstr (tw_public_key_get_fingerprint (again), ==, tw_public_key_get_fingerprint (key));
  g_assert_cmpstr (tw_public_key_get_key_type (again), ==, tw_public_key_get_key_type (key));
  g_assert_cmpuint (tw_public_key_get_bits (again), ==, tw_public_key_get_bits (key));
  g_assert_cmpstr (tw_public_key_get_comment (again), ==, tw_public_key_get_comment (key));
  g_assert_cmpstr (tw_public_key_get_line (again), ==, line);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPublicKey) key = NULL;
  const char * const *warnings;

  if (size > MAX_TEXT_LEN)
    return -1;

  text = fuzz_strndup (data, size);
  key = tw_public_key_parse (text, &error);
  if (key == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TW_KEY_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_null (error);

  g_assert_nonnull (tw_public_key_get_key_type (key));
  g_assert_nonnull (tw_public_key_get_type_label (key));
  g_assert_nonnull (tw_public_key_get_base64 (key));
  g_assert_nonnull (tw_public_key_get_blob (key));
  g_assert_true (g_str_has_prefix (tw_public_key_get_fingerprint (key), "SHA256:"));
  g_assert_nonnull (tw_public_key_get_randomart (key));
  (void) tw_public_key_get_options (key);
  (void) tw_public_key_is_rsa (key);
  warnings = tw_public_key_get_warnings (key);
  for (guint i = 0; warnings[i] != NULL; i++)
    g_assert_true (g_utf8_validate (warnings[i], -1, NULL));

  check_json (key);
  check_round_trip (key);

  return 0;
}
