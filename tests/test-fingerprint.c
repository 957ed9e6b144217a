/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin pastes the fingerprint the service shows, or what ssh-keygen -lf
 * prints on the server, and the wizard compares it with the host key it saw.
 * ssh-keygen is the oracle for what a real fingerprint looks like.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tw-fingerprint.h"

typedef struct
{
  char *dir;
  char *pub_path;
  char *keygen_line;   /* ssh-keygen -lf output, "256 SHA256:… comment (ED25519)" */
  char *fingerprint;   /* "SHA256:…" computed here from the key blob */
} Fixture;

static char *
run_keygen (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strchomp (g_steal_pointer (&out));
}

/* SHA256 of the key blob, base64 without padding: what ssh-keygen computes. */
static char *
fingerprint_of_pub (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree guchar *blob = NULL;
  g_autofree char *b64 = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize blob_len = 0, digest_len = sizeof digest;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  fields = g_strsplit (text, " ", 3);
  blob = g_base64_decode (fields[1], &blob_len);
  g_checksum_update (checksum, blob, blob_len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  b64 = g_base64_encode (digest, digest_len);
  b64[strcspn (b64, "=")] = '\0';
  return g_strconcat ("SHA256:", b64, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *ignored = NULL;

  fixture->dir = g_dir_make_tmp ("tw-fingerprint-XXXXXX", &error);
  g_assert_no_error (error);
  key_path = g_build_filename (fixture->dir, "host_key", NULL);
  fixture->pub_path = g_strconcat (key_path, ".pub", NULL);

  ignored = run_keygen ((const char *[]) { "ssh-keygen", "-q", "-t", "ed25519", "-N", "",
                                           "-C", "root@bastion", "-f", key_path, NULL });
  fixture->keygen_line = run_keygen ((const char *[]) { "ssh-keygen", "-lf",
                                                        fixture->pub_path, NULL });
  fixture->fingerprint = fingerprint_of_pub (fixture->pub_path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *key_path = g_strndup (fixture->pub_path, strlen (fixture->pub_path) - 4);

  g_unlink (key_path);
  g_unlink (fixture->pub_path);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->pub_path);
  g_free (fixture->keygen_line);
  g_free (fixture->fingerprint);
}

/* The whole line ssh-keygen -lf prints on the server, pasted as is. */
static void
test_parse_keygen_output (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parsed = tw_fingerprint_parse (fixture->keygen_line, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fixture->keygen_line, "256 SHA256:"));
  g_assert_true (g_str_has_suffix (fixture->keygen_line, "(ED25519)"));
  g_assert_cmpstr (parsed, ==, fixture->fingerprint);
}

/* The other forms an admin may paste: with or without "SHA256:", with the
 * padding, with a trailing newline, or in the grouped form this app shows. */
static void
test_parse_forms (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *body = fixture->fingerprint + strlen ("SHA256:");
  g_autofree char *grouped = tw_fingerprint_format_groups (fixture->fingerprint, 4);
  g_autofree char *padded = g_strconcat ("  ", fixture->fingerprint, "=\n", NULL);
  g_autofree char *lower_prefix = g_strconcat ("sha256:", body, NULL);
  const char *forms[] = { fixture->fingerprint, body, padded, grouped, lower_prefix };

  g_assert_nonnull (strchr (grouped, ' '));
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *parsed = tw_fingerprint_parse (forms[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (parsed, ==, fixture->fingerprint);
    }
}

static void
test_parse_md5 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *md5_line = run_keygen ((const char *[]) { "ssh-keygen", "-E", "md5", "-lf",
                                                             fixture->pub_path, NULL });
  g_autofree char *parsed = tw_fingerprint_parse (md5_line, &error);
  /* "MD5:" dropped: the bare colon-hex older tools print */
  const char *bare = strstr (md5_line, "MD5:") + 4;
  g_autofree char *bare_hex = g_strndup (bare, 47);

  g_assert_null (parsed);
  g_assert_error (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_MD5);
  g_assert_cmpint (tw_fingerprint_compare (fixture->fingerprint, md5_line, NULL, NULL), ==,
                   TW_FINGERPRINT_VERDICT_NOT_SHA256);
  g_assert_cmpint (tw_fingerprint_compare (fixture->fingerprint, bare_hex, NULL, NULL), ==,
                   TW_FINGERPRINT_VERDICT_NOT_SHA256);
}

static void
test_parse_invalid (void)
{
  struct { const char *text; int code; } cases[] = {
    { "", TW_FINGERPRINT_ERROR_EMPTY },
    { "  \n\t", TW_FINGERPRINT_ERROR_EMPTY },
    { "SHA256:", TW_FINGERPRINT_ERROR_INVALID },
    { "SHA256:abc", TW_FINGERPRINT_ERROR_INVALID },
    /* 43 characters, one of them not base64 */
    { "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-A", TW_FINGERPRINT_ERROR_INVALID },
    { "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TW_FINGERPRINT_ERROR_INVALID },
    { "hello there", TW_FINGERPRINT_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *parsed = tw_fingerprint_parse (cases[i].text, &error);

      g_assert_null (parsed);
      g_assert_error (error, TW_FINGERPRINT_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_compare_match (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GArray) mismatches = NULL;
  guint missing = 99;

  g_assert_cmpint (tw_fingerprint_compare (fixture->fingerprint, fixture->keygen_line,
                                           &mismatches, &missing), ==,
                   TW_FINGERPRINT_VERDICT_MATCH);
  g_assert_cmpuint (mismatches->len, ==, 0);
  g_assert_cmpuint (missing, ==, 0);
  g_assert_cmpint (tw_fingerprint_compare (fixture->fingerprint, "", NULL, NULL), ==,
                   TW_FINGERPRINT_VERDICT_EMPTY);
}

static char
other_char (char c)
{
  return c == 'Q' ? 'R' : 'Q';
}

/* One character wrong, one letter in the wrong case, two wrong: exactly
 * those positions are reported. */
static void
test_compare_mismatch (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *typo = g_strdup (fixture->fingerprint);
  g_autofree char *two = NULL;
  char *body = typo + strlen ("SHA256:");
  g_autoptr(GArray) mismatches = NULL;
  g_autoptr(GArray) mismatches2 = NULL;
  guint missing = 0;

  body[10] = other_char (body[10]);
  g_assert_cmpint (tw_fingerprint_compare (fixture->fingerprint, typo, &mismatches, &missing),
                   ==, TW_FINGERPRINT_VERDICT_MISMATCH);
  g_assert_cmpuint (mismatches->len, ==, 1);
  g_assert_cmpuint (g_array_index (mismatches, guint, 0), ==, 10);
  g_assert_cmpuint (missing, ==, 0);

  two = g_strdup (typo);
  body = two + strlen ("SHA256:");
  body[0] = other_char (body[0]);
  g_assert_cmpint (tw_fingerprint_compare (fixture->fingerprint, two, &mismatches2, NULL),
                   ==, TW_FINGERPRINT_VERDICT_MISMATCH);
  g_assert_cmpuint (mismatches2->len, ==, 2);
  g_assert_cmpuint (g_array_index (mismatches2, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (mismatches2, guint, 1), ==, 10);
}

static void
test_compare_case (void)
{
  const char *expected = "SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
  const char *pasted = "SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPq";
  g_autoptr(GArray) mismatches = NULL;

  g_assert_cmpint (tw_fingerprint_compare (expected, pasted, &mismatches, NULL), ==,
                   TW_FINGERPRINT_VERDICT_MISMATCH);
  g_assert_cmpuint (mismatches->len, ==, 1);
  g_assert_cmpuint (g_array_index (mismatches, guint, 0), ==, 42);
}

/* A character dropped or added while copying. */
static void
test_compare_length (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *short_fp = g_strndup (fixture->fingerprint, strlen (fixture->fingerprint) - 2);
  g_autofree char *long_fp = g_strconcat (fixture->fingerprint, "xy", NULL);
  g_autoptr(GArray) mismatches = NULL;
  g_autoptr(GArray) mismatches2 = NULL;
  guint missing = 0;

  g_assert_cmpint (tw_fingerprint_compare (fixture->fingerprint, short_fp, &mismatches, &missing),
                   ==, TW_FINGERPRINT_VERDICT_MISMATCH);
  g_assert_cmpuint (mismatches->len, ==, 0);
  g_assert_cmpuint (missing, ==, 2);

  g_assert_cmpint (tw_fingerprint_compare (fixture->fingerprint, long_fp, &mismatches2, &missing),
                   ==, TW_FINGERPRINT_VERDICT_MISMATCH);
  g_assert_cmpuint (missing, ==, 0);
  g_assert_cmpuint (mismatches2->len, ==, 2);
  g_assert_cmpuint (g_array_index (mismatches2, guint, 0), ==, TW_FINGERPRINT_SHA256_LENGTH);
}

static void
test_groups (Fixture       *fixture,
             gconstpointer  data)
{
  const char *body = fixture->fingerprint + strlen ("SHA256:");
  g_autofree char *grouped = tw_fingerprint_format_groups (fixture->fingerprint, 4);
  g_auto(GStrv) groups = g_strsplit (grouped, " ", -1);

  /* 43 characters: ten groups of four and one of three */
  g_assert_cmpuint (g_strv_length (groups), ==, 11);
  g_assert_cmpuint (strlen (groups[0]), ==, 4);
  g_assert_cmpuint (strlen (groups[10]), ==, 3);
  for (guint i = 0; body[i] != '\0'; i++)
    g_assert_cmpint (grouped[tw_fingerprint_group_offset (i, 4)], ==, body[i]);
}

/* ---- any form, tw_fingerprint_input_parse(); ssh-keygen is the oracle ---- */

static TwPublicKey *
fixture_key (Fixture *fixture)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  TwPublicKey *key;

  g_assert_true (g_file_get_contents (fixture->pub_path, &text, NULL, NULL));
  key = tw_public_key_parse (text, &error);
  g_assert_no_error (error);
  return key;
}

static TwFingerprintInput *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TwFingerprintInput *input = tw_fingerprint_input_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (input);
  return input;
}

/* SHA256 in every form: the value is what ssh-keygen -lf prints */
static void
test_input_sha256 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TwPublicKey) key = fixture_key (fixture);
  const char *body = fixture->fingerprint + strlen ("SHA256:");
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", fixture->fingerprint);
  g_autofree char *curly = g_strdup_printf ("“%s”", fixture->keygen_line);
  g_autofree char *broken = g_strdup_printf ("%.*s\n  %s\n", 25, fixture->fingerprint, fixture->fingerprint + 25);
  g_autofree char *single = g_strdup_printf ("'%s'\r\n", body);
  const char *forms[] = { fixture->fingerprint, body, fixture->keygen_line, quoted, curly, broken, single };
  g_autofree char *keygen_fp = g_strndup (strchr (fixture->keygen_line, ' ') + 1, strlen (fixture->fingerprint));

  g_assert_cmpstr (keygen_fp, ==, fixture->fingerprint);
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(TwFingerprintInput) input = parse_ok (forms[i]);

      g_assert_cmpint (input->kind, ==, TW_FINGERPRINT_KIND_SHA256);
      g_assert_cmpstr (input->value, ==, fixture->fingerprint);
      g_assert_true (tw_fingerprint_input_matches (input, key));
    }
  {
    g_autoptr(TwFingerprintInput) input = parse_ok (fixture->keygen_line);

    /* the key type the line names, for "the key of another type" */
    g_assert_cmpstr (input->type_label, ==, "ED25519");
  }
}

/* MD5, with and without "MD5:", in upper case: compared with MD5 of the key */
static void
test_input_md5 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TwPublicKey) key = fixture_key (fixture);
  g_autofree char *line = run_keygen ((const char *[]) { "ssh-keygen", "-E", "md5", "-lf", fixture->pub_path, NULL });
  g_autofree char *hex = g_strndup (strstr (line, "MD5:") + 4, 47);
  g_autofree char *upper = g_ascii_strup (hex, -1);
  g_autofree char *prefixed = g_strconcat ("MD5:", hex, NULL);
  g_autofree char *ours = tw_fingerprint_md5 (key);
  const char *forms[] = { line, hex, upper, prefixed };

  g_assert_cmpstr (ours, ==, hex);
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(TwFingerprintInput) input = parse_ok (forms[i]);

      g_assert_cmpint (input->kind, ==, TW_FINGERPRINT_KIND_MD5);
      g_assert_cmpstr (input->value, ==, hex);
      g_assert_true (tw_fingerprint_input_matches (input, key));
    }
}

