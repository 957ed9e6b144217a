/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin's ~/.ssh/config as OpenSSH reads it: for each config file and
 * host below, what the resolver says must be what `ssh -G -F FILE HOST`
 * prints (User, HostName, Port, IdentityFile, CertificateFile, ProxyJump,
 * IdentityAgent), what `ssh -v` says it loads (the file names after ~ and
 * %-tokens), and how the OpenSSH client splits ProxyJump into hops.
 * Every expectation comes from the OpenSSH client on this machine.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "tw-core.h"

typedef struct
{
  char      *user;
  char      *hostname;
  guint      port;
  GPtrArray *identity_files;
  GPtrArray *certificate_files;
  char      *proxy_jump;
  char      *identity_agent;
} SshG;

static void
ssh_g_free (SshG *g)
{
  g_free (g->user);
  g_free (g->hostname);
  g_ptr_array_unref (g->identity_files);
  g_ptr_array_unref (g->certificate_files);
  g_free (g->proxy_jump);
  g_free (g->identity_agent);
  g_free (g);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SshG, ssh_g_free)

static char *
run_ssh (const char * const *args,
         gboolean            want_stderr)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) "ssh");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  return want_stderr ? g_steal_pointer (&err) : g_steal_pointer (&out);
}

static SshG *
ssh_g (const char *file,
       const char *host)
{
  const char * const args[] = { "-G", "-F", file, host, NULL };
  g_autofree char *out = run_ssh (args, FALSE);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  SshG *g = g_new0 (SshG, 1);

  g->identity_files = g_ptr_array_new_with_free_func (g_free);
  g->certificate_files = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');
      g_autofree char *key = NULL;
      const char *value;

      if (space == NULL)
        continue;
      key = g_strndup (lines[i], (gsize) (space - lines[i]));
      value = space + 1;
      if (g_str_equal (key, "user"))
        g->user = g_strdup (value);
      else if (g_str_equal (key, "hostname"))
        g->hostname = g_strdup (value);
      else if (g_str_equal (key, "port"))
        g->port = (guint) g_ascii_strtoull (value, NULL, 10);
      else if (g_str_equal (key, "identityfile"))
        g_ptr_array_add (g->identity_files, g_strdup (value));
      else if (g_str_equal (key, "certificatefile"))
        g_ptr_array_add (g->certificate_files, g_strdup (value));
      else if (g_str_equal (key, "proxyjump"))
        g->proxy_jump = g_strdup (value);
      else if (g_str_equal (key, "identityagent"))
        g->identity_agent = g_strdup (value);
    }
  g_assert_nonnull (g->hostname);
  return g;
}

static void
assert_same_list (const char * const *ours,
                  GPtrArray          *theirs,
                  const char         *what)
{
  guint n = ours ? g_strv_length ((char **) ours) : 0;

  if (n != theirs->len)
    g_error ("%s: %u entries here, %u from OpenSSH", what, n, theirs->len);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (ours[i], ==, g_ptr_array_index (theirs, i));
}

/* The file names `ssh -v` says it loads; ProxyCommand=true makes it get
 * that far without any network. */
static void
ssh_v_files (const char *file,
             const char *host,
             GPtrArray  *identities,
             GPtrArray  *certificates)
{
  const char * const args[] = { "-v", "-F", file, "-o", "BatchMode=yes", "-o", "ProxyCommand=true",
                                host, "true", NULL };
  g_autofree char *err = run_ssh (args, TRUE);
  g_auto(GStrv) lines = g_strsplit_set (err, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p;
      const char *end = strstr (lines[i], " type ");
      GPtrArray *into = NULL;

      if ((p = strstr (lines[i], "debug1: identity file ")) != NULL)
        {
          p += strlen ("debug1: identity file ");
          into = identities;
        }
      else if ((p = strstr (lines[i], "debug1: certificate file ")) != NULL)
        {
          p += strlen ("debug1: certificate file ");
          into = certificates;
        }
      if (into == NULL || end == NULL || end < p)
        continue;
      /* ssh also looks for KEY-cert beside each key: not a config value */
      if (into == identities && end - p > 5 && strncmp (end - 5, "-cert", 5) == 0)
        continue;
      g_ptr_array_add (into, g_strndup (p, (gsize) (end - p)));
    }
}

