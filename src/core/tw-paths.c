/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where our own files are: installed under the configured prefix, or in the
 * build and source trees while a developer or a test runs the programs
 * uninstalled. Linux only, like the app: /proc/self/exe says which.
 */
#include "config.h"

#include <stdlib.h>

#include "tw-paths.h"

char *
tw_paths_get_executable (GError **error)
{
  return g_file_read_link ("/proc/self/exe", error);
}

gboolean
tw_paths_running_uninstalled (void)
{
  static gsize answer = 0;

  if (g_once_init_enter (&answer))
    {
      g_autofree char *exe = tw_paths_get_executable (NULL);
      /* Real paths on both sides: the build tree may be reached through a symlink. */
      g_autofree char *build_root = realpath (BUILD_ROOT, NULL);
      g_autofree char *prefix = build_root != NULL ? g_strconcat (build_root, G_DIR_SEPARATOR_S, NULL) : NULL;
      gboolean uninstalled = exe != NULL && prefix != NULL && g_str_has_prefix (exe, prefix);

      g_once_init_leave (&answer, uninstalled ? 2 : 1);
    }
  return answer == 2;
}

const char *
tw_paths_locale_dir (void)
{
  return tw_paths_running_uninstalled () ? BUILD_ROOT G_DIR_SEPARATOR_S "po" : LOCALEDIR;
}

const char *
tw_paths_presets_dir (void)
{
  /* An admin's own presets (or a test's) instead of the shipped ones. */
  const char *override = g_getenv ("TW_PRESETS_DIR");
  static char *found = NULL;

  if (override != NULL && *override != '\0')
    return override;
  if (tw_paths_running_uninstalled ())
    return SOURCE_ROOT G_DIR_SEPARATOR_S "data" G_DIR_SEPARATOR_S "presets";

  /* The configured datadir, else the first of $XDG_DATA_DIRS that has them (an
   * installation moved elsewhere, e.g. with DESTDIR) */
  if (g_once_init_enter (&found))
    {
      const char * const *dirs = g_get_system_data_dirs ();
      char *path = g_build_filename (DATADIR, "tunnel-wizard", "presets", NULL);

      for (guint i = 0; dirs[i] != NULL && !g_file_test (path, G_FILE_TEST_IS_DIR); i++)
        {
          g_free (path);
          path = g_build_filename (dirs[i], "tunnel-wizard", "presets", NULL);
        }
      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_free (path);
          path = g_build_filename (DATADIR, "tunnel-wizard", "presets", NULL);
        }
      g_once_init_leave (&found, path);
    }
  return found;
}
