/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Just enough of the SSH transport (RFC 4253 §4–8, RFC 8731) to see the
 * host certificate a server shows and to prove the server holds its key.
 * Before the first NEWKEYS, packets travel unencrypted and without a MAC.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <openssl/evp.h>
#include <string.h>

#include "tw-host-certificate-exchange.h"
#include "tw-ssh-signature.h"
#include "tw-ssh-wire.h"

#define MSG_DISCONNECT      1
#define MSG_IGNORE          2
#define MSG_DEBUG           4
#define MSG_KEXINIT        20
#define MSG_KEX_ECDH_INIT  30
#define MSG_KEX_ECDH_REPLY 31

#define CLIENT_VERSION "SSH-2.0-TunnelWizard_" PACKAGE_VERSION
#define MAX_PACKET (256 * 1024)
#define MAX_PRELUDE_LINES 64
#define MAX_LINE 255

#define KEX_ALGORITHMS "curve25519-sha256,curve25519-sha256@libssh.org"

/* In the order a default ssh prefers them, with the signature algorithm the
 * server signs the exchange with */
static const struct
{
  const char *algorithm;
  const char *signature;
} cert_algorithms[] = {
  { "ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519" },
  { "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp256" },
  { "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp384" },
  { "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ecdsa-sha2-nistp521" },
  { "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-512" },
  { "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-256" },
};

/* Broad enough for any server to agree with; never used. */
static const char *ciphers = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
                             "aes128-gcm@openssh.com,aes256-gcm@openssh.com";
static const char *macs = "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
                          "hmac-sha2-256,hmac-sha2-512,hmac-sha1";

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)

static gboolean
set_protocol_error (GError    **error,
                    const char *message)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The server broke the SSH protocol while showing its certificate: %s"), message);
  return FALSE;
}

static gboolean
send_packet (GOutputStream *out,
             GByteArray    *payload,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GByteArray) packet = g_byte_array_new ();
  guint padding = 8 - (5 + payload->len) % 8;
  guint8 random[16];

  if (padding < 4)
    padding += 8;
  for (guint i = 0; i < padding; i++)
    random[i] = g_random_int_range (0, 256);
  tw_ssh_put_u32 (packet, 1 + payload->len + padding);
  tw_ssh_put_byte (packet, padding);
  g_byte_array_append (packet, payload->data, payload->len);
  g_byte_array_append (packet, random, padding);
  return g_output_stream_write_all (out, packet->data, packet->len, NULL, cancellable, error);
}

static gboolean
read_exactly (GInputStream *in,
              guint8       *buffer,
              gsize         len,
              GCancellable *cancellable,
              GError      **error)
{
  gsize got = 0;

  if (!g_input_stream_read_all (in, buffer, len, &got, cancellable, error))
    return FALSE;
  if (got < len)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                           _("The server closed the connection"));
      return FALSE;
    }
  return TRUE;
}

/* The next packet's payload, past IGNORE and DEBUG messages */
static GBytes *
read_packet (GInputStream *in,
             GCancellable *cancellable,
             GError      **error)
{
  for (;;)
    {
      guint8 header[4];
      g_autofree guint8 *body = NULL;
      guint32 len;
      guint8 padding;

      if (!read_exactly (in, header, 4, cancellable, error))
        return NULL;
      len = ((guint32) header[0] << 24) | ((guint32) header[1] << 16) | ((guint32) header[2] << 8) | header[3];
      if (len < 5 || len > MAX_PACKET)
        {
          set_protocol_error (error, _("a packet of impossible length"));
          return NULL;
        }
      body = g_malloc (len);
      if (!read_exactly (in, body, len, cancellable, error))
        return NULL;
      padding = body[0];
      if (padding < 4 || (guint32) padding + 2 > len)
        {
          set_protocol_error (error, _("a packet with impossible padding"));
          return NULL;
        }
      if (body[1] == MSG_IGNORE || body[1] == MSG_DEBUG)
        continue;
      if (body[1] == MSG_DISCONNECT)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               _("The server ended the connection"));
          return NULL;
        }
      return g_bytes_new (body + 1, len - 1 - padding);
    }
}

/* One line, without CR LF; a line longer than RFC 4253 allows is an error,
 * so a server that floods us costs a bounded read. */
static char *
read_bounded_line (GBufferedInputStream *in,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_autoptr(GString) line = g_string_new (NULL);

  while (line->len <= MAX_LINE)
    {
      int c = g_buffered_input_stream_read_byte (in, cancellable, error);

      if (c < 0)
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                 _("The server closed the connection"));
          return NULL;
        }
      if (c == '\n')
        {
          if (line->len > 0 && line->str[line->len - 1] == '\r')
            g_string_truncate (line, line->len - 1);
          return g_string_free (g_steal_pointer (&line), FALSE);
        }
      g_string_append_c (line, c);
    }
  set_protocol_error (error, _("a line too long"));
  return NULL;
}

