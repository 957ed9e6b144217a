/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the admin might paste instead of one good public key, and the plain
 * answer each gets: one TwKeyError code per mistake. A private key pasted
 * by mistake is refused and no slice of it survives in what is returned.
 */
#include "config.h"

#include "tw-core.h"
#include "key-test-util.h"

static const char *ed25519_base64 =
  "AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpiElp6";

static void
assert_refused (const char *text,
                TwKeyError  code)
{
  g_autoptr(GError) error = NULL;
  TwPublicKey *key = tw_public_key_parse (text, &error);

  if (key != NULL)
    g_error ("accepted as a key: %s", text);
  g_assert_error (error, TW_KEY_ERROR, (gint) code);
  g_assert_cmpstr (error->message, !=, "");
  g_test_message ("%s", error->message);
}

/* An SSH wire-format blob from its fields, for keys ssh-keygen cannot make. */
static char *
blob_base64 (const char *first,
             ...)
{
  g_autoptr(GByteArray) blob = g_byte_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *field = first; field != NULL; field = va_arg (args, const char *))
    {
      gsize len = va_arg (args, gsize);
      guint8 be[4] = { len >> 24, len >> 16, len >> 8, len };

      g_byte_array_append (blob, be, 4);
      g_byte_array_append (blob, (const guint8 *) field, len);
    }
  va_end (args);

  return g_base64_encode (blob->data, blob->len);
}

#define FIELD(s) (s), (gsize) strlen (s)

static void
test_empty (void)
{
  assert_refused ("", TW_KEY_ERROR_EMPTY);
  assert_refused (" \r\n\t\n  \n", TW_KEY_ERROR_EMPTY);
  assert_refused (NULL, TW_KEY_ERROR_EMPTY);
}

static void
test_not_a_key (void)
{
  g_autofree char *preamble = g_strdup_printf ("Your public key:\nssh-ed25519 %s", ed25519_base64);

  assert_refused ("hello world", TW_KEY_ERROR_NOT_A_KEY);
  assert_refused ("# only a comment\n#another", TW_KEY_ERROR_NOT_A_KEY);
  assert_refused (ed25519_base64, TW_KEY_ERROR_NOT_A_KEY);
  assert_refused ("SHA256:NcjjyqQSjMr+lWWDZe16cccSMJXaGUPrGNRwNgWjj+o", TW_KEY_ERROR_NOT_A_KEY);
  assert_refused ("from=\"unbalanced ssh-ed25519 AAAA", TW_KEY_ERROR_NOT_A_KEY);
  assert_refused (preamble, TW_KEY_ERROR_NOT_A_KEY);
}

static void
test_several_keys (void)
{
  g_autofree char *two_lines = g_strdup_printf ("ssh-ed25519 %s a\nssh-ed25519 %s b\n",
                                                ed25519_base64, ed25519_base64);
  g_autofree char *block = g_strdup_printf ("---- BEGIN SSH2 PUBLIC KEY ----\n%s\n"
                                            "---- END SSH2 PUBLIC KEY ----\n", ed25519_base64);
  g_autofree char *two_blocks = g_strconcat (block, block, NULL);
  g_autofree char *block_and_line = g_strdup_printf ("%sssh-ed25519 %s\n", block, ed25519_base64);
  g_autofree char *line_and_block = g_strdup_printf ("ssh-ed25519 %s\n%s", ed25519_base64, block);
  g_autofree char *with_options = g_strdup_printf ("ssh-ed25519 %s\nno-pty ssh-ed25519 %s\n",
                                                   ed25519_base64, ed25519_base64);

  assert_refused (two_lines, TW_KEY_ERROR_SEVERAL_KEYS);
  assert_refused (two_blocks, TW_KEY_ERROR_SEVERAL_KEYS);
  assert_refused (block_and_line, TW_KEY_ERROR_SEVERAL_KEYS);
  assert_refused (line_and_block, TW_KEY_ERROR_SEVERAL_KEYS);
  assert_refused (with_options, TW_KEY_ERROR_SEVERAL_KEYS);
}

