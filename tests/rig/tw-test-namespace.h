/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live setup tests: a script in tests/setup/ creates users and changes
 * /etc inside a private mount namespace (unshare -m), so the machine is left
 * as it was; it reports TAP lines ("ok - …") that the C side checks.
 */
#pragma once

#include <glib.h>

#include "tw-test-files.h"

G_BEGIN_DECLS

/* TRUE when this process may run a live test: root, every one of @tools on
 * PATH, /usr/sbin/sshd, and a private mount namespace can be made (root in
 * a container without CAP_SYS_ADMIN cannot); otherwise skips the test. */
gboolean  tw_test_namespace_can_run       (const char * const *tools);

/* Runs bash tests/setup/@script_name @dir @args… inside unshare -m with the
 * environment plus @env ("NAME=value"…, may be NULL) and @input on standard
 * input (may be NULL); returns standard output and error together, and the
 * wait status in @wait_status. @dir is removed before it returns (the
 * namespace took its mounts with it; only plain files are left), so that an
 * assertion that aborts leaves nothing behind. */
char     *tw_test_namespace_run           (const char         *script_name,
                                           const char         *dir,
                                           const char * const *args,
                                           const char * const *env,
                                           const char         *input,
                                           int                *wait_status);

/* The script ended well, no line says "not ok" or "Bail out!", and each of
 * @must_pass has its "ok - …" line: the script really got that far. */
void      tw_test_namespace_assert_passed (const char         *output,
                                           int                 wait_status,
                                           const char * const *must_pass);

/* The machine's own files never saw @user: /etc/passwd, /etc/group, its
 * home, its sshd drop-in; and no hostile key comment ran (/tmp/tw-pwned). */
void      tw_test_assert_machine_untouched (const char        *user);

G_END_DECLS