/* The server's identification line, past the lines a server may send
 * before it (RFC 4253 §4.2) */
static char *
read_version (GBufferedInputStream *in,
              GCancellable         *cancellable,
              GError              **error)
{
  for (guint i = 0; i < MAX_PRELUDE_LINES; i++)
    {
      g_autofree char *line = read_bounded_line (in, cancellable, error);

      if (line == NULL)
        return NULL;
      if (g_str_has_prefix (line, "SSH-"))
        return g_steal_pointer (&line);
    }
  set_protocol_error (error, _("no SSH version line"));
  return NULL;
}

static GByteArray *
client_kexinit (void)
{
  GByteArray *payload = g_byte_array_new ();
  g_autoptr(GString) host_keys = g_string_new (NULL);
  guint8 cookie[16];

  for (guint i = 0; i < G_N_ELEMENTS (cookie); i++)
    cookie[i] = g_random_int_range (0, 256);
  for (guint i = 0; i < G_N_ELEMENTS (cert_algorithms); i++)
    g_string_append_printf (host_keys, "%s%s", i > 0 ? "," : "", cert_algorithms[i].algorithm);

  tw_ssh_put_byte (payload, MSG_KEXINIT);
  g_byte_array_append (payload, cookie, sizeof cookie);
  tw_ssh_put_cstring (payload, KEX_ALGORITHMS);
  tw_ssh_put_cstring (payload, host_keys->str);
  tw_ssh_put_cstring (payload, ciphers);
  tw_ssh_put_cstring (payload, ciphers);
  tw_ssh_put_cstring (payload, macs);
  tw_ssh_put_cstring (payload, macs);
  tw_ssh_put_cstring (payload, "none,zlib@openssh.com");
  tw_ssh_put_cstring (payload, "none,zlib@openssh.com");
  tw_ssh_put_cstring (payload, "");
  tw_ssh_put_cstring (payload, "");
  tw_ssh_put_byte (payload, 0);
  tw_ssh_put_u32 (payload, 0);
  return payload;
}

static gboolean
name_list_has (const guint8 *list,
               gsize         len,
               const char   *name)
{
  g_autofree char *copy = g_strndup ((const char *) list, len);
  g_auto(GStrv) names = g_strsplit (copy, ",", -1);

  return g_strv_contains ((const char * const *) names, name);
}

/* Which certificate algorithm the server's KEXINIT agrees to: -1 for none */
static int
negotiate (GBytes   *server_kexinit,
           GError  **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (server_kexinit, &size);
  TwSshReader reader;
  const guint8 *kex, *host_keys;
  gsize kex_len, host_keys_len;
  gboolean kex_ok;

  tw_ssh_reader_init (&reader, data, size);
  if (size < 17 || data[0] != MSG_KEXINIT)
    {
      set_protocol_error (error, _("no KEXINIT"));
      return -2;
    }
  reader.data += 17;
  reader.left -= 17;
  if (!tw_ssh_read_string (&reader, &kex, &kex_len) || !tw_ssh_read_string (&reader, &host_keys, &host_keys_len))
    {
      set_protocol_error (error, _("a damaged KEXINIT"));
      return -2;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cert_algorithms); i++)
    if (name_list_has (host_keys, host_keys_len, cert_algorithms[i].algorithm))
      {
        kex_ok = name_list_has (kex, kex_len, "curve25519-sha256") ||
                 name_list_has (kex, kex_len, "curve25519-sha256@libssh.org");
        if (!kex_ok)
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _("The server offers a host certificate, but not over curve25519-sha256, "
                                   "the only key exchange this check uses to fetch it"));
            return -2;
          }
        return i;
      }
  return -1;
}

static GBytes *
x25519_shared_secret (EVP_PKEY     *ours,
                      const guint8 *theirs,
                      gsize         theirs_len)
{
  g_autoptr(EVP_PKEY) peer = EVP_PKEY_new_raw_public_key (EVP_PKEY_X25519, NULL, theirs, theirs_len);
  g_autoptr(EVP_PKEY_CTX) ctx = EVP_PKEY_CTX_new (ours, NULL);
  guint8 secret[32];
  gsize len = sizeof secret;

  if (peer == NULL || ctx == NULL || EVP_PKEY_derive_init (ctx) <= 0 ||
      EVP_PKEY_derive_set_peer (ctx, peer) <= 0 || EVP_PKEY_derive (ctx, secret, &len) <= 0 || len != 32)
    return NULL;
  return g_bytes_new (secret, len);
}

static void
hash_string (GChecksum    *checksum,
             const void   *data,
             gsize         len)
{
  g_autoptr(GByteArray) field = g_byte_array_new ();

  tw_ssh_put_string (field, data, len);
  g_checksum_update (checksum, field->data, field->len);
}

