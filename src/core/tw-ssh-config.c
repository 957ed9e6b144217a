/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ssh_config(5) read the way OpenSSH 9.x reads it, for the keys the admin's
 * own login needs. libssh 0.10.6 has a parser, but tried against `ssh -G`
 * it applies a "Host *.corp !secret.corp" block to secret.corp (negation
 * ignored), turns ProxyJump into an "ssh -W" ProxyCommand to run, ignores
 * CertificateFile and hands back only one IdentityFile, so this one
 * answers what `ssh -G` answers instead (tests/test-ssh-config.c).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "tw-ssh-config-private.h"

G_DEFINE_QUARK (tw-ssh-config-error-quark, tw_ssh_config_error)

G_DEFINE_FINAL_TYPE (TwSshConfig, tw_ssh_config, G_TYPE_OBJECT)

static void
clear_hop (gpointer data)
{
  TwSshJumpHop *hop = data;

  g_free (hop->user);
  g_free (hop->host);
}

static void
tw_ssh_config_finalize (GObject *object)
{
  TwSshConfig *self = (TwSshConfig *) object;

  g_free (self->config_file);
  g_free (self->host);
  g_free (self->hostname);
  g_free (self->user);
  g_ptr_array_unref (self->identity_files_raw);
  g_ptr_array_unref (self->identity_files);
  g_ptr_array_unref (self->certificate_files_raw);
  g_ptr_array_unref (self->certificate_files);
  g_free (self->identity_agent);
  g_free (self->proxy_jump);
  g_free (self->proxy_command);
  g_array_unref (self->jump_hops);
  g_ptr_array_unref (self->warnings);

  G_OBJECT_CLASS (tw_ssh_config_parent_class)->finalize (object);
}

static void
tw_ssh_config_class_init (TwSshConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_ssh_config_finalize;
}

static GPtrArray *
new_strv_array (void)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (array, NULL);
  return array;
}

/* Keeps the array NULL-terminated, so it can be handed out as a strv. */
void
tw_ssh_config_strv_add_unique (GPtrArray  *array,
                               const char *value)
{
  for (guint i = 0; i + 1 < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), value))
      return;
  g_ptr_array_insert (array, (int) array->len - 1, g_strdup (value));
}

static void
tw_ssh_config_init (TwSshConfig *self)
{
  self->identity_files_raw = new_strv_array ();
  self->identity_files = new_strv_array ();
  self->certificate_files_raw = new_strv_array ();
  self->certificate_files = new_strv_array ();
  self->jump_hops = g_array_new (FALSE, TRUE, sizeof (TwSshJumpHop));
  g_array_set_clear_func (self->jump_hops, clear_hop);
  self->warnings = new_strv_array ();
}

/* Tokens */

