/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The infrastructure-as-code exports with hostile values: a key comment with quotes, '$',
 * backticks, Jinja and HCL template markers, a backslash and non-ASCII text. The tools the
 * texts are for are the oracles: cloud-init's schema check, ansible-playbook --syntax-check,
 * PyYAML reading the values back, terraform fmt (when installed: Debian 12 has no package),
 * bash running the CLI commands against stand-ins that print their arguments, sshd -t on the
 * drop-in. A live Ansible run is in test-setup-ansible-live.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "tw-core.h"

#define ED25519_BLOB "AAAAC3NzaC1lZDI1NTE5AAAAIOVn0gcu1oKtPQQK9pxHp8ikVQi7D36v2GnlaIbpeBWK"
#define HOSTILE_COMMENT "it's \"$(id)\" `id` ${HOME} %{if} {{ lookup('pipe','id') }} {% raw %} \\ #x: - [a] ünï 🚇"

typedef struct
{
  char *dir;
  TwTunnel *tunnel;
  TwPublicKey *key;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tw-exports-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->key = tw_public_key_parse ("ssh-ed25519 " ED25519_BLOB " " HOSTILE_COMMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_public_key_get_comment (fixture->key), ==, HOSTILE_COMMENT);
  fixture->tunnel = tw_tunnel_new ();
  tw_tunnel_set_user (fixture->tunnel, "fivetran");
  tw_tunnel_set_dest_host (fixture->tunnel, "db.internal");
  tw_tunnel_set_dest_port (fixture->tunnel, 5432);
  tw_tunnel_set_least_privilege (fixture->tunnel, TRUE);
  {
    const char *addresses[] = { "203.0.113.0/24", "198.51.100.7", "2001:db8::/32", NULL };
    tw_tunnel_set_service_addresses (fixture->tunnel, addresses);
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->dir);
  g_clear_object (&fixture->tunnel);
  g_clear_object (&fixture->key);
}

static char *
render (Fixture    *fixture,
        const char *name)
{
  const TwSetupFormat *format = tw_setup_find_format (name);
  g_autoptr(GError) error = NULL;
  char *text;

  g_assert_nonnull (format);
  text = format->render (fixture->tunnel, fixture->key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Runs argv (searched in PATH) with @input on standard input; returns standard output and
 * sets *status to the exit status (or -1 when it did not exit normally). */
static char *
run (const char * const *argv,
     const char         *input,
     char              **err_out,
     int                *status)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL, *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (err_out != NULL)
    *err_out = err;
  else
    g_free (err);
  return out;
}

/* Returns standard output; fails the test when the program fails. */
static char *
run_ok (const char * const *argv,
        const char         *input)
{
  g_autofree char *err = NULL;
  int status;
  char *text = run (argv, input, &err, &status);

  if (status != 0)
    g_error ("%s exited with %d:\n%s\n%s", argv[0], status, text, err);
  return text;
}

static void
assert_runs (const char * const *argv,
             const char         *input)
{
  g_free (run_ok (argv, input));
}

static gboolean
have (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  return path != NULL;
}

/* PyYAML as Ansible and cloud-init read it (the !unsafe tag of Ansible taken as a string);
 * prints the value at the Python expression @path of the document as JSON. */
static char *
yaml_value (const char *file,
            const char *path)
{
  g_autofree char *program = g_strdup_printf (
    "import json, sys, yaml\n"
    "yaml.SafeLoader.add_constructor('!unsafe', lambda l, n: l.construct_scalar(n))\n"
    "doc = yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.SafeLoader)\n"
    "print(json.dumps(%s))\n", path);
  const char *argv[] = { "python3", "-c", program, file, NULL };
  return run_ok (argv, NULL);
}

/* The same value as JSON, the way yaml_value() prints it. */
static char *
json_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *json = NULL;
  const char *argv[] = { "python3", "-c", "import json, sys; print(json.dumps(json.load(sys.stdin)))", NULL };
  json_node_set_string (node, text);
  json_generator_set_root (generator, node);
  json = json_generator_to_data (generator, NULL);
  return run_ok (argv, json);
}

static void
assert_yaml_value (const char *file,
                   const char *path,
                   const char *expected)
{
  g_autofree char *got = yaml_value (file, path);
  g_autofree char *want = json_string (expected);

  g_assert_cmpstr (got, ==, want);
}

/* sshd -t reads the drop-in on its own, as Ansible's validate does. */
static void
assert_sshd_accepts (Fixture    *fixture,
                     const char *dropin)
{
  g_autofree char *host_key = g_build_filename (fixture->dir, "host_key", NULL);
  g_autofree char *config = NULL, *path = NULL;
  const char *keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key, NULL };
  const char *sshd[] = { "/usr/sbin/sshd", "-t", "-f", NULL, NULL };

  if (!g_file_test (host_key, G_FILE_TEST_EXISTS))
    assert_runs (keygen, NULL);
  config = g_strdup_printf ("HostKey %s\n%s", host_key, dropin);
  path = write_file (fixture, "sshd_config", config);
  sshd[3] = path;
  assert_runs (sshd, NULL);
}

