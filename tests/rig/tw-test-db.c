/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include "tw-test-db.h"
#include "tw-test-net.h"

#define PG_BIN "/usr/lib/postgresql/15/bin"

typedef enum {
  KIND_POSTGRES,
  KIND_MARIADB,
  KIND_TLS,
  KIND_ECHO,
} Kind;

struct _TwTestDb
{
  Kind         kind;
  char        *dir;
  guint16      port;
  char        *ca_file;
  char        *cert_file;
  char        *key_file;
  char        *log_file;
  char        *password;
  GSubprocess *process;     /* NULL for PostgreSQL: pg_ctl runs it */
};

static gboolean
run (GError **error,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *output = NULL;
  const char *arg;
  int status;
  va_list args;

  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &output, &status, error))
    return FALSE;

  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %s",
                   (char *) argv->pdata[0], output);
      return FALSE;
    }

  return TRUE;
}

/* A server that starts slowly (PostgreSQL's initdb on a loaded machine) gets 20 s. */
static gboolean
wait_for_port (guint16   port,
               GError  **error)
{
  if (tw_test_wait_for_port (port, 0, 20 * 1000))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "nothing listens on port %u", port);
  return FALSE;
}

static TwTestDb *
db_new (Kind     kind,
        GError **error)
{
  g_autoptr(TwTestDb) self = g_new0 (TwTestDb, 1);

  self->kind = kind;
  self->dir = g_dir_make_tmp ("tw-test-db-XXXXXX", error);
  if (self->dir == NULL)
    return NULL;
  self->port = tw_test_free_port ();
  self->log_file = g_build_filename (self->dir, "server.log", NULL);

  return g_steal_pointer (&self);
}

static gboolean
ensure_root (const char  *program,
             GError     **error)
{
  if (geteuid () != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "the rig needs root");
      return FALSE;
    }
  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s is not installed", program);
      return FALSE;
    }
  return TRUE;
}

/* Certificates, made with openssl at test time */

static gboolean
make_certificate (TwTestDb   *self,
                  TwTestCert  cert,
                  GError    **error)
{
  g_autofree char *ca_key = g_build_filename (self->dir, "ca.key", NULL);
  g_autofree char *csr = g_build_filename (self->dir, "server.csr", NULL);
  g_autofree char *ext = g_build_filename (self->dir, "server.ext", NULL);
  const char *name = cert == TW_TEST_CERT_WRONG_NAME ? "wrong.example" : "localhost";
  g_autofree char *subject = g_strdup_printf ("/CN=%s", name);
  g_autofree char *san = cert == TW_TEST_CERT_WRONG_NAME
                         ? g_strdup ("subjectAltName=DNS:wrong.example")
                         : g_strdup ("subjectAltName=DNS:localhost,IP:127.0.0.1");
  g_autofree char *ext_text = g_strdup_printf ("%s\nbasicConstraints=CA:FALSE\n"
                                               "extendedKeyUsage=serverAuth\n", san);

  if (cert == TW_TEST_CERT_NONE)
    return TRUE;

  self->cert_file = g_build_filename (self->dir, "server.pem", NULL);
  self->key_file = g_build_filename (self->dir, "server.key", NULL);

  if (cert == TW_TEST_CERT_SELF_SIGNED)
    {
      self->ca_file = g_strdup (self->cert_file);
      return run (error, "openssl", "req", "-x509", "-newkey", "ec",
                  "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                  "-keyout", self->key_file, "-out", self->cert_file,
                  "-subj", subject, "-addext", san, "-days", "2", NULL);
    }

  self->ca_file = g_build_filename (self->dir, "ca.pem", NULL);
  if (!g_file_set_contents (ext, ext_text, -1, error))
    return FALSE;

  /* An expired certificate: OpenSSL 3.0's x509 has no -not_after, but a
   * negative -days gives a certificate that ended yesterday. */
  return run (error, "openssl", "req", "-x509", "-newkey", "ec",
              "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
              "-keyout", ca_key, "-out", self->ca_file,
              "-subj", "/CN=Tunnel Wizard Test CA", "-days", "2", NULL) &&
         run (error, "openssl", "req", "-newkey", "ec",
              "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
              "-keyout", self->key_file, "-out", csr, "-subj", subject, NULL) &&
         run (error, "openssl", "x509", "-req", "-in", csr,
              "-CA", self->ca_file, "-CAkey", ca_key, "-set_serial", "2",
              "-days", cert == TW_TEST_CERT_EXPIRED ? "-1" : "2",
              "-extfile", ext, "-out", self->cert_file, NULL);
}

