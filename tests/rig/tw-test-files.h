/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files every test writes and cleans up; linked into every test.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @path and everything below it (symbolic links themselves, never
 * what they point to); TRUE when nothing was left behind. */
gboolean  tw_test_remove_tree  (const char *path);

/* @dir/@name with @text, asserting it was written */
void      tw_test_write_file   (const char *dir,
                                const char *name,
                                const char *text);

G_END_DECLS