static void
check_host (const char *file,
            const char *host)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (file, host, &error);
  g_autoptr(SshG) g = ssh_g (file, host);
  const char *agent;

  g_test_message ("host %s", host);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_ssh_config_get_user (config), ==, g->user);
  g_assert_cmpstr (tw_ssh_config_get_hostname (config), ==, g->hostname);
  g_assert_cmpuint (tw_ssh_config_get_port (config), ==, g->port);
  assert_same_list (tw_ssh_config_get_identity_files_raw (config), g->identity_files, "IdentityFile");
  assert_same_list (tw_ssh_config_get_certificate_files_raw (config), g->certificate_files, "CertificateFile");
  /* ssh -G reformats the value ("u@[h]:p"): the hops are compared in test_proxy_jump */
  g_assert_cmpint (tw_ssh_config_get_proxy_jump (config) != NULL, ==, g->proxy_jump != NULL);

  /* OpenSSH prints the literal SSH_AUTH_SOCK for "the usual agent", which is NULL here */
  agent = tw_ssh_config_get_identity_agent (config);
  g_assert_cmpstr (agent ? agent : (g->identity_agent ? "SSH_AUTH_SOCK" : NULL), ==, g->identity_agent);

  if (tw_ssh_config_get_proxy_jump (config) == NULL)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func (g_free);

      ssh_v_files (file, host, ids, certs);
      assert_same_list (tw_ssh_config_get_identity_files (config), ids, "IdentityFile expanded");
      assert_same_list (tw_ssh_config_get_certificate_files (config), certs, "CertificateFile expanded");
    }
}

static char *
write_config (const char *dir,
              const char *name,
              const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  return g_steal_pointer (&path);
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tw-ssh-config-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
}

/* An alias: the name the admin types is not the machine's name */
static void
test_alias (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *file = write_config (dir, "config",
    "# the bastion, by its short name\n"
    "Host bastion Bast\n"
    "    HostName %h.example.com\n"
    "    User alice\n"
    "    Port 2200\n"
    "    IdentityFile ~/.ssh/work_ed25519\n"
    "Host db-gw\n"
    "    HostName 203.0.113.7\n"
    "Host *\n"
    "    User fallback\n"
    "    Port 2222\n");
  const char * const hosts[] = { "bastion", "Bast", "BAST", "bastion.example.com", "db-gw", "other", NULL };

  for (guint i = 0; hosts[i] != NULL; i++)
    check_host (file, hosts[i]);
  remove_dir (dir);
}

/* Wildcards, negation, first value wins, keyword case and "=" forms */
static void
test_patterns (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *file = write_config (dir, "config",
    "Host *.corp.example !secret.corp.example\n"
    "  port 2201\n"
    "  USER corp\n"
    "Host web?.corp.example\n"
    "  Port 2202\n"
    "  User=web\n"
    "  IdentityFile \"~/.ssh/key with space\"\n"
    "Host secret.*\n"
    "  Port = 2203\n"
    "Host !nothing *\n"
    "  User last\n"
    "  IdentityFile ~/.ssh/id_%r\n");
  const char * const hosts[] = { "web1.corp.example", "web12.corp.example", "secret.corp.example",
                                 "x.corp.example", "plain", "nothing", NULL };

  for (guint i = 0; hosts[i] != NULL; i++)
    check_host (file, hosts[i]);
  remove_dir (dir);
}

/* Include: glob, at the top and inside a Host block (which then applies
 * only when the block matches), nested */
static void
test_include (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *sub = g_build_filename (dir, "conf.d", NULL);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *file = NULL, *text = NULL;

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  a = write_config (sub, "10-a.conf", "Host inc-a\n  User from-a\n  Port 3001\n");
  c = write_config (dir, "nested.conf", "Host inc-*\n  IdentityFile ~/.ssh/nested\n");
  text = g_strdup_printf ("Include %s/nested.conf\nPort 3333\nUser blockuser\n", dir);
  b = write_config (sub, "20-b.conf", text);
  g_free (text);
  text = g_strdup_printf ("Include %s/conf.d/*.conf\n"
                          "Host inc-b\n"
                          "  Include %s/conf.d/20-b.conf\n"
                          "  User late\n"
                          "Host *\n"
                          "  CertificateFile ~/.ssh/%%r-cert.pub\n", dir, dir);
  file = write_config (dir, "config", text);

  check_host (file, "inc-a");
  check_host (file, "inc-b");
  check_host (file, "inc-c");
  check_host (file, "elsewhere");
  remove_dir (dir);
}

