/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A private key the admin hands to a data service, in the format that service reads:
 * OpenSSH, PKCS#1 or PKCS#8. libssh writes Ed25519 keys only as OpenSSH and RSA keys only
 * as PKCS#8, so the other formats go through OpenSSL. Every buffer that held the key is
 * wiped: the texts here are secrets.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <string.h>

#include "tw-keypair.h"
#include "tw-private-key-format.h"
#include "tw-ssh-wire.h"

#define OPENSSH_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define OPENSSH_END "-----END OPENSSH PRIVATE KEY-----"
#define OPENSSH_MAGIC "openssh-key-v1"

static const char *const names[] = { "openssh", "pkcs1", "pkcs8" };

gboolean
tw_private_key_format_from_string (const char         *name,
                                   TwPrivateKeyFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      {
        *format = (TwPrivateKeyFormat) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tw_private_key_format_to_string (TwPrivateKeyFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (names), NULL);
  return names[format];
}

static gboolean
set_invalid (GError **error)
{
  g_set_error_literal (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_INVALID,
                       _("The private key cannot be read"));
  return FALSE;
}

/* An unencrypted OpenSSH Ed25519 key as an OpenSSL key: its 32-byte seed is all OpenSSL needs. */
static EVP_PKEY *
openssh_ed25519_to_pkey (const char  *text,
                         GError     **error)
{
  const char *start = strstr (text, OPENSSH_BEGIN), *stop = strstr (text, OPENSSH_END);
  g_autofree char *body = NULL;
  guchar *blob;
  gsize blob_len;
  TwSshReader reader, block;
  const guint8 *field, *keytype, *priv = NULL;
  gsize len, keytype_len, priv_len = 0;
  guint32 n_keys, check;
  EVP_PKEY *pkey = NULL;

  if (start == NULL || stop == NULL || stop < start)
    return set_invalid (error), NULL;
  body = g_strndup (start + strlen (OPENSSH_BEGIN), (gsize) (stop - start) - strlen (OPENSSH_BEGIN));
  blob = g_base64_decode (body, &blob_len);
  explicit_bzero (body, strlen (body));
  /* The openssh-key-v1 layout (PROTOCOL.key) */
  if (blob_len < sizeof OPENSSH_MAGIC || memcmp (blob, OPENSSH_MAGIC, sizeof OPENSSH_MAGIC) != 0)
    goto out;
  tw_ssh_reader_init (&reader, blob + sizeof OPENSSH_MAGIC, blob_len - sizeof OPENSSH_MAGIC);
  if (!tw_ssh_read_string (&reader, &field, &len) || !tw_ssh_string_equals (field, len, "none"))  /* cipher */
    goto out;
  if (!tw_ssh_read_string (&reader, &field, &len) || !tw_ssh_read_string (&reader, &field, &len))  /* kdf name, options */
    goto out;
  if (!tw_ssh_read_u32 (&reader, &n_keys) || n_keys != 1)
    goto out;
  if (!tw_ssh_read_string (&reader, &field, &len) || !tw_ssh_read_string (&reader, &field, &len))  /* public, private block */
    goto out;
  tw_ssh_reader_init (&block, field, len);
  if (!tw_ssh_read_u32 (&block, &check) || !tw_ssh_read_u32 (&block, &check) ||  /* two check words */
      !tw_ssh_read_string (&block, &keytype, &keytype_len))
    goto out;
  if (!tw_ssh_string_equals (keytype, keytype_len, "ssh-ed25519"))
    {
      g_set_error_literal (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_INVALID,
                           _("Only Ed25519 keys can be converted from the OpenSSH format"));
      goto done;
    }
  if (!tw_ssh_read_string (&block, &field, &len) || len != 32 ||
      !tw_ssh_read_string (&block, &priv, &priv_len) || priv_len != 64)
    goto out;
  pkey = EVP_PKEY_new_raw_private_key (EVP_PKEY_ED25519, NULL, priv, 32);
  if (pkey != NULL)
    goto done;
out:
  set_invalid (error);
done:
  explicit_bzero (blob, blob_len);
  g_free (blob);
  return pkey;
}

/* The text a memory BIO holds; the BIO is secure memory, wiped when freed. */
static char *
take_bio_text (BIO *bio)
{
  char *data = NULL;
  long len = BIO_get_mem_data (bio, &data);
  char *text = len > 0 ? g_strndup (data, (gsize) len) : NULL;

  BIO_free (bio);
  return text;
}

/**
 * tw_private_key_convert:
 * @private_key: an unencrypted private key: OpenSSH (Ed25519) or PEM, as
 *   tw_keypair_export_private() gives it
 * @format: the format to write
 *
 * Returns: (transfer full) (nullable): the key in @format, a secret to free with
 *   tw_keypair_free_secret(); %NULL with @error set when the key cannot be read or
 *   @format cannot hold it (PKCS#1 is for RSA keys, the OpenSSH format here for Ed25519)
 */
char *
tw_private_key_convert (const char          *private_key,
                        TwPrivateKeyFormat   format,
                        GError             **error)
{
  gboolean is_openssh = strstr (private_key, OPENSSH_BEGIN) != NULL;
  EVP_PKEY *pkey = NULL;
  BIO *out = NULL;
  char *text = NULL;
  int ok = 0;

  if (format == TW_PRIVATE_KEY_FORMAT_OPENSSH)
    {
      if (is_openssh)
        return g_strdup (private_key);
      g_set_error_literal (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_INVALID,
                           _("RSA keys can be saved as PKCS#1 or PKCS#8 only: choose one of those, or an Ed25519 key"));
      return NULL;
    }

  if (is_openssh)
    pkey = openssh_ed25519_to_pkey (private_key, error);
  else
    {
      BIO *in = BIO_new_mem_buf (private_key, -1);

      pkey = in != NULL ? PEM_read_bio_PrivateKey (in, NULL, NULL, NULL) : NULL;
      BIO_free (in);
      if (pkey == NULL)
        set_invalid (error);
    }
  if (pkey == NULL)
    return NULL;

  if (format == TW_PRIVATE_KEY_FORMAT_PKCS1 && EVP_PKEY_get_base_id (pkey) != EVP_PKEY_RSA)
    {
      g_set_error_literal (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_INVALID,
                           _("PKCS#1 holds RSA keys only: choose PKCS#8 or OpenSSH for this key, or make an RSA key"));
      EVP_PKEY_free (pkey);
      return NULL;
    }

  out = BIO_new (BIO_s_secmem ());
  if (out != NULL)
    ok = format == TW_PRIVATE_KEY_FORMAT_PKCS1
           ? PEM_write_bio_PrivateKey_traditional (out, pkey, NULL, NULL, 0, NULL, NULL)
           : PEM_write_bio_PrivateKey (out, pkey, NULL, NULL, 0, NULL, NULL);
  EVP_PKEY_free (pkey);
  if (out != NULL)
    text = take_bio_text (out);
  if (!ok || text == NULL)
    {
      tw_keypair_free_secret (text);
      g_set_error_literal (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_GENERATE,
                           _("The private key could not be written in that format"));
      return NULL;
    }
  return text;
}