char *
tw_ssh_config_expand_tokens (TwSshConfig  *self,
               const char   *text,
               gboolean      hostname_only,
               GError      **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *lower_host = g_ascii_strdown (self->host, -1);

  for (const char *p = text; *p != '\0'; p++)
    {
      char local_host[256] = "";
      char c;

      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      c = *++p;
      if (c == '%')
        g_string_append_c (out, '%');
      else if (c == 'h')
        g_string_append (out, hostname_only || self->hostname == NULL ? lower_host : self->hostname);
      else if (!hostname_only && c == 'd')
        g_string_append (out, g_get_home_dir ());
      else if (!hostname_only && c == 'u')
        g_string_append (out, g_get_user_name ());
      else if (!hostname_only && c == 'r')
        g_string_append (out, self->user);
      else if (!hostname_only && c == 'n')
        g_string_append (out, self->host);
      else if (!hostname_only && c == 'p')
        g_string_append_printf (out, "%u", self->port);
      else if (!hostname_only && c == 'i')
        g_string_append_printf (out, "%u", (guint) getuid ());
      else if (!hostname_only && c == 'j')
        g_string_append (out, self->proxy_jump && self->jump_hops->len > 0 ? self->proxy_jump : "");
      else if (!hostname_only && (c == 'l' || c == 'L'))
        {
          gethostname (local_host, sizeof local_host - 1);
          if (c == 'L')
            local_host[strcspn (local_host, ".")] = '\0';
          g_string_append (out, local_host);
        }
      else
        {
          g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
                       _("“%%%c” in “%s” is not a token this app knows"), c ? c : ' ', text);
          return NULL;
        }
      if (c == '\0')
        break;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* IdentityFile, CertificateFile: ~ first, then the tokens (ssh.c's order). */
static char *
expand_path (TwSshConfig  *self,
             const char   *raw,
             GError      **error)
{
  g_autofree char *tilde = tw_ssh_config_tilde_expand (raw);

  return tw_ssh_config_expand_tokens (self, tilde, FALSE, error);
}

/* IdentityAgent also takes ${VAR} */
static char *
expand_agent (TwSshConfig  *self,
              const char   *raw,
              GError      **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *path = NULL;

  if (g_ascii_strcasecmp (raw, "none") == 0)
    return g_strdup ("none");
  if (g_str_equal (raw, "SSH_AUTH_SOCK"))
    return NULL;

  for (const char *p = raw; *p != '\0'; p++)
    {
      const char *end;

      if (p[0] == '$' && p[1] == '{' && (end = strchr (p, '}')) != NULL)
        {
          g_autofree char *name = g_strndup (p + 2, (gsize) (end - p - 2));
          const char *value = g_getenv (name);

          if (value == NULL)
            {
              g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
                           _("“IdentityAgent %s” uses ${%s}, which is not set"), raw, name);
              return NULL;
            }
          g_string_append (out, value);
          p = end;
        }
      else
        g_string_append_c (out, *p);
    }
  path = expand_path (self, out->str, error);
  return g_steal_pointer (&path);
}

static const char * const default_identities[] = {
  "~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk", "~/.ssh/id_ed25519",
  "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss", "~/.ssh/id_dsa",
};

static gboolean
finish (TwSshConfig  *self,
        GError      **error)
{
  g_autofree char *hostname = NULL;
  GError *local_error = NULL;

  hostname = tw_ssh_config_expand_tokens (self, self->hostname ? self->hostname : "%h", TRUE, error);
  if (hostname == NULL)
    return FALSE;
  g_free (self->hostname);
  self->hostname = g_steal_pointer (&hostname);

  if (self->port == 0)
    self->port = 22;
  self->has_user = self->user != NULL;
  if (self->user == NULL)
    self->user = g_strdup (g_get_user_name ());

  self->has_identity_files = self->identity_files_raw->len > 1;
  for (guint i = 0; !self->has_identity_files && i < G_N_ELEMENTS (default_identities); i++)
    tw_ssh_config_strv_add_unique (self->identity_files_raw, default_identities[i]);

  for (guint i = 0; i + 1 < self->identity_files_raw->len; i++)
    {
      g_autofree char *path = expand_path (self, g_ptr_array_index (self->identity_files_raw, i), error);

      if (path == NULL)
        return FALSE;
      tw_ssh_config_strv_add_unique (self->identity_files, path);
    }
  for (guint i = 0; i + 1 < self->certificate_files_raw->len; i++)
    {
      g_autofree char *path = expand_path (self, g_ptr_array_index (self->certificate_files_raw, i), error);

      if (path == NULL)
        return FALSE;
      tw_ssh_config_strv_add_unique (self->certificate_files, path);
    }

  if (self->identity_agent != NULL)
    {
      char *agent = expand_agent (self, self->identity_agent, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      g_free (self->identity_agent);
      self->identity_agent = agent;
    }

  if (self->proxy_jump != NULL && g_ascii_strcasecmp (self->proxy_jump, "none") == 0)
    g_clear_pointer (&self->proxy_jump, g_free);
  if (self->proxy_command != NULL && g_ascii_strcasecmp (self->proxy_command, "none") == 0)
    g_clear_pointer (&self->proxy_command, g_free);

  return TRUE;
}

/* @user and @port (0: none) act as ssh -l and -p: set before the files,
 * so the files' values cannot replace them. */
static TwSshConfig *
resolve (const char  *config_file,
         const char  *host,
         const char  *user,
         guint        port,
         GError     **error)
{
  g_autoptr(TwSshConfig) self = NULL;

  self = g_object_new (TW_TYPE_SSH_CONFIG, NULL);
  self->config_file = g_strdup (config_file);
  self->host = g_strdup (host);
  self->user = g_strdup (user);
  self->port = port;

  if (!tw_ssh_config_read_files (self, config_file, error))
    return NULL;
  if (!finish (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * tw_ssh_config_resolve:
 * @config_file: (nullable): the only file to read, as ssh -F
 * @host: the host as the admin typed it
 * @error: a #GError
 *
 * Returns: (transfer full): the values for @host, or %NULL when a file
 *   cannot be read or has a line OpenSSH would refuse
 */
TwSshConfig *
tw_ssh_config_resolve (const char  *config_file,
                       const char  *host,
                       GError     **error)
{
  g_return_val_if_fail (host != NULL && *host != '\0', NULL);

  return resolve (config_file, host, NULL, 0, error);
}

typedef struct
{
  char *config_file;
  char *host;
} ResolveData;

static void
resolve_data_free (gpointer data)
{
  ResolveData *rd = data;

  g_free (rd->config_file);
  g_free (rd->host);
  g_free (rd);
}

static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ResolveData *rd = task_data;
  GError *error = NULL;
  TwSshConfig *config = resolve (rd->config_file, rd->host, NULL, 0, &error);

  if (config == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, config, g_object_unref);
}

void
tw_ssh_config_resolve_async (const char          *config_file,
                             const char          *host,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ResolveData *rd;

  g_return_if_fail (host != NULL && *host != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_ssh_config_resolve_async);
  g_task_set_return_on_cancel (task, TRUE);
  rd = g_new0 (ResolveData, 1);
  rd->config_file = g_strdup (config_file);
  rd->host = g_strdup (host);
  g_task_set_task_data (task, rd, resolve_data_free);
  g_task_run_in_thread (task, resolve_thread);
}

/**
 * tw_ssh_config_resolve_finish:
 *
 * Returns: (transfer full): the values, or %NULL with @error set
 */
TwSshConfig *
tw_ssh_config_resolve_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

#define MAX_JUMP_DEPTH 8

static gboolean
add_route (TwSshConfig  *self,
           GPtrArray    *route,
           guint         depth,
           GError      **error)
{
  guint n = tw_ssh_config_get_n_jump_hops (self);
  guint first_index = route->len;

  if (n == 0)
    return TRUE;
  if (depth > MAX_JUMP_DEPTH)
    {
      g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
                   _("ProxyJump goes through more than %u hosts"), MAX_JUMP_DEPTH);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      const TwSshJumpHop *hop = tw_ssh_config_get_jump_hop (self, i);
      TwSshConfig *resolved = resolve (self->config_file, hop->host, hop->user, hop->port, error);

      if (resolved == NULL)
        return FALSE;
      g_ptr_array_add (route, resolved);
    }

  /* ssh runs "ssh -J h1,…,hn-1 -W target hn": only the first hop has no
   * -J of its own, so only its own ProxyJump from the files counts. */
  {
    TwSshConfig *first = g_ptr_array_index (route, first_index);
    g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
    TwSshConfig *last;

    if (!add_route (first, before, depth + 1, error))
      return FALSE;
    if (before->len > 0)
      {
        last = g_ptr_array_index (before, before->len - 1);
        if (g_str_equal (last->host, first->host) && last->port == first->port &&
            g_str_equal (last->user, first->user))
          {
            g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
                         _("ProxyJump makes %s jump through itself"), first->host);
            return FALSE;
          }
      }
    for (guint i = 0; i < before->len; i++)
      g_ptr_array_insert (route, (int) (first_index + i), g_object_ref (g_ptr_array_index (before, i)));
  }
  return TRUE;
}

/**
 * tw_ssh_config_resolve_route:
 * @self: a #TwSshConfig
 * @error: a #GError
 *
 * The hosts to go through, first first, each read from the same files as
 * ssh reads them for that hop (the user and port written in ProxyJump win
 * over the files'). Empty without ProxyJump.
 *
 * Returns: (transfer full) (element-type TwSshConfig): the hops, or %NULL
 */
GPtrArray *
tw_ssh_config_resolve_route (TwSshConfig  *self,
                             GError      **error)
{
  g_autoptr(GPtrArray) route = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);

  if (!add_route (self, route, 0, error))
    return NULL;
  return g_steal_pointer (&route);
}

const char *
tw_ssh_config_get_host (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return self->host;
}

const char *
tw_ssh_config_get_hostname (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return self->hostname;
}

guint
tw_ssh_config_get_port (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), 22);
  return self->port;
}

