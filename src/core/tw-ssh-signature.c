/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SSH signatures (RFC 8709 Ed25519, RFC 5656 ECDSA, RFC 8332 RSA SHA-2)
 * verified with libcrypto: libssh 0.10 offers no public call for it, and
 * the certificate a CA signed and a server's key-exchange signature both
 * need one.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "tw-ssh-signature.h"
#include "tw-ssh-wire.h"

G_DEFINE_QUARK (tw-ssh-signature-error-quark, tw_ssh_signature_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OSSL_PARAM_BLD, OSSL_PARAM_BLD_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OSSL_PARAM, OSSL_PARAM_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ECDSA_SIG, ECDSA_SIG_free)

static const struct
{
  const char *key_type;
  const char *curve;        /* the name in the key blob */
  const char *group;        /* OpenSSL's */
  const char *digest;
} ecdsa_curves[] = {
  { "ecdsa-sha2-nistp256", "nistp256", "prime256v1", "SHA256" },
  { "ecdsa-sha2-nistp384", "nistp384", "secp384r1", "SHA384" },
  { "ecdsa-sha2-nistp521", "nistp521", "secp521r1", "SHA512" },
};

/* OpenSSH's RequiredRSASize */
#define MIN_RSA_BITS 1024

static gboolean
set_malformed (GError **error)
{
  g_set_error_literal (error, TW_SSH_SIGNATURE_ERROR, TW_SSH_SIGNATURE_ERROR_MALFORMED,
                       _("The signature or its key is damaged"));
  return FALSE;
}