/* The key itself: a .pub line, a known_hosts line (plain and hashed) */
static void
test_input_key_lines (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TwPublicKey) key = fixture_key (fixture);
  g_autofree char *pub = NULL;
  g_autofree char *known_hosts = g_build_filename (fixture->dir, "known_hosts", NULL);
  g_autofree char *plain = NULL;
  g_autofree char *hashed = NULL;
  g_autofree char *ignored = NULL;

  g_assert_true (g_file_get_contents (fixture->pub_path, &pub, NULL, NULL));
  plain = g_strdup_printf ("bastion.example,192.0.2.7 %s", pub);
  g_assert_true (g_file_set_contents (known_hosts, plain, -1, NULL));
  /* ssh-keygen -H hashes the host names in place, as ssh does with HashKnownHosts */
  ignored = run_keygen ((const char *[]) { "ssh-keygen", "-H", "-f", known_hosts, NULL });
  g_assert_true (g_file_get_contents (known_hosts, &hashed, NULL, NULL));
  g_assert_true (g_str_has_prefix (hashed, "|1|"));

  {
    const char *forms[] = { pub, plain, hashed };

    for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
      {
        g_autoptr(TwFingerprintInput) input = parse_ok (forms[i]);

        g_assert_cmpint (input->kind, ==, TW_FINGERPRINT_KIND_KEY);
        g_assert_cmpstr (input->value, ==, fixture->fingerprint);
        g_assert_cmpstr (input->type_label, ==, "ED25519");
        g_assert_true (tw_fingerprint_input_matches (input, key));
      }
  }
  {
    g_autofree char *backup = g_strconcat (known_hosts, ".old", NULL);

    g_unlink (backup);
    g_unlink (known_hosts);
  }
}

