/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Help → the user guide opens: the app finds the guide installed, or in the
 * source tree when it runs from the build tree, in the user's language when
 * there is one, and every section the app links to exists in it. The same
 * installed-or-not question picks the translations' directory.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tw-core.h"

static const char *const sections[] = {
  "start", "key", "server", "prepare", "checks", "fingerprint", "tls", "summary",
  "reverse", "tunnel-check", "troubleshooting", "privacy",
};

typedef struct {
  char *root;
  char *installed;  /* a datadir */
  char *other;      /* a second datadir, later in $XDG_DATA_DIRS */
  char *source;     /* the source tree's help/ */
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_assert_no_errno (g_unlink (child));
    }
  g_assert_no_errno (g_rmdir (path));
}

/* Writes a guide and returns its file name. */
static char *
put_guide (const char *dir,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "index.html", NULL);

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
put_installed (const char *datadir,
               const char *language)
{
  g_autofree char *dir = g_build_filename (datadir, "help", language, "tunnel-wizard", NULL);

  return put_guide (dir, language);
}

static char *
put_source (const char *source,
            const char *language)
{
  g_autofree char *dir = g_build_filename (source, language, NULL);

  return put_guide (dir, language);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->root = g_dir_make_tmp ("tw-help-XXXXXX", &error);
  g_assert_no_error (error);
  f->installed = g_build_filename (f->root, "prefix", "share", NULL);
  f->other = g_build_filename (f->root, "usr", "share", NULL);
  f->source = g_build_filename (f->root, "src", "help", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->root);
  g_free (f->root);
  g_free (f->installed);
  g_free (f->other);
  g_free (f->source);
}

/* An installed app shows the installed guide, even when the source tree it
 * was built from is still on the disk. */
static void
test_installed_guide (Fixture       *f,
                      gconstpointer  data)
{
  const char *dirs[] = { f->installed, f->other, NULL };
  const char *languages[] = { "C", NULL };
  g_autofree char *installed = put_installed (f->installed, "C");
  g_autofree char *source G_GNUC_UNUSED = put_source (f->source, "C");
  g_autofree char *found = tw_help_locate (dirs, f->source, FALSE, languages);

  g_assert_cmpstr (found, ==, installed);
}

/* Installed in a prefix that is only in $XDG_DATA_DIRS. */
static void
test_later_data_dir (Fixture       *f,
                     gconstpointer  data)
{
  const char *dirs[] = { f->installed, f->other, NULL };
  const char *languages[] = { "C", NULL };
  g_autofree char *other = put_installed (f->other, "C");
  g_autofree char *found = tw_help_locate (dirs, NULL, FALSE, languages);

  g_assert_cmpstr (found, ==, other);
}

/* Run from the build tree, the guide being written wins over an older
 * installed one. */
static void
test_uninstalled_prefers_source (Fixture       *f,
                                 gconstpointer  data)
{
  const char *dirs[] = { f->installed, NULL };
  const char *languages[] = { "C", NULL };
  g_autofree char *installed G_GNUC_UNUSED = put_installed (f->installed, "C");
  g_autofree char *source = put_source (f->source, "C");
  g_autofree char *found = tw_help_locate (dirs, f->source, TRUE, languages);

  g_assert_cmpstr (found, ==, source);
}

/* Nothing installed: the source tree, wherever the program runs from. */
static void
test_source_fallback (Fixture       *f,
                      gconstpointer  data)
{
  const char *dirs[] = { f->installed, f->other, NULL };
  const char *languages[] = { "de_DE.UTF-8", "de_DE", "de", "C", NULL };
  g_autofree char *source = put_source (f->source, "C");
  g_autofree char *found = tw_help_locate (dirs, f->source, FALSE, languages);

  g_assert_cmpstr (found, ==, source);
}

/* A German user gets the German guide, even from a later data directory and
 * with an English one first in line; without a German one, the English. */
static void
test_language_first (Fixture       *f,
                     gconstpointer  data)
{
  const char *dirs[] = { f->installed, f->other, NULL };
  const char *german[] = { "de_DE.UTF-8", "de_DE", "de.UTF-8", "de", "C", NULL };
  const char *french[] = { "fr_FR.UTF-8", "fr_FR", "fr", "C", NULL };
  g_autofree char *english = put_installed (f->installed, "C");
  g_autofree char *deutsch = put_installed (f->other, "de");
  g_autofree char *for_german = tw_help_locate (dirs, NULL, FALSE, german);
  g_autofree char *for_french = tw_help_locate (dirs, NULL, FALSE, french);

  g_assert_cmpstr (for_german, ==, deutsch);
  g_assert_cmpstr (for_french, ==, english);
}

