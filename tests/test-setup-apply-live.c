/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `tunnel-check setup --apply` for real: in a private mount namespace with a throwaway /etc,
 * /home, /root, /run and /var/log (tests/setup/apply-namespace.sh), a real sshd with
 * StrictModes yes, root and a sudo admin with a password. Proves the host key rule, the dry
 * run, applying as root and through sudo, that twice changes nothing, that the service key
 * then logs in and forwards with the OpenSSH client, sudo's refusals in their own words, that
 * sshd -t and the armed revert undo bad sshd_config lines, and that the sudo password shows
 * up in no file, output, command line or environment. Needs root; skipped otherwise.
 */
#include "config.h"

#include <unistd.h>
#include <gio/gio.h>
#include "tw-test-net.h"

static gboolean
can_run_live (void)
{
  const char *tools[] = { "unshare", "ssh", "ssh-keygen", "socat", "useradd", "chpasswd", "sudo", "timeout" };
  const char *argv[] = { "unshare", "-m", "--propagation", "private", "true", NULL };
  int status = 0;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root: users and mounts in a private namespace");
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_autofree char *message = g_strdup_printf ("needs %s", tools[i]);
          g_test_skip (message);
          return FALSE;
        }
    }
  if (!g_file_test ("/usr/sbin/sshd", G_FILE_TEST_IS_EXECUTABLE) || g_getenv ("TUNNEL_CHECK") == NULL)
    {
      g_test_skip ("needs /usr/sbin/sshd and TUNNEL_CHECK");
      return FALSE;
    }
  /* Root in a container without CAP_SYS_ADMIN cannot make a mount namespace. */
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("cannot make a private mount namespace here (unshare -m failed)");
      return FALSE;
    }
  return TRUE;
}

static void
remove_dir (const char *dir)
{
  const char *argv[] = { "rm", "-rf", "--", dir, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

static void
test_apply_live (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *script = NULL;
  g_autofree char *password = NULL;
  g_autofree char *input = NULL;
  g_autofree char *out = NULL;
  g_autofree char *passwd = NULL;
  const char *ports[] = { "TW_SSH_PORT", "TW_ALLOWED_PORT", "TW_OTHER_PORT" };
  const char *must_pass[] = {
    "an unknown host key stops it (exit 1)",
    "and the message shows the fingerprint",
    "no login was even tried",
    "still no login tried",
    "after the dry run there is no user",
    "the dry run shows the sshd_config diff",
    "tunnel-check's own environment no longer holds the sudo password once it runs",
    "apply as a sudo user with a password succeeds (exit 0)",
    "no process had the password on its command line or in its environment",
    "a new login worked and kept the change",
    "the confirmed change outlives the revert delay",
    "ssh -W with the service key forwards to the destination",
    "a client limited to ssh-rsa (SHA-1) signatures gets in: the applied RSA line",
    "the second dry run says nothing would change",
    "no step changed anything",
    "and says sudo refused the password",
    "and says the user may not use sudo",
    "sshd's own message is shown",
    "the previous drop-in is back",
    "and says it was rolled back",
    "root logs in again with the OpenSSH client",
    "within a second",
    "the armed revert put the previous drop-in back without the client",
    "the lines went in a marked block in sshd_config",
    "every line before it is as it was",
    "applying the block again changes nothing",
    "the sudo password is in no file under /etc, /home, /root, /run, /var/log",
    "nor in any output, log or report of the run",
    NULL
  };

  if (!can_run_live ())
    return;

  dir = g_dir_make_tmp ("tw-apply-live-XXXXXX", &error);
  g_assert_no_error (error);
  script = g_test_build_filename (G_TEST_DIST, "setup", "apply-namespace.sh", NULL);
  /* Random, so that finding it anywhere can only mean it leaked there. */
  password = g_strdup_printf ("tw-sudo-%08x%08x", g_random_int (), g_random_int ());
  input = g_strconcat (password, "\n", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autofree char *port = g_strdup_printf ("%u", tw_test_free_port ());
      g_subprocess_launcher_setenv (launcher, ports[i], port, TRUE);
    }
  process = g_subprocess_launcher_spawn (launcher, &error, "unshare", "-m", "--propagation", "private",
                                         "--", "bash", script, dir, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, &error);
  remove_dir (dir);
  g_assert_no_error (error);
  g_test_message ("%s", out);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_null (strstr (out, "not ok"));
  g_assert_null (strstr (out, "Bail out!"));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  for (guint i = 0; must_pass[i]; i++)
    {
      g_autofree char *line = g_strdup_printf ("\nok - %s\n", must_pass[i]);

      if (strstr (out, line) == NULL)
        g_test_message ("missing: ok - %s", must_pass[i]);
      g_assert_nonnull (strstr (out, line));
    }

  /* The machine's own files never heard of the test's accounts. */
  g_assert_true (g_file_get_contents ("/etc/passwd", &passwd, NULL, NULL));
  g_assert_null (strstr (passwd, "tw-live-"));
  g_assert_false (g_file_test ("/etc/ssh/sshd_config.d/50-tunnel-wizard-tw-live-test.conf", G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup/apply/live", test_apply_live);
  return g_test_run ();
}
