/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test rig's sshd. What it lives with: sshd keeps the first
 * value it reads (overrides go first), needs /run/sshd, and reads
 * AuthorizedKeysFile as the target user (the directory must be traversable).
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tw-test-files.h"
#include "tw-test-sshd.h"

#define SSHD "/usr/sbin/sshd"

struct _TwTestSshd
{
  char  *dir;
  char  *config;
  char  *log;
  char  *authorized_keys;
  char  *fingerprint;
  char  *randomart;
  char  *host_key_line;
  GPtrArray *host_key_files;   /* private key paths: ed25519 first, then the extra types */
  char **overrides;
  char  *host_certificate;
  char  *keys_dir;
  guint  port;
  GPid   pid;
};

static char *
run_capture (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return g_steal_pointer (&out);
}

gboolean
tw_test_sshd_can_run (void)
{
  g_autofree char *keygen = NULL;

  if (geteuid () != 0)
    {
      g_test_skip ("the sshd rig needs root");
      return FALSE;
    }
  keygen = g_find_program_in_path ("ssh-keygen");
  if (!g_file_test (SSHD, G_FILE_TEST_IS_EXECUTABLE) || keygen == NULL)
    {
      g_test_skip ("OpenSSH sshd and ssh-keygen are needed");
      return FALSE;
    }
  return TRUE;
}

/* Tests run in parallel: one of them creates the user, under a lock. */
static void
ensure_test_user (void)
{
  int lock = open ("/run/tw-test-user.lock", O_CREAT | O_RDWR, 0600);
  const char *check[] = { "id", "-u", TW_TEST_USER, NULL };
  int status = 0;

  flock (lock, LOCK_EX);
  g_spawn_sync (NULL, (char **) check, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      const char *add[] = { "useradd", "-m", "-s", "/bin/sh", TW_TEST_USER, NULL };
      g_free (run_capture (add));
    }
  {
    const char *hash_argv[] = { "openssl", "passwd", "-6", "-salt", "twtestsalt", TW_TEST_PASSWORD, NULL };
    g_autofree char *hash = g_strstrip (run_capture (hash_argv));
    /* useradd leaves the account locked ("!"), which sshd refuses with UsePAM no */
    const char *mod[] = { "usermod", "-p", hash, TW_TEST_USER, NULL };

    g_free (run_capture (mod));
  }
  flock (lock, LOCK_UN);
  close (lock);
}

/* sshd goes when the test goes, even when it dies on an assertion. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

char *
tw_test_fingerprint_of (const char *pub_path)
{
  const char *lf[] = { "ssh-keygen", "-lf", pub_path, "-E", "sha256", NULL };
  g_autofree char *line = run_capture (lf);
  g_auto(GStrv) fields = g_strsplit (line, " ", 3);

  /* "256 SHA256:… comment (ED25519)" */
  return g_strdup (fields[1]);
}

/* The fingerprint, picture and key line of the Ed25519 host key, which
 * the tests compare with (it is what libssh and OpenSSH pick first). */
static void
describe_host_key (TwTestSshd *sshd)
{
  g_autofree char *pubfile = g_strconcat (g_ptr_array_index (sshd->host_key_files, 0), ".pub", NULL);
  const char *lv[] = { "ssh-keygen", "-lvf", pubfile, NULL };
  g_autofree char *art = run_capture (lv);
  g_autofree char *content = NULL;
  g_auto(GStrv) parts = NULL;

  g_free (sshd->fingerprint);
  g_free (sshd->randomart);
  g_free (sshd->host_key_line);
  sshd->fingerprint = tw_test_fingerprint_of (pubfile);
  sshd->randomart = g_strstrip (g_strdup (strchr (art, '\n') + 1));
  g_assert_true (g_file_get_contents (pubfile, &content, NULL, NULL));
  parts = g_strsplit (content, " ", 3);
  sshd->host_key_line = g_strdup_printf ("%s %s", parts[0], parts[1]);
}

/* Whether @overrides set the keyword of @line (sshd's keywords ignore case) */
static gboolean
overridden (char      **overrides,
            const char *line)
{
  gsize keyword = strcspn (line, " ");

  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    if (g_ascii_strncasecmp (overrides[i], line, keyword) == 0 && overrides[i][keyword] == ' ')
      return TRUE;
  return FALSE;
}

