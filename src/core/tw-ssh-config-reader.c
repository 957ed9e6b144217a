/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TwSshConfig's reading of the files, line by line as OpenSSH's readconf.c
 * does: words and quotes, Host and Match blocks, Include, and the first
 * value of each key kept. Turning the values into names (tokens, ~,
 * defaults) is tw-ssh-config.c's.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glob.h>
#include <string.h>

#include "tw-ssh-config-private.h"

#define MAX_INCLUDE_DEPTH 16

typedef struct
{
  TwSshConfig *self;
  gboolean     user_config;   /* includes are relative to ~/.ssh, else /etc/ssh */
} Reader;

/* OpenSSH's argv_split(): words separated by white space, single or double
 * quotes group, a backslash escapes a quote, a space or itself, and a word
 * that starts with # ends the line. */
static gboolean
split_words (const char  *line,
             GPtrArray   *words,
             GError     **error)
{
  const char *p = line;

  for (;;)
    {
      g_autoptr(GString) word = NULL;
      char quote = 0;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0' || *p == '#')
        return TRUE;

      word = g_string_new (NULL);
      for (; *p != '\0'; p++)
        {
          if (quote == 0 && (*p == ' ' || *p == '\t'))
            break;
          if (*p == '\\' && (p[1] == '\'' || p[1] == '"' || p[1] == '\\' || (quote == 0 && p[1] == ' ')))
            {
              g_string_append_c (word, *++p);
              continue;
            }
          if (quote == 0 && (*p == '\'' || *p == '"'))
            quote = *p;
          else if (*p == quote)
            quote = 0;
          else
            g_string_append_c (word, *p);
        }
      if (quote != 0)
        {
          g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
                       _("A quote is not closed"));
          return FALSE;
        }
      g_ptr_array_add (words, g_string_free (g_steal_pointer (&word), FALSE));
    }
}

/* OpenSSH's match_pattern_list(): comma-separated, ! negates; a negated
 * match wins over everything. */
static gboolean
match_pattern_list (const char *text,
                    const char *list,
                    gboolean    fold_case)
{
  g_auto(GStrv) patterns = g_strsplit (list, ",", -1);
  g_autofree char *folded = fold_case ? g_ascii_strdown (text, -1) : g_strdup (text);
  gboolean matched = FALSE;

  for (guint i = 0; patterns[i] != NULL; i++)
    {
      gboolean negated = patterns[i][0] == '!';
      const char *pattern = patterns[i] + (negated ? 1 : 0);
      g_autofree char *folded_pattern = fold_case ? g_ascii_strdown (pattern, -1) : g_strdup (pattern);

      if (g_pattern_match_simple (folded_pattern, folded))
        {
          if (negated)
            return FALSE;
          matched = TRUE;
        }
    }
  return matched;
}

/* "Host a b !c": any pattern matches and no negated one does. As in
 * OpenSSH, against the host as typed, case sensitive. */
static gboolean
host_line_matches (TwSshConfig  *self,
                   GPtrArray    *words)
{
  gboolean matched = FALSE;

  for (guint i = 1; i < words->len; i++)
    {
      const char *arg = g_ptr_array_index (words, i);
      gboolean negated = arg[0] == '!';

      if (g_pattern_match_simple (arg + (negated ? 1 : 0), self->host))
        {
          if (negated)
            return FALSE;
          matched = TRUE;
        }
    }
  return matched;
}

static gboolean
match_line_matches (TwSshConfig  *self,
                    GPtrArray    *words,
                    GError      **error)
{
  gboolean result = TRUE;

  for (guint i = 1; i < words->len; i++)
    {
      const char *criterion = g_ptr_array_index (words, i);
      gboolean negated = criterion[0] == '!';
      const char *arg;
      gboolean this_one;

      criterion += negated ? 1 : 0;
      if (g_ascii_strcasecmp (criterion, "all") == 0)
        {
          if (negated)
            result = FALSE;
          continue;
        }
      if (g_ascii_strcasecmp (criterion, "canonical") == 0 || g_ascii_strcasecmp (criterion, "final") == 0)
        {
          /* ssh decides these in a second pass after canonicalizing the
           * name, which this resolver does not make. */
          g_autofree char *warning = g_strdup_printf (_("“Match %s” is not evaluated; its block was left out"),
                                                      criterion);

          tw_ssh_config_strv_add_unique (self->warnings, warning);
          result = FALSE;
          continue;
        }
      if (i + 1 >= words->len)
        {
          g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
                       _("“Match %s” needs a value"), criterion);
          return FALSE;
        }
      arg = g_ptr_array_index (words, ++i);

      if (g_ascii_strcasecmp (criterion, "host") == 0)
        {
          g_autofree char *host = NULL;

          if (self->hostname != NULL)
            host = tw_ssh_config_expand_tokens (self, self->hostname, TRUE, NULL);
          this_one = match_pattern_list (host ? host : self->host, arg, TRUE);
        }
      else if (g_ascii_strcasecmp (criterion, "originalhost") == 0)
        this_one = match_pattern_list (self->host, arg, TRUE);
      else if (g_ascii_strcasecmp (criterion, "user") == 0)
        this_one = match_pattern_list (self->user ? self->user : g_get_user_name (), arg, FALSE);
      else if (g_ascii_strcasecmp (criterion, "localuser") == 0)
        this_one = match_pattern_list (g_get_user_name (), arg, FALSE);
      else
        {
          /* exec, canonical, final, localnetwork, tagged…: what they decide
           * is not known here, so the block is left out, and said so. */
          g_autofree char *warning = g_strdup_printf (_("“Match %s” is not evaluated; its block was left out"),
                                                      criterion);

          tw_ssh_config_strv_add_unique (self->warnings, warning);
          this_one = FALSE;
          negated = FALSE;
        }
      if (this_one == negated)
        result = FALSE;
    }
  return result;
}