static void
test_cloud_init (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *text = render (fixture, "cloud-init");
  g_autofree char *path = write_file (fixture, "user-data", text);
  g_autofree char *line = tw_setup_authorized_keys_line (fixture->tunnel, fixture->key, NULL);
  g_autofree char *content = yaml_value (path, "doc['write_files'][0]['content']");
  g_autofree char *dropin = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_true (g_str_has_prefix (text, "#cloud-config\n"));
  assert_yaml_value (path, "doc['users'][1]['name']", "fivetran");
  assert_yaml_value (path, "doc['users'][1]['ssh_authorized_keys'][0]", line);
  assert_yaml_value (path, "doc['users'][1]['shell']", "/usr/sbin/nologin");
  assert_yaml_value (path, "doc['write_files'][0]['path']",
                     "/run/tunnel-wizard/50-tunnel-wizard-fivetran.conf");

  node = json_from_string (content, NULL);
  g_assert_nonnull (node);
  dropin = g_strdup (json_node_get_string (node));
  g_assert_nonnull (strstr (dropin, "Match User fivetran\n"));
  g_assert_nonnull (strstr (dropin, "PermitOpen db.internal:5432\n"));
  assert_sshd_accepts (fixture, dropin);

  {
    g_autofree char *runcmd = yaml_value (path, "doc['runcmd'][0]");
    const char *check = strstr (runcmd, "sshd -t");
    const char *reload = strstr (runcmd, "systemctl reload");

    g_assert_nonnull (check);
    g_assert_nonnull (reload);
    g_assert_cmpint (check - runcmd, <, reload - runcmd);
  }

  if (have ("cloud-init"))
    {
      const char *argv[] = { "cloud-init", "schema", "--config-file", path, NULL };
      assert_runs (argv, NULL);
    }
  else
    g_test_message ("cloud-init is not installed: schema not checked (build-aux/install-deps.sh test)");
}

static void
test_cloud_init_plain (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *text = NULL, *path = NULL;

  /* Ed25519 without least privilege: sshd needs nothing, so no drop-in and no reload. */
  tw_tunnel_set_least_privilege (fixture->tunnel, FALSE);
  text = render (fixture, "cloud-init");
  path = write_file (fixture, "user-data", text);
  g_assert_null (strstr (text, "write_files"));
  g_assert_null (strstr (text, "runcmd"));
  assert_yaml_value (path, "doc['users'][1]['shell']", "/bin/bash");
  if (have ("cloud-init"))
    {
      const char *argv[] = { "cloud-init", "schema", "--config-file", path, NULL };
      assert_runs (argv, NULL);
    }
}

static void
test_ansible (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *text = render (fixture, "ansible");
  g_autofree char *path = write_file (fixture, "tunnel.yml", text);
  const char *key_line = "ssh-ed25519 " ED25519_BLOB " " HOSTILE_COMMENT;
  g_autofree char *content = NULL;
  g_autoptr(JsonNode) node = NULL;

  assert_yaml_value (path, "doc[0]['vars']['tw_user']", "fivetran");
  assert_yaml_value (path, "doc[0]['tasks'][2]['ansible.posix.authorized_key']['key']", key_line);
  assert_yaml_value (path, "doc[0]['tasks'][2]['ansible.posix.authorized_key']['key_options']",
                     "restrict,port-forwarding,permitopen=\"db.internal:5432\","
                     "from=\"203.0.113.0/24,198.51.100.7/32,2001:db8::/32\"");
  assert_yaml_value (path, "doc[0]['tasks'][3]['ansible.builtin.copy']['validate']",
                     "/usr/sbin/sshd -t -f %s");
  assert_yaml_value (path, "doc[0]['tasks'][3]['notify']", "Reload sshd");
  assert_yaml_value (path, "doc[0]['handlers'][1]['listen']", "Reload sshd");
  /* Jinja would run lookup('pipe', …) on the control machine: the values must be !unsafe. */
  g_assert_nonnull (strstr (text, "key: !unsafe \""));

  content = yaml_value (path, "doc[0]['tasks'][3]['ansible.builtin.copy']['content']");
  node = json_from_string (content, NULL);
  assert_sshd_accepts (fixture, json_node_get_string (node));

  if (have ("ansible-playbook"))
    {
      const char *argv[] = { "ansible-playbook", "--syntax-check", "-i", "localhost,", path, NULL };
      assert_runs (argv, NULL);
    }
  else
    g_test_message ("ansible-playbook is not installed: syntax not checked");
}