const char *
tw_ssh_config_get_user (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return self->user;
}

gboolean
tw_ssh_config_has_user (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), FALSE);
  return self->has_user;
}

const char * const *
tw_ssh_config_get_identity_files_raw (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return (const char * const *) self->identity_files_raw->pdata;
}

const char * const *
tw_ssh_config_get_identity_files (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return (const char * const *) self->identity_files->pdata;
}

gboolean
tw_ssh_config_has_identity_files (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), FALSE);
  return self->has_identity_files;
}

const char * const *
tw_ssh_config_get_certificate_files_raw (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return (const char * const *) self->certificate_files_raw->pdata;
}

const char * const *
tw_ssh_config_get_certificate_files (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return (const char * const *) self->certificate_files->pdata;
}

const char *
tw_ssh_config_get_identity_agent (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return self->identity_agent;
}

const char *
tw_ssh_config_get_proxy_jump (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return self->proxy_jump;
}

guint
tw_ssh_config_get_n_jump_hops (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), 0);
  return self->proxy_jump != NULL ? self->jump_hops->len : 0;
}

const TwSshJumpHop *
tw_ssh_config_get_jump_hop (TwSshConfig *self,
                            guint        index)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  g_return_val_if_fail (index < tw_ssh_config_get_n_jump_hops (self), NULL);
  return &g_array_index (self->jump_hops, TwSshJumpHop, index);
}

