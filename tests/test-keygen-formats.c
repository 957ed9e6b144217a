/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private keys for services that ask for one, in the format they read: tunnel-check keygen
 * writes OpenSSH, PKCS#1 and PKCS#8 keys (0600, never on standard output) and
 * tw_private_key_convert() turns ssh-keygen's own keys into them. ssh-keygen -y and openssl
 * pkey are the oracles: the file must give back the public key that was printed.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "tw-keypair.h"
#include "tw-private-key-format.h"
#include "tw-test-files.h"

/* Runs argv; returns the exit status, standard output in @out (binary-safe as bytes). */
static int
run (GBytes            **out,
     char              **err,
     const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err_bytes = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, out, &err_bytes, &error);
  g_assert_no_error (error);
  if (err != NULL)
    *err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static char *
bytes_to_string (GBytes *bytes)
{
  return g_strstrip (g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
}

/* "type base64" of a public key line, without its comment. */
static char *
key_without_comment (const char *line)
{
  g_auto(GStrv) parts = g_strsplit (line, " ", 3);

  g_assert_nonnull (parts[0]);
  g_assert_nonnull (parts[1]);
  return g_strdup_printf ("%s %s", parts[0], parts[1]);
}

/* The private key file must hold the same key as @public_line, by the oracles that read it. */
static void
assert_file_holds (const char *path,
                   const char *public_line,
                   const char *type)
{
  g_autofree char *expected = key_without_comment (public_line);
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  const char *pem_check[] = { "openssl", "pkey", "-in", path, "-noout", NULL };
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  /* openssl reads the PEM formats and refuses OpenSSH's own. */
  if (g_str_has_prefix (text, "-----BEGIN OPENSSH"))
    g_assert_cmpint (run (&out, &err, pem_check), !=, 0);
  else
    g_assert_cmpint (run (&out, &err, pem_check), ==, 0);
  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&err, g_free);

  if (g_str_equal (type, "ed25519") && !g_str_has_prefix (text, "-----BEGIN OPENSSH"))
    {
      /* OpenSSH 9.2's ssh-keygen reads no Ed25519 PKCS#8: compare the raw 32-byte public
       * key openssl derives with the end of the SSH public key blob. */
      g_auto(GStrv) parts = g_strsplit (public_line, " ", 3);
      gsize blob_len;
      g_autofree guchar *blob = g_base64_decode (parts[1], &blob_len);
      gsize der_len;
      const guchar *der;

      g_assert_cmpint (run (&out, &err, (const char *[]) { "openssl", "pkey", "-in", path, "-pubout", "-outform", "DER", NULL }), ==, 0);
      der = g_bytes_get_data (out, &der_len);
      g_assert_cmpuint (der_len, >=, 32);
      g_assert_cmpuint (blob_len, >=, 32);
      g_assert_cmpmem (der + der_len - 32, 32, blob + blob_len - 32, 32);
    }
  else
    {
      g_autofree char *derived = NULL, *derived_key = NULL;

      g_assert_cmpint (run (&out, &err, (const char *[]) { "ssh-keygen", "-y", "-f", path, NULL }), ==, 0);
      derived = bytes_to_string (out);
      derived_key = key_without_comment (derived);
      g_assert_cmpstr (derived_key, ==, expected);
    }
}