/* Writes the config for sshd->port and starts sshd on it. */
static gboolean
launch (TwTestSshd *sshd)
{
  const char *argv[] = { SSHD, "-D", "-f", sshd->config, "-E", sshd->log, NULL };
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; sshd->overrides != NULL && sshd->overrides[i] != NULL; i++)
    if (!g_str_has_prefix (sshd->overrides[i], "Match "))
      g_string_append_printf (config, "%s\n", sshd->overrides[i]);
  /* The order sshd lists them in does not matter: the client's wins */
  for (guint i = 1; i < sshd->host_key_files->len; i++)
    g_string_append_printf (config, "HostKey %s\n", (char *) g_ptr_array_index (sshd->host_key_files, i));
  g_string_append_printf (config,
                          "Port %u\n"
                          "ListenAddress 127.0.0.1\n"
                          "HostKey %s\n",
                          sshd->port, (char *) g_ptr_array_index (sshd->host_key_files, 0));
  if (sshd->host_certificate != NULL)
    g_string_append_printf (config, "HostCertificate %s\n", sshd->host_certificate);
  {
    g_autofree char *pid_file = g_strdup_printf ("PidFile %s/sshd.pid", sshd->dir);
    g_autofree char *keys_file = g_strdup_printf ("AuthorizedKeysFile %s/%%u", sshd->keys_dir);
    const char *defaults[] = {
      pid_file, keys_file, "UsePAM no", "StrictModes no", "PasswordAuthentication yes",
      "KbdInteractiveAuthentication no", "PermitRootLogin no", "AllowTcpForwarding yes",
      "MaxStartups 100:30:200", "LogLevel VERBOSE",
    };

    /* sshd keeps the first value of most keywords, but the last of some
     * (MaxStartups): a default the test overrides is left out. */
    for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
      if (!overridden (sshd->overrides, defaults[i]))
        g_string_append_printf (config, "%s\n", defaults[i]);
  }
  /* A Match block holds every line after it: at the end */
  for (guint i = 0; sshd->overrides != NULL && sshd->overrides[i] != NULL; i++)
    if (g_str_has_prefix (sshd->overrides[i], "Match "))
      g_string_append_printf (config, "%s\n", sshd->overrides[i]);
  g_assert_true (g_file_set_contents (sshd->config, config->str, -1, NULL));

  /* -E logs to a file; stderr must not hold the test's output pipe open */
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                                G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                die_with_parent, NULL, &sshd->pid, &error));
  if (tw_test_wait_for_port (sshd->port, sshd->pid, 5000))
    return TRUE;

  kill (sshd->pid, SIGTERM);
  waitpid (sshd->pid, NULL, 0);
  g_spawn_close_pid (sshd->pid);
  sshd->pid = 0;
  return FALSE;
}

TwTestSshd *
tw_test_sshd_start (const char * const *overrides)
{
  return tw_test_sshd_start_with_host_keys (overrides, NULL);
}

