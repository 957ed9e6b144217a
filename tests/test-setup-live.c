/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generated Linux script, run for real: in a private mount namespace with a throwaway
 * /etc, /home and /var/log (tests/setup/live-namespace.sh), it runs twice, and a real sshd with
 * StrictModes yes and the default AuthorizedKeysFile lets the OpenSSH client log in with the
 * private key and forward to a port (reverse mode: make the bastion listen on one), so the
 * instructions are known to work, not just to look right. Needs root (useradd, mounts);
 * skipped otherwise.
 */
#include "config.h"

#include <unistd.h>
#include <gio/gio.h>

#include "tw-core.h"
#include "tw-test-namespace.h"
#include "tw-test-net.h"

/* Not a name any real system would have: the test checks afterwards that the machine's own
 * /etc never heard of it. */
#define TEST_USER "tw-live-test"

typedef struct {
  char  *dir;
  /* sshd, the destination, another port, the client's end of ssh -L, and in reverse mode
   * the bastion's listening port and another one */
  guint  ports[6];
  /* reverse mode: what this machine asks the bastion to listen on */
  const char *remote_address;
} Fixture;


static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tw-setup-live-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->ports); i++)
    fixture->ports[i] = tw_test_free_port ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  tw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
run_checked (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

/* A key pair made by ssh-keygen, with a comment only careful quoting survives. */
static TwPublicKey *
make_key (const char *dir,
          const char *type)
{
  g_autofree char *key_path = g_build_filename (dir, "key", NULL);
  g_autofree char *pub_path = g_build_filename (dir, "key.pub", NULL);
  const char *argv[] = { "ssh-keygen", "-q", "-t", type, "-N", "", "-C",
                         "it's $(touch /tmp/tw-pwned) `id` \"q\" !x", "-f", key_path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TwPublicKey *key;

  run_checked (argv);
  g_file_get_contents (pub_path, &text, NULL, &error);
  g_assert_no_error (error);
  key = tw_public_key_parse (text, &error);
  g_assert_no_error (error);
  return key;
}

static gboolean
can_run_live (void)
{
  const char *tools[] = { "unshare", "ssh", "ssh-keygen", "socat", "useradd", "timeout", NULL };

  return tw_test_namespace_can_run (tools);
}

static char *
run_in_namespace (Fixture    *fixture,
                  const char *scenario,
                  const char *shell,
                  int        *status)
{
  const char *names[] = { "TW_SSH_PORT", "TW_ALLOWED_PORT", "TW_OTHER_PORT", "TW_LOCAL_PORT", "TW_REMOTE_PORT",
                          "TW_OTHER_REMOTE_PORT" };
  const char *args[] = { scenario, NULL };
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (fixture->ports));
  g_ptr_array_add (env, g_strdup ("TW_USER=" TEST_USER));
  g_ptr_array_add (env, g_strconcat ("TW_SHELL=", shell, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (env, g_strdup_printf ("%s=%u", names[i], fixture->ports[i]));
  if (fixture->remote_address != NULL)
    g_ptr_array_add (env, g_strconcat ("TW_REMOTE_ADDRESS=", fixture->remote_address, NULL));
  g_ptr_array_add (env, NULL);

  return tw_test_namespace_run ("live-namespace.sh", fixture->dir, args, (const char * const *) env->pdata,
                                NULL, status);
}

/* The seed's setup: an ordinary user, an ed25519 key; idempotent, tightening, and sshd lets
 * the user in and forward. */
static void
test_live_plain (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *line = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  const char *must_pass[] = {
    "the script runs a second time",
    "the second run removed the stand-in key",
    "the key is in authorized_keys exactly once",
    "authorized_keys is exactly the generated line",
    "~/.ssh is 700 and the user's",
    "authorized_keys is 600 and the user's",
    "a loosened ~/.ssh is 700 again",
    "a loosened authorized_keys is 600 and the user's again",
    "a 500 ~/.ssh stays 500",
    "a copy with other options and comment counts: file unchanged",
    "ssh -W forwards to the destination port",
    "ssh -N -L forwards a local port to the destination",
    "the user logs in and runs a command",
    NULL
  };

  if (!can_run_live ())
    return;

  key = make_key (fixture->dir, "ed25519");
  tw_tunnel_set_user (tunnel, TEST_USER);
  tw_tunnel_set_dest_host (tunnel, "127.0.0.1");
  tw_tunnel_set_dest_port (tunnel, fixture->ports[1]);

  script = tw_setup_linux_script (tunnel, key, &error);
  g_assert_no_error (error);
  line = tw_setup_authorized_keys_line (tunnel, key, &error);
  g_assert_no_error (error);
  g_assert_false (tw_setup_sshd_config_needed (tunnel, key));

  keys = g_strconcat (line, "\n", NULL);
  tw_test_write_file (fixture->dir, "setup.sh", script);
  tw_test_write_file (fixture->dir, "expected-keys", keys);
  tw_test_write_file (fixture->dir, "blob", tw_public_key_get_base64 (key));

  out = run_in_namespace (fixture, "plain", "/bin/bash", &status);
  g_test_message ("%s", out);
  tw_test_namespace_assert_passed (out, status, must_pass);
  tw_test_assert_machine_untouched (TEST_USER);
}

/* Least privilege with an RSA key: the restricted line, the nologin shell, the generated
 * sshd_config drop-in; forwarding only to the destination, literally. */
static void
test_live_least_privilege (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwTunnel) elsewhere = NULL;
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *line = NULL;
  g_autofree char *other_line = NULL;
  g_autofree char *dropin = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *other_keys = NULL;
  g_autofree char *out = NULL;
  const char *loopback[] = { "127.0.0.1", NULL };
  const char *far_away[] = { "192.0.2.0/24", NULL };
  int status = 0;
  const char *must_pass[] = {
    "the shell is /usr/sbin/nologin",
    "the key is in authorized_keys exactly once",
    "authorized_keys is exactly the generated line",
    "sshd -t accepts the configuration",
    "ssh -W forwards to the destination port",
    "ssh -N -L forwards a local port to the destination",
    "a forward to another port is refused",
    "the refusal is sshd's (the request was denied)",
    "the same port by another name (localhost) is refused: permitopen is literal",
    "a command does not run",
    "a client limited to ssh-rsa (SHA-1) signatures gets in: the drop-in's RSA line",
    "with from= naming other addresses, the key is refused",
    "the refusal is from= (not from a permitted host)",
    NULL
  };

  if (!can_run_live ())
    return;

  key = make_key (fixture->dir, "rsa");
  g_assert_true (tw_public_key_is_rsa (key));
  tw_tunnel_set_user (tunnel, TEST_USER);
  tw_tunnel_set_dest_host (tunnel, "127.0.0.1");
  tw_tunnel_set_dest_port (tunnel, fixture->ports[1]);
  tw_tunnel_set_least_privilege (tunnel, TRUE);
  tw_tunnel_set_service_addresses (tunnel, loopback);

  script = tw_setup_linux_script (tunnel, key, &error);
  g_assert_no_error (error);
  line = tw_setup_authorized_keys_line (tunnel, key, &error);
  g_assert_no_error (error);
  dropin = tw_setup_sshd_config (tunnel, key, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "restrict,port-forwarding,permitopen=\"127.0.0.1:"));

  elsewhere = tw_tunnel_new ();
  tw_tunnel_set_user (elsewhere, TEST_USER);
  tw_tunnel_set_dest_host (elsewhere, "127.0.0.1");
  tw_tunnel_set_dest_port (elsewhere, fixture->ports[1]);
  tw_tunnel_set_least_privilege (elsewhere, TRUE);
  tw_tunnel_set_service_addresses (elsewhere, far_away);
  other_line = tw_setup_authorized_keys_line (elsewhere, key, &error);
  g_assert_no_error (error);

  keys = g_strconcat (line, "\n", NULL);
  other_keys = g_strconcat (other_line, "\n", NULL);
  tw_test_write_file (fixture->dir, "setup.sh", script);
  tw_test_write_file (fixture->dir, "expected-keys", keys);
  tw_test_write_file (fixture->dir, "from-mismatch-line", other_keys);
  tw_test_write_file (fixture->dir, "dropin.conf", dropin);
  tw_test_write_file (fixture->dir, "blob", tw_public_key_get_base64 (key));

  out = run_in_namespace (fixture, "least-privilege", "/usr/sbin/nologin", &status);
  g_test_message ("%s", out);
  tw_test_namespace_assert_passed (out, status, must_pass);
  tw_test_assert_machine_untouched (TEST_USER);
}

/* Reverse mode with least privilege: this machine's key may only make the bastion listen on
 * the tunnel's one port (the OpenSSH client stands in for the engine, ssh -R); other ports,
 * local forwards and commands are refused. @data: the listen address — "localhost" as the
 * wizard's default, or 127.0.0.2, an address sshd binds only with GatewayPorts
 * clientspecified (another host's view of the bastion, without leaving loopback). */
static void
test_live_reverse (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *line = NULL;
  g_autofree char *dropin = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected_prefix = NULL;
  int status = 0;
  const char *must_pass[] = {
    "the shell is /usr/sbin/nologin",
    "authorized_keys is exactly the generated line",
    "sshd -t accepts the configuration",
    NULL, /* the remote forward, filled in below */
    "ssh -R on another port is refused",
    "the refusal is sshd's (the listen request was denied)",
    "ssh -W (a local forward) is refused",
    "the refusal is sshd's (AllowTcpForwarding remote)",
    "ssh -N -L: nothing reaches the destination",
    "a command does not run",
    NULL
  };
  g_autofree char *forward_check = NULL;

  if (!can_run_live ())
    return;

  fixture->remote_address = data;
  key = make_key (fixture->dir, "ed25519");
  tw_tunnel_set_mode (tunnel, TW_TUNNEL_MODE_REVERSE);
  tw_tunnel_set_user (tunnel, TEST_USER);
  tw_tunnel_set_dest_host (tunnel, "127.0.0.1");
  tw_tunnel_set_dest_port (tunnel, fixture->ports[1]);
  tw_tunnel_set_remote_address (tunnel, fixture->remote_address);
  tw_tunnel_set_remote_port (tunnel, fixture->ports[4]);
  tw_tunnel_set_least_privilege (tunnel, TRUE);

  script = tw_setup_linux_script (tunnel, key, &error);
  g_assert_no_error (error);
  line = tw_setup_authorized_keys_line (tunnel, key, &error);
  g_assert_no_error (error);
  dropin = tw_setup_sshd_config (tunnel, key, &error);
  g_assert_no_error (error);
  expected_prefix = g_strdup_printf ("restrict,port-forwarding,permitlisten=\"%s:%u\" ",
                                     fixture->remote_address, fixture->ports[4]);
  g_assert_true (g_str_has_prefix (line, expected_prefix));
  g_assert_nonnull (strstr (dropin, "AllowTcpForwarding remote\n"));
  g_assert_cmpint (strstr (dropin, "GatewayPorts clientspecified\n") != NULL, ==,
                   !g_str_equal (fixture->remote_address, "localhost"));

  keys = g_strconcat (line, "\n", NULL);
  tw_test_write_file (fixture->dir, "setup.sh", script);
  tw_test_write_file (fixture->dir, "expected-keys", keys);
  tw_test_write_file (fixture->dir, "dropin.conf", dropin);
  tw_test_write_file (fixture->dir, "blob", tw_public_key_get_base64 (key));

  forward_check = g_strdup_printf ("ssh -N -R: the permitted port on %s leads back to the destination",
                                   g_str_equal (fixture->remote_address, "localhost") ? "127.0.0.1" : fixture->remote_address);
  must_pass[3] = forward_check;

  out = run_in_namespace (fixture, "reverse", "/usr/sbin/nologin", &status);
  g_test_message ("%s", out);
  tw_test_namespace_assert_passed (out, status, must_pass);
  /* The engine too, when meson says where tunnel-check is. */
  if (g_getenv ("TUNNEL_CHECK") != NULL)
    {
      g_autofree char *engine_check = g_strdup_printf ("\nok - tunnel-check reverse: the permitted port on %s",
                                                       g_str_equal (fixture->remote_address, "localhost") ? "127.0.0.1" : fixture->remote_address);

      g_assert_nonnull (strstr (out, engine_check));
    }
  if (g_str_equal (fixture->remote_address, "localhost"))
    g_assert_nonnull (strstr (out, "\nok - the same port as 127.0.0.1 is refused"));
  tw_test_assert_machine_untouched (TEST_USER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/setup/live/plain", Fixture, NULL,
              fixture_set_up, test_live_plain, fixture_tear_down);
  g_test_add ("/setup/live/least-privilege", Fixture, NULL,
              fixture_set_up, test_live_least_privilege, fixture_tear_down);
  g_test_add ("/setup/live/reverse-least-privilege", Fixture, "localhost",
              fixture_set_up, test_live_reverse, fixture_tear_down);
  g_test_add ("/setup/live/reverse-gateway-ports", Fixture, "127.0.0.2",
              fixture_set_up, test_live_reverse, fixture_tear_down);

  return g_test_run ();
}