static void
test_cli_formats (void)
{
  static const struct { const char *type, *format, *header; } cases[] = {
    { "ed25519", "openssh", "-----BEGIN OPENSSH PRIVATE KEY-----" },
    { "ed25519", "pkcs8", "-----BEGIN PRIVATE KEY-----" },
    { "rsa", "pkcs1", "-----BEGIN RSA PRIVATE KEY-----" },
    { "rsa", "pkcs8", "-----BEGIN PRIVATE KEY-----" },
    { NULL, "pkcs1", "-----BEGIN RSA PRIVATE KEY-----" },      /* PKCS#1 alone means RSA */
  };
  const char *tunnel_check = g_getenv ("TUNNEL_CHECK");
  g_autofree char *tmp = g_dir_make_tmp ("tw-keygen-XXXXXX", NULL);

  g_assert_nonnull (tunnel_check);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("key-%zu", i);
      g_autofree char *path = g_build_filename (tmp, name, NULL);
      g_autoptr(GBytes) out = NULL;
      g_autofree char *err = NULL, *public_line = NULL, *text = NULL;
      GStatBuf st;
      int status;

      g_test_message ("%s %s", cases[i].type ? cases[i].type : "(default)", cases[i].format);
      if (cases[i].type != NULL)
        status = run (&out, &err, (const char *[]) { tunnel_check, "keygen", "--type", cases[i].type, "--private-format",
                                                    cases[i].format, "--output", path, "-C", "etl@example", NULL });
      else
        status = run (&out, &err, (const char *[]) { tunnel_check, "keygen", "--private-format", cases[i].format,
                                                    "--output", path, NULL });
      g_assert_cmpint (status, ==, 0);
      public_line = bytes_to_string (out);
      /* Standard output holds the public key and nothing of the private one. */
      g_assert_null (strstr (public_line, "PRIVATE"));
      g_assert_null (strstr (err, "PRIVATE KEY"));
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_assert_true (g_str_has_prefix (text, cases[i].header));
      assert_file_holds (path, public_line, cases[i].type ? cases[i].type : "rsa");
      if (cases[i].type != NULL && g_str_equal (cases[i].type, "rsa"))
        g_assert_true (g_str_has_prefix (public_line, "ssh-rsa "));
    }
  tw_test_remove_tree (tmp);
}

static void
test_cli_refused (void)
{
  static const char *const refused[][2] = {
    { "ed25519", "pkcs1" },          /* PKCS#1 is RSA's own format */
    { "rsa", "openssh" },            /* libssh writes RSA in PEM formats only */
    { "dsa", "pkcs8" },
    { "ed25519", "ppk" },
  };
  const char *tunnel_check = g_getenv ("TUNNEL_CHECK");
  g_autofree char *tmp = g_dir_make_tmp ("tw-keygen-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "key", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GBytes) out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run (&out, &err, (const char *[]) { tunnel_check, "keygen", "--type", refused[i][0],
                                                          "--private-format", refused[i][1], "--output", path, NULL }), ==, 2);
      g_assert_cmpstr (err, !=, "");
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  {
    g_autoptr(GBytes) out = NULL;
    g_autofree char *err = NULL;

    /* No --output: the private key is never printed instead. */
    g_assert_cmpint (run (&out, &err, (const char *[]) { tunnel_check, "keygen", NULL }), ==, 2);
    g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  }
  tw_test_remove_tree (tmp);
}