TwTestSshd *
tw_test_sshd_start_with_host_keys (const char * const *overrides,
                                   const char * const *extra_types)
{
  TwTestSshd *sshd = g_new0 (TwTestSshd, 1);
  g_autofree char *key = NULL;

  ensure_test_user ();
  g_mkdir_with_parents ("/run/sshd", 0755);
  /* Not under /tmp: StrictModes refuses paths below a world-writable directory. */
  g_mkdir_with_parents ("/run/tw-test", 0755);
  g_chmod ("/run/tw-test", 0755);
  sshd->dir = g_strdup ("/run/tw-test/sshd-XXXXXX");
  g_assert_nonnull (g_mkdtemp_full (sshd->dir, 0755));

  key = g_build_filename (sshd->dir, "host_ed25519", NULL);
  sshd->host_key_files = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (sshd->host_key_files, g_strdup (key));
  for (guint i = 0; extra_types != NULL && extra_types[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("host_%s", extra_types[i]);
      char *path = g_build_filename (sshd->dir, name, NULL);
      const char *argv[] = { "ssh-keygen", "-q", "-t", extra_types[i], "-N", "", "-C", "tw-test-host",
                             "-f", path, NULL };

      g_free (run_capture (argv));
      g_ptr_array_add (sshd->host_key_files, path);
    }
  {
    const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tw-test-host", "-f", key, NULL };
    g_free (run_capture (argv));
  }
  describe_host_key (sshd);

  sshd->keys_dir = g_build_filename (sshd->dir, "keys", NULL);
  g_mkdir (sshd->keys_dir, 0755);
  sshd->authorized_keys = g_build_filename (sshd->keys_dir, TW_TEST_USER, NULL);
  tw_test_sshd_set_authorized_keys (sshd, "");
  sshd->log = g_build_filename (sshd->dir, "sshd.log", NULL);
  sshd->config = g_build_filename (sshd->dir, "sshd_config", NULL);
  sshd->overrides = g_strdupv ((char **) overrides);

  for (guint attempt = 0; attempt < 5; attempt++)
    {
      sshd->port = tw_test_free_port ();
      if (launch (sshd))
        return sshd;
    }

  {
    g_autofree char *log = tw_test_sshd_get_log (sshd);
    g_error ("sshd did not start: %s", log);
  }
  return NULL;
}

void
tw_test_sshd_stop (TwTestSshd *sshd)
{
  if (sshd == NULL)
    return;

  if (sshd->pid > 0)
    {
      kill (sshd->pid, SIGTERM);
      waitpid (sshd->pid, NULL, 0);
      g_spawn_close_pid (sshd->pid);
    }
  if (g_getenv ("TW_KEEP_RIG") == NULL)
    tw_test_remove_tree (sshd->dir);
  g_free (sshd->dir);
  g_free (sshd->config);
  g_free (sshd->log);
  g_free (sshd->authorized_keys);
  g_free (sshd->fingerprint);
  g_free (sshd->randomart);
  g_free (sshd->host_key_line);
  g_clear_pointer (&sshd->host_key_files, g_ptr_array_unref);
  g_strfreev (sshd->overrides);
  g_free (sshd->host_certificate);
  g_free (sshd->keys_dir);
  g_free (sshd);
}

/* Every process below @pid, found through /proc (sshd forks a monitor and a
 * session process per connection). */
static void
collect_descendants (GPid    pid,
                     GArray *out)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *close_paren;
      GPid child = atoi (name);
      int ppid = 0;
      char state;

      if (child <= 0)
        continue;
      path = g_strdup_printf ("/proc/%s/stat", name);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      close_paren = strrchr (stat, ')');
      if (close_paren == NULL || sscanf (close_paren + 2, "%c %d", &state, &ppid) != 2)
        continue;
      if (ppid == pid)
        {
          g_array_append_val (out, child);
          collect_descendants (child, out);
        }
    }
}

void
tw_test_sshd_signal_sessions (TwTestSshd *sshd,
                              int         signum)
{
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (GPid));

  g_assert_cmpint (sshd->pid, >, 0);
  collect_descendants (sshd->pid, pids);
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, GPid, i), signum);
}

void
tw_test_sshd_kill (TwTestSshd *sshd)
{
  if (sshd->pid <= 0)
    return;
  tw_test_sshd_signal_sessions (sshd, SIGKILL);
  kill (sshd->pid, SIGKILL);
  waitpid (sshd->pid, NULL, 0);
  g_spawn_close_pid (sshd->pid);
  sshd->pid = 0;
}

gboolean
tw_test_sshd_restart (TwTestSshd *sshd)
{
  g_assert_cmpint (sshd->pid, ==, 0);
  return launch (sshd);
}

char *
tw_test_sshd_serve_host_certificate (TwTestSshd         *sshd,
                                     const char         *ca_type,
                                     const char * const *keygen_args)
{
  char *ca = tw_test_sshd_make_key (sshd, ca_type, NULL);
  g_autofree char *host_pub = g_strconcat (g_ptr_array_index (sshd->host_key_files, 0), ".pub", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  for (const char * const *arg = (const char * const []) { "ssh-keygen", "-q", "-s", ca, "-I", "tw-test-bastion",
                                                           "-h", "-z", "7", NULL }; *arg != NULL; arg++)
    g_ptr_array_add (argv, (gpointer) *arg);
  for (guint i = 0; keygen_args != NULL && keygen_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) keygen_args[i]);
  g_ptr_array_add (argv, host_pub);
  g_ptr_array_add (argv, NULL);
  g_free (run_capture ((const char * const *) argv->pdata));

  /* ssh-keygen writes KEY-cert.pub beside KEY.pub */
  g_free (sshd->host_certificate);
  sshd->host_certificate = g_strconcat (g_ptr_array_index (sshd->host_key_files, 0), "-cert.pub", NULL);
  g_assert_true (g_file_test (sshd->host_certificate, G_FILE_TEST_EXISTS));
  tw_test_sshd_kill (sshd);
  g_assert_true (tw_test_sshd_restart (sshd));
  return ca;
}