/* Balanced braces and brackets outside strings, strings closed, no interpolation left: the
 * structure any HCL parser needs. terraform fmt (a real HCL parser) when it is installed. */
static void
assert_hcl (Fixture    *fixture,
            const char *text)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
          else if (*p == '\n')
            g_error ("a string runs over a line end");
          else
            g_assert_false ((*p == '$' || *p == '%') && p[1] == '{' && (p == text || p[-1] != *p));
          continue;
        }
      if (*p == '#')
        {
          while (p[1] != '\0' && p[1] != '\n')
            p++;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[' || *p == '(')
        depth++;
      else if (*p == '}' || *p == ']' || *p == ')')
        g_assert_cmpint (--depth, >=, 0);
    }
  g_assert_false (in_string);
  g_assert_cmpint (depth, ==, 0);

  if (have ("terraform"))
    {
      const char *argv[] = { "terraform", "fmt", "-check", "-", NULL };
      assert_runs (argv, text);
    }
  else
    g_test_message ("terraform is not installed (no Debian package): HCL checked structurally only");
}

static void
test_terraform (Fixture       *fixture,
                gconstpointer  data)
{
  const char *checks[][4] = {
    { "terraform-aws", "resource \"aws_vpc_security_group_ingress_rule\"", "cidr_ipv6         = each.value", "toset([\"203.0.113.0/24\", \"198.51.100.7/32\"])" },
    { "terraform-gcp", "resource \"google_compute_firewall\"", "source_ranges = [\"2001:db8::/32\"]", "ports    = [\"2222\"]" },
    { "terraform-azure", "resource \"azurerm_network_security_rule\"", "source_address_prefixes     = [\"2001:db8::/32\"]", "destination_port_range      = \"2222\"" },
  };

  tw_tunnel_set_ssh_port (fixture->tunnel, 2222);
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *text = render (fixture, checks[i][0]);

      g_test_message ("%s", checks[i][0]);
      assert_hcl (fixture, text);
      for (guint j = 1; j < 4; j++)
        g_assert_nonnull (strstr (text, checks[i][j]));
      /* One rule per address family: an IPv4 and an IPv6 one. */
      g_assert_nonnull (strstr (text, "ipv4\" {"));
      g_assert_nonnull (strstr (text, "ipv6\" {"));
    }
}

/* HCL quoting on its own, with terraform console as the reader when installed. */
static void
test_hcl_quote (void)
{
  const char *values[] = { "plain", "a \"b\" \\c", "${path.module} %{if x}", "$$ %% $x %x",
                           "line\nbreak\ttab", "ünï 🚇", NULL };

  for (guint i = 0; values[i]; i++)
    {
      g_autofree char *quoted = tw_setup_hcl_quote (values[i]);
      g_autofree char *expression = g_strdup_printf ("jsonencode(%s)\n", quoted);
      const char *argv[] = { "terraform", "console", NULL };
      g_autofree char *out = NULL;
      g_autoptr(JsonNode) node = NULL, inner = NULL;

      g_assert_null (strchr (quoted, '\n'));
      if (!have ("terraform"))
        continue;
      /* console prints the JSON text as an HCL string literal, escaped like JSON. */
      out = run_ok (argv, expression);
      node = json_from_string (g_strstrip (out), NULL);
      g_assert_nonnull (node);
      inner = json_from_string (json_node_get_string (node), NULL);
      g_assert_nonnull (inner);
      g_assert_cmpstr (json_node_get_string (inner), ==, values[i]);
    }
}

/* YAML quoting on its own: characters YAML 1.1 folds or refuses, read back by PyYAML. */
static void
test_yaml_quote (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *values[] = { "plain", "a \"b\" \\c: #d - [e] {f}", "nel\xc2\x85ls\xe2\x80\xa8ps\xe2\x80\xa9",
                           "bom\xef\xbb\xbf del\x7f c1\xc2\x9b", "tab\tnl\ncr\r esc\x1b", "ünï 🚇 '", "", NULL };

  for (guint i = 0; values[i]; i++)
    {
      g_autofree char *quoted = tw_setup_yaml_quote (values[i]);
      g_autofree char *doc = g_strdup_printf ("value: %s\n", quoted);
      g_autofree char *path = write_file (fixture, "value.yml", doc);

      assert_yaml_value (path, "doc['value']", values[i]);
    }
}

/* Runs the commands with stand-ins for the cloud CLIs that print each argument on a line. */
static char *
run_commands (const char *text,
              const char *program)
{
  g_autofree char *script = g_strdup_printf (
    "%s () { printf '<%%s>\\n' \"$@\"; echo; }\n"
    "SG_ID=sg-0123456789abcdef0 RESOURCE_GROUP=rg NSG_NAME=nsg\n%s", program, text);
  const char *syntax[] = { "bash", "-n", "-c", script, NULL };
  const char *argv[] = { "bash", "-c", script, NULL };
  assert_runs (syntax, NULL);
  return run_ok (argv, NULL);
}

