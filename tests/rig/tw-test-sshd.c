/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test rig's sshd. Field notes in TESTRIG.md: sshd keeps the first
 * value it reads (overrides go first), needs /run/sshd, and reads
 * AuthorizedKeysFile as the target user (the directory must be traversable).
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

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

guint
tw_test_free_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  guint port;

  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
  port = ntohs (addr.sin_port);
  close (fd);
  return port;
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

static gboolean
wait_listening (guint port,
                GPid  pid)
{
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      int status;

      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        return TRUE;
      if (waitpid (pid, &status, WNOHANG) == pid)
        return FALSE;
      g_usleep (10 * 1000);
    }
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
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *keys_dir = NULL;

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
  {
    g_autofree char *pubfile = g_strconcat (key, ".pub", NULL);
    const char *lf[] = { "ssh-keygen", "-lf", pubfile, "-E", "sha256", NULL };
    const char *lv[] = { "ssh-keygen", "-lvf", pubfile, NULL };
    g_autofree char *line = run_capture (lf);
    g_autofree char *art = run_capture (lv);
    g_auto(GStrv) fields = g_strsplit (line, " ", 3);
    g_autofree char *content = NULL;
    g_auto(GStrv) parts = NULL;
    char *nl;

    sshd->fingerprint = g_strdup (fields[1]);
    nl = strchr (art, '\n');
    sshd->randomart = g_strstrip (g_strdup (nl + 1));
    g_file_get_contents (pubfile, &content, NULL, NULL);
    parts = g_strsplit (content, " ", 3);
    sshd->host_key_line = g_strdup_printf ("%s %s", parts[0], parts[1]);
  }

  keys_dir = g_build_filename (sshd->dir, "keys", NULL);
  g_mkdir (keys_dir, 0755);
  sshd->authorized_keys = g_build_filename (keys_dir, TW_TEST_USER, NULL);
  tw_test_sshd_set_authorized_keys (sshd, "");
  sshd->log = g_build_filename (sshd->dir, "sshd.log", NULL);
  sshd->config = g_build_filename (sshd->dir, "sshd_config", NULL);

  for (guint attempt = 0; attempt < 5; attempt++)
    {
      const char *argv[] = { SSHD, "-D", "-f", sshd->config, "-E", sshd->log, NULL };

      sshd->port = tw_test_free_port ();
      g_string_truncate (config, 0);
      for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
        g_string_append_printf (config, "%s\n", overrides[i]);
      /* The order sshd lists them in does not matter: the client's wins */
      for (guint i = 1; i < sshd->host_key_files->len; i++)
        g_string_append_printf (config, "HostKey %s\n", (char *) g_ptr_array_index (sshd->host_key_files, i));
      g_string_append_printf (config,
                              "Port %u\n"
                              "ListenAddress 127.0.0.1\n"
                              "HostKey %s\n"
                              "PidFile %s/sshd.pid\n"
                              "AuthorizedKeysFile %s/%%u\n"
                              "UsePAM no\n"
                              "StrictModes no\n"
                              "PasswordAuthentication yes\n"
                              "KbdInteractiveAuthentication no\n"
                              "PermitRootLogin no\n"
                              "AllowTcpForwarding yes\n"
                              "MaxStartups 100:30:200\n"
                              "LogLevel VERBOSE\n",
                              sshd->port, key, sshd->dir, keys_dir);
      g_assert_true (g_file_set_contents (sshd->config, config->str, -1, NULL));

      /* -E logs to a file; stderr must not hold the test's output pipe open */
      g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                                    G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                    die_with_parent, NULL, &sshd->pid, &error));
      if (wait_listening (sshd->port, sshd->pid))
        return sshd;

      kill (sshd->pid, SIGTERM);
      waitpid (sshd->pid, NULL, 0);
      g_spawn_close_pid (sshd->pid);
      sshd->pid = 0;
    }

  {
    g_autofree char *log = tw_test_sshd_get_log (sshd);
    g_error ("sshd did not start: %s", log);
  }
  return NULL;
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
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
  remove_tree (sshd->dir);
  g_free (sshd->dir);
  g_free (sshd->config);
  g_free (sshd->log);
  g_free (sshd->authorized_keys);
  g_free (sshd->fingerprint);
  g_free (sshd->randomart);
  g_free (sshd->host_key_line);
  g_clear_pointer (&sshd->host_key_files, g_ptr_array_unref);
  g_free (sshd);
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