TwHostCertificate *
tw_host_certificate_exchange (GIOStream     *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GInputStream) in = g_buffered_input_stream_new (g_io_stream_get_input_stream (stream));
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  g_autoptr(GByteArray) our_kexinit = client_kexinit ();
  g_autoptr(GByteArray) init = g_byte_array_new ();
  g_autoptr(GBytes) their_kexinit = NULL, reply = NULL, secret = NULL, cert_blob = NULL;
  g_autoptr(EVP_PKEY) ours = NULL;
  g_autoptr(TwHostCertificate) certificate = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  g_autoptr(GByteArray) mpint = g_byte_array_new ();
  g_autofree char *server_version = NULL;
  g_autofree char *sig_algorithm = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 our_public[32], hash[32];
  gsize our_public_len = sizeof our_public, hash_len = sizeof hash;
  const guint8 *k_s, *q_s, *signature;
  gsize k_s_len, q_s_len, signature_len, reply_size;
  const guint8 *reply_data;
  TwSshReader reader;
  int chosen;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);

  if (!g_output_stream_write_all (out, CLIENT_VERSION "\r\n", strlen (CLIENT_VERSION "\r\n"), NULL,
                                  cancellable, error) ||
      !send_packet (out, our_kexinit, cancellable, error))
    return NULL;
  server_version = read_version (G_BUFFERED_INPUT_STREAM (in), cancellable, error);
  if (server_version == NULL)
    return NULL;
  their_kexinit = read_packet (in, cancellable, error);
  if (their_kexinit == NULL)
    return NULL;
  chosen = negotiate (their_kexinit, error);
  if (chosen < 0)
    return NULL;  /* -1: no certificate, and no error */

  ours = EVP_PKEY_Q_keygen (NULL, NULL, "X25519");
  if (ours == NULL || EVP_PKEY_get_raw_public_key (ours, our_public, &our_public_len) <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not make an X25519 key"));
      return NULL;
    }
  tw_ssh_put_byte (init, MSG_KEX_ECDH_INIT);
  tw_ssh_put_string (init, our_public, our_public_len);
  if (!send_packet (out, init, cancellable, error))
    return NULL;
  reply = read_packet (in, cancellable, error);
  if (reply == NULL)
    return NULL;

  reply_data = g_bytes_get_data (reply, &reply_size);
  tw_ssh_reader_init (&reader, reply_data, reply_size);
  if (reply_size < 1 || reply_data[0] != MSG_KEX_ECDH_REPLY)
    {
      set_protocol_error (error, _("no key exchange reply"));
      return NULL;
    }
  reader.data++;
  reader.left--;
  if (!tw_ssh_read_string (&reader, &k_s, &k_s_len) || !tw_ssh_read_string (&reader, &q_s, &q_s_len) ||
      !tw_ssh_read_string (&reader, &signature, &signature_len) || q_s_len != 32)
    {
      set_protocol_error (error, _("a damaged key exchange reply"));
      return NULL;
    }

  cert_blob = g_bytes_new (k_s, k_s_len);
  certificate = tw_host_certificate_new_from_blob (cert_blob, error);
  if (certificate == NULL)
    return NULL;

  secret = x25519_shared_secret (ours, q_s, q_s_len);
  if (secret == NULL)
    {
      set_protocol_error (error, _("an unusable key exchange value"));
      return NULL;
    }
  {
    gsize size;
    const guint8 *data = g_bytes_get_data (their_kexinit, &size);

    checksum = g_checksum_new (G_CHECKSUM_SHA256);
    hash_string (checksum, CLIENT_VERSION, strlen (CLIENT_VERSION));
    hash_string (checksum, server_version, strlen (server_version));
    hash_string (checksum, our_kexinit->data, our_kexinit->len);
    hash_string (checksum, data, size);
    hash_string (checksum, k_s, k_s_len);
    hash_string (checksum, our_public, our_public_len);
    hash_string (checksum, q_s, q_s_len);
    data = g_bytes_get_data (secret, &size);
    tw_ssh_put_mpint (mpint, data, size);
    g_checksum_update (checksum, mpint->data, mpint->len);
    g_checksum_get_digest (checksum, hash, &hash_len);
  }

  if (!tw_ssh_signature_verify (tw_public_key_get_blob (tw_host_certificate_get_key (certificate)),
                                signature, signature_len, hash, hash_len, &sig_algorithm, &local_error) ||
      g_strcmp0 (sig_algorithm, cert_algorithms[chosen].signature) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The server showed a host certificate but could not prove it holds its key: %s"),
                   local_error != NULL ? local_error->message : _("the signature has the wrong algorithm"));
      return NULL;
    }
  return g_steal_pointer (&certificate);
}
