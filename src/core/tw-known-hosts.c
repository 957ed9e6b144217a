/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tw-known-hosts.h"

GStrv
tw_known_hosts_default_files (void)
{
  char **files = g_new0 (char *, 5);

  files[0] = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);
  files[1] = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts2", NULL);
  files[2] = g_strdup ("/etc/ssh/ssh_known_hosts");
  files[3] = g_strdup ("/etc/ssh/ssh_known_hosts2");
  return files;
}

char *
tw_known_hosts_name (const char *host,
                     guint       port)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);

  if (port == 22)
    return g_steal_pointer (&lower);
  return g_strdup_printf ("[%s]:%u", lower, port);
}

/* OpenSSH's match_pattern: * any run, ? one character, case as given (the
 * caller lowers both sides). */
static gboolean
match_pattern (const char *text,
               const char *pattern)
{
  for (;;)
    {
      if (*pattern == '\0')
        return *text == '\0';
      if (*pattern == '*')
        {
          while (*pattern == '*')
            pattern++;
          if (*pattern == '\0')
            return TRUE;
          for (; *text != '\0'; text++)
            if (match_pattern (text, pattern))
              return TRUE;
          return FALSE;
        }
      if (*text == '\0')
        return FALSE;
      if (*pattern != '?' && *pattern != *text)
        return FALSE;
      text++;
      pattern++;
    }
}

/* |1|base64(salt)|base64(HMAC-SHA1(salt, name)) */
static gboolean
match_hashed (const char *field,
              const char *name)
{
  g_auto(GStrv) parts = g_strsplit (field + 1, "|", -1);
  g_autofree guchar *salt = NULL;
  g_autofree guchar *hash = NULL;
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[20];
  gsize salt_len = 0, hash_len = 0, digest_len = sizeof digest;

  if (g_strv_length (parts) != 3 || !g_str_equal (parts[0], "1"))
    return FALSE;
  salt = g_base64_decode (parts[1], &salt_len);
  hash = g_base64_decode (parts[2], &hash_len);
  if (salt_len != 20 || hash_len != 20)
    return FALSE;
  hmac = g_hmac_new (G_CHECKSUM_SHA1, salt, salt_len);
  g_hmac_update (hmac, (const guchar *) name, strlen (name));
  g_hmac_get_digest (hmac, digest, &digest_len);
  return memcmp (digest, hash, sizeof digest) == 0;
}

gboolean
tw_known_hosts_match (const char *hosts_field,
                      const char *name)
{
  g_auto(GStrv) patterns = NULL;
  gboolean positive = FALSE;

  if (hosts_field[0] == '|')
    return match_hashed (hosts_field, name);

  /* A negated pattern that matches rules the line out, whatever else matches. */
  patterns = g_strsplit (hosts_field, ",", -1);
  for (guint i = 0; patterns[i] != NULL; i++)
    {
      gboolean negated = patterns[i][0] == '!';
      g_autofree char *pattern = g_ascii_strdown (patterns[i] + negated, -1);

      if (*pattern == '\0' || !match_pattern (name, pattern))
        continue;
      if (negated)
        return FALSE;
      positive = TRUE;
    }
  return positive;
}

static void
entry_free (gpointer data)
{
  TwKnownHostsEntry *entry = data;

  g_clear_object (&entry->key);
  g_free (entry->file);
  g_free (entry);
}

static void
scan_file (const char *path,
           const char *name,
           GPtrArray  *found)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autofree char *key_text = NULL;
      g_autoptr(TwPublicKey) key = NULL;
      TwKnownHostsLineKind kind = TW_KNOWN_HOSTS_LINE_KEY;
      TwKnownHostsEntry *entry;
      guint first = 0;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_regex_split_simple ("[ \t]+", lines[i], 0, 0);
      if (fields[0] != NULL && fields[0][0] == '@')
        {
          if (g_str_equal (fields[0], "@revoked"))
            kind = TW_KNOWN_HOSTS_LINE_REVOKED;
          else if (g_str_equal (fields[0], "@cert-authority"))
            kind = TW_KNOWN_HOSTS_LINE_CERT_AUTHORITY;
          else
            continue;   /* a marker ssh does not know: the line is ignored */
          first = 1;
        }
      if (g_strv_length (fields) < first + 3)
        continue;
      if (!tw_known_hosts_match (fields[first], name))
        continue;
      key_text = g_strdup_printf ("%s %s", fields[first + 1], fields[first + 2]);
      key = tw_public_key_parse (key_text, NULL);
      if (key == NULL)
        continue;

      entry = g_new0 (TwKnownHostsEntry, 1);
      entry->kind = kind;
      entry->key = g_steal_pointer (&key);
      entry->file = g_strdup (path);
      entry->line = i + 1;
      g_ptr_array_add (found, entry);
    }
}

GPtrArray *
tw_known_hosts_lookup (const char * const *files,
                       const char         *name)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (entry_free);

  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    scan_file (files[i], name, found);
  return found;
}
