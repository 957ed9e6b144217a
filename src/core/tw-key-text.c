/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text half of the key engine: what an admin pastes, as tolerant as it
 * is safe. OpenSSH lines (with authorized_keys options, broken over lines,
 * with stray spaces) and RFC 4716 blocks are read; private keys are refused
 * before any copy of their text is made. Pure: no I/O, no logging.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-key-text.h"

/* Public keys are at most a few kilobytes; a much longer text is something
 * else, and bounding it bounds the parser's work. */
#define MAX_TEXT_LEN (64 * 1024)
/* How many pieces a broken base64 may come in. */
#define MAX_PIECES 256

G_DEFINE_QUARK (tw-key-error-quark, tw_key_error)

/* Every working copy of the pasted text is wiped before it is freed: the
 * text may be a private key in a shape the detector did not catch. */
typedef struct {
  char  *data;
  gsize  len;
} Scratch;

static void
scratch_clear (Scratch *scratch)
{
  if (scratch->data != NULL)
    {
      explicit_bzero (scratch->data, scratch->len);
      g_clear_pointer (&scratch->data, g_free);
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scratch, scratch_clear)

static void
scratch_init (Scratch    *scratch,
              const char *text,
              gsize       len)
{
  scratch->len = len + 1;
  scratch->data = g_malloc (scratch->len);
  memcpy (scratch->data, text, len);
  scratch->data[len] = '\0';
}

static gboolean
set_error (GError     **error,
           TwKeyError   code,
           const char  *message)
{
  g_set_error_literal (error, TW_KEY_ERROR, code, message);
  return FALSE;
}

/* Markers of every private key format an admin is likely to hold. Matched
 * on the caller's text itself, before any copy of it is made. */
static gboolean
looks_like_private_key (const char *text)
{
  static const char * const markers[] = {
    "PuTTY-User-Key-File-",
    "Private-Lines:",
    "Private-MAC:",
    /* "openssh-key-v1" in base64: the body of an OpenSSH private key pasted
     * without its BEGIN/END lines. */
    "b3BlbnNzaC1rZXktdjE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    if (strstr (text, markers[i]) != NULL)
      return TRUE;

  /* "-----BEGIN RSA PRIVATE KEY-----", "---- BEGIN SSH2 ENCRYPTED PRIVATE
   * KEY ----", …: and the END line alone, for a paste that missed the top. */
  for (const char *p = text; (p = strstr (p, "PRIVATE KEY")) != NULL; p++)
    {
      const char *line = p;

      while (line > text && line[-1] != '\n')
        line--;
      if (g_strstr_len (line, p - line, "BEGIN") != NULL ||
          g_strstr_len (line, p - line, "END") != NULL)
        return TRUE;
    }

  return FALSE;
}

/* Web pages and chat tools slip invisible characters into what is copied
 * from them: no-break spaces between the fields, zero-width spaces inside
 * long words, a byte-order mark in front. sshd knows only space and tab;
 * they become plain spaces here, in place, so offsets stay the same. */
static void
blank_invisible_spaces (char *text)
{
  static const char * const invisible[] = {
    "\xc2\xa0",      /* U+00A0 no-break space */
    "\xe2\x80\x8b",  /* U+200B zero-width space */
    "\xe2\x80\xaf",  /* U+202F narrow no-break space */
    "\xef\xbb\xbf",  /* U+FEFF byte-order mark */
  };

  for (guint i = 0; i < G_N_ELEMENTS (invisible); i++)
    for (char *p = text; (p = strstr (p, invisible[i])) != NULL;)
      {
        gsize len = strlen (invisible[i]);

        memset (p, ' ', len);
        p += len;
      }
}

/* Splits the scratch copy in place into trimmed, non-empty lines (CR, LF or
 * CRLF). Lines starting with '#' are authorized_keys comments. */
static GPtrArray *
split_lines (char *text)
{
  GPtrArray *lines = g_ptr_array_new ();
  char *next = text;

  while (next != NULL)
    {
      char *line = next;
      char *end = strpbrk (line, "\r\n");

      if (end != NULL)
        {
          *end = '\0';
          next = end + 1;
        }
      else
        next = NULL;

      g_strstrip (line);
      if (line[0] != '\0' && line[0] != '#')
        g_ptr_array_add (lines, line);
    }

  return lines;
}

static gsize
token_length (const char *p)
{
  return strcspn (p, " \t");
}

static const char *
skip_blanks (const char *p)
{
  return p + strspn (p, " \t");
}

typedef struct {
  const char *options;
  gsize       options_len;
  const char *type;
  gsize       type_len;
  const char *rest;
} KeyStart;

/* A line that starts a key: "TYPE …", or "OPTIONS TYPE …" where OPTIONS
 * may hold quoted white space (from="a,b",command="x y"), read the way
 * sshd reads authorized_keys. */
static gboolean
find_key_start (const char *line,
                KeyStart   *start)
{
  const char *p = line;
  gboolean quoted = FALSE;

  memset (start, 0, sizeof *start);

  if (tw_key_blob_classify_type (line, token_length (line)) == TW_KEY_TYPE_NOT_A_TYPE)
    {
      for (; *p != '\0' && (quoted || (*p != ' ' && *p != '\t')); p++)
        {
          if (*p == '\\' && p[1] == '"')
            p++;
          else if (*p == '"')
            quoted = !quoted;
        }
      if (quoted)
        return FALSE;

      start->options = line;
      start->options_len = p - line;
      p = skip_blanks (p);
      if (tw_key_blob_classify_type (p, token_length (p)) == TW_KEY_TYPE_NOT_A_TYPE)
        return FALSE;
    }

  start->type = p;
  start->type_len = token_length (p);
  start->rest = p + start->type_len;
  return TRUE;
}

static gboolean
report_type (const char  *type,
             gsize        type_len,
             GError     **error)
{
  g_autofree char *name = NULL;

  switch (tw_key_blob_classify_type (type, type_len))
    {
    case TW_KEY_TYPE_SUPPORTED:
      return TRUE;

    case TW_KEY_TYPE_DSA:
      return set_error (error, TW_KEY_ERROR_DSA,
                        _("This is a DSA (“ssh-dss”) key. OpenSSH has refused DSA keys by "
                          "default since version 7.0 because they are too weak. Ask the "
                          "service for an Ed25519, ECDSA or RSA key instead."));

    case TW_KEY_TYPE_UNSUPPORTED:
    case TW_KEY_TYPE_NOT_A_TYPE:
    default:
      name = g_strndup (type, type_len);
      g_set_error (error, TW_KEY_ERROR, TW_KEY_ERROR_UNSUPPORTED,
                   _("Keys of type “%s” are not supported. Ask the service for a plain "
                     "Ed25519, ECDSA or RSA public key."),
                   name);
      return FALSE;
    }
}

typedef struct {
  const char *text;
  gsize       len;
  guint       line;
} Piece;

/* The text after the type, across the rest of the lines. The base64 may
 * have been broken anywhere; the blob says where it ends (it is a sequence
 * of length-prefixed fields), so the shortest run of pieces that makes a
 * complete, valid blob is the key, and what follows is the comment. */
static gboolean
parse_openssh_key (GPtrArray      *lines,
                   const KeyStart *start,
                   TwKeyText      *result,
                   GError        **error)
{
  g_autoptr(GArray) pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GString) comment = NULL;
  g_autofree char *type = g_strndup (start->type, start->type_len);
  g_autofree char *options = NULL;
  g_auto(Scratch) base64 = { 0 };
  TwKeyBlobInfo info;
  gsize filled = 0;
  guint used = 0;
  const Piece *last;
  const char *rest;

  if (!report_type (start->type, start->type_len, error))
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      const char *p = i == 0 ? start->rest : g_ptr_array_index (lines, i);

      for (p = skip_blanks (p); *p != '\0'; p = skip_blanks (p))
        {
          Piece piece = { p, token_length (p), i };

          if (pieces->len < MAX_PIECES &&
              strspn (p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") >= piece.len)
            g_array_append_val (pieces, piece);
          else
            goto pieces_done;
          p += piece.len;
        }
    }
pieces_done:

  if (pieces->len == 0)
    {
      set_error (error, TW_KEY_ERROR_CORRUPT,
                 _("The key’s data is missing: only its type was pasted. Copy the whole key."));
      return FALSE;
    }

  base64.len = 1;
  for (guint i = 0; i < pieces->len; i++)
    base64.len += g_array_index (pieces, Piece, i).len;
  base64.data = g_malloc0 (base64.len);

  for (used = 0; used < pieces->len && blob == NULL; used++)
    {
      const Piece *piece = &g_array_index (pieces, Piece, used);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) candidate = NULL;

      memcpy (base64.data + filled, piece->text, piece->len);
      filled += piece->len;
      base64.data[filled] = '\0';

      candidate = tw_key_blob_decode_base64 (base64.data, &local_error);
      if (candidate != NULL && tw_key_blob_inspect (type, candidate, &info, &local_error))
        blob = g_steal_pointer (&candidate);
      else if (first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }

  if (blob == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }

  /* The comment is what follows the blob on its line, and any lines after. */
  last = &g_array_index (pieces, Piece, used - 1);
  comment = g_string_new (NULL);
  rest = skip_blanks (last->text + last->len);
  g_string_append (comment, rest);
  for (guint i = last->line + 1; i < lines->len; i++)
    {
      if (comment->len > 0)
        g_string_append_c (comment, ' ');
      g_string_append (comment, g_ptr_array_index (lines, i));
    }

  if (start->options != NULL)
    options = g_strndup (start->options, start->options_len);

  result->blob = g_steal_pointer (&blob);
  result->info = info;
  result->comment = g_string_free (g_steal_pointer (&comment), FALSE);
  result->options = g_steal_pointer (&options);
  result->joined = used > 1 || lines->len > 1;
  return TRUE;
}

static gboolean
is_rfc4716_marker (const char *line,
                   const char *what)
{
  return g_str_has_prefix (line, "----") && strstr (line, what) != NULL;
}

static gboolean
parse_rfc4716 (GPtrArray  *lines,
               guint       begin,
               TwKeyText  *result,
               GError    **error)
{
  g_auto(Scratch) body = { 0 };
  g_autoptr(GBytes) blob = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *type = NULL;
  TwKeyBlobInfo info;
  gsize filled = 0;
  guint end;
  guint i;

  for (end = begin + 1; end < lines->len; end++)
    if (is_rfc4716_marker (g_ptr_array_index (lines, end), "END SSH2 PUBLIC KEY"))
      break;
  if (end == lines->len)
    {
      set_error (error, TW_KEY_ERROR_CORRUPT,
                 _("The key block has no “---- END SSH2 PUBLIC KEY ----” line: it was "
                   "cut short. Copy the whole block."));
      return FALSE;
    }

  for (i = 0; i < lines->len; i++)
    {
      KeyStart start;
      const char *line = g_ptr_array_index (lines, i);

      if (i >= begin && i <= end)
        continue;
      if (is_rfc4716_marker (line, "BEGIN SSH2 PUBLIC KEY") || find_key_start (line, &start))
        {
          set_error (error, TW_KEY_ERROR_SEVERAL_KEYS,
                     _("Several keys were pasted. Paste only the one key the service shows."));
          return FALSE;
        }
    }
  if (begin > 0 || end + 1 < lines->len)
    {
      set_error (error, TW_KEY_ERROR_NOT_A_KEY,
                 _("There is other text around the key block. Paste only the block, from "
                   "its “---- BEGIN” line to its “---- END” line."));
      return FALSE;
    }

  body.len = 1;
  for (i = begin + 1; i < end; i++)
    body.len += strlen (g_ptr_array_index (lines, i));
  body.data = g_malloc0 (body.len);

  /* Headers ("Tag: value", a trailing backslash continues the value on the
   * next line) come first; base64 never contains a colon. */
  for (i = begin + 1; i < end && filled == 0; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autoptr(GString) header = NULL;
      const char *colon = strchr (line, ':');

      if (colon == NULL)
        break;

      header = g_string_new (NULL);
      while (g_str_has_suffix (line, "\\") && i + 1 < end)
        {
          g_string_append_len (header, line, strlen (line) - 1);
          line = g_ptr_array_index (lines, ++i);
        }
      g_string_append (header, line);

      colon = strchr (header->str, ':');
      if ((gsize) (colon - header->str) == strlen ("Comment") &&
          g_ascii_strncasecmp (header->str, "Comment", colon - header->str) == 0)
        {
          g_autofree char *value = g_strstrip (g_strdup (colon + 1));
          gsize len = strlen (value);

          if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
            {
              value[len - 1] = '\0';
              memmove (value, value + 1, len - 1);
              /* Spaces inside the quotes would not survive the authorized_keys line. */
              g_strstrip (value);
            }
          g_free (comment);
          comment = g_steal_pointer (&value);
        }
    }

  for (; i < end; i++)
    for (const char *p = g_ptr_array_index (lines, i); *p != '\0'; p++)
      if (*p != ' ' && *p != '\t')
        body.data[filled++] = *p;

  if (filled == 0)
    {
      set_error (error, TW_KEY_ERROR_CORRUPT,
                 _("The key block holds no key data. Copy the whole block."));
      return FALSE;
    }

  blob = tw_key_blob_decode_base64 (body.data, error);
  if (blob == NULL)
    return FALSE;

  /* The block carries no type name of its own: the blob's is the one. */
  type = tw_key_blob_peek_type (blob);
  if (type == NULL)
    {
      set_error (error, TW_KEY_ERROR_CORRUPT,
                 _("The key’s data is cut short or damaged. Copy the key again, all of it."));
      return FALSE;
    }
  if (!report_type (type, strlen (type), error) ||
      !tw_key_blob_inspect (type, blob, &info, error))
    return FALSE;

  result->blob = g_steal_pointer (&blob);
  result->info = info;
  result->comment = g_steal_pointer (&comment);
  return TRUE;
}

void
tw_key_text_clear (TwKeyText *result)
{
  g_clear_pointer (&result->blob, g_bytes_unref);
  g_clear_pointer (&result->comment, g_free);
  g_clear_pointer (&result->options, g_free);
}

static gboolean
read_key_text (const char  *text,
               TwKeyText   *result,
               GError     **error);

static gboolean
looks_like_private_key_line (const TwKeyText *key)
{
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (key->blob, NULL),
                                             g_bytes_get_size (key->blob));
  g_autofree char *line = g_strconcat (base64, " ", key->comment, NULL);

  return looks_like_private_key (line);
}

static const char private_key_message[] =
  N_("This is a private key. A private key must never leave its owner: do "
     "not paste it, send it or store it anywhere. Nothing of it was kept. "
     "Paste the public key instead (one line starting with “ssh-” or "
     "“ecdsa-”, or the contents of the .pub file).");

/* Reads one public key out of @text into @result (which must be zeroed). */
gboolean
tw_key_text_read (const char  *text,
                  TwKeyText   *result,
                  GError     **error)
{
  if (!read_key_text (text, result, error))
    return FALSE;

  /* Markers split over lines come together only once the lines are joined;
   * the key's own line (as tw_public_key_get_line() writes it) must never
   * read as a private key, or a saved service key would not load again. */
  if (result->comment != NULL && looks_like_private_key_line (result))
    {
      tw_key_text_clear (result);
      return set_error (error, TW_KEY_ERROR_PRIVATE_KEY, _(private_key_message));
    }

  return TRUE;
}

static gboolean
read_key_text (const char  *text,
               TwKeyText   *result,
               GError     **error)
{
  g_auto(Scratch) scratch = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  guint key_lines = 0;
  gint first_key = -1;
  KeyStart start;
  gsize len;

  if (text == NULL)
    text = "";

  if (looks_like_private_key (text))
    {
      return set_error (error, TW_KEY_ERROR_PRIVATE_KEY, _(private_key_message));
    }

  len = strlen (text);
  if (len > MAX_TEXT_LEN)
    {
      set_error (error, TW_KEY_ERROR_NOT_A_KEY,
                 _("This text is far too long to be a public key."));
      return FALSE;
    }

  scratch_init (&scratch, text, len);
  blank_invisible_spaces (scratch.data);
  lines = split_lines (scratch.data);

  if (lines->len == 0)
    {
      if (text[strspn (text, " \t\r\n\v\f")] == '\0')
        set_error (error, TW_KEY_ERROR_EMPTY, _("No key was pasted."));
      else
        set_error (error, TW_KEY_ERROR_NOT_A_KEY,
                   _("This is not a public key: it holds only comment lines."));
      return FALSE;
    }

  for (guint i = 0; i < lines->len; i++)
    if (is_rfc4716_marker (g_ptr_array_index (lines, i), "BEGIN SSH2 PUBLIC KEY"))
      return parse_rfc4716 (lines, i, result, error);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (g_str_has_prefix (line, "-----BEGIN") && strstr (line, "PUBLIC KEY") != NULL)
        {
          set_error (error, TW_KEY_ERROR_UNSUPPORTED,
                     _("This is a public key in PEM (PKCS#8) form, which OpenSSH cannot use "
                       "directly. Convert it with “ssh-keygen -i -m PKCS8 -f FILE” and "
                       "paste the result."));
          return FALSE;
        }
      if (find_key_start (line, &start))
        {
          key_lines++;
          if (first_key < 0)
            first_key = i;
        }
    }

  if (key_lines == 0)
    {
      set_error (error, TW_KEY_ERROR_NOT_A_KEY,
                 _("This is not a public key. A public key starts with its type, such as "
                   "“ssh-ed25519”, “ecdsa-sha2-nistp256” or “ssh-rsa”, followed by a long "
                   "run of letters and digits."));
      return FALSE;
    }
  if (key_lines > 1)
    {
      set_error (error, TW_KEY_ERROR_SEVERAL_KEYS,
                 _("Several keys were pasted. Paste only the one key the service shows."));
      return FALSE;
    }
  if (first_key > 0)
    {
      set_error (error, TW_KEY_ERROR_NOT_A_KEY,
                 _("There is other text before the key. Paste only the key, starting with "
                   "its type (such as “ssh-ed25519”)."));
      return FALSE;
    }

  find_key_start (g_ptr_array_index (lines, 0), &start);
  return parse_openssh_key (lines, &start, result, error);
}