/* Another key: no form of its fingerprint matches ours */
static void
test_input_other_key (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TwPublicKey) key = fixture_key (fixture);
  g_autofree char *other_path = g_build_filename (fixture->dir, "other", NULL);
  g_autofree char *other_pub = g_strconcat (other_path, ".pub", NULL);
  g_autofree char *ignored = run_keygen ((const char *[]) { "ssh-keygen", "-q", "-t", "ecdsa", "-N", "",
                                                            "-f", other_path, NULL });
  g_autofree char *sha_line = run_keygen ((const char *[]) { "ssh-keygen", "-lf", other_pub, NULL });
  g_autofree char *md5_line = run_keygen ((const char *[]) { "ssh-keygen", "-E", "md5", "-lf", other_pub, NULL });
  g_autofree char *pub = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();

  g_assert_true (g_file_get_contents (other_pub, &pub, NULL, NULL));
  g_ptr_array_add (keys, key);
  {
    const char *forms[] = { sha_line, md5_line, pub };

    for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
      {
        g_autoptr(TwFingerprintInput) input = parse_ok (forms[i]);

        g_assert_cmpstr (input->type_label, ==, "ECDSA");
        g_assert_false (tw_fingerprint_input_matches (input, key));
        g_assert_cmpint (tw_fingerprint_input_find (input, keys), ==, -1);
      }
  }
  g_unlink (other_path);
  g_unlink (other_pub);
}

