/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the key tests: ssh-keygen as the oracle, throwaway directories,
 * and the check that no slice of a secret leaked into some text.
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

/* Runs a command that must succeed; returns its standard output. Not
 * inlined: GCC 12 then mistakes the returned buffer for a dangling local. */
G_GNUC_NO_INLINE G_GNUC_UNUSED static char *
kt_run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return out;
}

static inline char *
kt_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tw-keys-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
kt_rmdir (const char *dir)
{
  const char *argv[] = { "rm", "-rf", "--", dir, NULL };

  g_free (kt_run (argv));
}

static inline char *
kt_read (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static inline void
kt_write (const char *path,
          const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Generates DIR/NAME (private) and DIR/NAME.pub with ssh-keygen; @bits 0
 * means the type's default; @format is "PEM", "PKCS8" or NULL. */
static inline char *
kt_keygen (const char *dir,
           const char *name,
           const char *type,
           guint       bits,
           const char *format,
           const char *passphrase)
{
  g_autofree char *bits_text = g_strdup_printf ("%u", bits);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  char *path = g_build_filename (dir, name, NULL);

  g_ptr_array_add (argv, (char *) "ssh-keygen");
  g_ptr_array_add (argv, (char *) "-q");
  g_ptr_array_add (argv, (char *) "-t");
  g_ptr_array_add (argv, (char *) type);
  if (bits != 0)
    {
      g_ptr_array_add (argv, (char *) "-b");
      g_ptr_array_add (argv, bits_text);
    }
  if (format != NULL)
    {
      g_ptr_array_add (argv, (char *) "-m");
      g_ptr_array_add (argv, (char *) format);
    }
  g_ptr_array_add (argv, (char *) "-N");
  g_ptr_array_add (argv, (char *) (passphrase ? passphrase : ""));
  g_ptr_array_add (argv, (char *) "-C");
  g_ptr_array_add (argv, (char *) name);
  g_ptr_array_add (argv, (char *) "-f");
  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, NULL);

  g_free (kt_run ((const char * const *) argv->pdata));
  return path;
}

typedef struct {
  guint  bits;
  char  *fingerprint;
  char  *comment;
  char  *label;
  char  *randomart;
} KtOracle;

static inline void
kt_oracle_clear (KtOracle *oracle)
{
  g_free (oracle->fingerprint);
  g_free (oracle->comment);
  g_free (oracle->label);
  g_free (oracle->randomart);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KtOracle, kt_oracle_clear)

/* What ssh-keygen -lv says about a public key file: the first line is
 * "BITS SHA256:… COMMENT (LABEL)", the picture follows. */
static inline void
kt_oracle (const char *pub_path,
           KtOracle   *oracle)
{
  const char *argv[] = { "ssh-keygen", "-l", "-v", "-f", pub_path, NULL };
  g_autofree char *out = kt_run (argv);
  g_auto(GStrv) parts = g_strsplit (out, "\n", 2);
  char *first = parts[0];
  char *space;
  char *paren;

  g_assert_nonnull (parts[1]);
  oracle->randomart = g_strchomp (g_strdup (parts[1]));

  oracle->bits = strtoul (first, &space, 10);
  g_assert_cmpint (*space, ==, ' ');
  first = space + 1;
  space = strchr (first, ' ');
  g_assert_nonnull (space);
  oracle->fingerprint = g_strndup (first, space - first);
  paren = strrchr (space, '(');
  g_assert_nonnull (paren);
  oracle->label = g_strndup (paren + 1, strlen (paren + 1) - 1);
  oracle->comment = g_strndup (space + 1, paren - space - 1);
  g_strstrip (oracle->comment);
}

/* No 16-character slice of any line of @secret may appear in @text. */
static inline void
kt_assert_no_secret (const char *text,
                     const char *secret)
{
  g_auto(GStrv) lines = g_strsplit (secret, "\n", -1);

  if (text == NULL)
    return;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      gsize len = strlen (line);

      for (gsize start = 0; start + 16 <= len; start++)
        {
          g_autofree char *slice = g_strndup (line + start, 16);

          if (strstr (text, slice) != NULL)
            g_error ("a slice of the secret (“%s”) leaked into: %s", slice, text);
        }
    }
}
