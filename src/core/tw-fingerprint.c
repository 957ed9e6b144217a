/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading and comparing the host key fingerprint an admin pastes: the one the
 * data service shows, or the one `ssh-keygen -lf` prints on the server.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-fingerprint.h"

G_DEFINE_QUARK (tw-fingerprint-error-quark, tw_fingerprint_error)

#define SHA256_PREFIX "SHA256:"

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

static gboolean
is_base64_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!is_base64_char (*p))
      return FALSE;
  return TRUE;
}

/* "MD5:aa:bb:…" or the bare "aa:bb:…" that older ssh-keygen printed */
static gboolean
is_md5_token (const char *token)
{
  gsize len;

  if (g_ascii_strncasecmp (token, "MD5:", 4) == 0)
    return TRUE;

  len = strlen (token);
  if (len != 47)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (i % 3 == 2 ? token[i] != ':' : !g_ascii_isxdigit (token[i]))
        return FALSE;
    }
  return TRUE;
}

/* ssh-keygen leaves the padding out; a pasted one may carry it. */
static char *
strip_padding (const char *body)
{
  gsize len = strlen (body);

  while (len > 0 && body[len - 1] == '=')
    len--;
  return g_strndup (body, len);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static char *clean_pasted (const char *text);

/* Sets *md5 when the text is an MD5 fingerprint rather than nothing. */
static char *
extract_body (const char *text,
              gboolean   *md5)
{
  g_autofree char *clean = NULL;
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  const char *best = NULL;
  guint n_tokens = 0;

  *md5 = FALSE;
  clean = clean_pasted (text);
  if (is_blank (clean))
    return NULL;

  tokens = g_strsplit_set (clean, " \t\r\n", -1);

  /* An explicit "SHA256:" wins wherever it is: `ssh-keygen -lf` puts the
   * bits before it and the comment and type after it. */
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (tokens[i], SHA256_PREFIX, strlen (SHA256_PREFIX)) == 0)
        {
          g_string_append (joined, tokens[i] + strlen (SHA256_PREFIX));
          /* Broken over lines or in groups when copied: the rest follows */
          for (guint j = i + 1; tokens[j] != NULL && joined->len < TW_FINGERPRINT_SHA256_LENGTH; j++)
            if (tokens[j][0] != '\0' && is_base64_text (tokens[j]))
              g_string_append (joined, tokens[j]);
            else if (tokens[j][0] != '\0')
              break;
          return strip_padding (joined->str);
        }
    }

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      if (tokens[i][0] == '\0')
        continue;
      if (is_md5_token (tokens[i]))
        {
          *md5 = TRUE;
          return NULL;
        }
      n_tokens++;
      g_string_append (joined, tokens[i]);
      if (is_base64_text (tokens[i]) && (best == NULL || strlen (tokens[i]) > strlen (best)))
        best = tokens[i];
    }

  /* The grouped form this window shows ("abcd efgh …"), copied back. */
  if (n_tokens == 1 || is_base64_text (joined->str))
    return strip_padding (joined->str);

  return strip_padding (best != NULL ? best : joined->str);
}

char *
tw_fingerprint_extract (const char *text)
{
  gboolean md5;

  g_return_val_if_fail (text != NULL, NULL);

  return extract_body (text, &md5);
}

char *
tw_fingerprint_parse (const char  *text,
                      GError     **error)
{
  g_autofree char *body = NULL;
  g_autofree char *padded = NULL;
  g_autofree guchar *digest = NULL;
  gsize digest_len = 0;
  gboolean md5;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  body = extract_body (text, &md5);
  if (md5)
    {
      g_set_error_literal (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_MD5,
                           _("This is an MD5 fingerprint. Ask for the SHA256 one: "
                             "ssh-keygen -lf FILE -E sha256 prints it."));
      return NULL;
    }
  if (body == NULL)
    {
      g_set_error_literal (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_EMPTY,
                           _("Paste the fingerprint the service shows."));
      return NULL;
    }
  if (!is_base64_text (body))
    {
      g_set_error_literal (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID,
                           _("A SHA256 fingerprint has only letters, digits, “+” and “/” after “SHA256:”."));
      return NULL;
    }
  if (strlen (body) != TW_FINGERPRINT_SHA256_LENGTH)
    {
      g_set_error (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID,
                   _("A SHA256 fingerprint has %u characters after “SHA256:”; this one has %u."),
                   TW_FINGERPRINT_SHA256_LENGTH, (guint) strlen (body));
      return NULL;
    }

  /* 43 base64 characters always carry 32 bytes and 2 spare bits; decoding
   * proves it rather than trusting the arithmetic. */
  padded = g_strconcat (body, "=", NULL);
  digest = g_base64_decode (padded, &digest_len);
  if (digest_len != 32)
    {
      g_set_error_literal (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID,
                           _("This is not a SHA256 fingerprint."));
      return NULL;
    }

  return g_strconcat (SHA256_PREFIX, body, NULL);
}

