/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Prepare the server" texts for fixed inputs: exact expected text, hostile values that
 * must be quoted or refused, IPv6, RSA against ed25519, and invalid addresses. bash and sshd
 * are the oracles where a text is meant for them.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tw-core.h"

/* Generated once with ssh-keygen; fixed so that the expected texts can be exact. */
#define ED25519_BLOB "AAAAC3NzaC1lZDI1NTE5AAAAIOVn0gcu1oKtPQQK9pxHp8ikVQi7D36v2GnlaIbpeBWK"
#define ED25519_KEY "ssh-ed25519 " ED25519_BLOB " fivetran@example"
#define RSA_BLOB "AAAAB3NzaC1yc2EAAAADAQABAAABAQCYe63E5UnZ9YjVuEdgi+cluBcOXQDne6D9Y3Ei3hTHGkgHgAR2fkVe0DveRrRRrOAluEr1U8wThYgnADO2xXzGX7fRyo0gW/n1ZcZvTjiQ7PPBbxEPScOoT2CGflbOxEHrdEzN7hyVo0xR2ZCevbxrued5KnAbtH2C6cB8+4gcv/5Ap+OyNqPJAthqrzqmxuztzigsjGEhbZfRC7Pl4zhMLRIp2Rozs0LAPoY+pYk5sby4vnsHXIKr0Y5HvtOLDzh/vtz3WbpJk/suMhh/MfFsDdjgCUQdOCJxx5B3Qs+9cM8xO87HVXYmRenGcwtEzDof/fVHvBrbg4iCFkIR/1qR"
#define RSA_KEY "ssh-rsa " RSA_BLOB " svc rsa"

static TwPublicKey *
parse_key (const char *text)
{
  g_autoptr(GError) error = NULL;
  TwPublicKey *key = tw_public_key_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static TwTunnel *
fivetran_tunnel (void)
{
  TwTunnel *tunnel = tw_tunnel_new ();

  tw_tunnel_set_user (tunnel, "fivetran");
  return tunnel;
}

static void
set_addresses (TwTunnel   *tunnel,
               const char *first,
               ...)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *a = first; a; a = va_arg (args, const char *))
    g_ptr_array_add (list, (gpointer) a);
  va_end (args);
  g_ptr_array_add (list, NULL);
  tw_tunnel_set_service_addresses (tunnel, (const char * const *) list->pdata);
}

static char *
read_expected (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "setup", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* Runs bash -c SCRIPT and returns what it printed. */
static char *
run_bash (const char *script)
{
  const char *argv[] = { "bash", "-c", script, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_invalid_users (void)
{
  const char *bad[] = { "", "root", "Fivetran", "1abc", "-oProxyCommand", "five tran",
                        "x'y", "a$(id)", "dollar$", "ab.cd", "fïvetran",
                        "abcdefghijklmnopqrstuvwxyz0123456" /* 33 */ };
  const char *good[] = { "fivetran", "_svc", "tunnel-2", "a", "abcdefghijklmnopqrstuvwxyz012345" };
  g_autoptr(TwPublicKey) key = parse_key (ED25519_KEY);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *script = NULL;

      tw_tunnel_set_user (tunnel, bad[i]);
      script = tw_setup_linux_script (tunnel, key, &error);
      g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_USER);
      g_assert_null (script);
    }

  {
    g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *line = tw_setup_authorized_keys_line (tunnel, key, &error);

    g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_USER);
    g_assert_null (line);
  }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (tw_setup_validate_user (good[i], NULL));
}

/* A destination that cannot be a host is refused, not escaped: it would go into a quoted
 * permitopen, an sshd_config line and a shell script. */
static void
test_invalid_destinations (void)
{
  const char *bad[] = { "", "localhost\" ssh-rsa AAAA", "db host", "*", "db:5432", "[::1",
                        "::1]", "fe80::1%eth0", "::g", "db..internal", ".db", "-db",
                        "db.internal.", "$(id)", "a'b", "db\n", "[db.internal]" };
  g_autoptr(TwPublicKey) key = parse_key (ED25519_KEY);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TwTunnel) tunnel = fivetran_tunnel ();
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      tw_tunnel_set_dest_host (tunnel, bad[i]);
      tw_tunnel_set_least_privilege (tunnel, TRUE);
      text = tw_setup_sshd_config (tunnel, key, &error);
      g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_HOST);
      g_assert_null (text);
    }

  {
    g_autoptr(TwTunnel) tunnel = fivetran_tunnel ();
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    tw_tunnel_set_dest_port (tunnel, 0);
    text = tw_setup_authorized_keys_line (tunnel, key, &error);
    g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_PORT);
  }

  g_assert_true (tw_setup_validate_dest ("db_1.corp-net.example", 1, NULL));
  g_assert_true (tw_setup_validate_dest ("10.0.0.5", 65535, NULL));
  g_assert_false (tw_setup_validate_dest ("10.0.0.5", 65536, NULL));
}