static gboolean read_file (Reader *reader, const char *path, gboolean *active, gboolean never,
                           guint depth, gboolean must_exist, GError **error);

char *
tw_ssh_config_tilde_expand (const char *path)
{
  if (g_str_equal (path, "~"))
    return g_strdup (g_get_home_dir ());
  if (g_str_has_prefix (path, "~/"))
    return g_build_filename (g_get_home_dir (), path + 2, NULL);
  return g_strdup (path);
}

static gboolean
include_files (Reader     *reader,
               GPtrArray  *words,
               gboolean   *active,
               gboolean    never,
               guint       depth,
               GError    **error)
{
  for (guint i = 1; i < words->len; i++)
    {
      g_autofree char *expanded = tw_ssh_config_tilde_expand (g_ptr_array_index (words, i));
      g_autofree char *pattern = NULL;
      glob_t gl = { 0 };
      gboolean ok = TRUE;

      if (g_path_is_absolute (expanded))
        pattern = g_steal_pointer (&expanded);
      else if (reader->user_config)
        pattern = g_build_filename (g_get_home_dir (), ".ssh", expanded, NULL);
      else
        pattern = g_build_filename ("/etc/ssh", expanded, NULL);

      if (glob (pattern, 0, NULL, &gl) != 0)
        continue;
      for (size_t j = 0; ok && j < gl.gl_pathc; j++)
        {
          /* The included file starts where the Include stands, and what
           * it opens does not stay open after it. */
          gboolean inner = *active;

          ok = read_file (reader, gl.gl_pathv[j], &inner, never || !*active, depth + 1, TRUE, error);
        }
      globfree (&gl);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_port (const char  *text,
            guint       *port,
            GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
                   _("“%s” is not a port number"), text);
      return FALSE;
    }
  *port = (guint) value;
  return TRUE;
}

/* "[user@]host[:port]" or "ssh://[user@]host[:port]", IPv6 in brackets */
static gboolean
parse_jump_hop (const char    *text,
                TwSshJumpHop  *hop,
                GError       **error)
{
  g_autofree char *copy = g_strdup (g_str_has_prefix (text, "ssh://") ? text + 6 : text);
  char *at = strrchr (copy, '@');
  char *host = copy;
  char *port = NULL;

  if (g_str_has_prefix (text, "ssh://") && copy[0] != '\0' && copy[strlen (copy) - 1] == '/')
    copy[strlen (copy) - 1] = '\0';
  if (at != NULL)
    {
      *at = '\0';
      hop->user = g_strdup (copy);
      host = at + 1;
    }
  if (host[0] == '[')
    {
      char *end = strchr (host, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        goto bad;
      *end = '\0';
      port = end[1] == ':' ? end + 2 : NULL;
      host++;
    }
  else if ((port = strchr (host, ':')) != NULL)
    *port++ = '\0';

  if (host[0] == '\0' || (hop->user != NULL && hop->user[0] == '\0'))
    goto bad;
  if (port != NULL && !parse_port (port, &hop->port, NULL))
    goto bad;
  hop->host = g_strdup (host);
  return TRUE;

bad:
  g_clear_pointer (&hop->user, g_free);
  g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
               _("“%s” is not a jump host ([user@]host[:port])"), text);
  return FALSE;
}