/* Anything else: a message that says which forms work */
static void
test_input_invalid (void)
{
  const char *cases[] = { "hello there", "SHA256:abc", "MD5:aa:bb", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBroken",
                          "@cert-authority *.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==", "12345" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TwFingerprintInput) input = tw_fingerprint_input_parse (cases[i], &error);

      g_assert_null (input);
      g_assert_error (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID);
      g_test_message ("%s → %s", cases[i], error->message);
      if (i < 3 || i == 5)
        g_assert_nonnull (strstr (error->message, tw_fingerprint_formats_help ()));
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TwFingerprintInput) input = tw_fingerprint_input_parse (" \"\" \n", &error);

    g_assert_error (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_EMPTY);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fingerprint/parse/keygen-output", Fixture, NULL,
              fixture_set_up, test_parse_keygen_output, fixture_tear_down);
  g_test_add ("/fingerprint/parse/forms", Fixture, NULL,
              fixture_set_up, test_parse_forms, fixture_tear_down);
  g_test_add ("/fingerprint/parse/md5", Fixture, NULL,
              fixture_set_up, test_parse_md5, fixture_tear_down);
  g_test_add_func ("/fingerprint/parse/invalid", test_parse_invalid);
  g_test_add ("/fingerprint/compare/match", Fixture, NULL,
              fixture_set_up, test_compare_match, fixture_tear_down);
  g_test_add ("/fingerprint/compare/mismatch", Fixture, NULL,
              fixture_set_up, test_compare_mismatch, fixture_tear_down);
  g_test_add_func ("/fingerprint/compare/case", test_compare_case);
  g_test_add ("/fingerprint/compare/length", Fixture, NULL,
              fixture_set_up, test_compare_length, fixture_tear_down);
  g_test_add ("/fingerprint/input/sha256", Fixture, NULL, fixture_set_up, test_input_sha256, fixture_tear_down);
  g_test_add ("/fingerprint/input/md5", Fixture, NULL, fixture_set_up, test_input_md5, fixture_tear_down);
  g_test_add ("/fingerprint/input/key-lines", Fixture, NULL, fixture_set_up, test_input_key_lines, fixture_tear_down);
  g_test_add ("/fingerprint/input/other-key", Fixture, NULL, fixture_set_up, test_input_other_key, fixture_tear_down);
  g_test_add_func ("/fingerprint/input/invalid", test_input_invalid);
  g_test_add ("/fingerprint/groups", Fixture, NULL,
              fixture_set_up, test_groups, fixture_tear_down);

  return g_test_run ();
}