static const char *
skip_prefix (const char *fingerprint)
{
  if (g_str_has_prefix (fingerprint, SHA256_PREFIX))
    return fingerprint + strlen (SHA256_PREFIX);
  return fingerprint;
}

TwFingerprintVerdict
tw_fingerprint_compare (const char  *expected,
                        const char  *text,
                        GArray     **mismatches,
                        guint       *n_missing)
{
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *body = NULL;
  const char *want;
  gsize want_len, body_len;
  TwFingerprintVerdict verdict;
  gboolean md5;
  guint missing = 0;

  g_return_val_if_fail (expected != NULL, TW_FINGERPRINT_VERDICT_EMPTY);
  g_return_val_if_fail (text != NULL, TW_FINGERPRINT_VERDICT_EMPTY);

  if (mismatches != NULL)
    *mismatches = NULL;
  if (n_missing != NULL)
    *n_missing = 0;

  body = extract_body (text, &md5);
  if (body == NULL)
    return md5 ? TW_FINGERPRINT_VERDICT_NOT_SHA256 : TW_FINGERPRINT_VERDICT_EMPTY;

  want = skip_prefix (expected);
  want_len = strlen (want);
  body_len = strlen (body);

  for (guint i = 0; i < body_len; i++)
    {
      if (i >= want_len || body[i] != want[i])
        g_array_append_val (positions, i);
    }
  if (body_len < want_len)
    missing = want_len - body_len;

  if (n_missing != NULL)
    *n_missing = missing;
  verdict = positions->len == 0 && missing == 0 ? TW_FINGERPRINT_VERDICT_MATCH
                                                : TW_FINGERPRINT_VERDICT_MISMATCH;
  if (mismatches != NULL)
    *mismatches = g_steal_pointer (&positions);
  return verdict;
}

guint
tw_fingerprint_group_offset (guint index,
                             guint group_size)
{
  g_return_val_if_fail (group_size > 0, index);

  return index + index / group_size;
}

char *
tw_fingerprint_format_groups (const char *fingerprint,
                              guint       group_size)
{
  const char *body;
  GString *out;

  g_return_val_if_fail (fingerprint != NULL, NULL);
  g_return_val_if_fail (group_size > 0, NULL);

  body = skip_prefix (fingerprint);
  out = g_string_sized_new (strlen (body) * 2);
  for (guint i = 0; body[i] != '\0'; i++)
    {
      if (i > 0 && i % group_size == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, body[i]);
    }
  return g_string_free (out, FALSE);
}

/* ---- any form an admin pastes ------------------------------------------- */

const char *
tw_fingerprint_formats_help (void)
{
  return _("Paste one of: the SHA256 fingerprint (“SHA256:…”, with or without “SHA256:”), "
           "the whole line “ssh-keygen -lf FILE” prints, a known_hosts or ssh-keyscan line, "
           "the server’s .pub key, or an MD5 fingerprint (“MD5:aa:bb:…”).");
}

void
tw_fingerprint_input_free (TwFingerprintInput *input)
{
  if (input == NULL)
    return;
  g_free (input->value);
  g_clear_object (&input->key);
  g_free (input->type_label);
  g_free (input);
}

/* Quotes a terminal, a chat or a ticket wraps around what was copied. */
static const char * const quote_marks[] = { "\"", "'", "`", "“", "”", "‘", "’", "«", "»", NULL };

static gboolean
starts_with_quote (const char *s,
                   gsize      *len)
{
  for (guint i = 0; quote_marks[i] != NULL; i++)
    if (g_str_has_prefix (s, quote_marks[i]))
      {
        *len = strlen (quote_marks[i]);
        return TRUE;
      }
  return FALSE;
}

static gboolean
ends_with_quote (const char *s,
                 gsize      *len)
{
  for (guint i = 0; quote_marks[i] != NULL; i++)
    if (g_str_has_suffix (s, quote_marks[i]))
      {
        *len = strlen (quote_marks[i]);
        return TRUE;
      }
  return FALSE;
}

/* The text without "#" comment lines (ssh-keyscan's "# host:22 SSH-2.0-…"),
 * surrounding white space and quotes. */