/* Keys ssh-keygen made, converted by the core: each format gives back ssh-keygen's key. */
static void
test_convert_ssh_keygen_keys (void)
{
  static const char *const types[] = { "ed25519", "rsa" };
  g_autofree char *tmp = g_dir_make_tmp ("tw-keyconv-XXXXXX", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *path = g_build_filename (tmp, types[i], NULL);
      g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
      g_autofree char *private_text = NULL, *public_line = NULL;
      g_autoptr(GBytes) out = NULL;

      g_assert_cmpint (run (&out, NULL, (const char *[]) { "ssh-keygen", "-q", "-t", types[i], "-N", "", "-f", path, NULL }), ==, 0);
      g_assert_true (g_file_get_contents (path, &private_text, NULL, NULL));
      g_assert_true (g_file_get_contents (pub_path, &public_line, NULL, NULL));
      g_strstrip (public_line);

      for (TwPrivateKeyFormat format = TW_PRIVATE_KEY_FORMAT_OPENSSH; format <= TW_PRIVATE_KEY_FORMAT_PKCS8; format++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *out_path = g_strdup_printf ("%s.%s", path, tw_private_key_format_to_string (format));
          char *converted = tw_private_key_convert (private_text, format, &error);
          gboolean expect_ok = g_str_equal (types[i], "ed25519") ? format != TW_PRIVATE_KEY_FORMAT_PKCS1
                                                                 : format == TW_PRIVATE_KEY_FORMAT_OPENSSH;

          /* ssh-keygen writes RSA keys in the OpenSSH format, which the core converts only for
           * Ed25519: it refuses rather than guess. */
          g_test_message ("%s → %s: %s", types[i], tw_private_key_format_to_string (format), error ? error->message : "ok");
          if (!expect_ok)
            {
              g_assert_null (converted);
              g_assert_error (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_INVALID);
              continue;
            }
          g_assert_no_error (error);
          g_assert_true (g_file_set_contents_full (out_path, converted, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
          tw_keypair_free_secret (converted);
          assert_file_holds (out_path, public_line, types[i]);
        }
    }
  tw_test_remove_tree (tmp);
}

static void
test_convert_refuses (void)
{
  static const char *const inputs[] = {
    "",
    "not a key",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
  };
  g_autofree char *tmp = g_dir_make_tmp ("tw-keyconv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "locked", NULL);
  g_autofree char *locked = NULL;
  g_autoptr(GBytes) out = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (tw_private_key_convert (inputs[i], TW_PRIVATE_KEY_FORMAT_PKCS8, &error));
      g_assert_error (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_INVALID);
    }
  /* A key with a passphrase cannot be converted without it. */
  g_assert_cmpint (run (&out, NULL, (const char *[]) { "ssh-keygen", "-q", "-t", "ed25519", "-N", "secret phrase", "-f", path, NULL }), ==, 0);
  g_assert_true (g_file_get_contents (path, &locked, NULL, NULL));
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (tw_private_key_convert (locked, TW_PRIVATE_KEY_FORMAT_PKCS8, &error));
    g_assert_error (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_INVALID);
  }
  tw_test_remove_tree (tmp);
}

/* A service that wants the private key: --service picks its format (and RSA for PKCS#1). */
static void
test_cli_service_format (void)
{
  g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "..", "data", "presets", NULL);
  g_autofree char *fivetran = g_build_filename (data_dir, "fivetran.preset", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("tw-keygen-preset-XXXXXX", NULL);
  g_autofree char *presets = g_build_filename (tmp, "presets", NULL);
  g_autofree char *preset_path = g_build_filename (presets, "legacy-etl.preset", NULL);
  g_autofree char *key_path = g_build_filename (tmp, "key", NULL);
  g_autofree char *good = NULL, *text = NULL, *public_line = NULL, *err = NULL;
  g_autoptr(GString) preset = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (fivetran, &good, NULL, NULL));
  preset = g_string_new (good);
  g_string_replace (preset, "KeyMaker=service", "KeyMaker=you", 1);
  g_string_replace (preset, "PrivateKeyFormat=none", "PrivateKeyFormat=pkcs1", 1);
  g_assert_cmpint (g_mkdir_with_parents (presets, 0700), ==, 0);
  g_assert_true (g_file_set_contents (preset_path, preset->str, -1, NULL));

  g_subprocess_launcher_setenv (launcher, "TW_PRESETS_DIR", presets, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TUNNEL_CHECK"), "keygen", "--service", "legacy-etl",
                                         "--output", key_path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &public_line, &err, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_true (g_file_get_contents (key_path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "-----BEGIN RSA PRIVATE KEY-----"));
  g_strstrip (public_line);
  g_assert_true (g_str_has_prefix (public_line, "ssh-rsa "));
  assert_file_holds (key_path, public_line, "rsa");
  tw_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/keygen/cli-formats", test_cli_formats);
  g_test_add_func ("/keygen/cli-refused", test_cli_refused);
  g_test_add_func ("/keygen/cli-service-format", test_cli_service_format);
  g_test_add_func ("/keygen/convert-ssh-keygen-keys", test_convert_ssh_keygen_keys);
  g_test_add_func ("/keygen/convert-refuses", test_convert_refuses);
  return g_test_run ();
}
