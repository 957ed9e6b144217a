/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fingerprint the admin pastes to compare with the host key's: any
 * text, in any of the forms tw_fingerprint_extract() understands. Beyond
 * memory safety: a fingerprint that parses matches itself in every form
 * the window shows it, and a comparison never reports a position outside
 * what was pasted.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tw-fingerprint.h"

/* ssh-keygen -lf of tests/keys' ed25519 host key, any will do */
#define REAL_FINGERPRINT "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

static void
check_compare (const char *expected,
               const char *text)
{
  g_autoptr(GArray) mismatches = NULL;
  g_autofree char *body = tw_fingerprint_extract (text);
  guint n_missing = 0;
  TwFingerprintVerdict verdict;

  verdict = tw_fingerprint_compare (expected, text, &mismatches, &n_missing);
  if (body == NULL)
    {
      g_assert_true (verdict == TW_FINGERPRINT_VERDICT_EMPTY ||
                     verdict == TW_FINGERPRINT_VERDICT_NOT_SHA256);
      return;
    }
  g_assert_nonnull (mismatches);
  for (guint i = 0; i < mismatches->len; i++)
    g_assert_cmpuint (g_array_index (mismatches, guint, i), <, strlen (body));
  g_assert_true ((verdict == TW_FINGERPRINT_VERDICT_MATCH) ==
                 (mismatches->len == 0 && n_missing == 0));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autofree char *parsed = NULL;
  g_autoptr(GError) error = NULL;

  if (size > 4096)
    return -1;
  text = fuzz_strndup (data, size);

  check_compare (REAL_FINGERPRINT, text);

  parsed = tw_fingerprint_parse (text, &error);
  if (parsed == NULL)
    {
      g_assert_true (g_error_matches (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_EMPTY) ||
                     g_error_matches (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_MD5) ||
                     g_error_matches (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID));
      return 0;
    }

  g_assert_true (g_str_has_prefix (parsed, "SHA256:"));
  g_assert_cmpuint (strlen (parsed), ==, strlen ("SHA256:") + TW_FINGERPRINT_SHA256_LENGTH);

  /* What was pasted matches what it parsed to, and so does every form the
   * window shows of it. */
  g_assert_cmpint (tw_fingerprint_compare (parsed, text, NULL, NULL), ==,
                   TW_FINGERPRINT_VERDICT_MATCH);
  for (guint group_size = 1; group_size <= 8; group_size++)
    {
      g_autofree char *grouped = tw_fingerprint_format_groups (parsed, group_size);
      const char *body = parsed + strlen ("SHA256:");

      for (guint i = 0; body[i] != '\0'; i++)
        g_assert_cmpint (grouped[tw_fingerprint_group_offset (i, group_size)], ==, body[i]);
      g_assert_cmpint (tw_fingerprint_compare (parsed, grouped, NULL, NULL), ==,
                       TW_FINGERPRINT_VERDICT_MATCH);
    }
  check_compare (parsed, text);

  return 0;
}