static EVP_PKEY *
pkey_from_params (const char     *name,
                  OSSL_PARAM_BLD *builder)
{
  g_autoptr(OSSL_PARAM) params = OSSL_PARAM_BLD_to_param (builder);
  g_autoptr(EVP_PKEY_CTX) ctx = EVP_PKEY_CTX_new_from_name (NULL, name, NULL);
  EVP_PKEY *pkey = NULL;

  if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init (ctx) <= 0 ||
      EVP_PKEY_fromdata (ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
    return NULL;
  return pkey;
}

static EVP_PKEY *
ecdsa_pkey (const char   *group,
            const guint8 *point,
            gsize         point_len)
{
  g_autoptr(OSSL_PARAM_BLD) builder = OSSL_PARAM_BLD_new ();

  if (builder == NULL ||
      !OSSL_PARAM_BLD_push_utf8_string (builder, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
      !OSSL_PARAM_BLD_push_octet_string (builder, OSSL_PKEY_PARAM_PUB_KEY, point, point_len))
    return NULL;
  return pkey_from_params ("EC", builder);
}

static EVP_PKEY *
rsa_pkey (const guint8 *e,
          gsize         e_len,
          const guint8 *n,
          gsize         n_len)
{
  g_autoptr(OSSL_PARAM_BLD) builder = OSSL_PARAM_BLD_new ();
  g_autoptr(BIGNUM) bn_e = BN_bin2bn (e, e_len, NULL);
  g_autoptr(BIGNUM) bn_n = BN_bin2bn (n, n_len, NULL);

  if (builder == NULL || bn_e == NULL || bn_n == NULL ||
      !OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
      !OSSL_PARAM_BLD_push_BN (builder, OSSL_PKEY_PARAM_RSA_E, bn_e))
    return NULL;
  return pkey_from_params ("RSA", builder);
}

/* ECDSA signatures travel as two mpints; libcrypto wants DER. */
static guint8 *
ecdsa_signature_der (const guint8 *blob,
                     gsize         len,
                     gsize        *der_len)
{
  TwSshReader reader;
  const guint8 *r, *s;
  gsize r_len, s_len;
  g_autoptr(ECDSA_SIG) sig = NULL;
  BIGNUM *bn_r, *bn_s;
  guint8 *der = NULL, *copy;
  int n;

  tw_ssh_reader_init (&reader, blob, len);
  if (!tw_ssh_read_string (&reader, &r, &r_len) || !tw_ssh_read_string (&reader, &s, &s_len) ||
      reader.left != 0)
    return NULL;
  sig = ECDSA_SIG_new ();
  bn_r = BN_bin2bn (r, r_len, NULL);
  bn_s = BN_bin2bn (s, s_len, NULL);
  if (sig == NULL || bn_r == NULL || bn_s == NULL || !ECDSA_SIG_set0 (sig, bn_r, bn_s))
    {
      BN_free (bn_r);
      BN_free (bn_s);
      return NULL;
    }
  n = i2d_ECDSA_SIG (sig, &der);
  if (n <= 0)
    return NULL;
  *der_len = n;
  copy = g_memdup2 (der, n);
  OPENSSL_free (der);
  return copy;
}

gboolean
tw_ssh_signature_verify (GBytes        *key_blob,
                         const guint8  *signature,
                         gsize          signature_len,
                         const guint8  *data,
                         gsize          data_len,
                         char         **algorithm,
                         GError       **error)
{
  TwSshReader key, sig;
  const guint8 *key_type, *sig_type, *sig_blob, *a, *b;
  gsize key_type_len, sig_type_len, sig_blob_len, a_len, b_len;
  g_autoptr(EVP_PKEY) pkey = NULL;
  g_autoptr(EVP_MD_CTX) md_ctx = NULL;
  g_autofree guint8 *der = NULL;
  const char *digest = NULL;
  const guint8 *to_verify;
  gsize to_verify_len, der_len = 0;
  gsize blob_size;
  const guint8 *blob_data = g_bytes_get_data (key_blob, &blob_size);

  if (algorithm != NULL)
    *algorithm = NULL;
  tw_ssh_reader_init (&sig, signature, signature_len);
  if (!tw_ssh_read_cstring (&sig, &sig_type, &sig_type_len) ||
      !tw_ssh_read_string (&sig, &sig_blob, &sig_blob_len))
    return set_malformed (error);
  if (algorithm != NULL)
    *algorithm = g_strndup ((const char *) sig_type, sig_type_len);
  to_verify = sig_blob;
  to_verify_len = sig_blob_len;

  tw_ssh_reader_init (&key, blob_data, blob_size);
  if (!tw_ssh_read_cstring (&key, &key_type, &key_type_len))
    return set_malformed (error);

  if (tw_ssh_string_equals (key_type, key_type_len, "ssh-ed25519"))
    {
      if (!tw_ssh_read_string (&key, &a, &a_len) || a_len != 32)
        return set_malformed (error);
      if (!tw_ssh_string_equals (sig_type, sig_type_len, "ssh-ed25519"))
        goto mismatch;
      if (sig_blob_len != 64)
        return set_malformed (error);
      pkey = EVP_PKEY_new_raw_public_key (EVP_PKEY_ED25519, NULL, a, a_len);
    }
  else if (tw_ssh_string_equals (key_type, key_type_len, "ssh-rsa"))
    {
      if (!tw_ssh_read_string (&key, &a, &a_len) || !tw_ssh_read_string (&key, &b, &b_len))
        return set_malformed (error);
      if (tw_ssh_string_equals (sig_type, sig_type_len, "rsa-sha2-256"))
        digest = "SHA256";
      else if (tw_ssh_string_equals (sig_type, sig_type_len, "rsa-sha2-512"))
        digest = "SHA512";
      else if (tw_ssh_string_equals (sig_type, sig_type_len, "ssh-rsa"))
        digest = "SHA1";
      else
        goto mismatch;
      pkey = rsa_pkey (a, a_len, b, b_len);
      if (pkey != NULL && EVP_PKEY_get_bits (pkey) < MIN_RSA_BITS)
        {
          g_set_error (error, TW_SSH_SIGNATURE_ERROR, TW_SSH_SIGNATURE_ERROR_UNSUPPORTED,
                       _("The RSA key has %d bits; OpenSSH refuses keys under %d"),
                       EVP_PKEY_get_bits (pkey), MIN_RSA_BITS);
          return FALSE;
        }
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (ecdsa_curves) && digest == NULL; i++)
        if (tw_ssh_string_equals (key_type, key_type_len, ecdsa_curves[i].key_type))
          {
            if (!tw_ssh_read_string (&key, &a, &a_len) || !tw_ssh_string_equals (a, a_len, ecdsa_curves[i].curve) ||
                !tw_ssh_read_string (&key, &b, &b_len))
              return set_malformed (error);
            if (!tw_ssh_string_equals (sig_type, sig_type_len, ecdsa_curves[i].key_type))
              goto mismatch;
            digest = ecdsa_curves[i].digest;
            pkey = ecdsa_pkey (ecdsa_curves[i].group, b, b_len);
            der = ecdsa_signature_der (sig_blob, sig_blob_len, &der_len);
            if (der == NULL)
              return set_malformed (error);
            to_verify = der;
            to_verify_len = der_len;
          }
      if (digest == NULL)
        {
          g_set_error (error, TW_SSH_SIGNATURE_ERROR, TW_SSH_SIGNATURE_ERROR_UNSUPPORTED,
                       _("Signatures by %.*s keys are not supported"), (int) key_type_len, key_type);
          return FALSE;
        }
    }

  if (pkey == NULL)
    return set_malformed (error);
  md_ctx = EVP_MD_CTX_new ();
  if (md_ctx == NULL ||
      EVP_DigestVerifyInit_ex (md_ctx, NULL, digest, NULL, NULL, pkey, NULL) <= 0 ||
      EVP_DigestVerify (md_ctx, to_verify, to_verify_len, data, data_len) != 1)
    {
      g_set_error_literal (error, TW_SSH_SIGNATURE_ERROR, TW_SSH_SIGNATURE_ERROR_BAD,
                           _("The signature does not verify"));
      return FALSE;
    }
  return TRUE;

mismatch:
  g_set_error (error, TW_SSH_SIGNATURE_ERROR, TW_SSH_SIGNATURE_ERROR_MISMATCH,
               _("A %.*s signature cannot come from a %.*s key"),
               (int) sig_type_len, sig_type, (int) key_type_len, key_type);
  return FALSE;
}
