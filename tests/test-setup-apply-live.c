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
#include "tw-test-namespace.h"
#include "tw-test-net.h"

static gboolean
can_run_live (void)
{
  const char *tools[] = { "unshare", "ssh", "ssh-keygen", "socat", "useradd", "chpasswd", "sudo", "timeout", NULL };

  if (g_getenv ("TUNNEL_CHECK") == NULL)
    {
      g_test_skip ("needs TUNNEL_CHECK");
      return FALSE;
    }
  return tw_test_namespace_can_run (tools);
}

static void
test_apply_live (void)
{
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *password = NULL;
  g_autofree char *input = NULL;
  g_autofree char *out = NULL;
  g_autofree char *passwd = NULL;
  int status = 0;
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
  /* Random, so that finding it anywhere can only mean it leaked there. */
  password = g_strdup_printf ("tw-sudo-%08x%08x", g_random_int (), g_random_int ());
  input = g_strconcat (password, "\n", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    g_ptr_array_add (env, g_strdup_printf ("%s=%u", ports[i], tw_test_free_port ()));
  g_ptr_array_add (env, NULL);

  out = tw_test_namespace_run ("apply-namespace.sh", dir, NULL, (const char * const *) env->pdata, input, &status);
  g_test_message ("%s", out);
  tw_test_namespace_assert_passed (out, status, must_pass);

  /* The machine's own files never heard of any of the test's accounts. */
  tw_test_assert_machine_untouched ("tw-live-test");
  g_assert_true (g_file_get_contents ("/etc/passwd", &passwd, NULL, NULL));
  g_assert_null (strstr (passwd, "tw-live-"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup/apply/live", test_apply_live);
  return g_test_run ();
}
