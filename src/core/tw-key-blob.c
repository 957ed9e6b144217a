/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The binary half of the key engine: strict base64 and the SSH wire format
 * of public keys (RFC 4253 6.6, RFC 5656, OpenSSH's PROTOCOL.u2f). Accepts
 * what OpenSSH's sshkey_read() accepts, so that a key we call valid is one
 * sshd will load.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libssh/libssh.h>
#include <string.h>

#include "tw-key-blob.h"
#include "tw-key-error.h"
#include "tw-ssh-wire.h"

typedef enum {
  KIND_ED25519,
  KIND_RSA,
  KIND_ECDSA,
  KIND_SK_ED25519,
  KIND_SK_ECDSA,
} KeyKind;

static const struct {
  const char *name;
  const char *label;
  KeyKind     kind;
  const char *curve;
  gsize       point_len;  /* uncompressed EC point: 1 + 2 × coordinate */
  guint       bits;
  int         libssh_type;
} key_types[] = {
  { "ssh-ed25519", "ED25519", KIND_ED25519, NULL, 0, 256, 0 },
  { "ssh-rsa", "RSA", KIND_RSA, NULL, 0, 0, 0 },
  { "ecdsa-sha2-nistp256", "ECDSA", KIND_ECDSA, "nistp256", 65, 256, SSH_KEYTYPE_ECDSA_P256 },
  { "ecdsa-sha2-nistp384", "ECDSA", KIND_ECDSA, "nistp384", 97, 384, SSH_KEYTYPE_ECDSA_P384 },
  { "ecdsa-sha2-nistp521", "ECDSA", KIND_ECDSA, "nistp521", 133, 521, SSH_KEYTYPE_ECDSA_P521 },
  { "sk-ssh-ed25519@openssh.com", "ED25519-SK", KIND_SK_ED25519, NULL, 0, 256, 0 },
  { "sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA-SK", KIND_SK_ECDSA, "nistp256", 65, 256, SSH_KEYTYPE_SK_ECDSA },
};

/* OpenSSH's limits for RSA moduli (SSH_RSA_MINIMUM_MODULUS_SIZE and
 * SSHBUF_MAX_BIGNUM). */
#define RSA_MIN_BITS 1024
#define RSA_MAX_BITS 16384

/* Far more than any public key needs (16384-bit RSA is about 2.8 kB of
 * base64); it bounds the work on pathological input. */
#define MAX_BASE64_LEN 16384

static int
find_key_type (const char *name,
               gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    if (strlen (key_types[i].name) == len && memcmp (key_types[i].name, name, len) == 0)
      return i;
  return -1;
}

/* Names that are clearly meant as key types, so that "ssh-foo AAAA…" is
 * reported as an unsupported key rather than as random text. */
TwKeyTypeKind
tw_key_blob_classify_type (const char *name,
                           gsize       len)
{
  static const char * const prefixes[] = {
    "ssh-", "ecdsa-", "sk-", "x509v3-", "rsa-sha2-", "webauthn-", "spki-", "pgp-",
  };
  g_autofree char *copy = NULL;
  gboolean prefixed = FALSE;

  if (find_key_type (name, len) >= 0)
    return TW_KEY_TYPE_SUPPORTED;
  if (len == strlen ("ssh-dss") && memcmp (name, "ssh-dss", len) == 0)
    return TW_KEY_TYPE_DSA;
  if (len == 0 || len > 64)
    return TW_KEY_TYPE_NOT_A_TYPE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (name[i]) && !g_ascii_isdigit (name[i]) &&
        name[i] != '-' && name[i] != '@' && name[i] != '.')
      return TW_KEY_TYPE_NOT_A_TYPE;

  copy = g_strndup (name, len);
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (copy, prefixes[i]) && len > strlen (prefixes[i]))
      prefixed = TRUE;

  if (prefixed || g_str_has_suffix (copy, "-cert-v01@openssh.com"))
    return TW_KEY_TYPE_UNSUPPORTED;
  return TW_KEY_TYPE_NOT_A_TYPE;
}

static int
base64_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* Decoded key data is wiped when freed: the text it came from was pasted
 * by a person and might, in a format we do not know, be a secret. */
typedef struct {
  guchar *data;
  gsize   len;
} WipedData;

