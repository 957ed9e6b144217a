/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* When no copy of the guide is on this machine: the project page, whose README
 * says how to use the app and tunnel-check (GitHub shows an HTML file in the
 * repository as source, not as a page). */
#define TW_HELP_ONLINE_URI "https://github.com/tunnelwizard/tunnel-wizard#readme"

/*
 * tw_help_uri:
 *
 * The user guide for the Help menu item, to hand to gtk_show_uri(). Run from
 * the build tree, the guide in the source tree (help/LANG/index.html);
 * installed, DATADIR/help/LANG/tunnel-wizard/index.html, looked up in the
 * configured datadir and then $XDG_DATA_DIRS, in the user's languages first
 * and English ("C") last. Never %NULL: without a copy on this machine it is
 * %TW_HELP_ONLINE_URI.
 *
 * Returns: (transfer full): a file:// or https:// URI
 */
char *tw_help_uri (void);

/*
 * tw_help_uri_for_section:
 * @section: a section id of the guide: "start", "key", "server", "prepare",
 *   "checks", "fingerprint", "tls", "summary", "reverse", "tunnel-check",
 *   "troubleshooting" or "privacy"
 *
 * Like tw_help_uri(), pointing at one section (the guide is one page).
 *
 * Returns: (transfer full): the URI with "#@section"
 */
char *tw_help_uri_for_section (const char *section);

/*
 * tw_help_locate:
 * @data_dirs: the data directories to search, in order of preference
 * @source_dir: (nullable): the help/ directory of the source tree
 * @uninstalled: whether the program runs from the build tree
 * @languages: language names, most preferred first, as g_get_language_names()
 *
 * The lookup behind tw_help_uri(), with its inputs explicit so that tests can
 * arrange them. A running build tree prefers @source_dir; an installed
 * program prefers @data_dirs and takes @source_dir only when no installed
 * guide exists.
 *
 * Returns: (transfer full) (nullable): the guide's file name, or %NULL
 */
char *tw_help_locate (const char *const *data_dirs,
                      const char         *source_dir,
                      gboolean            uninstalled,
                      const char *const  *languages);

G_END_DECLS
