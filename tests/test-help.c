/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Help → the user guide opens: the app finds the guide installed, or in the
 * source tree when it runs from the build tree, in the user's language when
 * there is one (test-help-guide.c checks what is in the guides). The same
 * installed-or-not question picks the translations' directory.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tw-core.h"
#include "tw-test-files.h"

typedef struct {
  char *root;
  char *installed;  /* a datadir */
  char *other;      /* a second datadir, later in $XDG_DATA_DIRS */
  char *source;     /* the source tree's help/ */
} Fixture;

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
  g_assert_true (tw_test_remove_tree (f->root));
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

static char *
source_guide (const char *language)
{
  return g_build_filename (SOURCE_ROOT, "help", language, "index.html", NULL);
}

/* The environment picks the language, as a desktop session sets it: the
 * guide tw_help_uri() gives for it, as a file name. */
static char *
guide_for_environment (const char *language,
                       const char *lc_all)
{
  g_autofree char *uri = NULL;

  /* g_get_language_names() reads these afresh whenever they change. */
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  if (lc_all != NULL)
    g_setenv ("LC_ALL", lc_all, TRUE);
  else
    g_unsetenv ("LC_ALL");
  uri = tw_help_uri ();
  return g_filename_from_uri (uri, NULL, NULL);
}

/* This test runs from the build tree, as the app does uninstalled: the
 * source tree's guide, as a URI gtk_show_uri() opens. */
static void
test_uri_from_build_tree (void)
{
  g_autofree char *expected_path = source_guide ("C");
  g_autofree char *expected = g_filename_to_uri (expected_path, NULL, NULL);
  g_autofree char *uri = NULL;

  g_setenv ("LANGUAGE", "C", TRUE);
  uri = tw_help_uri ();
  g_assert_true (g_file_test (expected_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (uri, ==, expected);
}

/* A German desktop gets the German guide, however the session names the
 * language; any other language the English one. */
static void
test_uri_german (void)
{
  g_autofree char *german = source_guide ("de");
  g_autofree char *english = source_guide ("C");
  g_autofree char *saved_lc_all = g_strdup (g_getenv ("LC_ALL"));
  struct { const char *language, *lc_all, *expected; } cases[] = {
    { "de", NULL, german },
    { "de_DE.UTF-8", NULL, german },
    { "fr:de", NULL, german },                 /* no French guide: the next language */
    { NULL, "de_AT.UTF-8", german },           /* from the locale alone */
    { "xx_YY", "de_DE.UTF-8", english },       /* LANGUAGE wins, and has no guide */
    { "fr_FR.UTF-8", NULL, english },
    { NULL, "C.UTF-8", english },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *found = guide_for_environment (cases[i].language, cases[i].lc_all);

      g_test_message ("LANGUAGE=%s LC_ALL=%s", cases[i].language, cases[i].lc_all);
      g_assert_cmpstr (found, ==, cases[i].expected);
    }
  g_setenv ("LANGUAGE", "C", TRUE);
  if (saved_lc_all != NULL)
    g_setenv ("LC_ALL", saved_lc_all, TRUE);
  else
    g_unsetenv ("LC_ALL");
}

/* Run from the build tree (as this test is), the programs read the
 * catalogues meson compiled into BUILD_ROOT/po. */
static void
test_paths_build_tree (void)
{
  g_assert_true (tw_paths_running_uninstalled ());
  g_assert_cmpstr (tw_paths_locale_dir (), ==, BUILD_ROOT "/po");
}

/* Runs the test @test_path in a copy of this program outside the build tree,
 * which counts as installed, with @env_pairs (name, value, …, NULL) added to
 * the environment; asserts that it ran and passed. */
static void
run_as_installed (const char *test_path,
                  ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tw-paths-XXXXXX", &error);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autofree char *passed = g_strdup_printf ("%s: OK", test_path);
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "TW_TEST_AS_INSTALLED", "1", TRUE);
  const char *argv[] = { NULL, "-p", test_path, NULL };
  const char *name;
  gsize length = 0;
  int status = 0;
  va_list args;

  va_start (args, test_path);
  while ((name = va_arg (args, const char *)) != NULL)
    envp = g_environ_setenv (envp, name, va_arg (args, const char *), TRUE);
  va_end (args);

  g_assert_no_error (error);
  copy = g_build_filename (dir, "test-help", NULL);
  g_file_get_contents (exe, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, contents, length, &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_chmod (copy, 0755));

  argv[0] = copy;
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  /* It ran the test rather than skipping it. */
  g_assert_nonnull (strstr (out, passed));

  g_assert_no_errno (g_unlink (copy));
  g_assert_no_errno (g_rmdir (dir));
}

/* A copy of this program outside the build tree counts as installed, and
 * reads the installed catalogues. */
static void
test_paths_copy_is_installed (void)
{
  run_as_installed ("/paths/installed", NULL);
}

/* Installed, the app finds the guide in the installed layout, in German for
 * a German session and in English otherwise. The guides are in a data
 * directory named by $XDG_DATA_DIRS; one installed in the configured
 * datadir comes first and counts too. */
static void
test_installed_german (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("tw-help-XXXXXX", &error);
  g_autofree char *datadir = g_build_filename (root, "share", NULL);
  g_autofree char *english G_GNUC_UNUSED = NULL;
  g_autofree char *german G_GNUC_UNUSED = NULL;

  g_assert_no_error (error);
  english = put_installed (datadir, "C");
  german = put_installed (datadir, "de");
  run_as_installed ("/help/installed-lookup", "XDG_DATA_DIRS", datadir, "LANGUAGE", "de",
                    "TW_TEST_HELP_LANGUAGE", "de", NULL);
  run_as_installed ("/help/installed-lookup", "XDG_DATA_DIRS", datadir, "LANGUAGE", "de_CH.UTF-8",
                    "TW_TEST_HELP_LANGUAGE", "de", NULL);
  run_as_installed ("/help/installed-lookup", "XDG_DATA_DIRS", datadir, "LANGUAGE", "xx",
                    "TW_TEST_HELP_LANGUAGE", "C", NULL);
  g_assert_true (tw_test_remove_tree (root));
}

static void
test_installed_lookup (void)
{
  const char *language = g_getenv ("TW_TEST_HELP_LANGUAGE");
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *uri = NULL;

  if (g_getenv ("TW_TEST_AS_INSTALLED") == NULL || language == NULL || data_dirs == NULL)
    {
      g_test_skip ("run by /help/installed/german");
      return;
    }
  g_assert_false (tw_paths_running_uninstalled ());
  ours = g_build_filename (DATADIR, "help", language, "tunnel-wizard", "index.html", NULL);
  theirs = g_build_filename (data_dirs, "help", language, "tunnel-wizard", "index.html", NULL);
  expected = g_filename_to_uri (g_file_test (ours, G_FILE_TEST_IS_REGULAR) ? ours : theirs, NULL, NULL);
  uri = tw_help_uri ();
  g_assert_cmpstr (uri, ==, expected);
  g_print ("/help/installed-lookup: OK\n");
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
  g_test_add_func ("/help/uri/german", test_uri_german);
  g_test_add_func ("/help/installed/german", test_installed_german);
  g_test_add_func ("/help/installed-lookup", test_installed_lookup);
  g_test_add_func ("/paths/build-tree", test_paths_build_tree);
  g_test_add_func ("/paths/copy-is-installed", test_paths_copy_is_installed);
  g_test_add_func ("/paths/installed", test_paths_installed);

  return g_test_run ();
}
