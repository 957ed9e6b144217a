/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Ansible export run for real: ansible-playbook -c local creates the tunnel user in a
 * private mount namespace (tests/setup/ansible-namespace.sh), twice (the second run changes
 * nothing), and the OpenSSH client then logs in with the service's key to a throwaway sshd
 * that reads the playbook's drop-in. Needs root, unshare, ansible-playbook with
 * ansible.posix and sshd; skipped otherwise.
 */
#include "config.h"

#include <unistd.h>

#include "tw-core.h"
#include "tw-test-namespace.h"
#include "tw-test-net.h"

#define TEST_USER "tw-ansible-test"

static gboolean
can_run (void)
{
  const char *tools[] = { "unshare", "ssh", "ssh-keygen", "socat", "ansible-playbook", "timeout", NULL };

  return tw_test_namespace_can_run (tools);
}

static void
test_ansible_live (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *key_path = NULL, *pub_text = NULL, *pub_path = NULL;
  g_autofree char *play = NULL, *out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(TwTunnel) tunnel = NULL;
  guint port_numbers[3];
  int status = 0;

  const char *must_pass[] = { "the service's key logs in and ssh -W reaches the destination", NULL };

  if (!can_run ())
    return;

  dir = g_dir_make_tmp ("tw-ansible-live-XXXXXX", &error);
  g_assert_no_error (error);
  key_path = g_build_filename (dir, "key", NULL);
  pub_path = g_build_filename (dir, "key.pub", NULL);
  {
    /* A comment only careful quoting survives, Jinja included. */
    const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                           "it's $(touch /tmp/tw-pwned) `id` \"q\" {{ 7 * 7 }} ünï", "-f", key_path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_file_get_contents (pub_path, &pub_text, NULL, &error);
  g_assert_no_error (error);
  key = tw_public_key_parse (pub_text, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    port_numbers[i] = tw_test_free_port ();

  tunnel = tw_tunnel_new ();
  tw_tunnel_set_user (tunnel, TEST_USER);
  tw_tunnel_set_dest_host (tunnel, "127.0.0.1");
  tw_tunnel_set_dest_port (tunnel, port_numbers[1]);
  tw_tunnel_set_least_privilege (tunnel, TRUE);
  play = tw_setup_find_format ("ansible")->render (tunnel, key, &error);
  g_assert_no_error (error);
  tw_test_write_file (dir, "play.yml", play);
  tw_test_write_file (dir, "blob", tw_public_key_get_base64 (key));
  line = tw_setup_authorized_keys_line (tunnel, key, &error);
  g_assert_no_error (error);
  tw_test_write_file (dir, "expected-line", line);

  {
    g_autofree char *ssh_port = g_strdup_printf ("TW_SSH_PORT=%u", port_numbers[0]);
    g_autofree char *allowed_port = g_strdup_printf ("TW_ALLOWED_PORT=%u", port_numbers[1]);
    g_autofree char *other_port = g_strdup_printf ("TW_OTHER_PORT=%u", port_numbers[2]);
    const char *env[] = { "TW_USER=" TEST_USER, ssh_port, allowed_port, other_port, NULL };

    out = tw_test_namespace_run ("ansible-namespace.sh", dir, NULL, env, NULL, &status);
  }
  g_test_message ("%s", out);
  tw_test_namespace_assert_passed (out, status, must_pass);
  tw_test_assert_machine_untouched (TEST_USER);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup/ansible/live", test_ansible_live);
  return g_test_run ();
}