/* %-tokens and ~ in IdentityFile, CertificateFile, IdentityAgent, HostName */
static void
test_tokens (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *file = write_config (dir, "config",
    "Host tok\n"
    "  HostName real-%h.example.com\n"
    "  User tokuser\n"
    "  Port 2022\n"
    "  IdentityFile ~/.ssh/id_%r@%h\n"
    "  IdentityFile %d/keys/%u-%p-%n\n"
    "  IdentityFile /srv/keys/100%%\n"
    "  CertificateFile ~/.ssh/%r-cert.pub\n"
    "  IdentityAgent ~/.agent/%u.sock\n"
    "Host none-agent\n"
    "  IdentityAgent none\n"
    "Host env-agent\n"
    "  IdentityAgent SSH_AUTH_SOCK\n");

  check_host (file, "tok");
  check_host (file, "none-agent");
  check_host (file, "env-agent");
  remove_dir (dir);
}

/* Match blocks this resolver evaluates */
static void
test_match (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *file = write_config (dir, "config",
    "Host m1\n"
    "  HostName m1.internal\n"
    "Match host *.internal\n"
    "  User internal\n"
    "Match originalhost m2 !host nomatch\n"
    "  Port 2302\n"
    "Match user internal\n"
    "  IdentityFile ~/.ssh/internal\n"
    "Match canonical\n"
    "  Port 2398\n"
    "Match all\n"
    "  Port 2399\n");

  check_host (file, "m1");
  check_host (file, "m2");
  check_host (file, "m3");
  {
    g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (file, "m3", NULL);

    /* said, not silently dropped */
    g_assert_nonnull (tw_ssh_config_get_warnings (config)[0]);
    g_assert_nonnull (strstr (tw_ssh_config_get_warnings (config)[0], "canonical"));
  }
  remove_dir (dir);
}

typedef struct
{
  char  *user;
  char  *host;
  guint  port;
} Hop;

/* How the OpenSSH client splits ProxyJump: it logs the ssh command it runs
 * for each hop ("ssh -l U -p P -J … -F … -W '[%h]:%p' HOST"). The hosts are
 * loopback addresses where nothing listens. */
static GArray *
openssh_hops (const char *file,
              const char *host)
{
  const char * const args[] = { "-v", "-F", file, "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
                                host, "true", NULL };
  g_autofree char *err = run_ssh (args, TRUE);
  g_auto(GStrv) lines = g_strsplit_set (err, "\r\n", -1);
  GArray *hops = g_array_new (FALSE, TRUE, sizeof (Hop));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = strstr (lines[i], "Setting implicit ProxyCommand from ProxyJump: ssh ");
      g_auto(GStrv) words = NULL;
      Hop hop = { 0 };
      guint n;

      if (p == NULL)
        continue;
      words = g_strsplit (p + strlen ("Setting implicit ProxyCommand from ProxyJump: ssh "), " ", -1);
      n = g_strv_length (words);
      for (guint j = 0; j + 1 < n; j++)
        {
          if (g_str_equal (words[j], "-l"))
            hop.user = g_strdup (words[j + 1]);
          else if (g_str_equal (words[j], "-p"))
            hop.port = (guint) g_ascii_strtoull (words[j + 1], NULL, 10);
        }
      hop.host = g_strdup (words[n - 1]);
      /* Logged from the last hop back to the first */
      g_array_prepend_val (hops, hop);
    }
  return hops;
}

/* ProxyJump as OpenSSH splits and follows it: the hops written, each
 * hop's user and port, and the first hop's own ProxyJump from the files. */