static void
test_invalid_addresses (void)
{
  struct {
    const char *address;
    const char *in_message;
  } cases[] = {
    { "10.0.0.1/8", "Did you mean 10.0.0.0/8?" },
    { "2001:db8::1/32", "Did you mean 2001:db8::/32?" },
    { "203.0.113.7/33", "not an IP address" },
    { "300.1.1.1", "not an IP address" },
    { "example.com", "not an IP address" },
    { "1.2.3.4/", "not an IP address" },
    { "1.2.3.4,5.6.7.8", "not an IP address" },
    { "\"1.2.3.4\"", "not an IP address" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *list[] = { "52.0.2.4", cases[i].address, NULL };
      g_autoptr(TwTunnel) tunnel = fivetran_tunnel ();
      g_autoptr(TwPublicKey) key = parse_key (ED25519_KEY);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) aws_error = NULL;
      g_autofree char *line = NULL;
      g_autofree char *aws = NULL;

      tw_tunnel_set_service_addresses (tunnel, list);
      line = tw_setup_authorized_keys_line (tunnel, key, &error);
      g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_ADDRESS);
      g_assert_nonnull (strstr (error->message, cases[i].in_message));
      g_assert_null (line);

      aws = tw_setup_aws_commands (tunnel, NULL, &aws_error);
      g_assert_error (aws_error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_ADDRESS);
      g_assert_null (aws);
    }
}

static void
test_split_addresses (void)
{
  const char *expected[] = { "35.234.176.144", "52.0.2.0/29", "2001:db8::/32", NULL };
  const char *none[] = { NULL };
  g_auto(GStrv) parts = tw_setup_split_addresses (" 35.234.176.144,52.0.2.0/29\r\n\t2001:db8::/32;; ");
  g_auto(GStrv) empty = tw_setup_split_addresses (NULL);

  g_assert_cmpstrv (parts, expected);
  g_assert_cmpstrv (empty, none);
}

/* bash is the oracle: whatever the value, quoting and unquoting gives it back. */
static void
test_shell_quote (void)
{
  const char *values[] = { "plain", "it's", "'", "''", "$(touch /nonexistent/x)", "`id`",
                           "\"double\"", "back\\slash", "!event", "new\nline", "", "*", "a b" };
  g_autofree char *simple = tw_setup_shell_quote ("it's");

  g_assert_cmpstr (simple, ==, "'it'\\''s'");

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *quoted = tw_setup_shell_quote (values[i]);
      g_autofree char *script = g_strdup_printf ("printf %%s %s", quoted);
      g_autofree char *out = run_bash (script);

      g_assert_cmpstr (out, ==, values[i]);
    }
}

static void
test_powershell_quote (void)
{
  g_autofree char *plain = tw_setup_powershell_quote ("fivetran");
  g_autofree char *apostrophe = tw_setup_powershell_quote ("it's");
  /* U+2019, which PowerShell also takes as a closing quote */
  g_autofree char *typographic = tw_setup_powershell_quote ("it\xe2\x80\x99s $env:x");

  g_assert_cmpstr (plain, ==, "'fivetran'");
  g_assert_cmpstr (apostrophe, ==, "'it''s'");
  g_assert_cmpstr (typographic, ==, "'it\xe2\x80\x99\xe2\x80\x99s $env:x'");
}

/* The key's comment is the one free-form value: the script must hand it to authorized_keys
 * byte for byte, whatever it holds. */
static void
test_linux_script_hostile_comment (void)
{
  g_autoptr(TwTunnel) tunnel = fivetran_tunnel ();
  g_autoptr(TwPublicKey) key = parse_key ("ssh-ed25519 " ED25519_BLOB
                                          " it's $(touch /tmp/pwned) `id` \"q\" \\ !x");
  g_autofree char *expected = NULL;
  g_autofree char *script = NULL;
  g_autofree char *head = NULL;
  g_autofree char *program = NULL;
  g_autofree char *wanted = NULL;
  g_autofree char *out = NULL;
  char *cut;

  expected = tw_setup_authorized_keys_line (tunnel, key, NULL);
  g_assert_cmpstr (expected, ==, "ssh-ed25519 " ED25519_BLOB
                   " it's $(touch /tmp/pwned) `id` \"q\" \\ !x");

  script = tw_setup_linux_script (tunnel, key, NULL);
  g_assert_nonnull (script);
  /* Only the assignments, which come before the first check. */
  cut = strstr (script, "\nif [ \"$(id -u)\"");
  g_assert_nonnull (cut);
  head = g_strndup (script, cut - script);
  program = g_strconcat (head, "\nprintf '%s|%s|%s' \"$tw_user\" \"$tw_key_blob\" \"$tw_key_line\"", NULL);
  out = run_bash (program);
  wanted = g_strconcat ("fivetran|" ED25519_BLOB "|", expected, NULL);
  g_assert_cmpstr (out, ==, wanted);
}

/* Control characters in a comment would break the line or the terminal: refused. */
static void
test_comment_control_characters (void)
{
  g_autoptr(TwTunnel) tunnel = fivetran_tunnel ();
  g_autoptr(TwPublicKey) bell = parse_key ("ssh-ed25519 " ED25519_BLOB " ring\a bell");
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_assert_cmpstr (tw_public_key_get_comment (bell), ==, "ring\a bell");
  line = tw_setup_authorized_keys_line (tunnel, bell, &error);
  g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_KEY);
  g_assert_null (line);
}