static gboolean
apply_option (TwSshConfig  *self,
              const char   *key,
              GPtrArray    *words,
              GError      **error)
{
  const char *arg = words->len > 1 ? g_ptr_array_index (words, 1) : NULL;

  if (arg == NULL)
    return TRUE;

  if (g_ascii_strcasecmp (key, "HostName") == 0)
    {
      if (self->hostname == NULL)
        self->hostname = g_strdup (arg);
    }
  else if (g_ascii_strcasecmp (key, "Port") == 0)
    {
      guint port;

      if (!parse_port (arg, &port, error))
        return FALSE;
      if (self->port == 0)
        self->port = port;
    }
  else if (g_ascii_strcasecmp (key, "User") == 0)
    {
      if (self->user == NULL)
        self->user = g_strdup (arg);
    }
  else if (g_ascii_strcasecmp (key, "IdentityFile") == 0)
    tw_ssh_config_strv_add_unique (self->identity_files_raw, arg);
  else if (g_ascii_strcasecmp (key, "CertificateFile") == 0)
    tw_ssh_config_strv_add_unique (self->certificate_files_raw, arg);
  else if (g_ascii_strcasecmp (key, "IdentityAgent") == 0)
    {
      if (self->identity_agent == NULL)
        self->identity_agent = g_strdup (arg);
    }
  else if (g_ascii_strcasecmp (key, "ProxyJump") == 0)
    {
      /* The first of ProxyJump and ProxyCommand wins over the other too. */
      if (self->proxy_jump == NULL && self->proxy_command == NULL)
        {
          g_auto(GStrv) hops = g_strsplit (arg, ",", -1);

          for (guint i = 0; g_ascii_strcasecmp (arg, "none") != 0 && hops[i] != NULL; i++)
            {
              TwSshJumpHop hop = { 0 };

              if (!parse_jump_hop (hops[i], &hop, error))
                return FALSE;
              g_array_append_val (self->jump_hops, hop);
            }
          self->proxy_jump = g_strdup (arg);
        }
    }
  else if (g_ascii_strcasecmp (key, "ProxyCommand") == 0)
    {
      if (self->proxy_jump == NULL && self->proxy_command == NULL)
        {
          g_autoptr(GPtrArray) rest = g_ptr_array_new ();

          for (guint i = 1; i < words->len; i++)
            g_ptr_array_add (rest, g_ptr_array_index (words, i));
          g_ptr_array_add (rest, NULL);
          self->proxy_command = g_strjoinv (" ", (char **) rest->pdata);
        }
    }
  return TRUE;
}

static gboolean
read_line (Reader      *reader,
           const char  *line,
           gboolean    *active,
           gboolean     never,
           guint        depth,
           GError     **error)
{
  TwSshConfig *self = reader->self;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = NULL;
  const char *p = line;
  gsize len;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '\0' || *p == '#')
    return TRUE;

  /* The keyword ends at white space or one "=". */
  len = strcspn (p, " \t=");
  key = g_strndup (p, len);
  p += len;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '=')
    p++;
  g_ptr_array_add (words, g_strdup (key));
  if (!split_words (p, words, error))
    return FALSE;

  if (g_ascii_strcasecmp (key, "Host") == 0)
    *active = !never && host_line_matches (self, words);
  else if (g_ascii_strcasecmp (key, "Match") == 0)
    {
      gboolean matches = match_line_matches (self, words, error);

      if (error != NULL && *error != NULL)
        return FALSE;
      *active = !never && matches;
    }
  else if (g_ascii_strcasecmp (key, "Include") == 0)
    return include_files (reader, words, active, never, depth, error);
  else if (*active)
    return apply_option (self, key, words, error);

  return TRUE;
}

static gboolean
read_file (Reader      *reader,
           const char  *path,
           gboolean    *active,
           gboolean     never,
           guint        depth,
           gboolean     must_exist,
           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) lines = NULL;

  if (depth > MAX_INCLUDE_DEPTH)
    {
      g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
                   _("%s: too many nested “Include” lines"), path);
      return FALSE;
    }

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (!must_exist && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_READ,
                   _("Cannot read %s: %s"), path, local_error->message);
      return FALSE;
    }

  lines = g_strsplit_set (contents, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) line_error = NULL;

      if (!read_line (reader, lines[i], active, never, depth, &line_error))
        {
          if (line_error->domain == TW_SSH_CONFIG_ERROR && line_error->code == TW_SSH_CONFIG_ERROR_SYNTAX &&
              !g_str_has_prefix (line_error->message, "/"))
            g_set_error (error, TW_SSH_CONFIG_ERROR, TW_SSH_CONFIG_ERROR_SYNTAX,
                         "%s:%u: %s", path, i + 1, line_error->message);
          else
            g_propagate_error (error, g_steal_pointer (&line_error));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
tw_ssh_config_read_files (TwSshConfig  *self,
                          const char   *config_file,
                          GError      **error)
{
  Reader reader = { self, TRUE };
  gboolean active = TRUE;
  g_autofree char *user_file = NULL;

  if (config_file != NULL)
    return read_file (&reader, config_file, &active, FALSE, 0, TRUE, error);

  user_file = g_build_filename (g_get_home_dir (), ".ssh", "config", NULL);
  if (!read_file (&reader, user_file, &active, FALSE, 0, FALSE, error))
    return FALSE;
  reader.user_config = FALSE;
  active = TRUE;
  return read_file (&reader, "/etc/ssh/ssh_config", &active, FALSE, 0, FALSE, error);
}