void
tw_test_sshd_swap_host_key (TwTestSshd *sshd)
{
  char *path = g_build_filename (sshd->dir, "host_ed25519_swapped", NULL);
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tw-test-host",
                         "-f", path, NULL };

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (run_capture (argv));
  g_free (g_ptr_array_index (sshd->host_key_files, 0));
  g_ptr_array_index (sshd->host_key_files, 0) = path;
  describe_host_key (sshd);
}

guint
tw_test_sshd_get_port (TwTestSshd *sshd)
{
  return sshd->port;
}

const char *
tw_test_sshd_get_dir (TwTestSshd *sshd)
{
  return sshd->dir;
}

const char *
tw_test_sshd_get_fingerprint (TwTestSshd *sshd)
{
  return sshd->fingerprint;
}

const char *
tw_test_sshd_get_randomart (TwTestSshd *sshd)
{
  return sshd->randomart;
}

char *
tw_test_sshd_get_host_key_pub (TwTestSshd *sshd,
                               const char *type)
{
  g_autofree char *name = g_strdup_printf ("host_%s", type);

  for (guint i = 0; i < sshd->host_key_files->len; i++)
    {
      const char *path = g_ptr_array_index (sshd->host_key_files, i);

      if (g_str_has_suffix (path, name))
        return g_strconcat (path, ".pub", NULL);
    }
  return NULL;
}

const char *
tw_test_sshd_get_host_key_line (TwTestSshd *sshd)
{
  return sshd->host_key_line;
}

char *
tw_test_sshd_write_known_hosts (TwTestSshd *sshd,
                                const char *key_line)
{
  g_autofree char *content = g_strdup_printf ("[127.0.0.1]:%u %s\n", sshd->port, key_line);
  char *path = g_build_filename (sshd->dir, "known_hosts", NULL);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

const char *
tw_test_sshd_get_authorized_keys (TwTestSshd *sshd)
{
  return sshd->authorized_keys;
}

void
tw_test_sshd_set_authorized_keys (TwTestSshd *sshd,
                                  const char *content)
{
  g_assert_true (g_file_set_contents (sshd->authorized_keys, content, -1, NULL));
  g_assert_cmpint (g_chmod (sshd->authorized_keys, 0644), ==, 0);
}

char *
tw_test_sshd_make_key (TwTestSshd *sshd,
                       const char *type,
                       const char *passphrase)
{
  g_autofree char *name = g_strdup_printf ("id_%s_XXXXXX", type);
  char *path = g_build_filename (sshd->dir, name, NULL);
  const char *argv[] = { "ssh-keygen", "-q", "-t", type, "-N", passphrase ? passphrase : "",
                         "-C", "tw-test", "-f", path, NULL };
  int fd = g_mkstemp (path);

  /* g_mkstemp for a unique name; ssh-keygen wants to create the file itself */
  close (fd);
  g_unlink (path);
  g_free (run_capture (argv));
  return path;
}

char *
tw_test_sshd_read_public_key (const char *private_path)
{
  g_autofree char *pub = g_strconcat (private_path, ".pub", NULL);
  char *content = NULL;

  g_assert_true (g_file_get_contents (pub, &content, NULL, NULL));
  return g_strstrip (content);
}

int
tw_test_sshd_run_ssh (TwTestSshd         *sshd,
                      const char         *identity,
                      const char * const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  int status = 0;

  g_ptr_array_add (argv, g_strdup ("ssh"));
  g_ptr_array_add (argv, g_strdup ("-F"));
  g_ptr_array_add (argv, g_strdup ("/dev/null"));
  for (const char *opt = "BatchMode=yes;StrictHostKeyChecking=no;UserKnownHostsFile=/dev/null;"
                         "IdentitiesOnly=yes;ConnectTimeout=10;LogLevel=ERROR"; opt != NULL;)
    {
      const char *end = strchr (opt, ';');

      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, end ? g_strndup (opt, end - opt) : g_strdup (opt));
      opt = end ? end + 1 : NULL;
    }
  g_ptr_array_add (argv, g_strdup ("-p"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", sshd->port));
  if (identity != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-i"));
      g_ptr_array_add (argv, g_strdup (identity));
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, g_strdup (TW_TEST_USER "@127.0.0.1"));
  if (extra == NULL || !g_strv_contains (extra, "-W"))
    g_ptr_array_add (argv, g_strdup ("true"));
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL |
                               G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

char *
tw_test_sshd_get_log (TwTestSshd *sshd)
{
  char *content = NULL;

  if (!g_file_get_contents (sshd->log, &content, NULL, NULL))
    return g_strdup ("");
  return content;
}
