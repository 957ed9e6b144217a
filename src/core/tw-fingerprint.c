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

/* Sets *md5 when the text is an MD5 fingerprint rather than nothing. */
static char *
extract_body (const char *text,
              gboolean   *md5)
{
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  const char *best = NULL;
  guint n_tokens = 0;

  *md5 = FALSE;
  if (is_blank (text))
    return NULL;

  tokens = g_strsplit_set (text, " \t\r\n", -1);

  /* An explicit "SHA256:" wins wherever it is: `ssh-keygen -lf` puts the
   * bits before it and the comment and type after it. */
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (tokens[i], SHA256_PREFIX, strlen (SHA256_PREFIX)) == 0)
        return strip_padding (tokens[i] + strlen (SHA256_PREFIX));
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
