/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <malloc.h>

#include "tw-application.h"
#include "tw-paths.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TwApplication) app = NULL;

  /* glibc gives every thread that allocates an arena of its own, up to eight per core; the
   * app's threads mostly wait on the network, and two arenas keep the peak memory about
   * 1 MB lower (tests/bench/RESULTS.md). */
#ifdef M_ARENA_MAX
  mallopt (M_ARENA_MAX, 2);
#endif
  setlocale (LC_ALL, "");
  /* From the build tree, the catalogues meson compiled there. */
  bindtextdomain (GETTEXT_PACKAGE, tw_paths_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tw_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