static void
wiped_data_free (gpointer user_data)
{
  WipedData *wiped = user_data;

  explicit_bzero (wiped->data, wiped->len);
  g_free (wiped->data);
  g_free (wiped);
}

/* g_base64_decode() skips characters it does not know and tolerates missing
 * padding; OpenSSH's b64_pton() does not, and neither may we, or a damaged
 * key would be "valid" here and refused by sshd. */
GBytes *
tw_key_blob_decode_base64 (const char *base64,
                           GError    **error)
{
  gsize len = strlen (base64);
  gsize padding = 0;
  WipedData *wiped;

  if (len == 0 || len % 4 != 0 || len > MAX_BASE64_LEN)
    goto invalid;

  if (base64[len - 1] == '=')
    padding = base64[len - 2] == '=' ? 2 : 1;

  for (gsize i = 0; i < len - padding; i++)
    if (base64_value (base64[i]) < 0)
      goto invalid;

  /* The bits that spill past the last byte must be zero, as b64_pton()
   * demands: otherwise two texts would decode to the same key. */
  if (padding == 1 && (base64_value (base64[len - 2]) & 0x3) != 0)
    goto invalid;
  if (padding == 2 && (base64_value (base64[len - 3]) & 0xf) != 0)
    goto invalid;

  wiped = g_new0 (WipedData, 1);
  wiped->data = g_base64_decode (base64, &wiped->len);
  return g_bytes_new_with_free_func (wiped->data, wiped->len, wiped_data_free, wiped);

invalid:
  g_set_error_literal (error, TW_KEY_ERROR, TW_KEY_ERROR_CORRUPT,
                       _("The key’s data is damaged: it is not valid base64. "
                         "Copy the key again, all of it."));
  return NULL;
}

/* A name from inside the blob, safe to show in a message. */
static char *
printable_name (const guint8 *data,
                gsize         len)
{
  if (len == 0 || len > 64)
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (data[i] < 0x21 || data[i] > 0x7e)
      return NULL;
  return g_strndup ((const char *) data, len);
}

char *
tw_key_blob_peek_type (GBytes *blob)
{
  TwSshReader reader;
  const guint8 *name;
  gsize name_len;

  reader.data = g_bytes_get_data (blob, &reader.left);
  if (!tw_ssh_read_string (&reader, &name, &name_len))
    return NULL;
  return printable_name (name, name_len);
}

static gboolean
set_truncated (GError **error)
{
  g_set_error_literal (error, TW_KEY_ERROR, TW_KEY_ERROR_CORRUPT,
                       _("The key’s data is cut short or damaged. "
                         "Copy the key again, all of it."));
  return FALSE;
}

/* An SSH mpint as OpenSSH reads a positive bignum: no sign bit, leading
 * zero bytes ignored. Returns the number of significant bits. */
static gboolean
read_positive_mpint (TwSshReader *reader,
                     guint  *bits)
{
  const guint8 *data;
  gsize len;

  if (!tw_ssh_read_string (reader, &data, &len))
    return FALSE;
  if (len > 0 && (data[0] & 0x80) != 0)
    return FALSE;
  while (len > 0 && data[0] == 0)
    {
      data++;
      len--;
    }
  if (len == 0 || len > RSA_MAX_BITS / 8 + 1)
    return FALSE;

  *bits = (guint) (len - 1) * 8 + g_bit_storage (data[0]);
  return TRUE;
}

/* OpenSSH checks that an EC point lies on its curve; that takes real
 * elliptic-curve arithmetic, so ask libssh (OpenSSL underneath). */
static gboolean
ec_point_is_valid (GBytes *blob,
                   int     libssh_type)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);
  g_autofree char *base64 = g_base64_encode (data, len);
  ssh_key key = NULL;
  int rc;

  rc = ssh_pki_import_pubkey_base64 (base64, libssh_type, &key);
  ssh_key_free (key);
  return rc == SSH_OK;
}