/* A language name from the environment cannot lead out of the help tree. */
static void
test_language_cannot_escape (Fixture       *f,
                             gconstpointer  data)
{
  const char *dirs[] = { f->installed, NULL };
  const char *languages[] = { "..", "../../src/help/C", ".", "", NULL };
  g_autofree char *planted_dir = g_build_filename (f->installed, "tunnel-wizard", NULL);
  g_autofree char *planted = NULL;
  g_autofree char *help_dir = g_build_filename (f->installed, "help", NULL);
  g_autofree char *found = NULL;

  /* DATADIR/help/../tunnel-wizard/index.html would be found by "..". */
  planted = put_guide (planted_dir, "planted");
  g_assert_no_errno (g_mkdir_with_parents (help_dir, 0755));
  found = tw_help_locate (dirs, f->source, FALSE, languages);

  g_assert_null (found);
}

static void
test_nothing_found (Fixture       *f,
                    gconstpointer  data)
{
  const char *dirs[] = { f->installed, f->other, NULL };
  const char *languages[] = { "C", NULL };
  g_autofree char *found = tw_help_locate (dirs, f->source, TRUE, languages);

  g_assert_null (found);
}

/* This test runs from the build tree, as the app does uninstalled: the
 * source tree's guide, as a URI gtk_show_uri() opens. */
static void
test_uri_from_build_tree (void)
{
  g_autofree char *expected_path = g_build_filename (SOURCE_ROOT, "help", "C", "index.html", NULL);
  g_autofree char *expected = g_filename_to_uri (expected_path, NULL, NULL);
  g_autofree char *uri = tw_help_uri ();

  g_assert_true (g_file_test (expected_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (uri, ==, expected);
}

/* Every section the app may link to is in the guide, and so is every
 * target of the guide's own table of contents. */
static void
test_sections_exist (void)
{
  g_autofree char *uri = tw_help_uri ();
  g_autofree char *path = g_filename_from_uri (uri, NULL, NULL);
  g_autofree char *html = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) href = g_regex_new ("href=\"#([^\"]+)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint links = 0;

  g_assert_nonnull (path);
  g_file_get_contents (path, &html, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *id = g_strdup_printf ("id=\"%s\"", sections[i]);
      g_autofree char *section_uri = tw_help_uri_for_section (sections[i]);
      g_autofree char *suffix = g_strconcat ("#", sections[i], NULL);

      g_assert_nonnull (strstr (html, id));
      g_assert_true (g_str_has_prefix (section_uri, uri));
      g_assert_true (g_str_has_suffix (section_uri, suffix));
    }

  g_regex_match (href, html, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL), links++)
    {
      g_autofree char *target = g_match_info_fetch (match, 1);
      g_autofree char *id = g_strdup_printf ("id=\"%s\"", target);

      g_assert_nonnull (strstr (html, id));
    }
  g_assert_cmpuint (links, >=, G_N_ELEMENTS (sections));
}

/* Run from the build tree (as this test is), the programs read the
 * catalogues meson compiled into BUILD_ROOT/po. */
static void
test_paths_build_tree (void)
{
  g_assert_true (tw_paths_running_uninstalled ());
  g_assert_cmpstr (tw_paths_locale_dir (), ==, BUILD_ROOT "/po");
}

/* A copy of this program outside the build tree counts as installed, and
 * reads the installed catalogues. The copy runs the next test. */
static void
test_paths_copy_is_installed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tw-paths-XXXXXX", &error);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  gsize length = 0;
  int status = 0;

  g_assert_no_error (error);
  copy = g_build_filename (dir, "test-help", NULL);
  g_file_get_contents (exe, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, contents, length, &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_chmod (copy, 0755));

  {
    const char *argv[] = { copy, "-p", "/paths/installed", NULL };
    g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "TW_TEST_AS_INSTALLED", "1", TRUE);

    g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  /* It ran the test rather than skipping it. */
  g_assert_nonnull (strstr (out, "/paths/installed: OK"));

  g_assert_no_errno (g_unlink (copy));
  g_assert_no_errno (g_rmdir (dir));
}

static void
test_paths_installed (void)
{
  if (g_getenv ("TW_TEST_AS_INSTALLED") == NULL)
    {
      g_test_skip ("run by /paths/copy-is-installed");
      return;
    }
  g_assert_false (tw_paths_running_uninstalled ());
  g_assert_cmpstr (tw_paths_locale_dir (), ==, LOCALEDIR);
  g_print ("/paths/installed: OK\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/help/locate/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("installed", test_installed_guide);
  ADD ("later-data-dir", test_later_data_dir);
  ADD ("uninstalled-prefers-source", test_uninstalled_prefers_source);
  ADD ("source-fallback", test_source_fallback);
  ADD ("language-first", test_language_first);
  ADD ("language-cannot-escape", test_language_cannot_escape);
  ADD ("nothing", test_nothing_found);
#undef ADD
  g_test_add_func ("/help/uri/build-tree", test_uri_from_build_tree);
  g_test_add_func ("/help/uri/sections", test_sections_exist);
  g_test_add_func ("/paths/build-tree", test_paths_build_tree);
  g_test_add_func ("/paths/copy-is-installed", test_paths_copy_is_installed);
  g_test_add_func ("/paths/installed", test_paths_installed);

  return g_test_run ();
}