static char *
clean_pasted (const char *text)
{
  g_auto(GStrv) lines = g_strsplit_set (text, "\r\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean changed = TRUE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      while (g_ascii_isspace (*line))
        line++;
      if (*line == '#')
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, line);
    }

  while (changed)
    {
      gsize len;

      changed = FALSE;
      g_strstrip (out->str);
      g_string_set_size (out, strlen (out->str));
      if (starts_with_quote (out->str, &len))
        {
          g_string_erase (out, 0, len);
          changed = TRUE;
        }
      if (ends_with_quote (out->str, &len) && out->len >= len)
        {
          g_string_truncate (out, out->len - len);
          changed = TRUE;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "(ED25519)" at the end of an ssh-keygen -l line */
static char *
find_type_label (char **tokens)
{
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      const char *t = tokens[i];
      gsize len = strlen (t);

      if (len > 2 && t[0] == '(' && t[len - 1] == ')')
        return g_ascii_strup (t + 1, len - 2);
    }
  return NULL;
}

static gboolean
is_key_type_token (const char *token)
{
  return g_str_has_prefix (token, "ssh-") || g_str_has_prefix (token, "ecdsa-sha2-") ||
         g_str_has_prefix (token, "sk-");
}

/* The key on one line: known_hosts ("host[,…] TYPE BLOB"), hashed
 * ("|1|salt|hash TYPE BLOB"), ssh-keyscan, or a .pub file. The key starts
 * at its type; what comes before it names the host. NULL without error:
 * no key on this line. */
static TwPublicKey *
parse_one_key_line (const char  *line,
                    GError     **error)
{
  g_auto(GStrv) tokens = g_strsplit_set (line, " \t", -1);
  g_autoptr(GError) local_error = NULL;
  const char *start = NULL;
  TwPublicKey *key;

  for (guint i = 0; tokens[i] != NULL && start == NULL; i++)
    if (is_key_type_token (tokens[i]) && tokens[i + 1] != NULL &&
        g_str_has_prefix (tokens[i + 1], "AAAA"))
      start = strstr (line, tokens[i]);
  if (start == NULL)
    return NULL;

  if (line[0] == '@')
    {
      g_set_error_literal (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID,
                           _("This known_hosts line is marked “@cert-authority” or “@revoked”: "
                             "it is not the server’s own key. Paste the server’s key line."));
      return NULL;
    }

  key = tw_public_key_parse (start, &local_error);
  if (key == NULL)
    g_set_error (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID,
                 _("This looks like a key line, but the key is not valid: %s"), local_error->message);
  return key;
}

/* One key, on one or more lines (ssh-keygen -H writes a line per host
 * name, all with the same key). Several different keys: which one the
 * admin means is not ours to guess. */
static TwFingerprintInput *
parse_key_lines (const char  *text,
                 GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(TwPublicKey) found = NULL;
  g_autoptr(TwFingerprintInput) input = NULL;
  guint n_different = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(TwPublicKey) key = parse_one_key_line (lines[i], &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (key == NULL)
        continue;
      if (found == NULL)
        {
          found = g_steal_pointer (&key);
          n_different = 1;
        }
      else if (!g_bytes_equal (tw_public_key_get_blob (found), tw_public_key_get_blob (key)))
        n_different++;
    }
  if (found == NULL)
    return NULL;
  if (n_different > 1)
    {
      g_set_error (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID,
                   _("These lines hold %u different keys. Paste only the line of the key to compare."),
                   n_different);
      return NULL;
    }

  input = g_new0 (TwFingerprintInput, 1);
  input->kind = TW_FINGERPRINT_KIND_KEY;
  input->value = g_strdup (tw_public_key_get_fingerprint (found));
  input->type_label = g_strdup (tw_public_key_get_type_label (found));
  input->key = g_steal_pointer (&found);
  return g_steal_pointer (&input);
}

static gboolean
is_md5_pairs (const char *text)
{
  gsize len = strlen (text);

  if (len != 47)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (i % 3 == 2 ? text[i] != ':' : !g_ascii_isxdigit (text[i]))
      return FALSE;
  return TRUE;
}

static TwFingerprintInput *
parse_md5 (char  **tokens,
           GError **error)
{
  g_autoptr(TwFingerprintInput) input = NULL;
  const char *found = NULL;

  for (guint i = 0; tokens[i] != NULL && found == NULL; i++)
    {
      const char *t = tokens[i];

      if (g_ascii_strncasecmp (t, "MD5:", 4) == 0)
        {
          if (!is_md5_pairs (t + 4))
            {
              g_set_error (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID,
                           _("An MD5 fingerprint is 16 pairs of hex digits separated by “:”. %s"),
                           tw_fingerprint_formats_help ());
              return NULL;
            }
          found = t + 4;
        }
      else if (is_md5_pairs (t))
        found = t;
    }
  if (found == NULL)
    return NULL;

  input = g_new0 (TwFingerprintInput, 1);
  input->kind = TW_FINGERPRINT_KIND_MD5;
  input->value = g_ascii_strdown (found, -1);
  input->type_label = find_type_label (tokens);
  return g_steal_pointer (&input);
}

/* Meant as one, with a typo or a piece missing: worth a precise message */
static gboolean
looks_like_sha256 (const char  *clean,
                   char       **tokens)
{
  g_autofree char *body = NULL;
  gboolean md5;
  gsize len;

  for (guint i = 0; tokens[i] != NULL; i++)
    if (g_ascii_strncasecmp (tokens[i], SHA256_PREFIX, strlen (SHA256_PREFIX)) == 0)
      return TRUE;
  body = extract_body (clean, &md5);
  len = body != NULL ? strlen (body) : 0;
  return len >= TW_FINGERPRINT_SHA256_LENGTH - 4 && len <= TW_FINGERPRINT_SHA256_LENGTH + 4;
}

TwFingerprintInput *
tw_fingerprint_input_parse (const char  *text,
                            GError     **error)
{
  g_autofree char *clean = NULL;
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sha256 = NULL;
  TwFingerprintInput *input;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  clean = clean_pasted (text);
  if (clean[0] == '\0')
    {
      g_set_error_literal (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_EMPTY,
                           _("Paste the fingerprint the service shows."));
      return NULL;
    }
  tokens = g_strsplit_set (clean, " \t\n", -1);

  /* Checked in this order: a key line can hold base64 that looks like
   * anything, and an ssh-keygen -E md5 line holds no SHA256. */
  if ((input = parse_key_lines (clean, &local_error)) != NULL)
    return input;
  if (local_error == NULL && (input = parse_md5 (tokens, &local_error)) != NULL)
    return input;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  sha256 = tw_fingerprint_parse (clean, &local_error);
  if (sha256 == NULL && !looks_like_sha256 (clean, tokens))
    {
      g_set_error (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID,
                   _("This is not a host key fingerprint. %s"), tw_fingerprint_formats_help ());
      return NULL;
    }
  if (sha256 == NULL)
    {
      g_set_error (error, TW_FINGERPRINT_ERROR, TW_FINGERPRINT_ERROR_INVALID,
                   "%s %s", local_error->message, tw_fingerprint_formats_help ());
      return NULL;
    }

  input = g_new0 (TwFingerprintInput, 1);
  input->kind = TW_FINGERPRINT_KIND_SHA256;
  input->value = g_steal_pointer (&sha256);
  input->type_label = find_type_label (tokens);
  return input;
}

char *
tw_fingerprint_md5 (TwPublicKey *key)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  GBytes *blob;
  GString *out = g_string_new (NULL);
  guint8 digest[16];
  gsize digest_len = sizeof digest;
  gsize blob_len;
  const guint8 *data;

  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);

  blob = tw_public_key_get_blob (key);
  data = g_bytes_get_data (blob, &blob_len);
  g_checksum_update (checksum, data, blob_len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (out, i == 0 ? "%02x" : ":%02x", digest[i]);
  return g_string_free (out, FALSE);
}

gboolean
tw_fingerprint_input_matches (const TwFingerprintInput *input,
                              TwPublicKey              *key)
{
  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), FALSE);

  switch (input->kind)
    {
    case TW_FINGERPRINT_KIND_KEY:
      return g_bytes_equal (tw_public_key_get_blob (input->key), tw_public_key_get_blob (key));
    case TW_FINGERPRINT_KIND_MD5:
      {
        g_autofree char *md5 = tw_fingerprint_md5 (key);

        return g_str_equal (md5, input->value);
      }
    case TW_FINGERPRINT_KIND_SHA256:
    default:
      return g_str_equal (input->value, tw_public_key_get_fingerprint (key));
    }
}

int
tw_fingerprint_input_find (const TwFingerprintInput *input,
                           GPtrArray                *keys)
{
  g_return_val_if_fail (input != NULL, -1);

  for (guint i = 0; keys != NULL && i < keys->len; i++)
    if (tw_fingerprint_input_matches (input, g_ptr_array_index (keys, i)))
      return (int) i;
  return -1;
}
