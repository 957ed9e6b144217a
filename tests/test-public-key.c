/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin pastes a public key from the service's form: whatever shape it
 * arrives in, Tunnel Wizard must show the same type, size, fingerprint and
 * picture as ssh-keygen, and the one line that goes into authorized_keys.
 * (Refusals are in test-public-key-errors.c.)
 */
#include "config.h"

#include "tw-core.h"
#include "key-test-util.h"

typedef struct {
  const char *type;
  guint       bits;
  const char *label;
} KeySpec;

static const KeySpec specs[] = {
  { "ed25519", 0, "ED25519" },
  { "ecdsa", 256, "ECDSA" },
  { "ecdsa", 384, "ECDSA" },
  { "ecdsa", 521, "ECDSA" },
  { "rsa", 1024, "RSA" },
  { "rsa", 2048, "RSA" },
  { "rsa", 3072, "RSA" },
  { "rsa", 4096, "RSA" },
};

static gboolean
has_warning (TwPublicKey *key,
             const char  *needle)
{
  const char * const *warnings = tw_public_key_get_warnings (key);

  for (guint i = 0; warnings[i] != NULL; i++)
    if (strstr (warnings[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
assert_matches_oracle (TwPublicKey    *key,
                       const KtOracle *oracle)
{
  g_assert_cmpstr (tw_public_key_get_fingerprint (key), ==, oracle->fingerprint);
  g_assert_cmpuint (tw_public_key_get_bits (key), ==, oracle->bits);
  g_assert_cmpstr (tw_public_key_get_type_label (key), ==, oracle->label);
  g_assert_cmpstr (tw_public_key_get_randomart (key), ==, oracle->randomart);
}

/* A key ssh-keygen made, read from its .pub file and from its RFC 4716
 * export, must be described exactly as ssh-keygen describes it. */
static void
test_oracle (gconstpointer data)
{
  const KeySpec *spec = data;
  g_autofree char *dir = kt_tmpdir ();
  g_autofree char *name = g_strdup_printf ("%s-%u@test", spec->type, spec->bits);
  g_autofree char *path = kt_keygen (dir, name, spec->type, spec->bits, NULL, NULL);
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
  g_autofree char *pub = kt_read (pub_path);
  const char *export_argv[] = { "ssh-keygen", "-e", "-f", pub_path, NULL };
  g_autofree char *rfc4716 = kt_run (export_argv);
  g_autofree char *rfc4716_path = g_build_filename (dir, "export.txt", NULL);
  g_auto(KtOracle) oracle = { 0 };
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(TwPublicKey) exported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *export_comment = NULL;
  const char *comment_start;

  kt_oracle (pub_path, &oracle);
  key = tw_public_key_parse (pub, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);

  assert_matches_oracle (key, &oracle);
  g_assert_cmpstr (tw_public_key_get_comment (key), ==, name);
  g_assert_cmpstr (tw_public_key_get_line (key), ==, g_strchomp (pub));
  g_assert_true (g_str_has_prefix (pub, tw_public_key_get_key_type (key)));
  g_assert_null (tw_public_key_get_options (key));
  g_assert_cmpuint (g_bytes_get_size (tw_public_key_get_blob (key)), >, 32);

  /* The RSA-only advice, and only for RSA. */
  g_assert_cmpint (tw_public_key_is_rsa (key), ==, g_str_equal (spec->type, "rsa"));
  g_assert_cmpint (has_warning (key, "rsa-sha2-256"), ==, tw_public_key_is_rsa (key));
  g_assert_cmpint (has_warning (key, "PubkeyAcceptedAlgorithms +ssh-rsa"), ==, tw_public_key_is_rsa (key));
  g_assert_cmpint (has_warning (key, "2048 bits"), ==, tw_public_key_is_rsa (key) && spec->bits < 2048);
  g_assert_false (has_warning (key, "one line"));

  /* ssh-keygen -e: the same key in an RFC 4716 block, with a quoted
   * Comment header and, for big keys, base64 wrapped over lines. */
  g_assert_true (g_str_has_prefix (rfc4716, "---- BEGIN SSH2 PUBLIC KEY ----\n"));
  kt_write (rfc4716_path, rfc4716);
  exported = tw_public_key_parse (rfc4716, &error);
  g_assert_no_error (error);
  g_assert_nonnull (exported);
  assert_matches_oracle (exported, &oracle);
  g_assert_cmpstr (tw_public_key_get_base64 (exported), ==, tw_public_key_get_base64 (key));
  g_assert_false (has_warning (exported, "one line"));

  comment_start = strstr (rfc4716, "Comment: \"");
  g_assert_nonnull (comment_start);
  comment_start += strlen ("Comment: \"");
  export_comment = g_strndup (comment_start, strchr (comment_start, '"') - comment_start);
  g_assert_cmpstr (tw_public_key_get_comment (exported), ==, export_comment);

  /* ssh-keygen reads the export back the same way. */
  {
    const char *import_argv[] = { "ssh-keygen", "-i", "-f", rfc4716_path, NULL };
    g_autofree char *imported = kt_run (import_argv);
    g_autofree char *line = g_strdup_printf ("%s %s", tw_public_key_get_key_type (key),
                                             tw_public_key_get_base64 (key));

    g_assert_cmpstr (g_strchomp (imported), ==, line);
  }

  g_assert_finalize_object (g_steal_pointer (&key));
  g_assert_finalize_object (g_steal_pointer (&exported));
  kt_rmdir (dir);
}

/* Security-key (FIDO) keys cannot be generated without the hardware: the
 * fixtures are valid blobs built for these tests. */
static void
test_security_keys (void)
{
  static const char * const fixtures[][2] = {
    { "sk-ed25519.pub", "sk-ssh-ed25519@openssh.com" },
    { "sk-ecdsa.pub", "sk-ecdsa-sha2-nistp256@openssh.com" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "keys", fixtures[i][0], NULL);
      g_autofree char *text = kt_read (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(TwPublicKey) key = tw_public_key_parse (text, &error);
      g_auto(KtOracle) oracle = { 0 };

      g_assert_no_error (error);
      kt_oracle (path, &oracle);
      assert_matches_oracle (key, &oracle);
      g_assert_cmpstr (tw_public_key_get_key_type (key), ==, fixtures[i][1]);
      g_assert_cmpstr (tw_public_key_get_comment (key), ==, oracle.comment);
      g_assert_true (has_warning (key, "OpenSSH 8.2"));
      g_assert_false (tw_public_key_is_rsa (key));
    }
}

static const char *ed25519_line =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6 me@host";
static const char *ed25519_base64 =
  "AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6";
static const char *ed25519_fingerprint = "SHA256:NcjjyqQSjMr+lWWDZe16cccSMJXaGUPrGNRwNgWjj+o";

static TwPublicKey *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TwPublicKey *key = tw_public_key_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpstr (tw_public_key_get_fingerprint (key), ==, ed25519_fingerprint);
  g_assert_cmpstr (tw_public_key_get_base64 (key), ==, ed25519_base64);
  return key;
}

/* Copied from a web page or a Windows file: CRLF, blank lines around. */
static void
test_crlf_and_blank_lines (void)
{
  g_autofree char *text = g_strdup_printf ("\r\n  \n\t\r\n%s\r\n\r\n \n", ed25519_line);
  g_autoptr(TwPublicKey) key = parse_ok (text);

  g_assert_cmpstr (tw_public_key_get_comment (key), ==, "me@host");
  g_assert_cmpstr (tw_public_key_get_line (key), ==, ed25519_line);
  g_assert_cmpstr ((const char *) tw_public_key_get_warnings (key)[0], ==, NULL);
}

/* The seed's warning: "the key must be all on one line". A key broken
 * anywhere, or with spaces inside, is joined, and the admin is told. */
static void
test_split_key_is_joined (void)
{
  static const char * const texts[] = {
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZX\nSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6 me@host",
    "ssh-ed25519 AAAAC3NzaC1lZDI1\r\nNTE5AAAAILdrMQXamkZXSSDM\r\nCOsDG+5ktJr73wVeeYk1LVpiElp6\r\nme@host\r\n",
    "ssh-ed25519\nAAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6\nme@host",
    "ssh-ed25519 AAAAC3NzaC1l ZDI1NTE5AAAA ILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6 me@host",
    "ssh-ed25519 AAAAC3Nz aC1lZDI1NTE5AAAAIL\n  drMQXamkZXSSDMCOsDG+5k tJr73wVeeYk1LVpiElp6   me@host  ",
    /* From a web page: a no-break space after the type, a zero-width space
     * inside the base64, a byte-order mark in front. */
    "\xef\xbb\xbf" "ssh-ed25519\xc2\xa0" "AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDM\xe2\x80\x8b"
    "COsDG+5ktJr73wVeeYk1LVpiElp6 me@host",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(TwPublicKey) key = parse_ok (texts[i]);

      g_test_message ("text %u", i);
      g_assert_cmpstr (tw_public_key_get_comment (key), ==, "me@host");
      g_assert_cmpstr (tw_public_key_get_line (key), ==, ed25519_line);
      g_assert_true (has_warning (key, "joined"));
      g_assert_true (has_warning (key, "one line"));
    }
}

/* A line from someone's authorized_keys: its options are kept apart and
 * reported, not mixed into the key. */
static void
test_options_kept_apart (void)
{
  static const char *options[] = {
    "from=\"10.0.0.1,192.168.0.0/16\",command=\"echo hello, world\",no-pty",
    "restrict,port-forwarding,permitopen=\"db.internal:5432\"",
    "command=\"echo \\\"quoted words\\\" here\",environment=\"A=b c\"",
    "no-agent-forwarding",
  };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %s\n", options[i], ed25519_line);
      g_autoptr(TwPublicKey) key = parse_ok (text);

      g_assert_cmpstr (tw_public_key_get_options (key), ==, options[i]);
      g_assert_cmpstr (tw_public_key_get_line (key), ==, ed25519_line);
      g_assert_cmpstr (tw_public_key_get_comment (key), ==, "me@host");
    }
}

static void
test_comments (void)
{
  g_autofree char *bare = g_strdup_printf ("ssh-ed25519 %s", ed25519_base64);
  g_autofree char *spaced = g_strdup_printf ("ssh-ed25519 %s   my laptop key, 2024  ", ed25519_base64);
  g_autoptr(TwPublicKey) without = parse_ok (bare);
  g_autoptr(TwPublicKey) with = parse_ok (spaced);

  g_assert_null (tw_public_key_get_comment (without));
  g_assert_cmpstr (tw_public_key_get_line (without), ==, bare);
  g_assert_cmpstr (tw_public_key_get_comment (with), ==, "my laptop key, 2024");
}

/* PuTTYgen's "Save public key" and other RFC 4716 writers: quoted comments,
 * backslash continuation lines, headers that do not matter, CRLF. */
static void
test_rfc4716_headers (void)
{
  static const char *putty =
    "---- BEGIN SSH2 PUBLIC KEY ----\r\n"
    "Comment: \"ed25519-key-20240101\"\r\n"
    "AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpi\r\n"
    "Elp6\r\n"
    "---- END SSH2 PUBLIC KEY ----\r\n";
  static const char *continued =
    "\n---- BEGIN SSH2 PUBLIC KEY ----\n"
    "Subject: admin\n"
    "x-command: /home/me/bin/lock-in-guest.sh \\\n"
    "   --verbose\n"
    "Comment: \"This is my public key for use on \\\n"
    "servers which I don't like.\"\n"
    "AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6\n"
    "---- END SSH2 PUBLIC KEY ----\n\n";
  static const char *unquoted =
    "---- BEGIN SSH2 PUBLIC KEY ----\n"
    "comment: just words\n"
    "AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6\n"
    "---- END SSH2 PUBLIC KEY ----";
  static const char *no_headers =
    "---- BEGIN SSH2 PUBLIC KEY ----\n"
    "AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZX\n"
    "SSDMCOsDG+5ktJr73wVeeYk1LVpiElp6\n"
    "---- END SSH2 PUBLIC KEY ----";
  g_autoptr(TwPublicKey) key1 = parse_ok (putty);
  g_autoptr(TwPublicKey) key2 = parse_ok (continued);
  g_autoptr(TwPublicKey) key3 = parse_ok (unquoted);
  g_autoptr(TwPublicKey) key4 = parse_ok (no_headers);

  g_assert_cmpstr (tw_public_key_get_comment (key1), ==, "ed25519-key-20240101");
  g_assert_cmpstr (tw_public_key_get_line (key1), ==,
                   "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6 ed25519-key-20240101");
  g_assert_cmpstr (tw_public_key_get_comment (key2), ==,
                   "This is my public key for use on servers which I don't like.");
  g_assert_cmpstr (tw_public_key_get_comment (key3), ==, "just words");
  g_assert_null (tw_public_key_get_comment (key4));
  g_assert_cmpstr (tw_public_key_get_line (key4), ==,
                   "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6");
}

/* The window binds to the key's properties. */
static void
test_properties_and_json (void)
{
  g_autoptr(TwPublicKey) key = parse_ok (ed25519_line);
  g_autoptr(JsonNode) node = tw_public_key_to_json (key);
  JsonObject *object = json_node_get_object (node);
  g_autofree char *fingerprint = NULL;
  guint bits = 0;

  g_object_get (key, "fingerprint", &fingerprint, "bits", &bits, NULL);
  g_assert_cmpstr (fingerprint, ==, ed25519_fingerprint);
  g_assert_cmpuint (bits, ==, 256);

  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "ssh-ed25519");
  g_assert_cmpstr (json_object_get_string_member (object, "fingerprint"), ==, ed25519_fingerprint);
  g_assert_cmpint (json_object_get_int_member (object, "bits"), ==, 256);
  g_assert_cmpstr (json_object_get_string_member (object, "authorized_keys"), ==, ed25519_line);
  g_assert_false (json_object_has_member (object, "options"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "warnings")), ==, 0);
}

/* The drawing itself, against a picture ssh-keygen -lv printed for this
 * key (ED25519, SHA256:NcjjyqQS…). */
static void
test_randomart_direct (void)
{
  static const char *expected =
    "+--[ED25519 256]--+\n"
    "|         ==O+.   |\n"
    "|       .o.*=+    |\n"
    "|       o++=o+    |\n"
    "| o    +..+*+o    |\n"
    "|. o  ..+S= = o   |\n"
    "|o  . ++.+ o o    |\n"
    "|... .ooo .       |\n"
    "|.  .. . .        |\n"
    "| ...   E         |\n"
    "+----[SHA256]-----+";
  gsize len = 0;
  g_autofree guchar *digest = g_base64_decode ("NcjjyqQSjMr+lWWDZe16cccSMJXaGUPrGNRwNgWjj+o=", &len);
  g_autofree char *art = tw_randomart_draw (digest, len, "ED25519 256", "SHA256");
  g_autofree char *long_title = tw_randomart_draw (digest, len, "ECDSA-SK-CERT 256", "SHA256");
  g_autofree char *full_title = tw_randomart_draw (digest, len, "ED25519-SK 2560", "SHA256");

  g_assert_cmpuint (len, ==, 32);
  g_assert_cmpstr (art, ==, expected);
  /* Titles wider than the frame, as OpenSSH's fixed buffer handles them:
   * one character too many is cut, more drops the size. */
  g_assert_true (g_str_has_prefix (long_title, "+-[ECDSA-SK-CERT]-+\n"));
  g_assert_true (g_str_has_prefix (full_title, "+[ED25519-SK 2560-+\n"));
}

/* Random damage to valid keys: never a crash, always a key or a TwKeyError. */
static void
test_mutations (void)
{
  g_autofree char *dir = kt_tmpdir ();
  g_autofree char *rsa = kt_keygen (dir, "rsa", "rsa", 2048, NULL, NULL);
  g_autofree char *ecdsa = kt_keygen (dir, "ecdsa", "ecdsa", 384, NULL, NULL);
  g_autofree char *rsa_pub = g_strconcat (rsa, ".pub", NULL);
  g_autofree char *ecdsa_pub = g_strconcat (ecdsa, ".pub", NULL);
  const char *export_argv[] = { "ssh-keygen", "-e", "-f", rsa_pub, NULL };
  g_autofree char *sk_path = g_test_build_filename (G_TEST_DIST, "keys", "sk-ecdsa.pub", NULL);
  g_autofree char *options_line = g_strdup_printf ("from=\"a,b\",command=\"x y\" %s", ed25519_line);
  char *seeds[] = {
    kt_read (rsa_pub), kt_read (ecdsa_pub), kt_run (export_argv), kt_read (sk_path),
    g_strdup (ed25519_line), g_steal_pointer (&options_line),
  };
  static const char alphabet[] = "AZaz09+/= \t\r\n\"\\,-#:.@";
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  g_autofree char *checked_path = g_build_filename (dir, "accepted.pub", NULL);
  guint valid = 0, invalid = 0;

  for (guint iteration = 0; iteration < 4000; iteration++)
    {
      g_autoptr(GString) text = g_string_new (seeds[iteration % G_N_ELEMENTS (seeds)]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TwPublicKey) key = NULL;
      guint mutations = g_rand_int_range (rand, 1, 4);

      for (guint m = 0; m < mutations && text->len > 1; m++)
        {
          gsize at = g_rand_int_range (rand, 0, text->len);

          switch (g_rand_int_range (rand, 0, 5))
            {
            case 0: /* flip a bit, never into a NUL */
              text->str[at] ^= 1 << g_rand_int_range (rand, 0, 8);
              if (text->str[at] == '\0')
                text->str[at] = 'A';
              break;
            case 1: /* truncate */
              g_string_truncate (text, at);
              break;
            case 2: /* insert */
              if (g_rand_boolean (rand))
                g_string_insert_c (text, at, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);
              else
                g_string_insert_c (text, at, (char) g_rand_int_range (rand, 1, 256));
              break;
            case 3: /* delete */
              {
                gsize count = g_rand_int_range (rand, 1, 8);

                g_string_erase (text, at, MIN (count, text->len - at));
              }
              break;
            default: /* duplicate a stretch */
              {
                g_autofree char *stretch = g_strndup (text->str + at, g_rand_int_range (rand, 1, 40));
                g_string_insert (text, g_rand_int_range (rand, 0, text->len), stretch);
              }
            }
        }

      key = tw_public_key_parse (text->str, &error);
      if (key != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (g_str_has_prefix (tw_public_key_get_fingerprint (key), "SHA256:"));
          g_assert_cmpuint (strlen (tw_public_key_get_randomart (key)), ==, 11 * 20 - 1);
          g_assert_true (g_utf8_validate (tw_public_key_get_line (key), -1, NULL));
          valid++;

          /* What we accept, OpenSSH must accept too, as the same key. */
          if (valid % 4 == 0)
            {
              g_auto(KtOracle) oracle = { 0 };

              kt_write (checked_path, tw_public_key_get_line (key));
              kt_oracle (checked_path, &oracle);
              g_assert_cmpstr (oracle.fingerprint, ==, tw_public_key_get_fingerprint (key));
              g_assert_cmpuint (oracle.bits, ==, tw_public_key_get_bits (key));
            }
        }
      else
        {
          g_assert_error (error, TW_KEY_ERROR, error->code);
          g_assert_cmpint (error->code, <=, TW_KEY_ERROR_PRIVATE_KEY);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          invalid++;
        }
    }

  g_test_message ("%u mutated keys still valid, %u refused", valid, invalid);
  g_assert_cmpuint (valid, >, 0);
  g_assert_cmpuint (invalid, >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    g_free (seeds[i]);
  kt_rmdir (dir);
}

/* The window parses on every keystroke: a big key broken over many lines
 * must still be quick. The bound is generous; the measurement is logged. */
static void
test_parsing_is_quick (void)
{
  g_autofree char *dir = kt_tmpdir ();
  g_autofree char *rsa = kt_keygen (dir, "rsa", "rsa", 4096, NULL, NULL);
  g_autofree char *rsa_pub = g_strconcat (rsa, ".pub", NULL);
  const char *export_argv[] = { "ssh-keygen", "-e", "-f", rsa_pub, NULL };
  g_autofree char *pub = kt_read (rsa_pub);
  g_autofree char *rfc4716 = kt_run (export_argv);
  g_autoptr(GString) split = g_string_new (NULL);
  gint64 start;
  double per_parse_ms;

  /* Every 60 characters a line break, as a PDF or an e-mail would do. */
  for (gsize i = 0; pub[i] != '\0'; i++)
    {
      g_string_append_c (split, pub[i]);
      if (i % 60 == 59)
        g_string_append_c (split, '\n');
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(TwPublicKey) a = tw_public_key_parse (split->str, NULL);
      g_autoptr(TwPublicKey) b = tw_public_key_parse (rfc4716, NULL);

      g_assert_nonnull (a);
      g_assert_nonnull (b);
    }
  per_parse_ms = (g_get_monotonic_time () - start) / 600.0 / 1000.0;
  g_test_message ("RSA 4096 (split over lines, RFC 4716): %.3f ms per parse", per_parse_ms);
  g_assert_cmpfloat (per_parse_ms, <, 50.0);

  /* The worst shapes a paste can take: as many base64-looking pieces as
   * the size limit allows, and one endless base64 word. */
  {
    g_autoptr(GString) pieces = g_string_new ("ssh-rsa");
    g_autoptr(GString) word = g_string_new ("ssh-rsa ");
    g_autoptr(GError) error1 = NULL;
    g_autoptr(GError) error2 = NULL;

    while (pieces->len < 60 * 1024)
      g_string_append (pieces, " AAAA\nAAAA");
    while (word->len < 60 * 1024)
      g_string_append (word, "AAAA");

    start = g_get_monotonic_time ();
    g_assert_null (tw_public_key_parse (pieces->str, &error1));
    g_assert_null (tw_public_key_parse (word->str, &error2));
    per_parse_ms = (g_get_monotonic_time () - start) / 2.0 / 1000.0;
    g_test_message ("60 kB of base64-like text: %.3f ms per parse", per_parse_ms);
    g_assert_error (error1, TW_KEY_ERROR, TW_KEY_ERROR_CORRUPT);
    g_assert_error (error2, TW_KEY_ERROR, TW_KEY_ERROR_CORRUPT);
    g_assert_cmpfloat (per_parse_ms, <, 100.0);
  }

  kt_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/public-key/ssh-keygen/%s-%u", specs[i].type, specs[i].bits);

      g_test_add_data_func (path, &specs[i], test_oracle);
    }
  g_test_add_func ("/public-key/ssh-keygen/security-keys", test_security_keys);
  g_test_add_func ("/public-key/paste/crlf-and-blank-lines", test_crlf_and_blank_lines);
  g_test_add_func ("/public-key/paste/split-key-is-joined", test_split_key_is_joined);
  g_test_add_func ("/public-key/paste/options-kept-apart", test_options_kept_apart);
  g_test_add_func ("/public-key/paste/comments", test_comments);
  g_test_add_func ("/public-key/paste/rfc4716-headers", test_rfc4716_headers);
  g_test_add_func ("/public-key/properties-and-json", test_properties_and_json);
  g_test_add_func ("/public-key/randomart", test_randomart_direct);
  g_test_add_func ("/public-key/mutations", test_mutations);
  g_test_add_func ("/public-key/parsing-is-quick", test_parsing_is_quick);

  return g_test_run ();
}