static void
test_corrupt (void)
{
  g_autofree char *truncated = g_strdup_printf ("ssh-ed25519 %.*s me@host", 60, ed25519_base64);
  g_autofree char *junk = g_strdup_printf ("ssh-ed25519 %s", ed25519_base64);
  g_autofree char *short_key = blob_base64 (FIELD ("ssh-ed25519"), "0123456789012345678901234567890", (gsize) 31, NULL);
  g_autofree char *trailing = blob_base64 (FIELD ("ssh-ed25519"), FIELD ("01234567890123456789012345678901"),
                                           FIELD ("extra"), NULL);
  g_autofree char *no_application = blob_base64 (FIELD ("sk-ssh-ed25519@openssh.com"),
                                                 FIELD ("01234567890123456789012345678901"), NULL);
  g_autofree char *ed_short = g_strdup_printf ("ssh-ed25519 %s", short_key);
  g_autofree char *ed_trailing = g_strdup_printf ("ssh-ed25519 %s", trailing);
  g_autofree char *sk_bare = g_strdup_printf ("sk-ssh-ed25519@openssh.com %s", no_application);
  g_autofree char *no_end = g_strdup_printf ("---- BEGIN SSH2 PUBLIC KEY ----\n%s\n", ed25519_base64);
  g_autofree char *padded = g_strdup_printf ("ssh-ed25519 %s==", ed25519_base64);

  junk[30] = '!';
  assert_refused (truncated, TW_KEY_ERROR_CORRUPT);
  assert_refused (junk, TW_KEY_ERROR_CORRUPT);
  assert_refused (padded, TW_KEY_ERROR_CORRUPT);
  assert_refused (ed_short, TW_KEY_ERROR_CORRUPT);
  assert_refused (ed_trailing, TW_KEY_ERROR_CORRUPT);
  assert_refused (sk_bare, TW_KEY_ERROR_CORRUPT);
  assert_refused (no_end, TW_KEY_ERROR_CORRUPT);
  assert_refused ("ssh-ed25519", TW_KEY_ERROR_CORRUPT);
}

/* Damage ssh-keygen finds too: an ECDSA point off its curve; base64 whose
 * padding bits are not zero (g_base64_decode() would not notice). */
static void
test_corrupt_generated (void)
{
  g_autofree char *dir = kt_tmpdir ();
  g_autofree char *path = kt_keygen (dir, "ecdsa", "ecdsa", 256, NULL, NULL);
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
  g_autofree char *pub = kt_read (pub_path);
  g_auto(GStrv) parts = g_strsplit (pub, " ", 3);
  gsize len = 0;
  g_autofree guchar *blob = g_base64_decode (parts[1], &len);
  g_autofree char *damaged = NULL;
  g_autofree char *text = NULL;

  g_autofree char *bad_padding = NULL;
  char *last;

  /* A 104-byte blob: one padding character; the one before it carries two
   * bits that must be zero. */
  g_assert_cmpuint (len, ==, 104);
  last = strchr (parts[1], '=');
  g_assert_nonnull (last);
  last[-1] = last[-1] == 'z' ? '0' : last[-1] + 1;
  bad_padding = g_strdup_printf ("ecdsa-sha2-nistp256 %s", parts[1]);
  assert_refused (bad_padding, TW_KEY_ERROR_CORRUPT);
  {
    gsize lenient_len = 0;
    g_autofree guchar *lenient = g_base64_decode (parts[1], &lenient_len);

    g_assert_cmpmem (lenient, lenient_len, blob, len);
  }

  /* The last byte of the point's Y coordinate. */
  blob[len - 1] ^= 0x01;
  damaged = g_base64_encode (blob, len);
  text = g_strdup_printf ("ecdsa-sha2-nistp256 %s", damaged);
  assert_refused (text, TW_KEY_ERROR_CORRUPT);

  kt_write (pub_path, text);
  {
    const char *argv[] = { "ssh-keygen", "-l", "-f", pub_path, NULL };
    int status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                  G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL);
    g_assert_false (g_spawn_check_wait_status (status, NULL));
  }

  kt_rmdir (dir);
}