static void
test_proxy_jump (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *file = write_config (dir, "config",
    "Host one\n"
    "  HostName 127.0.0.1\n"
    "  Port 9\n"
    "  ProxyJump jumper@127.0.0.2:2201\n"
    "Host many\n"
    "  HostName 127.0.0.1\n"
    "  Port 9\n"
    "  ProxyJump ssh://u1@127.0.0.3:2202,[::1]:2203,u3@127.0.0.4\n"
    "Host chained\n"
    "  HostName 127.0.0.1\n"
    "  Port 9\n"
    "  ProxyJump 127.0.0.7,127.0.0.8\n"
    "Host 127.0.0.7\n"
    "  User seven\n"
    "  Port 2207\n"
    "  ProxyJump 127.0.0.6:2206\n"
    "Host off\n"
    "  ProxyJump none\n"
    "Host * !127.0.0.*\n"
    "  ProxyJump 127.0.0.5\n");
  const char * const hosts[] = { "one", "many", "chained", NULL };

  for (guint i = 0; hosts[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (file, hosts[i], &error);
      g_autoptr(GArray) hops = openssh_hops (file, hosts[i]);
      g_autoptr(GPtrArray) route = NULL;

      g_assert_no_error (error);
      check_host (file, hosts[i]);
      route = tw_ssh_config_resolve_route (config, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hops->len, >, 0);
      g_assert_cmpuint (route->len, ==, hops->len);
      for (guint j = 0; j < hops->len; j++)
        {
          Hop *theirs = &g_array_index (hops, Hop, j);
          TwSshConfig *ours = g_ptr_array_index (route, j);

          g_assert_cmpstr (tw_ssh_config_get_host (ours), ==, theirs->host);
          if (theirs->user != NULL)
            g_assert_cmpstr (tw_ssh_config_get_user (ours), ==, theirs->user);
          if (theirs->port != 0)
            g_assert_cmpuint (tw_ssh_config_get_port (ours), ==, theirs->port);
          /* and the values of the hop's own Host block, as ssh -G gives them for it */
          {
            g_autofree char *port = g_strdup_printf ("%u", tw_ssh_config_get_port (ours));
            const char * const args[] = { "-G", "-F", file, "-l", tw_ssh_config_get_user (ours),
                                          "-p", port, theirs->host, NULL };
            g_autofree char *out = run_ssh (args, FALSE);
            g_autofree char *user_line = g_strdup_printf ("\nuser %s\n", tw_ssh_config_get_user (ours));
            g_autofree char *port_line = g_strdup_printf ("\nport %s\n", port);

            g_assert_nonnull (strstr (out, user_line));
            g_assert_nonnull (strstr (out, port_line));
          }
          g_free (theirs->user);
          g_free (theirs->host);
        }
    }
  check_host (file, "off");
  check_host (file, "other");
  remove_dir (dir);
}

/* Lines OpenSSH refuses are refused, with the file and line */
static void
test_errors (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *bad_port = write_config (dir, "bad-port", "Host *\n  Port http-ish\n");
  g_autofree char *bad_jump = write_config (dir, "bad-jump", "Host *\n  ProxyJump user@:22\n");
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  const char *files[] = { bad_port, bad_jump };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (files[i], "h", &error);
      const char * const args[] = { "-G", "-F", files[i], "h", NULL };
      g_autofree char *err = run_ssh (args, TRUE);

      /* OpenSSH refuses it too */
      g_assert_true (strstr (err, "line 2") != NULL || strstr (err, "Bad") != NULL ||
                     strstr (err, "Invalid") != NULL || strstr (err, "invalid") != NULL);
      g_assert_null (config);
      g_assert_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX);
      g_assert_nonnull (strstr (error->message, ":2:"));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TwSshConfig) config = tw_ssh_config_resolve (missing, "h", &error);

    g_assert_null (config);
    g_assert_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_READ);
  }
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *ssh = NULL;

  g_test_init (&argc, &argv, NULL);

  ssh = g_find_program_in_path ("ssh");
  if (ssh == NULL)
    {
      g_test_skip ("the OpenSSH client is not installed");
      return g_test_run ();
    }

  g_test_add_func ("/ssh-config/alias", test_alias);
  g_test_add_func ("/ssh-config/patterns", test_patterns);
  g_test_add_func ("/ssh-config/include", test_include);
  g_test_add_func ("/ssh-config/tokens", test_tokens);
  g_test_add_func ("/ssh-config/match", test_match);
  g_test_add_func ("/ssh-config/proxy-jump", test_proxy_jump);
  g_test_add_func ("/ssh-config/errors", test_errors);

  return g_test_run ();
}