/* The sshd script carries the generated lines byte for byte in a here-document (bash reads
 * them back exactly), parses, and refuses lines that would end the here-document early. */
static void
test_sshd_apply_script (void)
{
  g_autoptr(TwTunnel) tunnel = fivetran_tunnel ();
  g_autoptr(TwPublicKey) key = parse_key (RSA_KEY);
  g_autoptr(GError) error = NULL;
  g_autofree char *lines = tw_setup_sshd_config (tunnel, key, NULL);
  g_autofree char *script = tw_setup_sshd_apply_script (tunnel, key, &error);
  g_autofree char *head = NULL;
  g_autofree char *program = NULL;
  g_autofree char *check = NULL;
  g_autofree char *out = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *wanted = NULL;
  char *cut;

  g_assert_no_error (error);
  g_assert_nonnull (strstr (script, "tw_dropin=/etc/ssh/sshd_config.d/50-tunnel-wizard-$tw_user.conf\n"));
  check = g_strconcat ("bash -n <<'EOF'\n", script, "EOF\n", NULL);
  g_free (run_bash (check));

  /* Only the assignments, which come before the root check. */
  cut = strstr (script, "\nif [ \"$(id -u)\"");
  g_assert_nonnull (cut);
  head = g_strndup (script, cut - script);
  program = g_strconcat (head, "\nprintf '%s|%s' \"$tw_user\" \"$tw_lines\"", NULL);
  out = run_bash (program);
  wanted = g_strconcat ("fivetran|", lines, NULL);
  g_assert_cmpstr (out, ==, wanted);

  refused = tw_setup_sshd_apply_script_for_lines (tunnel, "Match User x\nTW_SSHD_LINES_END\nrm -rf /\n", &error);
  g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_KEY);
  g_assert_null (refused);
}

/* The commands are meant to be pasted into bash: check that bash reads them as intended
 * (a stand-in `aws` prints its arguments). */
static void
test_aws_commands_in_bash (void)
{
  g_autoptr(TwTunnel) tunnel = fivetran_tunnel ();
  g_autofree char *text = NULL;
  g_autofree char *program = NULL;
  g_autofree char *out = NULL;

  set_addresses (tunnel, "2001:db8::/32", NULL);
  text = tw_setup_aws_commands (tunnel, "sg-0123abcd", NULL);
  program = g_strconcat ("aws () { printf '<%s>' \"$@\"; echo; }\n", text, NULL);
  out = run_bash (program);
  g_assert_cmpstr (out, ==,
    "<ec2><authorize-security-group-ingress><--group-id><sg-0123abcd><--ip-permissions>"
    "<IpProtocol=tcp,FromPort=22,ToPort=22,Ipv6Ranges=[{CidrIpv6=2001:db8::/32}]>\n");
}

/* ---- reverse mode: this machine's key, the bastion listens ------------------------------ */

static TwTunnel *
reverse_tunnel (const char *listen_address)
{
  TwTunnel *tunnel = fivetran_tunnel ();

  tw_tunnel_set_mode (tunnel, TW_TUNNEL_MODE_REVERSE);
  tw_tunnel_set_remote_address (tunnel, listen_address);
  tw_tunnel_set_remote_port (tunnel, 55432);
  tw_tunnel_set_dest_host (tunnel, "localhost");
  tw_tunnel_set_dest_port (tunnel, 5432);
  tw_tunnel_set_least_privilege (tunnel, TRUE);
  return tunnel;
}

/* permitlisten carries the address exactly as the engine asks for it (sshd compares it as a
 * pattern, no lookup), "*" for every interface, IPv6 in brackets. */
static void
test_authorized_keys_reverse (void)
{
  struct { const char *address; const char *option; } cases[] = {
    { "localhost", "permitlisten=\"localhost:55432\"" },
    { "*", "permitlisten=\"*:55432\"" },
    { "", "permitlisten=\"*:55432\"" },
    { "0.0.0.0", "permitlisten=\"0.0.0.0:55432\"" },
    { "2001:db8::5", "permitlisten=\"[2001:db8::5]:55432\"" },
  };
  g_autoptr(TwPublicKey) key = parse_key (ED25519_KEY);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TwTunnel) tunnel = reverse_tunnel (cases[i].address);
      g_autoptr(GError) error = NULL;
      g_autofree char *line = tw_setup_authorized_keys_line (tunnel, key, &error);
      g_autofree char *expected = g_strdup_printf ("restrict,port-forwarding,%s " ED25519_KEY, cases[i].option);

      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, expected);
    }
}

/* What cannot be embedded is refused, with the bastion's side named; the local destination
 * is not the bastion's business and is not checked. */
