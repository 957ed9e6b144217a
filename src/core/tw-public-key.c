/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The public key an admin pastes from a service's setup form, as tolerant as
 * it is safe: OpenSSH lines (with authorized_keys options, broken over lines,
 * with stray spaces) and RFC 4716 blocks are read; private keys are refused
 * without keeping any of their text. The window parses on every keystroke,
 * so parsing is pure: no I/O, no logging, no global state.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tw-key-blob.h"
#include "tw-public-key.h"
#include "tw-randomart.h"

/* Public keys are at most a few kilobytes; a much longer text is something
 * else, and bounding it bounds the parser's work. */
#define MAX_TEXT_LEN (64 * 1024)
/* How many pieces a broken base64 may come in. */
#define MAX_PIECES 256

struct _TwPublicKey
{
  GObject parent_instance;

  char    *key_type;
  char    *type_label;
  guint    bits;
  char    *comment;
  char    *options;
  char    *base64;
  GBytes  *blob;
  char    *fingerprint;
  char    *randomart;
  char    *line;
  char   **warnings;
};

G_DEFINE_FINAL_TYPE (TwPublicKey, tw_public_key, G_TYPE_OBJECT)

G_DEFINE_QUARK (tw-key-error-quark, tw_key_error)

enum {
  PROP_0,
  PROP_KEY_TYPE,
  PROP_TYPE_LABEL,
  PROP_BITS,
  PROP_COMMENT,
  PROP_OPTIONS,
  PROP_FINGERPRINT,
  PROP_RANDOMART,
  PROP_LINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tw_public_key_finalize (GObject *object)
{
  TwPublicKey *self = (TwPublicKey *) object;

  g_free (self->key_type);
  g_free (self->type_label);
  g_free (self->comment);
  g_free (self->options);
  g_free (self->base64);
  g_clear_pointer (&self->blob, g_bytes_unref);
  g_free (self->fingerprint);
  g_free (self->randomart);
  g_free (self->line);
  g_strfreev (self->warnings);

  G_OBJECT_CLASS (tw_public_key_parent_class)->finalize (object);
}

static void
tw_public_key_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TwPublicKey *self = TW_PUBLIC_KEY (object);

