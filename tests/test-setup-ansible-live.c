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
#include "tw-test-net.h"

#define TEST_USER "tw-ansible-test"

static gboolean
can_run (void)
{
  const char *tools[] = { "unshare", "ssh", "ssh-keygen", "socat", "ansible-playbook", "timeout" };
  const char *unshare[] = { "unshare", "-m", "--propagation", "private", "true", NULL };
  int status = 0;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root: a user is created in a private namespace");
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

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *dir)
{
  const char *argv[] = { "rm", "-rf", "--", dir, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                NULL, NULL);
}

static void
test_ansible_live (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *key_path = NULL, *pub_text = NULL, *pub_path = NULL;
  g_autofree char *play = NULL, *script = NULL, *out = NULL, *ports[3] = { NULL };
  g_autofree char *line = NULL;
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(TwTunnel) tunnel = NULL;
  g_auto(GStrv) env = NULL;
  guint port_numbers[3];
  int status = 0;

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
    {
      port_numbers[i] = tw_test_free_port ();
      ports[i] = g_strdup_printf ("%u", port_numbers[i]);
    }

  tunnel = tw_tunnel_new ();
  tw_tunnel_set_user (tunnel, TEST_USER);
  tw_tunnel_set_dest_host (tunnel, "127.0.0.1");
  tw_tunnel_set_dest_port (tunnel, port_numbers[1]);
  tw_tunnel_set_least_privilege (tunnel, TRUE);
  play = tw_setup_find_format ("ansible")->render (tunnel, key, &error);
  g_assert_no_error (error);
  write_file (dir, "play.yml", play);
  write_file (dir, "blob", tw_public_key_get_base64 (key));
  line = tw_setup_authorized_keys_line (tunnel, key, &error);
  g_assert_no_error (error);
  write_file (dir, "expected-line", line);

  script = g_test_build_filename (G_TEST_DIST, "setup", "ansible-namespace.sh", NULL);
  env = g_get_environ ();
  env = g_environ_setenv (env, "TW_USER", TEST_USER, TRUE);
  env = g_environ_setenv (env, "TW_SSH_PORT", ports[0], TRUE);
  env = g_environ_setenv (env, "TW_ALLOWED_PORT", ports[1], TRUE);
  env = g_environ_setenv (env, "TW_OTHER_PORT", ports[2], TRUE);
  {
    const char *argv[] = { "unshare", "-m", "--propagation", "private", "--",
                           "bash", script, dir, NULL };

    g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, &out, NULL, &status, &error);
  }
  remove_dir (dir);
  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&ports[i], g_free);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "ok - the service's key logs in"));
  g_assert_null (strstr (out, "not ok"));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* Nothing of it outside the namespace. */
  g_assert_false (g_file_test ("/tmp/tw-pwned", G_FILE_TEST_EXISTS));
  {
    g_autofree char *passwd = NULL;

    g_file_get_contents ("/etc/passwd", &passwd, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (strstr (passwd, TEST_USER ":"));
  }
  g_assert_false (g_file_test ("/etc/ssh/sshd_config.d/50-tunnel-wizard-" TEST_USER ".conf",
                               G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup/ansible/live", test_ansible_live);
  return g_test_run ();
}