static void
test_invalid_reverse (void)
{
  const char *addresses[] = { "local host", "a\"b", "-oProxyCommand=x", "bad..name", "[10.0.0.1]" };
  g_autoptr(TwPublicKey) key = parse_key (ED25519_KEY);

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(TwTunnel) tunnel = reverse_tunnel (addresses[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *line = tw_setup_authorized_keys_line (tunnel, key, &error);

      g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_HOST);
      g_assert_null (line);
    }

  {
    g_autoptr(TwTunnel) tunnel = reverse_tunnel ("localhost");
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    tw_tunnel_set_remote_port (tunnel, 0);
    text = tw_setup_sshd_config (tunnel, key, &error);
    g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_PORT);
    g_assert_null (text);
  }

  {
    g_autoptr(TwTunnel) tunnel = reverse_tunnel ("localhost");
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    tw_tunnel_set_dest_host (tunnel, NULL);
    text = tw_setup_linux_script (tunnel, key, &error);
    g_assert_no_error (error);
    g_assert_nonnull (text);
  }
}

/* ---- exact texts: one table, one runner ------------------------------------------------ */

typedef enum {
  TEXT_AUTHORIZED_KEYS,
  TEXT_LINUX,
  TEXT_WINDOWS,
  TEXT_SSHD,
  TEXT_AWS,
} TextKind;

typedef struct {
  const char *path;
  TextKind    text;
  const char *key;                  /* as pasted */
  const char *reverse_listen;       /* non-NULL: a reverse tunnel, the bastion listening there */
  gboolean    least_privilege;
  const char *dest_host;            /* NULL: the tunnel's default */
  guint       dest_port;            /* 0: the tunnel's default */
  guint       ssh_port;             /* 0: the tunnel's default */
  const char *addresses[4];
  const char *group_id;             /* for TEXT_AWS */
  const char *expected;             /* the whole text… */
  const char *expected_file;        /* …or the one in tests/setup/ */
  const char *starts_with;
  const char *ends_with;
  const char *has[3];
  const char *lacks[2];
  gboolean    sshd_needed;          /* for TEXT_SSHD: what tw_setup_sshd_config_needed() says */
  gboolean    bash_parses;
} TextCase;

#define SSHD_HEADER \
  "# Tunnel Wizard: sshd settings for the tunnel user fivetran.\n" \
  "# Save as /etc/ssh/sshd_config.d/50-tunnel-wizard-fivetran.conf (read by the Include line at the\n" \
  "# top of sshd_config), or append to the very end of /etc/ssh/sshd_config.\n" \
  "# Then check and reload (on RHEL and Fedora the service is sshd):\n" \
  "#   sshd -t && systemctl reload ssh\n" \
  "Match User fivetran\n"

#define SSHD_CLOSED_DOWN \
  "    PermitTTY no\n" \
  "    X11Forwarding no\n" \
  "    AllowAgentForwarding no\n" \
  "    AllowStreamLocalForwarding no\n" \
  "    ForceCommand /bin/false\n"

#define GATEWAY_PORTS \
  "Match User fivetran\n" \
  "    # Other hosts connect to the tunnel's port: listen where this machine asks\n" \
  "    # (without this, sshd quietly listens on the bastion's loopback only).\n" \
  "    GatewayPorts clientspecified\n"

#define AWS_NEEDS "# Needs the AWS CLI and the right to change the bastion's security group.\n"
#define AWS_RULE "aws ec2 authorize-security-group-ingress --group-id \"$SG_ID\" --protocol tcp --port "