  switch (prop_id)
    {
    case PROP_KEY_TYPE:
      g_value_set_string (value, self->key_type);
      break;
    case PROP_TYPE_LABEL:
      g_value_set_string (value, self->type_label);
      break;
    case PROP_BITS:
      g_value_set_uint (value, self->bits);
      break;
    case PROP_COMMENT:
      g_value_set_string (value, self->comment);
      break;
    case PROP_OPTIONS:
      g_value_set_string (value, self->options);
      break;
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    case PROP_RANDOMART:
      g_value_set_string (value, self->randomart);
      break;
    case PROP_LINE:
      g_value_set_string (value, self->line);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A parsed key never changes, so every property is read-only and none is
 * ever notified. */
static void
tw_public_key_class_init (TwPublicKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tw_public_key_finalize;
  object_class->get_property = tw_public_key_get_property;

  properties[PROP_KEY_TYPE] = g_param_spec_string ("key-type", NULL, NULL, NULL, flags);
  properties[PROP_TYPE_LABEL] = g_param_spec_string ("type-label", NULL, NULL, NULL, flags);
  properties[PROP_BITS] = g_param_spec_uint ("bits", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_COMMENT] = g_param_spec_string ("comment", NULL, NULL, NULL, flags);
  properties[PROP_OPTIONS] = g_param_spec_string ("options", NULL, NULL, NULL, flags);
  properties[PROP_FINGERPRINT] = g_param_spec_string ("fingerprint", NULL, NULL, NULL, flags);
  properties[PROP_RANDOMART] = g_param_spec_string ("randomart", NULL, NULL, NULL, flags);
  properties[PROP_LINE] = g_param_spec_string ("line", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_public_key_init (TwPublicKey *self)
{
}

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

static void
append_warning (GPtrArray  *warnings,
                const char *warning)
{
  g_ptr_array_add (warnings, g_strdup (warning));
}

static TwPublicKey *
public_key_new (const TwKeyBlobInfo *info,
                GBytes              *blob,
                const char          *comment,
                const char          *options,
                gboolean             joined)
{
  g_autoptr(TwPublicKey) self = g_object_new (TW_TYPE_PUBLIC_KEY, NULL);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *digest_base64 = NULL;
  g_autofree char *title = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize blob_len;
  const guint8 *blob_data = g_bytes_get_data (blob, &blob_len);

  self->key_type = g_strdup (info->key_type);
  self->type_label = g_strdup (info->type_label);
  self->bits = info->bits;
  self->blob = g_bytes_ref (blob);
  self->base64 = g_base64_encode (blob_data, blob_len);
  if (comment != NULL && comment[0] != '\0')
    self->comment = g_utf8_make_valid (comment, -1);
  if (options != NULL && options[0] != '\0')
    self->options = g_utf8_make_valid (options, -1);

  /* ssh-keygen prints the SHA-256 of the blob in base64 without padding. */
  g_checksum_update (checksum, blob_data, blob_len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  digest_base64 = g_base64_encode (digest, digest_len);
  g_strdelimit (digest_base64, "=", '\0');
  self->fingerprint = g_strconcat ("SHA256:", digest_base64, NULL);

  title = g_strdup_printf ("%s %u", self->type_label, self->bits);
  self->randomart = tw_randomart_draw (digest, digest_len, title, "SHA256");

  if (self->comment != NULL)
    self->line = g_strdup_printf ("%s %s %s", self->key_type, self->base64, self->comment);
  else
    self->line = g_strdup_printf ("%s %s", self->key_type, self->base64);

  if (joined)
    append_warning (warnings,
                    _("The key was broken over several lines or had spaces inside it. "
                      "It has been joined back together: in authorized_keys a key must "
                      "be all on one line."));

  if (tw_public_key_is_rsa (self))
    {
      if (self->bits < 2048)
        g_ptr_array_add (warnings,
                         g_strdup_printf (_("This RSA key has only %u bits. Keys shorter than "
                                            "2048 bits are weak: ask the service for a stronger "
                                            "key (Ed25519, or RSA with 3072 bits or more)."),
                                          self->bits));
      append_warning (warnings,
                      _("This is an RSA key. OpenSSH 8.8 and newer refuse RSA signatures made "
                        "with SHA-1 (“ssh-rsa”): the service must sign with rsa-sha2-256 or "
                        "rsa-sha2-512. Only if it cannot, allow SHA-1 for the tunnel user in "
                        "sshd_config with “PubkeyAcceptedAlgorithms +ssh-rsa” (and "
                        "“HostKeyAlgorithms +ssh-rsa” if its client needs that too)."));
    }

  if (g_str_has_prefix (self->key_type, "sk-"))
    append_warning (warnings,
                    _("This key lives on a hardware security key (FIDO). The bastion needs "
                      "OpenSSH 8.2 or newer to accept it."));

  g_ptr_array_add (warnings, NULL);
  self->warnings = (char **) g_ptr_array_steal (warnings, NULL);

  return g_steal_pointer (&self);
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
static TwPublicKey *
parse_openssh_key (GPtrArray      *lines,
                   const KeyStart *start,
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
    return NULL;

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
      return NULL;
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
      return NULL;
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

  return public_key_new (&info, blob, comment->str, options,
                         used > 1 || lines->len > 1);
}

static gboolean
is_rfc4716_marker (const char *line,
                   const char *what)
{
  return g_str_has_prefix (line, "----") && strstr (line, what) != NULL;
}

static TwPublicKey *
parse_rfc4716 (GPtrArray  *lines,
               guint       begin,
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
      return NULL;
    }

  for (i = end + 1; i < lines->len; i++)
    {
      KeyStart start;
      const char *line = g_ptr_array_index (lines, i);

      if (is_rfc4716_marker (line, "BEGIN SSH2 PUBLIC KEY") || find_key_start (line, &start))
        {
          set_error (error, TW_KEY_ERROR_SEVERAL_KEYS,
                     _("Several keys were pasted. Paste only the one key the service shows."));
          return NULL;
        }
    }
  if (begin > 0 || end + 1 < lines->len)
    {
      set_error (error, TW_KEY_ERROR_NOT_A_KEY,
                 _("There is other text around the key block. Paste only the block, from "
                   "its “---- BEGIN” line to its “---- END” line."));
      return NULL;
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
      return NULL;
    }

  blob = tw_key_blob_decode_base64 (body.data, error);
  if (blob == NULL)
    return NULL;

  /* The block carries no type name of its own: the blob's is the one. */
  type = tw_key_blob_peek_type (blob);
  if (type == NULL)
    {
      set_error (error, TW_KEY_ERROR_CORRUPT,
                 _("The key’s data is cut short or damaged. Copy the key again, all of it."));
      return NULL;
    }
  if (!report_type (type, strlen (type), error) ||
      !tw_key_blob_inspect (type, blob, &info, error))
    return NULL;

  return public_key_new (&info, blob, comment, NULL, FALSE);
}

/**
 * tw_public_key_parse:
 * @text: what the admin pasted, or a .pub file's contents
 * @error: a #TW_KEY_ERROR on failure
 *
 * Reads one public key. Pure and quick enough to run on every keystroke.
 * If @text is a private key, the error says so and neither the error nor
 * anything else keeps a copy of it.
 *
 * Returns: (transfer full) (nullable): the key
 */
TwPublicKey *
tw_public_key_parse (const char  *text,
                     GError     **error)
{
  g_auto(Scratch) scratch = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  guint key_lines = 0;
  gint first_key = -1;
  KeyStart start;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    text = "";

  if (looks_like_private_key (text))
    {
      set_error (error, TW_KEY_ERROR_PRIVATE_KEY,
                 _("This is a private key. A private key must never leave its owner: do "
                   "not paste it, send it or store it anywhere. Nothing of it was kept. "
                   "Paste the public key instead (one line starting with “ssh-” or "
                   "“ecdsa-”, or the contents of the .pub file)."));
      return NULL;
    }

  len = strlen (text);
  if (len > MAX_TEXT_LEN)
    {
      set_error (error, TW_KEY_ERROR_NOT_A_KEY,
                 _("This text is far too long to be a public key."));
      return NULL;
    }

  scratch_init (&scratch, text, len);
  lines = split_lines (scratch.data);

  if (lines->len == 0)
    {
      if (text[strspn (text, " \t\r\n\v\f")] == '\0')
        set_error (error, TW_KEY_ERROR_EMPTY, _("No key was pasted."));
      else
        set_error (error, TW_KEY_ERROR_NOT_A_KEY,
                   _("This is not a public key: it holds only comment lines."));
      return NULL;
    }

  for (guint i = 0; i < lines->len; i++)
    if (is_rfc4716_marker (g_ptr_array_index (lines, i), "BEGIN SSH2 PUBLIC KEY"))
      return parse_rfc4716 (lines, i, error);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (g_str_has_prefix (line, "-----BEGIN") && strstr (line, "PUBLIC KEY") != NULL)
        {
          set_error (error, TW_KEY_ERROR_UNSUPPORTED,
                     _("This is a public key in PEM (PKCS#8) form, which OpenSSH cannot use "
                       "directly. Convert it with “ssh-keygen -i -m PKCS8 -f FILE” and "
                       "paste the result."));
          return NULL;
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
      return NULL;
    }
  if (key_lines > 1)
    {
      set_error (error, TW_KEY_ERROR_SEVERAL_KEYS,
                 _("Several keys were pasted. Paste only the one key the service shows."));
      return NULL;
    }
  if (first_key > 0)
    {
      set_error (error, TW_KEY_ERROR_NOT_A_KEY,
                 _("There is other text before the key. Paste only the key, starting with "
                   "its type (such as “ssh-ed25519”)."));
      return NULL;
    }

  find_key_start (g_ptr_array_index (lines, 0), &start);
  return parse_openssh_key (lines, &start, error);
}

const char *
tw_public_key_get_key_type (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->key_type;
}

const char *
tw_public_key_get_type_label (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->type_label;
}

guint
tw_public_key_get_bits (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), 0);
  return self->bits;
}

const char *
tw_public_key_get_comment (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->comment;
}

const char *
tw_public_key_get_options (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->options;
}

const char *
tw_public_key_get_base64 (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->base64;
}

/**
 * tw_public_key_get_blob:
 *
 * Returns: (transfer none): the key in SSH wire format
 */
GBytes *
tw_public_key_get_blob (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->blob;
}

const char *
tw_public_key_get_fingerprint (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->fingerprint;
}

const char *
tw_public_key_get_randomart (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->randomart;
}

const char *
tw_public_key_get_line (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->line;
}

/**
 * tw_public_key_get_warnings:
 *
 * Returns: (transfer none) (array zero-terminated=1): plain-language
 *   warnings, possibly none
 */
const char * const *
tw_public_key_get_warnings (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return (const char * const *) self->warnings;
}

gboolean
tw_public_key_is_rsa (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), FALSE);
  return g_strcmp0 (self->key_type, "ssh-rsa") == 0;
}

/**
 * tw_public_key_to_json:
 *
 * The object `tunnel-check key` prints: type, label, bits, comment,
 * fingerprint, randomart, authorized_keys (the one-line key, without
 * options), options (only when some were pasted) and warnings.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
tw_public_key_to_json (TwPublicKey *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, self->key_type);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, self->type_label);
  json_builder_set_member_name (builder, "bits");
  json_builder_add_int_value (builder, self->bits);
  json_builder_set_member_name (builder, "comment");
  if (self->comment != NULL)
    json_builder_add_string_value (builder, self->comment);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "fingerprint");
  json_builder_add_string_value (builder, self->fingerprint);
  json_builder_set_member_name (builder, "randomart");
  json_builder_add_string_value (builder, self->randomart);
  json_builder_set_member_name (builder, "authorized_keys");
  json_builder_add_string_value (builder, self->line);
  if (self->options != NULL)
    {
      json_builder_set_member_name (builder, "options");
      json_builder_add_string_value (builder, self->options);
    }
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; self->warnings[i] != NULL; i++)
    json_builder_add_string_value (builder, self->warnings[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