static void
test_cloud_cli (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *gcloud_text = render (fixture, "gcloud");
  g_autofree char *az_text = render (fixture, "az");
  g_autofree char *aws_text = render (fixture, "aws-cli");
  g_autofree char *gcloud = run_commands (gcloud_text, "gcloud");
  g_autofree char *az = run_commands (az_text, "az");
  g_autofree char *aws = run_commands (aws_text, "aws");

  g_assert_nonnull (strstr (gcloud, "<tunnel-wizard-fivetran-ssh-ipv4>\n<--network=default>\n"));
  g_assert_nonnull (strstr (gcloud, "<--source-ranges=203.0.113.0/24,198.51.100.7/32>\n"));
  g_assert_nonnull (strstr (gcloud, "<--source-ranges=2001:db8::/32>\n"));
  g_assert_nonnull (strstr (gcloud, "<--description=SSH tunnel user fivetran (Tunnel Wizard)>\n"));
  g_assert_nonnull (strstr (az, "<--priority>\n<310>\n"));
  g_assert_nonnull (strstr (az, "<--priority>\n<311>\n"));
  g_assert_nonnull (strstr (az, "<--source-address-prefixes>\n<203.0.113.0/24>\n<198.51.100.7/32>\n<--source-port-ranges>\n<*>\n"));
  g_assert_nonnull (strstr (az, "<--resource-group>\n<rg>\n<--nsg-name>\n<nsg>\n"));
  g_assert_nonnull (strstr (aws, "<sg-0123456789abcdef0>\n"));

  /* Without RESOURCE_GROUP the az commands stop before the first one, with a message. */
  {
    g_autofree char *text = render (fixture, "az");
    g_autofree char *script = g_strdup_printf ("az () { echo ran; }\n%s", text);
    const char *argv[] = { "bash", "-c", script, NULL };
    g_autofree char *err = NULL, *out = NULL;
    int status;

    out = run (argv, NULL, &err, &status);
    g_assert_cmpint (status, !=, 0);
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, "Set RESOURCE_GROUP"));
  }
}

/* What cannot be written safely is refused with a message that says what, by every format. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  const char *users[] = { "five\"tran", "five$tran", "five`x`", "fïve", "five\ntran", NULL };
  guint n_formats;
  const TwSetupFormat *formats = tw_setup_get_formats (&n_formats);

  for (guint u = 0; users[u]; u++)
    {
      tw_tunnel_set_user (fixture->tunnel, users[u]);
      for (guint i = 0; i < n_formats; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *text = NULL;

          /* aws-cli never names the user. */
          if (g_str_equal (formats[i].name, "aws-cli"))
            continue;
          text = formats[i].render (fixture->tunnel, fixture->key, &error);
          g_assert_null (text);
          g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_USER);
          g_assert_nonnull (strstr (error->message, "user name"));
        }
    }

  tw_tunnel_set_user (fixture->tunnel, "fivetran");
  {
    const char *addresses[] = { "203.0.113.0/24", "$(id)", NULL };

    tw_tunnel_set_service_addresses (fixture->tunnel, addresses);
    for (guint i = 0; i < n_formats; i++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *text = NULL;

        /* The sshd_config lines have no addresses in them. */
        if (g_str_equal (formats[i].name, "sshd"))
          continue;
        text = formats[i].render (fixture->tunnel, fixture->key, &error);
        g_assert_null (text);
        g_assert_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_ADDRESS);
      }
  }
}

static void
test_no_addresses (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *names[] = { "terraform-aws", "terraform-gcp", "terraform-azure", "gcloud", "az" };

  tw_tunnel_set_service_addresses (fixture->tunnel, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *text = render (fixture, names[i]);

      g_assert_nonnull (strstr (text, "enter the IP addresses the service connects from"));
      g_assert_null (strstr (text, "resource"));
      g_assert_null (strstr (text, "create"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/setup/exports/cloud-init", test_cloud_init);
  ADD ("/setup/exports/cloud-init-plain", test_cloud_init_plain);
  ADD ("/setup/exports/ansible", test_ansible);
  ADD ("/setup/exports/terraform", test_terraform);
  ADD ("/setup/exports/cloud-cli", test_cloud_cli);
  ADD ("/setup/exports/yaml-quote", test_yaml_quote);
  ADD ("/setup/exports/refused", test_refused);
  ADD ("/setup/exports/no-addresses", test_no_addresses);
#undef ADD
  g_test_add_func ("/setup/exports/hcl-quote", test_hcl_quote);

  return g_test_run ();
}