static const TextCase text_cases[] = {
  /* the admin who ticks nothing gets the seed's plain key line */
  { "/setup/authorized-keys/plain", TEXT_AUTHORIZED_KEYS, ED25519_KEY,
    .expected = ED25519_KEY },
  /* pasted options are not carried over: the line says only what the wizard decided */
  { "/setup/authorized-keys/drops-pasted-options", TEXT_AUTHORIZED_KEYS,
    "no-pty,command=\"/bin/sh\" " ED25519_KEY,
    .expected = ED25519_KEY },
  { "/setup/authorized-keys/least-privilege", TEXT_AUTHORIZED_KEYS, ED25519_KEY,
    .least_privilege = TRUE, .dest_host = "db.internal", .dest_port = 5433,
    .expected = "restrict,port-forwarding,permitopen=\"db.internal:5433\" " ED25519_KEY },
  /* addresses as typed: spaces trimmed, blanks skipped, IPv6 in GLib's spelling */
  { "/setup/authorized-keys/least-privilege-from", TEXT_AUTHORIZED_KEYS, ED25519_KEY,
    .least_privilege = TRUE, .dest_host = "db.internal", .dest_port = 5433,
    .addresses = { " 35.234.176.144 ", "", "2001:DB8::/32", "52.0.2.0/29" },
    .expected = "restrict,port-forwarding,permitopen=\"db.internal:5433\","
                "from=\"35.234.176.144/32,2001:db8::/32,52.0.2.0/29\" " ED25519_KEY },
  /* from= alone limits a plain key too */
  { "/setup/authorized-keys/from-only", TEXT_AUTHORIZED_KEYS, ED25519_KEY,
    .dest_host = "db.internal", .dest_port = 5433,
    .addresses = { " 35.234.176.144 ", "", "2001:DB8::/32", "52.0.2.0/29" },
    .expected = "from=\"35.234.176.144/32,2001:db8::/32,52.0.2.0/29\" " ED25519_KEY },
  /* permitopen matches literally and wants IPv6 in brackets; the host stays as the admin
   * spelled it (no normalisation), with or without brackets typed */
  { "/setup/authorized-keys/ipv6-destination", TEXT_AUTHORIZED_KEYS, ED25519_KEY,
    .least_privilege = TRUE, .dest_host = "::1",
    .expected = "restrict,port-forwarding,permitopen=\"[::1]:5432\" " ED25519_KEY },
  { "/setup/authorized-keys/ipv6-destination-bracketed", TEXT_AUTHORIZED_KEYS, ED25519_KEY,
    .least_privilege = TRUE, .dest_host = "[::1]",
    .expected = "restrict,port-forwarding,permitopen=\"[::1]:5432\" " ED25519_KEY },
  { "/setup/authorized-keys/ipv6-destination-as-spelled", TEXT_AUTHORIZED_KEYS, ED25519_KEY,
    .least_privilege = TRUE, .dest_host = "FD00:0:0::10",
    .expected = "restrict,port-forwarding,permitopen=\"[FD00:0:0::10]:5432\" " ED25519_KEY },
  /* from= names this machine's addresses; without least privilege only the key is left */
  { "/setup/authorized-keys/reverse-from", TEXT_AUTHORIZED_KEYS, ED25519_KEY,
    .reverse_listen = "localhost", .least_privilege = TRUE, .addresses = { "198.51.100.7" },
    .expected = "restrict,port-forwarding,permitlisten=\"localhost:55432\",from=\"198.51.100.7/32\" "
                ED25519_KEY },
  { "/setup/authorized-keys/reverse-plain", TEXT_AUTHORIZED_KEYS, ED25519_KEY,
    .reverse_listen = "localhost",
    .expected = ED25519_KEY },

  { "/setup/linux/exact", TEXT_LINUX, ED25519_KEY,
    .expected_file = "linux-plain.sh.expected", .bash_parses = TRUE },
  { "/setup/linux/exact-least-privilege-rsa", TEXT_LINUX, RSA_KEY,
    .least_privilege = TRUE, .dest_host = "::1", .addresses = { "203.0.113.0/24", "2001:db8::/32" },
    .expected_file = "linux-least-privilege-rsa.sh.expected", .bash_parses = TRUE },

  /* ed25519, no least privilege: sshd_config stays as it is */
  { "/setup/windows/exact", TEXT_WINDOWS, ED25519_KEY,
    .expected_file = "windows-plain.ps1.expected", .lacks = { "sshd_config" } },
  /* the name Windows' OpenSSH 8.1 knows, and no /bin/false on Windows */
  { "/setup/windows/exact-least-privilege-rsa", TEXT_WINDOWS, RSA_KEY,
    .least_privilege = TRUE, .ssh_port = 2222, .addresses = { "203.0.113.0/24", "2001:db8::/32" },
    .expected_file = "windows-least-privilege-rsa.ps1.expected",
    .has = { "\n    PubkeyAcceptedKeyTypes +ssh-rsa\n" }, .lacks = { "ForceCommand" } },
  /* reverse: the same block without ForceCommand */
  { "/setup/windows/reverse", TEXT_WINDOWS, ED25519_KEY,
    .reverse_listen = "localhost", .least_privilege = TRUE,
    .has = { "PermitListen localhost:55432", "AllowTcpForwarding remote" }, .lacks = { "ForceCommand" } },

  /* an ed25519 key and an ordinary user need nothing in sshd_config */
  { "/setup/sshd/ed25519-plain", TEXT_SSHD, ED25519_KEY,
    .expected = "# Tunnel Wizard: sshd needs no changes for the tunnel user fivetran.\n"
                "# It only has to allow TCP forwarding: AllowTcpForwarding yes (the default).\n",
    .sshd_needed = FALSE },
  { "/setup/sshd/rsa", TEXT_SSHD, RSA_KEY,
    .expected = SSHD_HEADER
    "    # RSA key: OpenSSH 8.8 and later refuse its SHA-1 \"ssh-rsa\" signatures unless\n"
    "    # allowed (before OpenSSH 8.5 this option was PubkeyAcceptedKeyTypes). The seed's\n"
    "    # other line, HostKeyAlgorithms +ssh-rsa, cannot be set per user; add it at the top\n"
    "    # of sshd_config only if the service cannot agree on a host key.\n"
    "    PubkeyAcceptedAlgorithms +ssh-rsa\n",
    .sshd_needed = TRUE },
  { "/setup/sshd/least-privilege", TEXT_SSHD, ED25519_KEY,
    .least_privilege = TRUE, .dest_host = "fd00::10", .dest_port = 3306,
    .expected = SSHD_HEADER
    "    # Tunnel only: key login, forwarding to the destination, nothing else.\n"
    "    AuthenticationMethods publickey\n"
    "    AllowTcpForwarding local\n"
    "    PermitOpen [fd00::10]:3306\n"
    "    PermitListen none\n"
    SSHD_CLOSED_DOWN
    "    # Drop tunnels whose client vanished without closing them.\n"
    "    ClientAliveInterval 30\n"
    "    ClientAliveCountMax 3\n",
    .sshd_needed = TRUE },
  { "/setup/sshd/reverse", TEXT_SSHD, ED25519_KEY,
    .reverse_listen = "localhost", .least_privilege = TRUE,
    .expected = SSHD_HEADER
    "    # Reverse tunnel only: key login, listening on this one port, nothing else.\n"
    "    AuthenticationMethods publickey\n"
    "    AllowTcpForwarding remote\n"
    "    PermitListen localhost:55432\n"
    "    PermitOpen none\n"
    SSHD_CLOSED_DOWN
    "    # Notice a vanished machine within 45 s: its session holds the port, which\n"
    "    # must be free again when the machine reconnects.\n"
    "    ClientAliveInterval 15\n"
    "    ClientAliveCountMax 3\n",
    .sshd_needed = TRUE },
  /* other hosts: GatewayPorts, with least privilege or without it */
  { "/setup/sshd/reverse-gateway-ports", TEXT_SSHD, ED25519_KEY,
    .reverse_listen = "*", .least_privilege = TRUE,
    .has = { GATEWAY_PORTS "    # Reverse tunnel only", "    PermitListen *:55432\n" }, .sshd_needed = TRUE },
  { "/setup/sshd/reverse-gateway-ports-only", TEXT_SSHD, ED25519_KEY,
    .reverse_listen = "*",
    .ends_with = GATEWAY_PORTS, .sshd_needed = TRUE },
  /* loopback and no restriction asked for: nothing to change */
  { "/setup/sshd/reverse-nothing", TEXT_SSHD, ED25519_KEY,
    .reverse_listen = "localhost",
    .starts_with = "# Tunnel Wizard: sshd needs no changes", .sshd_needed = FALSE },

  { "/setup/aws/no-addresses", TEXT_AWS,
    .expected = "# Tunnel Wizard: enter the IP addresses the service connects from (its setup\n"
                "# page lists them) to get the security-group rules that let only them reach SSH.\n" },
  { "/setup/aws/exact", TEXT_AWS,
    .addresses = { "35.234.176.144", "52.0.2.0/29", "2001:DB8:1234:1A00::/64" },
    .expected = "# Tunnel Wizard: let the service's addresses reach SSH (TCP 22) on the bastion.\n"
    AWS_NEEDS
    "# The bastion's security group: EC2 console, the instance, Security tab.\n"
    ": \"${SG_ID:?Set SG_ID to the security group of the bastion, e.g. SG_ID=sg-0123456789abcdef0}\"\n"
    AWS_RULE "22 --cidr 35.234.176.144/32\n"
    AWS_RULE "22 --cidr 52.0.2.0/29\n"
    "aws ec2 authorize-security-group-ingress --group-id \"$SG_ID\" --ip-permissions "
    "'IpProtocol=tcp,FromPort=22,ToPort=22,Ipv6Ranges=[{CidrIpv6=2001:db8:1234:1a00::/64}]'\n" },
  { "/setup/aws/with-group", TEXT_AWS,
    .ssh_port = 2222, .addresses = { "52.0.2.0/29" }, .group_id = "sg-0123456789abcdef0",
    .expected = "# Tunnel Wizard: let the service's addresses reach SSH (TCP 2222) on the bastion.\n"
    AWS_NEEDS
    "SG_ID=sg-0123456789abcdef0\n"
    AWS_RULE "2222 --cidr 52.0.2.0/29\n" },
  /* the firewall text speaks of this machine; with other hosts, of the tunnel's port too */
  { "/setup/aws/reverse-no-addresses", TEXT_AWS,
    .reverse_listen = "localhost", .least_privilege = TRUE,
    .expected = "# Tunnel Wizard: enter the public IP addresses this machine connects from to get\n"
                "# the security-group rules that let only it reach SSH.\n" },
  { "/setup/aws/reverse", TEXT_AWS,
    .reverse_listen = "*", .least_privilege = TRUE, .addresses = { "198.51.100.7" },
    .group_id = "sg-0123abcd",
    .expected = "# Tunnel Wizard: let this machine's addresses reach SSH (TCP 22) on the bastion.\n"
    AWS_NEEDS
    "# Other hosts reach the tunnel on the bastion's TCP port 55432: open that port to\n"
    "# them (for a service, its addresses) in the same security group.\n"
    "SG_ID=sg-0123abcd\n"
    AWS_RULE "22 --cidr 198.51.100.7/32\n" },
};

