/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finding the user guide. It is one self-contained HTML page: in a Flatpak
 * sandbox the browser receives that single file through the document portal,
 * so links to other local files would break.
 */
#include "config.h"

#include <string.h>

#include "tw-help.h"
#include "tw-paths.h"

#define GUIDE_NAME "index.html"

/* A language name becomes a directory name: nothing that climbs out of it. */
static gboolean
language_is_safe (const char *language)
{
  return *language != '\0' && strchr (language, G_DIR_SEPARATOR) == NULL &&
         !g_str_equal (language, ".") && !g_str_equal (language, "..");
}

static char *
find_installed (const char *const *data_dirs,
                const char        *language)
{
  for (guint i = 0; data_dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (data_dirs[i], "help", language,
                                                GETTEXT_PACKAGE, GUIDE_NAME, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static char *
find_in_source (const char *source_dir,
                const char *language)
{
  g_autofree char *path = NULL;

  if (source_dir == NULL)
    return NULL;
  path = g_build_filename (source_dir, language, GUIDE_NAME, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
}

char *
tw_help_locate (const char *const *data_dirs,
                const char        *source_dir,
                gboolean           uninstalled,
                const char *const *languages)
{
  g_return_val_if_fail (data_dirs != NULL, NULL);
  g_return_val_if_fail (languages != NULL, NULL);

  /* Language before place: a guide in the user's language anywhere beats an
   * English one in the first place looked at. */
  for (guint i = 0; languages[i] != NULL; i++)
    {
      char *path = NULL;

      /* "de_DE.UTF-8" names no directory; "de" and "C" come later in the list. */
      if (!language_is_safe (languages[i]))
        continue;

      /* From the build tree, an older installed guide must not hide the one
       * being written. */
      if (uninstalled && (path = find_in_source (source_dir, languages[i])) != NULL)
        return path;
      if ((path = find_installed (data_dirs, languages[i])) != NULL)
        return path;
    }

  /* Installed elsewhere than where it was built (a moved prefix), or run
   * from a copy of the binary: the source tree, if it is still there. */
  for (guint i = 0; languages[i] != NULL; i++)
    {
      char *path = NULL;

      if (!language_is_safe (languages[i]))
        continue;
      if ((path = find_in_source (source_dir, languages[i])) != NULL)
        return path;
    }

  return NULL;
}

char *
tw_help_uri (void)
{
  g_autoptr(GPtrArray) data_dirs = g_ptr_array_new ();
  const char *const *system_dirs = g_get_system_data_dirs ();
  g_autofree char *source_dir = g_build_filename (SOURCE_ROOT, "help", NULL);
  g_autofree char *path = NULL;
  char *uri;

  /* The configured datadir first: $XDG_DATA_DIRS need not name it (a
   * /usr/local or /opt prefix), and when it does, the copy there is ours. */
  g_ptr_array_add (data_dirs, (gpointer) DATADIR);
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (data_dirs, (gpointer) system_dirs[i]);
  g_ptr_array_add (data_dirs, NULL);

  path = tw_help_locate ((const char *const *) data_dirs->pdata, source_dir,
                         tw_paths_running_uninstalled (), g_get_language_names ());
  if (path == NULL)
    return g_strdup (TW_HELP_ONLINE_URI);

  uri = g_filename_to_uri (path, NULL, NULL);
  return uri != NULL ? uri : g_strdup (TW_HELP_ONLINE_URI);
}

char *
tw_help_uri_for_section (const char *section)
{
  g_autofree char *uri = NULL;

  g_return_val_if_fail (section != NULL && *section != '\0', NULL);

  uri = tw_help_uri ();
  return g_strconcat (uri, "#", section, NULL);
}
