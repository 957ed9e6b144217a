/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * tw_paths_get_executable:
 *
 * The program this process runs, as the kernel names it (/proc/self/exe): an
 * absolute path with symlinks resolved.
 *
 * Returns: (transfer full) (nullable): a file name, or NULL with @error set
 */
char    *tw_paths_get_executable      (GError **error);

/*
 * tw_paths_running_uninstalled:
 *
 * Whether this process is a program of the meson build tree it was built in
 * (the app or tunnel-check run from _build, or a test), rather than an
 * installed copy.
 */
gboolean tw_paths_running_uninstalled (void);

/*
 * tw_paths_locale_dir:
 *
 * The directory to hand to bindtextdomain(). Installed: LOCALEDIR. From the
 * build tree: the build tree's po/ directory, where meson compiles the
 * catalogues (po/LANG/LC_MESSAGES/tunnel-wizard.mo), so that LANGUAGE=de
 * works before `meson install`.
 *
 * Returns: (transfer none): a directory name
 */
const char *tw_paths_locale_dir (void);

/*
 * tw_paths_presets_dir:
 *
 * Where the service presets (*.preset) are: $TW_PRESETS_DIR when set, otherwise
 * DATADIR/tunnel-wizard/presets once installed, the source tree's data/presets from the
 * build tree.
 *
 * Returns: (transfer none): a directory name
 */
const char *tw_paths_presets_dir (void);

G_END_DECLS