static void
test_type_mismatch (void)
{
  g_autofree char *dir = kt_tmpdir ();
  g_autofree char *path = kt_keygen (dir, "ecdsa", "ecdsa", 256, NULL, NULL);
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
  g_autofree char *pub = kt_read (pub_path);
  g_auto(GStrv) parts = g_strsplit (pub, " ", 3);
  g_autofree char *rsa_label = g_strdup_printf ("ssh-rsa %s", ed25519_base64);
  g_autofree char *sk_label = g_strdup_printf ("sk-ssh-ed25519@openssh.com %s", ed25519_base64);
  g_autofree char *curve = g_strdup_printf ("ecdsa-sha2-nistp384 %s", parts[1]);
  g_autofree char *wrong_curve_blob = blob_base64 (FIELD ("ecdsa-sha2-nistp256"), FIELD ("nistp384"),
                                                   FIELD ("\x04" "whatever"), NULL);
  g_autofree char *wrong_curve = g_strdup_printf ("ecdsa-sha2-nistp256 %s", wrong_curve_blob);

  assert_refused (rsa_label, TW_KEY_ERROR_TYPE_MISMATCH);
  assert_refused (sk_label, TW_KEY_ERROR_TYPE_MISMATCH);
  assert_refused (curve, TW_KEY_ERROR_TYPE_MISMATCH);
  assert_refused (wrong_curve, TW_KEY_ERROR_TYPE_MISMATCH);

  kt_rmdir (dir);
}

static void
test_dsa (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "keys", "dsa.pub", NULL);
  g_autofree char *text = kt_read (path);
  g_auto(GStrv) parts = g_strsplit (text, " ", 3);
  g_autofree char *block = g_strdup_printf ("---- BEGIN SSH2 PUBLIC KEY ----\n%s\n"
                                            "---- END SSH2 PUBLIC KEY ----\n", parts[1]);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPublicKey) key = tw_public_key_parse (text, &error);

  g_assert_null (key);
  g_assert_error (error, TW_KEY_ERROR, TW_KEY_ERROR_DSA);
  g_assert_nonnull (strstr (error->message, "7.0"));
  assert_refused (block, TW_KEY_ERROR_DSA);
}

static void
test_unsupported (void)
{
  g_autofree char *dir = kt_tmpdir ();
  g_autofree char *path = kt_keygen (dir, "rsa", "rsa", 1024, NULL, NULL);
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
  const char *pkcs8_argv[] = { "ssh-keygen", "-e", "-m", "PKCS8", "-f", pub_path, NULL };
  g_autofree char *pkcs8 = kt_run (pkcs8_argv);
  g_autofree char *cert = g_strdup_printf ("ssh-ed25519-cert-v01@openssh.com %s", ed25519_base64);
  g_autofree char *other = g_strdup_printf ("ssh-ed448 %s", ed25519_base64);
  /* A 768-bit modulus: OpenSSH refuses anything under 1024. */
  g_autofree char *modulus = g_strnfill (96, 'A');
  g_autofree char *small_blob = blob_base64 (FIELD ("ssh-rsa"), "\x01\x00\x01", (gsize) 3, FIELD (modulus), NULL);
  g_autofree char *small_rsa = g_strdup_printf ("ssh-rsa %s", small_blob);

  g_assert_true (g_str_has_prefix (pkcs8, "-----BEGIN PUBLIC KEY-----"));
  assert_refused (pkcs8, TW_KEY_ERROR_UNSUPPORTED);
  assert_refused (cert, TW_KEY_ERROR_UNSUPPORTED);
  assert_refused (other, TW_KEY_ERROR_UNSUPPORTED);
  assert_refused (small_rsa, TW_KEY_ERROR_UNSUPPORTED);

  kt_rmdir (dir);
}

/* A private key is refused with its own code, and nothing returned holds a
 * slice of it: not the error message, not a key object. */
static void
assert_private_refused (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPublicKey) key = tw_public_key_parse (text, &error);

  g_assert_null (key);
  g_assert_error (error, TW_KEY_ERROR, TW_KEY_ERROR_PRIVATE_KEY);
  g_assert_nonnull (strstr (error->message, "never leave"));
  kt_assert_no_secret (error->message, text);
}