static TwTunnel *
case_tunnel (const TextCase *c)
{
  TwTunnel *tunnel = c->reverse_listen ? reverse_tunnel (c->reverse_listen) : fivetran_tunnel ();
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();

  tw_tunnel_set_least_privilege (tunnel, c->least_privilege);
  if (c->dest_host != NULL)
    tw_tunnel_set_dest_host (tunnel, c->dest_host);
  if (c->dest_port != 0)
    tw_tunnel_set_dest_port (tunnel, c->dest_port);
  if (c->ssh_port != 0)
    tw_tunnel_set_ssh_port (tunnel, c->ssh_port);
  for (guint i = 0; i < G_N_ELEMENTS (c->addresses) && c->addresses[i] != NULL; i++)
    g_ptr_array_add (addresses, (gpointer) c->addresses[i]);
  g_ptr_array_add (addresses, NULL);
  tw_tunnel_set_service_addresses (tunnel, (const char * const *) addresses->pdata);
  return tunnel;
}

static void
test_text (gconstpointer data)
{
  const TextCase *c = data;
  g_autoptr(TwTunnel) tunnel = case_tunnel (c);
  g_autoptr(TwPublicKey) key = c->key ? parse_key (c->key) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  switch (c->text)
    {
    case TEXT_AUTHORIZED_KEYS:
      text = tw_setup_authorized_keys_line (tunnel, key, &error);
      break;
    case TEXT_LINUX:
      text = tw_setup_linux_script (tunnel, key, &error);
      break;
    case TEXT_WINDOWS:
      text = tw_setup_windows_script (tunnel, key, &error);
      break;
    case TEXT_SSHD:
      text = tw_setup_sshd_config (tunnel, key, &error);
      g_assert_cmpint (tw_setup_sshd_config_needed (tunnel, key), ==, c->sshd_needed);
      break;
    case TEXT_AWS:
      text = tw_setup_aws_commands (tunnel, c->group_id, &error);
      break;
    }
  g_assert_no_error (error);
  g_assert_nonnull (text);

  if (c->expected != NULL)
    g_assert_cmpstr (text, ==, c->expected);
  if (c->expected_file != NULL)
    {
      g_autofree char *expected = read_expected (c->expected_file);

      g_assert_cmpstr (text, ==, expected);
    }
  if (c->starts_with != NULL)
    g_assert_true (g_str_has_prefix (text, c->starts_with));
  if (c->ends_with != NULL)
    g_assert_true (g_str_has_suffix (text, c->ends_with));
  for (guint i = 0; i < G_N_ELEMENTS (c->has) && c->has[i] != NULL; i++)
    g_assert_nonnull (strstr (text, c->has[i]));
  for (guint i = 0; i < G_N_ELEMENTS (c->lacks) && c->lacks[i] != NULL; i++)
    g_assert_null (strstr (text, c->lacks[i]));
  if (c->bash_parses)
    {
      g_autofree char *check = g_strconcat ("bash -n <<'EOF'\n", text, "EOF\n", NULL);

      g_free (run_bash (check));
    }
}