const char *
tw_ssh_config_get_proxy_command (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return self->proxy_command;
}

const char *
tw_ssh_config_get_config_file (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return self->config_file;
}

const char * const *
tw_ssh_config_get_warnings (TwSshConfig *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);
  return (const char * const *) self->warnings->pdata;
}

char *
tw_ssh_config_describe (TwSshConfig *self)
{
  GString *text;

  g_return_val_if_fail (TW_IS_SSH_CONFIG (self), NULL);

  text = g_string_new (NULL);
  g_string_append_printf (text, "HostName %s\nPort %u\nUser %s\n", self->hostname, self->port, self->user);
  if (self->proxy_jump != NULL)
    g_string_append_printf (text, "ProxyJump %s\n", self->proxy_jump);
  if (self->proxy_command != NULL)
    g_string_append_printf (text, "ProxyCommand %s\n", self->proxy_command);
  if (self->identity_agent != NULL)
    g_string_append_printf (text, "IdentityAgent %s\n", self->identity_agent);
  if (self->has_identity_files)
    for (guint i = 0; i + 1 < self->identity_files->len; i++)
      g_string_append_printf (text, "IdentityFile %s\n", (char *) g_ptr_array_index (self->identity_files, i));
  for (guint i = 0; i + 1 < self->certificate_files->len; i++)
    g_string_append_printf (text, "CertificateFile %s\n", (char *) g_ptr_array_index (self->certificate_files, i));
  for (guint i = 0; i + 1 < self->warnings->len; i++)
    g_string_append_printf (text, "# %s\n", (char *) g_ptr_array_index (self->warnings, i));
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}