static void
test_private_keys (void)
{
  static const struct {
    const char *type;
    guint       bits;
    const char *format;
    const char *passphrase;
    const char *marker;
  } cases[] = {
    { "ed25519", 0, NULL, NULL, "-----BEGIN OPENSSH PRIVATE KEY-----" },
    { "rsa", 2048, NULL, "a passphrase", "-----BEGIN OPENSSH PRIVATE KEY-----" },
    { "rsa", 2048, "PEM", NULL, "-----BEGIN RSA PRIVATE KEY-----" },
    { "rsa", 2048, "PEM", "a passphrase", "Proc-Type: 4,ENCRYPTED" },
    { "ecdsa", 256, "PEM", NULL, "-----BEGIN EC PRIVATE KEY-----" },
    { "dsa", 0, "PEM", NULL, "-----BEGIN DSA PRIVATE KEY-----" },
    { "rsa", 2048, "PKCS8", NULL, "-----BEGIN PRIVATE KEY-----" },
    { "rsa", 2048, "PKCS8", "a passphrase", "-----BEGIN ENCRYPTED PRIVATE KEY-----" },
  };
  g_autofree char *dir = kt_tmpdir ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("key%u", i);
      g_autofree char *path = kt_keygen (dir, name, cases[i].type, cases[i].bits,
                                         cases[i].format, cases[i].passphrase);
      g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
      g_autofree char *secret = kt_read (path);
      g_autofree char *pub = kt_read (pub_path);
      g_autofree char *both = g_strconcat (pub, secret, NULL);
      g_auto(GStrv) lines = g_strsplit (secret, "\n", -1);
      g_autoptr(GString) body = g_string_new (NULL);
      g_autoptr(GString) tail = g_string_new (NULL);
      guint n_lines = g_strv_length (lines);

      g_test_message ("%s %u %s", cases[i].type, cases[i].bits, cases[i].marker);
      g_assert_nonnull (strstr (secret, cases[i].marker));

      assert_private_refused (secret);
      /* Pasted together with its public half. */
      assert_private_refused (both);

      /* Only the lower half, END line included, as a careless selection
       * would copy it. */
      for (guint l = n_lines / 2; l < n_lines; l++)
        g_string_append_printf (tail, "%s\n", lines[l]);
      assert_private_refused (tail->str);

      /* The base64 body of an OpenSSH key, without BEGIN/END lines. */
      if (cases[i].format == NULL)
        {
          for (guint l = 1; l + 2 < n_lines; l++)
            g_string_append_printf (body, "%s\n", lines[l]);
          assert_private_refused (body->str);
        }
    }

  kt_rmdir (dir);
}

static void
test_putty_private_key (void)
{
  static const char *ppk =
    "PuTTY-User-Key-File-3: ssh-ed25519\r\n"
    "Encryption: none\r\n"
    "Comment: ed25519-key-20240101\r\n"
    "Public-Lines: 2\r\n"
    "AAAAC3NzaC1lZDI1NTE5AAAAILdrMQXamkZXSSDMCOsDG+5ktJr73wVeeYk1LVpi\r\n"
    "Elp6\r\n"
    "Private-Lines: 1\r\n"
    "AAAAIHdKc2xqZGZoc2tqZGhma2pzZGhma2pzaGRma2pzaGRma2po\r\n"
    "Private-MAC: 5b1e3f0a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f\r\n";
  static const char *ppk2_private_part =
    "Private-Lines: 1\n"
    "AAAAIHdKc2xqZGZoc2tqZGhma2pzZGhma2pzaGRma2pzaGRma2po\n"
    "Private-MAC: 0123456789abcdef0123456789abcdef01234567\n";

  assert_private_refused (ppk);
  assert_private_refused (ppk2_private_part);
  assert_private_refused ("PuTTY-User-Key-File-2: ssh-rsa\nEncryption: aes256-cbc\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/public-key/refused/empty", test_empty);
  g_test_add_func ("/public-key/refused/not-a-key", test_not_a_key);
  g_test_add_func ("/public-key/refused/several-keys", test_several_keys);
  g_test_add_func ("/public-key/refused/corrupt", test_corrupt);
  g_test_add_func ("/public-key/refused/corrupt-like-ssh-keygen", test_corrupt_generated);
  g_test_add_func ("/public-key/refused/type-mismatch", test_type_mismatch);
  g_test_add_func ("/public-key/refused/dsa", test_dsa);
  g_test_add_func ("/public-key/refused/unsupported", test_unsupported);
  g_test_add_func ("/public-key/refused/private-keys", test_private_keys);
  g_test_add_func ("/public-key/refused/putty-private-key", test_putty_private_key);

  return g_test_run ();
}