/* PostgreSQL */

static gboolean
chown_tree (const char  *dir,
            const char  *user,
            GError     **error)
{
  g_autofree char *owner = g_strdup_printf ("%s:", user);

  return run (error, "chown", "-R", owner, dir, NULL);
}

TwTestDb *
tw_test_db_start_postgres (const TwTestDbOptions  *options,
                           GError                **error)
{
  TwTestDbOptions defaults = { 0, 0, -1 };
  g_autoptr(TwTestDb) self = NULL;
  g_autoptr(GString) server_options = g_string_new (NULL);
  g_autofree char *data = NULL;
  g_autofree char *pwfile = NULL;
  g_autofree char *pwfile_arg = NULL;

  if (options == NULL)
    options = &defaults;
  if (!ensure_root (PG_BIN "/initdb", error))
    return NULL;

  self = db_new (KIND_POSTGRES, error);
  if (self == NULL)
    return NULL;

  data = g_build_filename (self->dir, "data", NULL);
  pwfile = g_build_filename (self->dir, "password", NULL);
  pwfile_arg = g_strdup_printf ("--pwfile=%s", pwfile);
  self->password = g_strdup ("tw-test-secret");
  if (!g_file_set_contents (pwfile, self->password, -1, error) ||
      !make_certificate (self, options->cert, error) ||
      !chown_tree (self->dir, "postgres", error))
    return NULL;
  if (self->key_file != NULL)
    g_chmod (self->key_file, 0600);

  if (!run (error, "runuser", "-u", "postgres", "--", PG_BIN "/initdb", "-D", data,
            "-U", "postgres", "--no-sync", "--auth-local=trust",
            "--auth-host=scram-sha-256", pwfile_arg, NULL))
    return NULL;

  g_string_append_printf (server_options,
                          "-p %u -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s "
                          "-c fsync=off -c log_connections=on",
                          self->port, self->dir);
  if (self->cert_file != NULL)
    g_string_append_printf (server_options, " -c ssl=on -c ssl_cert_file=%s -c ssl_key_file=%s",
                            self->cert_file, self->key_file);
  else
    g_string_append (server_options, " -c ssl=off");
  if (options->max_connections > 0)
    g_string_append_printf (server_options, " -c max_connections=%u", options->max_connections);
  if (options->superuser_reserved_connections >= 0)
    g_string_append_printf (server_options, " -c superuser_reserved_connections=%d",
                            options->superuser_reserved_connections);

  if (!run (error, "runuser", "-u", "postgres", "--", PG_BIN "/pg_ctl", "-D", data, "-w",
            "-l", self->log_file, "-o", server_options->str, "start", NULL))
    {
      g_autofree char *log = NULL;

      g_file_get_contents (self->log_file, &log, NULL, NULL);
      g_prefix_error (error, "%s\n", log ? log : "");
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* MariaDB */

TwTestDb *
tw_test_db_start_mariadb (const TwTestDbOptions  *options,
                          GError                **error)
{
  TwTestDbOptions defaults = { 0, 0, -1 };
  g_autoptr(TwTestDb) self = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *data = NULL;
  g_autofree char *datadir_arg = NULL;

  if (options == NULL)
    options = &defaults;
  if (!ensure_root ("/usr/sbin/mariadbd", error))
    return NULL;

  self = db_new (KIND_MARIADB, error);
  if (self == NULL)
    return NULL;

  data = g_build_filename (self->dir, "data", NULL);
  datadir_arg = g_strdup_printf ("--datadir=%s", data);
  if (!make_certificate (self, options->cert, error) ||
      !run (error, "mariadb-install-db", "--no-defaults", datadir_arg, "--user=root",
            "--auth-root-authentication-method=normal", "--skip-test-db", NULL))
    return NULL;

  g_ptr_array_add (argv, g_strdup ("/usr/sbin/mariadbd"));
  g_ptr_array_add (argv, g_strdup ("--no-defaults"));
  g_ptr_array_add (argv, g_strdup (datadir_arg));
  g_ptr_array_add (argv, g_strdup ("--user=root"));
  g_ptr_array_add (argv, g_strdup_printf ("--port=%u", self->port));
  g_ptr_array_add (argv, g_strdup ("--bind-address=127.0.0.1"));
  g_ptr_array_add (argv, g_strdup_printf ("--socket=%s/mysqld.sock", self->dir));
  g_ptr_array_add (argv, g_strdup_printf ("--pid-file=%s/mysqld.pid", self->dir));
  g_ptr_array_add (argv, g_strdup_printf ("--log-error=%s", self->log_file));
  g_ptr_array_add (argv, g_strdup ("--skip-grant-tables"));
  g_ptr_array_add (argv, g_strdup ("--skip-log-bin"));
  g_ptr_array_add (argv, g_strdup ("--innodb-buffer-pool-size=8M"));
  if (self->cert_file != NULL)
    {
      g_ptr_array_add (argv, g_strdup_printf ("--ssl-cert=%s", self->cert_file));
      g_ptr_array_add (argv, g_strdup_printf ("--ssl-key=%s", self->key_file));
    }
  if (options->max_connections > 0)
    g_ptr_array_add (argv, g_strdup_printf ("--max-connections=%u", options->max_connections));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (self->process == NULL || !wait_for_port (self->port, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* openssl s_server and the echo */

static TwTestDb *
start_process (TwTestDb            *self,
               const char * const  *argv,
               GError             **error)
{
  g_autoptr(TwTestDb) owned = self;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);

  g_subprocess_launcher_set_stdout_file_path (launcher, self->log_file);
  g_subprocess_launcher_take_stderr_fd (launcher, dup (STDERR_FILENO));
  self->process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (self->process == NULL || !wait_for_port (self->port, error))
    return NULL;

  return g_steal_pointer (&owned);
}

TwTestDb *
tw_test_db_start_tls_server (TwTestCert   cert,
                             GError     **error)
{
  g_autoptr(TwTestDb) self = NULL;
  g_autofree char *accept = NULL;

  g_return_val_if_fail (cert != TW_TEST_CERT_NONE, NULL);

  self = db_new (KIND_TLS, error);
  if (self == NULL || !make_certificate (self, cert, error))
    return NULL;

  accept = g_strdup_printf ("127.0.0.1:%u", self->port);
  {
    const char *argv[] = { "openssl", "s_server", "-accept", accept,
                           "-cert", self->cert_file, "-key", self->key_file,
                           "-www", "-quiet", NULL };

    return start_process (g_steal_pointer (&self), argv, error);
  }
}

TwTestDb *
tw_test_db_start_tcp_echo (GError **error)
{
  g_autoptr(TwTestDb) self = db_new (KIND_ECHO, error);
  g_autofree char *listen = NULL;

  if (self == NULL)
    return NULL;

  listen = g_strdup_printf ("TCP-LISTEN:%u,bind=127.0.0.1,reuseaddr,fork", self->port);
  {
    const char *argv[] = { "socat", listen, "PIPE", NULL };

    return start_process (g_steal_pointer (&self), argv, error);
  }
}

guint16
tw_test_db_get_port (TwTestDb *self)
{
  return self->port;
}

const char *
tw_test_db_get_dir (TwTestDb *self)
{
  return self->dir;
}

const char *
tw_test_db_get_ca_file (TwTestDb *self)
{
  return self->ca_file;
}

const char *
tw_test_db_get_cert_file (TwTestDb *self)
{
  return self->cert_file;
}

const char *
tw_test_db_get_password (TwTestDb *self)
{
  return self->password;
}

char *
tw_test_db_read_log (TwTestDb *self)
{
  char *text = NULL;

  if (!g_file_get_contents (self->log_file, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

void
tw_test_db_free (TwTestDb *self)
{
  if (self == NULL)
    return;

  if (self->kind == KIND_POSTGRES && self->dir != NULL)
    {
      g_autofree char *data = g_build_filename (self->dir, "data", NULL);
      g_autofree char *pid = g_build_filename (data, "postmaster.pid", NULL);

      if (g_file_test (pid, G_FILE_TEST_EXISTS))
        run (NULL, "runuser", "-u", "postgres", "--", PG_BIN "/pg_ctl", "-D", data,
             "-m", "immediate", "-w", "stop", NULL);
    }

  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGKILL);
      g_subprocess_wait (self->process, NULL, NULL);
      g_clear_object (&self->process);
    }

  if (self->dir != NULL)
    run (NULL, "rm", "-rf", self->dir, NULL);

  g_free (self->dir);
  g_free (self->ca_file);
  g_free (self->cert_file);
  g_free (self->key_file);
  g_free (self->log_file);
  g_free (self->password);
  g_free (self);
}