/* sshd as the oracle: the drop-in passes sshd -t, included at the top as Debian's
 * sshd_config does, and sshd -T -C shows it applies to the tunnel user only. */
typedef struct {
  const char *path;
  const char *key;
  const char *reverse_listen;
  const char *dest_host;
  const char *tunnel_user_has[5];
  const char *other_user_has[3];
  const char *other_user_lacks[2];
} EffectiveCase;

static const EffectiveCase effective_cases[] = {
  { "/setup/sshd/accepted-by-sshd", RSA_KEY, NULL, "::1",
    { "\npermitopen [::1]:5432\n", "\nallowtcpforwarding local\n", "\nforcecommand /bin/false\n",
      "\nx11forwarding no\n",
      /* "+ssh-rsa" appends to the default list */
      ",ssh-rsa\n" },
    { "\npermitopen any\n", "\nallowtcpforwarding yes\n", "\nx11forwarding yes\n" },
    { ",ssh-rsa\n", "forcecommand /bin/false" } },
  /* the reverse block, GatewayPorts included, is valid inside Match */
  { "/setup/sshd/reverse-accepted-by-sshd", ED25519_KEY, "*", NULL,
    { "\nallowtcpforwarding remote\n", "\ngatewayports clientspecified\n", "\npermitlisten *:55432\n",
      "\npermitopen none\n" },
    { "\nallowtcpforwarding yes\n", "\ngatewayports no\n", "\npermitlisten any\n" } },
};