gboolean
tw_key_blob_inspect (const char    *outer_type,
                     GBytes        *blob,
                     TwKeyBlobInfo *info,
                     GError       **error)
{
  TwSshReader reader;
  const guint8 *field;
  gsize field_len;
  guint bits = 0;
  int index;

  index = find_key_type (outer_type, strlen (outer_type));
  g_return_val_if_fail (index >= 0, FALSE);

  reader.data = g_bytes_get_data (blob, &reader.left);

  if (!tw_ssh_read_cstring (&reader, &field, &field_len))
    return set_truncated (error);

  if (!tw_ssh_string_equals (field, field_len, outer_type))
    {
      g_autofree char *inner = printable_name (field, field_len);

      if (inner != NULL)
        g_set_error (error, TW_KEY_ERROR, TW_KEY_ERROR_TYPE_MISMATCH,
                     _("The key says it is “%s”, but its data is a “%s” key. "
                       "The two parts do not belong together; copy the key again."),
                     outer_type, inner);
      else
        g_set_error (error, TW_KEY_ERROR, TW_KEY_ERROR_TYPE_MISMATCH,
                     _("The key says it is “%s”, but its data is of an unknown type. "
                       "The two parts do not belong together; copy the key again."),
                     outer_type);
      return FALSE;
    }

  switch (key_types[index].kind)
    {
    case KIND_ED25519:
    case KIND_SK_ED25519:
      if (!tw_ssh_read_string (&reader, &field, &field_len))
        return set_truncated (error);
      if (field_len != 32)
        {
          g_set_error_literal (error, TW_KEY_ERROR, TW_KEY_ERROR_CORRUPT,
                               _("The key’s data is damaged: an Ed25519 key is 32 bytes long."));
          return FALSE;
        }
      bits = key_types[index].bits;
      break;

    case KIND_RSA:
      if (!read_positive_mpint (&reader, &bits) ||   /* public exponent */
          !read_positive_mpint (&reader, &bits))     /* modulus */
        return set_truncated (error);
      if (bits < RSA_MIN_BITS)
        {
          g_set_error (error, TW_KEY_ERROR, TW_KEY_ERROR_UNSUPPORTED,
                       _("This RSA key has only %u bits. OpenSSH refuses RSA keys "
                         "shorter than %u bits; ask the service for a new key."),
                       bits, RSA_MIN_BITS);
          return FALSE;
        }
      break;

    case KIND_ECDSA:
    case KIND_SK_ECDSA:
      if (!tw_ssh_read_cstring (&reader, &field, &field_len))
        return set_truncated (error);
      if (!tw_ssh_string_equals (field, field_len, key_types[index].curve))
        {
          g_autofree char *curve = printable_name (field, field_len);

          g_set_error (error, TW_KEY_ERROR, TW_KEY_ERROR_TYPE_MISMATCH,
                       _("The key says it is “%s”, but its data is for the curve “%s”. "
                         "The two parts do not belong together; copy the key again."),
                       outer_type, curve ? curve : "?");
          return FALSE;
        }
      if (!tw_ssh_read_string (&reader, &field, &field_len))
        return set_truncated (error);
      /* OpenSSH only takes uncompressed points (0x04, X, Y). */
      if (field_len != key_types[index].point_len || field[0] != 0x04)
        return set_truncated (error);
      bits = key_types[index].bits;
      break;

    default:
      g_assert_not_reached ();
    }

  /* Security keys carry the FIDO application they were made for ("ssh:"). */
  if (key_types[index].kind == KIND_SK_ED25519 || key_types[index].kind == KIND_SK_ECDSA)
    {
      if (!tw_ssh_read_cstring (&reader, &field, &field_len))
        return set_truncated (error);
    }

  if (reader.left != 0)
    {
      g_set_error_literal (error, TW_KEY_ERROR, TW_KEY_ERROR_CORRUPT,
                           _("The key’s data has extra bytes after the key: it is damaged "
                             "or two keys ran together. Copy the key again."));
      return FALSE;
    }

  if (key_types[index].libssh_type != 0 && !ec_point_is_valid (blob, key_types[index].libssh_type))
    {
      g_set_error_literal (error, TW_KEY_ERROR, TW_KEY_ERROR_CORRUPT,
                           _("The key’s data is damaged: its ECDSA point is not on the curve. "
                             "Copy the key again."));
      return FALSE;
    }

  info->key_type = key_types[index].name;
  info->type_label = key_types[index].label;
  info->bits = bits;
  return TRUE;
}
