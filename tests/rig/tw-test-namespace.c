/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "tw-test-files.h"
#include "tw-test-namespace.h"

gboolean
tw_test_namespace_can_run (const char * const *tools)
{
  const char *unshare[] = { "unshare", "-m", "--propagation", "private", "true", NULL };
  int status = 0;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root: users and mounts in a private namespace");
      return FALSE;
    }
  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_autofree char *message = g_strdup_printf ("needs %s", tools[i]);

          g_test_skip (message);
          return FALSE;
        }
    }
  if (!g_file_test ("/usr/sbin/sshd", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs /usr/sbin/sshd");
      return FALSE;
    }
  if (!g_spawn_sync (NULL, (char **) unshare, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("cannot make a private mount namespace here (unshare -m failed)");
      return FALSE;
    }
  return TRUE;
}

char *
tw_test_namespace_run (const char         *script_name,
                       const char         *dir,
                       const char * const *args,
                       const char * const *env,
                       const char         *input,
                       int                *wait_status)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "setup", script_name, NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *output = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');
      g_autofree char *name = g_strndup (env[i], eq - env[i]);

      g_assert_nonnull (eq);
      g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
    }
  g_ptr_array_add (argv, "unshare");
  g_ptr_array_add (argv, "-m");
  g_ptr_array_add (argv, "--propagation");
  g_ptr_array_add (argv, "private");
  g_ptr_array_add (argv, "--");
  g_ptr_array_add (argv, "bash");
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, (gpointer) dir);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &output, NULL, &error);
  tw_test_remove_tree (dir);
  g_assert_no_error (error);
  *wait_status = g_subprocess_get_status (process);
  return output;
}

void
tw_test_namespace_assert_passed (const char         *output,
                                 int                 wait_status,
                                 const char * const *must_pass)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "not ok") || g_str_has_prefix (lines[i], "Bail out!"))
      g_test_message ("%s", lines[i]);
  g_assert_null (strstr (output, "not ok"));
  g_assert_null (strstr (output, "Bail out!"));
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  for (guint i = 0; must_pass[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("\nok - %s\n", must_pass[i]);

      if (strstr (output, line) == NULL)
        g_test_message ("missing: ok - %s", must_pass[i]);
      g_assert_nonnull (strstr (output, line));
    }
}

void
tw_test_assert_machine_untouched (const char *user)
{
  g_autofree char *passwd = NULL;
  g_autofree char *group = NULL;
  g_autofree char *entry = g_strconcat ("\n", user, ":", NULL);
  g_autofree char *home = g_build_filename ("/home", user, NULL);
  g_autofree char *dropin = g_strdup_printf ("/etc/ssh/sshd_config.d/50-tunnel-wizard-%s.conf", user);

  g_assert_true (g_file_get_contents ("/etc/passwd", &passwd, NULL, NULL));
  g_assert_true (g_file_get_contents ("/etc/group", &group, NULL, NULL));
  g_assert_null (strstr (passwd, entry));
  g_assert_null (strstr (group, entry));
  g_assert_false (g_file_test (home, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dropin, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("/tmp/tw-pwned", G_FILE_TEST_EXISTS));
}