static void
test_sshd_effective (gconstpointer data)
{
  const EffectiveCase *c = data;
  TextCase settings = { .reverse_listen = c->reverse_listen, .least_privilege = TRUE, .dest_host = c->dest_host };
  g_autoptr(TwTunnel) tunnel = case_tunnel (&settings);
  g_autoptr(TwPublicKey) key = parse_key (c->key);
  g_autoptr(GError) error = NULL;
  g_autofree char *dropin = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *tunnel_user = NULL;
  const char *other_user;

  if (!g_file_test ("/usr/sbin/sshd", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs /usr/sbin/sshd");
      return;
    }
  dropin = tw_setup_sshd_config (tunnel, key, &error);
  g_assert_no_error (error);
  dir = g_dir_make_tmp ("tw-sshd-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *dropin_path = g_build_filename (dir, "tunnel-fivetran.conf", NULL);

    g_assert_true (g_file_set_contents (dropin_path, dropin, -1, NULL));
  }
  script = g_strdup_printf (
    "set -e; cd '%s'; ssh-keygen -q -t ed25519 -N '' -f hostkey; mkdir -p /run/sshd\n"
    "printf 'Include %%s\\nHostKey %%s\\nX11Forwarding yes\\nUsePAM no\\n' \"$PWD/tunnel-fivetran.conf\""
    " \"$PWD/hostkey\" > sshd_config\n"
    "/usr/sbin/sshd -t -f sshd_config\n"
    "echo USER; /usr/sbin/sshd -T -f sshd_config -C user=fivetran,host=h,addr=127.0.0.1\n"
    "echo OTHER; /usr/sbin/sshd -T -f sshd_config -C user=admin,host=h,addr=127.0.0.1\n", dir);
  out = run_bash (script);
  /* Cleaned up before the assertions, which abort. */
  g_free (script);
  script = g_strdup_printf ("rm -rf '%s'", dir);
  g_free (run_bash (script));

  other_user = strstr (out, "OTHER\n");
  g_assert_nonnull (other_user);
  g_assert_true (g_str_has_prefix (out, "USER\n"));
  tunnel_user = g_strndup (out, other_user - out);
  for (guint i = 0; i < G_N_ELEMENTS (c->tunnel_user_has) && c->tunnel_user_has[i] != NULL; i++)
    g_assert_nonnull (strstr (tunnel_user, c->tunnel_user_has[i]));
  for (guint i = 0; i < G_N_ELEMENTS (c->other_user_has) && c->other_user_has[i] != NULL; i++)
    g_assert_nonnull (strstr (other_user, c->other_user_has[i]));
  for (guint i = 0; i < G_N_ELEMENTS (c->other_user_lacks) && c->other_user_lacks[i] != NULL; i++)
    g_assert_null (strstr (other_user, c->other_user_lacks[i]));
}

static void
test_sshd_path_and_reload (void)
{
  g_autoptr(TwTunnel) tunnel = fivetran_tunnel ();
  g_autofree char *path = tw_setup_sshd_config_path (tunnel);

  g_assert_cmpstr (path, ==, "/etc/ssh/sshd_config.d/50-tunnel-wizard-fivetran.conf");
  g_assert_cmpstr (tw_setup_sshd_reload_command (), ==, "sshd -t && systemctl reload ssh");
}

static void
test_aws_bad_group (void)
{
  g_autoptr(TwTunnel) tunnel = fivetran_tunnel ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  set_addresses (tunnel, "52.0.2.0/29", NULL);
  text = tw_setup_aws_commands (tunnel, "sg-1; rm -rf /", &error);
  g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_GROUP_ID);
  g_assert_null (text);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_tunnel_setup_properties (void)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  const char *list[] = { "203.0.113.0/24", NULL };
  const char *same[] = { "203.0.113.0/24", NULL };
  const char *empty[] = { NULL };
  g_auto(GStrv) read_back = NULL;
  gboolean least = TRUE;
  guint count = 0;

  g_assert_null (tw_tunnel_get_service_addresses (tunnel));
  g_assert_false (tw_tunnel_get_least_privilege (tunnel));
  g_signal_connect (tunnel, "notify", G_CALLBACK (on_notify), &count);

  tw_tunnel_set_service_addresses (tunnel, list);
  tw_tunnel_set_service_addresses (tunnel, same);
  g_assert_cmpuint (count, ==, 1);
  g_object_get (tunnel, "service-addresses", &read_back, "least-privilege", &least, NULL);
  g_assert_cmpstrv (read_back, list);
  g_assert_false (least);

  /* an empty list is no list */
  tw_tunnel_set_service_addresses (tunnel, empty);
  g_assert_cmpuint (count, ==, 2);
  g_assert_null (tw_tunnel_get_service_addresses (tunnel));
  tw_tunnel_set_service_addresses (tunnel, NULL);
  g_assert_cmpuint (count, ==, 2);

  g_object_set (tunnel, "least-privilege", TRUE, NULL);
  tw_tunnel_set_least_privilege (tunnel, 2);
  g_assert_cmpuint (count, ==, 3);
  g_assert_true (tw_tunnel_get_least_privilege (tunnel));

  g_assert_finalize_object (g_steal_pointer (&tunnel));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/setup/authorized-keys/reverse", test_authorized_keys_reverse);
  g_test_add_func ("/setup/invalid/reverse", test_invalid_reverse);
  g_test_add_func ("/setup/invalid/users", test_invalid_users);
  g_test_add_func ("/setup/invalid/destinations", test_invalid_destinations);
  g_test_add_func ("/setup/invalid/addresses", test_invalid_addresses);
  g_test_add_func ("/setup/addresses/split", test_split_addresses);
  g_test_add_func ("/setup/quote/shell", test_shell_quote);
  g_test_add_func ("/setup/quote/powershell", test_powershell_quote);
  g_test_add_func ("/setup/linux/hostile-comment", test_linux_script_hostile_comment);
  g_test_add_func ("/setup/invalid/comment-control-characters", test_comment_control_characters);
  g_test_add_func ("/setup/sshd/apply-script", test_sshd_apply_script);
  g_test_add_func ("/setup/aws/in-bash", test_aws_commands_in_bash);
  g_test_add_func ("/setup/tunnel/properties", test_tunnel_setup_properties);
  for (guint i = 0; i < G_N_ELEMENTS (text_cases); i++)
    g_test_add_data_func (text_cases[i].path, &text_cases[i], test_text);
  for (guint i = 0; i < G_N_ELEMENTS (effective_cases); i++)
    g_test_add_data_func (effective_cases[i].path, &effective_cases[i], test_sshd_effective);
  g_test_add_func ("/setup/sshd/path-and-reload", test_sshd_path_and_reload);
  g_test_add_func ("/setup/invalid/group-id", test_aws_bad_group);

  return g_test_run ();
}
