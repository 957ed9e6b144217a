/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-host-certificate.h"
#include "tw-ssh-signature.h"
#include "tw-ssh-wire.h"

#define CERT_TYPE_USER 1
#define CERT_TYPE_HOST 2

struct _TwHostCertificate
{
  GObject      parent_instance;

  GBytes      *blob;
  char        *cert_type;
  TwPublicKey *key;
  TwPublicKey *ca_key;
  GBytes      *ca_blob;
  char        *key_id;
  GStrv        principals;
  guint64      serial;
  guint32      type;
  guint64      valid_after;
  guint64      valid_before;
  gboolean     has_critical_options;
  gsize        signed_len;      /* the bytes the CA signed: all before the signature */
  const guint8 *signature;      /* into blob */
  gsize        signature_len;
  char        *signature_algorithm;
};

G_DEFINE_FINAL_TYPE (TwHostCertificate, tw_host_certificate, G_TYPE_OBJECT)

/* The certificate types, and the plain key each carries: its blob is that
 * name followed by the fields after the nonce, unchanged. */
static const struct
{
  const char *cert_type;
  const char *key_type;
  guint       fields;           /* strings or mpints of the key itself */
} cert_types[] = {
  { "ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", 1 },
  { "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp256", 2 },
  { "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp384", 2 },
  { "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ecdsa-sha2-nistp521", 2 },
  { "ssh-rsa-cert-v01@openssh.com", "ssh-rsa", 2 },
};

/* OpenSSH 9's default CASignatureAlgorithms, less the security keys' */
static const char * const ca_signature_algorithms[] = {
  "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
  "rsa-sha2-512", "rsa-sha2-256",
};

static void
tw_host_certificate_finalize (GObject *object)
{
  TwHostCertificate *self = TW_HOST_CERTIFICATE (object);

  g_bytes_unref (self->blob);
  g_free (self->cert_type);
  g_clear_object (&self->key);
  g_clear_object (&self->ca_key);
  g_clear_pointer (&self->ca_blob, g_bytes_unref);
  g_free (self->key_id);
  g_strfreev (self->principals);
  g_free (self->signature_algorithm);

  G_OBJECT_CLASS (tw_host_certificate_parent_class)->finalize (object);
}

static void
tw_host_certificate_class_init (TwHostCertificateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_host_certificate_finalize;
}

static void
tw_host_certificate_init (TwHostCertificate *self)
{
}

static TwPublicKey *
key_from_blob (const guint8 *data,
               gsize         len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  TwSshReader reader;
  const guint8 *type;
  gsize type_len;
  g_autofree char *line = NULL;

  tw_ssh_reader_init (&reader, data, len);
  if (!tw_ssh_read_cstring (&reader, &type, &type_len))
    return NULL;
  line = g_strdup_printf ("%.*s %s", (int) type_len, type, b64);
  return tw_public_key_parse (line, NULL);
}

static gboolean
set_corrupt (GError **error)
{
  g_set_error_literal (error, TW_KEY_ERROR, TW_KEY_ERROR_CORRUPT, _("The host certificate is damaged"));
  return FALSE;
}

static gboolean
parse (TwHostCertificate *self,
       GError           **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (self->blob, &size);
  TwSshReader reader, list;
  const guint8 *field, *fields_start;
  gsize field_len;
  int which = -1;
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  g_autoptr(GPtrArray) principals = g_ptr_array_new_with_free_func (g_free);

  tw_ssh_reader_init (&reader, data, size);
  if (!tw_ssh_read_cstring (&reader, &field, &field_len))
    return set_corrupt (error);
  for (guint i = 0; i < G_N_ELEMENTS (cert_types); i++)
    if (tw_ssh_string_equals (field, field_len, cert_types[i].cert_type))
      which = i;
  if (which < 0)
    {
      g_set_error (error, TW_KEY_ERROR, TW_KEY_ERROR_UNSUPPORTED,
                   _("“%.*s” is not a host certificate type this app reads"), (int) MIN (field_len, 64), field);
      return FALSE;
    }
  self->cert_type = g_strdup (cert_types[which].cert_type);

  if (!tw_ssh_read_string (&reader, &field, &field_len))   /* nonce */
    return set_corrupt (error);
  fields_start = reader.data;
  for (guint i = 0; i < cert_types[which].fields; i++)
    if (!tw_ssh_read_string (&reader, &field, &field_len))
      return set_corrupt (error);
  tw_ssh_put_cstring (plain, cert_types[which].key_type);
  g_byte_array_append (plain, fields_start, reader.data - fields_start);
  self->key = key_from_blob (plain->data, plain->len);
  if (self->key == NULL)
    return set_corrupt (error);

  if (!tw_ssh_read_u64 (&reader, &self->serial) || !tw_ssh_read_u32 (&reader, &self->type) ||
      !tw_ssh_read_cstring (&reader, &field, &field_len))
    return set_corrupt (error);
  self->key_id = g_utf8_make_valid ((const char *) field, field_len);

  if (!tw_ssh_read_string (&reader, &field, &field_len))
    return set_corrupt (error);
  tw_ssh_reader_init (&list, field, field_len);
  while (list.left > 0)
    {
      const guint8 *name;
      gsize name_len;

      if (!tw_ssh_read_cstring (&list, &name, &name_len))
        return set_corrupt (error);
      g_ptr_array_add (principals, g_utf8_make_valid ((const char *) name, name_len));
    }
  g_ptr_array_add (principals, NULL);
  self->principals = (GStrv) g_ptr_array_free (g_steal_pointer (&principals), FALSE);

  if (!tw_ssh_read_u64 (&reader, &self->valid_after) || !tw_ssh_read_u64 (&reader, &self->valid_before))
    return set_corrupt (error);
  if (!tw_ssh_read_string (&reader, &field, &field_len))   /* critical options */
    return set_corrupt (error);
  self->has_critical_options = field_len > 0;
  if (!tw_ssh_read_string (&reader, &field, &field_len) ||  /* extensions */
      !tw_ssh_read_string (&reader, &field, &field_len))    /* reserved */
    return set_corrupt (error);
  if (!tw_ssh_read_string (&reader, &field, &field_len))
    return set_corrupt (error);
  self->ca_blob = g_bytes_new (field, field_len);
  self->ca_key = key_from_blob (field, field_len);
  if (self->ca_key == NULL)
    return set_corrupt (error);

  self->signed_len = reader.data - data;
  if (!tw_ssh_read_string (&reader, &self->signature, &self->signature_len) || reader.left != 0)
    return set_corrupt (error);
  {
    TwSshReader sig;
    const guint8 *name;
    gsize name_len;

    tw_ssh_reader_init (&sig, self->signature, self->signature_len);
    if (!tw_ssh_read_cstring (&sig, &name, &name_len))
      return set_corrupt (error);
    self->signature_algorithm = g_strndup ((const char *) name, name_len);
  }
  return TRUE;
}

TwHostCertificate *
tw_host_certificate_new_from_blob (GBytes  *blob,
                                   GError **error)
{
  g_autoptr(TwHostCertificate) self = g_object_new (TW_TYPE_HOST_CERTIFICATE, NULL);

  g_return_val_if_fail (blob != NULL, NULL);

  self->blob = g_bytes_ref (blob);
  if (!parse (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
tw_host_certificate_get_cert_type (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), NULL);
  return self->cert_type;
}

TwPublicKey *
tw_host_certificate_get_key (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), NULL);
  return self->key;
}

TwPublicKey *
tw_host_certificate_get_ca_key (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), NULL);
  return self->ca_key;
}

const char *
tw_host_certificate_get_key_id (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), NULL);
  return self->key_id;
}

guint64
tw_host_certificate_get_serial (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), 0);
  return self->serial;
}

const char * const *
tw_host_certificate_get_principals (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), NULL);
  return (const char * const *) self->principals;
}

guint64
tw_host_certificate_get_valid_after (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), 0);
  return self->valid_after;
}

guint64
tw_host_certificate_get_valid_before (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), 0);
  return self->valid_before;
}

const char *
tw_host_certificate_get_signature_algorithm (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), NULL);
  return self->signature_algorithm;
}

GBytes *
tw_host_certificate_get_blob (TwHostCertificate *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), NULL);
  return self->blob;
}

static char *
format_time (guint64 seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (seconds > (guint64) G_MAXINT64)
    return NULL;
  time = g_date_time_new_from_unix_utc ((gint64) seconds);
  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S UTC") : NULL;
}

char *
tw_host_certificate_describe_validity (TwHostCertificate *self)
{
  g_autofree char *from = NULL, *to = NULL;

  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), NULL);

  from = self->valid_after > 0 ? format_time (self->valid_after) : NULL;
  to = self->valid_before != TW_HOST_CERTIFICATE_FOREVER ? format_time (self->valid_before) : NULL;
  if (from == NULL && to == NULL)
    return g_strdup (_("forever"));
  if (from == NULL)
    /* e.g. "until 2026-12-05 17:16:15 UTC" */
    return g_strdup_printf (_("until %s"), to);
  if (to == NULL)
    return g_strdup_printf (_("from %s, forever"), from);
  return g_strdup_printf (_("from %s to %s"), from, to);
}

static gboolean
fail_with (char       **reason,
           char        *text)
{
  if (reason != NULL)
    *reason = text;
  else
    g_free (text);
  return FALSE;
}

gboolean
tw_host_certificate_check (TwHostCertificate *self,
                           const char        *host,
                           guint64            now,
                           char             **reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lower_host = NULL;
  gboolean allowed = FALSE;

  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  lower_host = g_ascii_strdown (host, -1);
  if (reason != NULL)
    *reason = NULL;

  if (self->type != CERT_TYPE_HOST)
    return fail_with (reason, g_strdup (_("it is a user certificate, not a host certificate")));
  if (now < self->valid_after)
    return fail_with (reason, g_strdup (_("it is not valid yet")));
  if (now >= self->valid_before)
    return fail_with (reason, g_strdup (_("it has expired")));
  /* ssh compares the host name in lower case, as it looks it up */
  if (self->principals[0] != NULL && !g_strv_contains ((const char * const *) self->principals, lower_host))
    return fail_with (reason, g_strdup_printf (_("“%s” is not among the names it was issued for"), host));
  if (self->has_critical_options)
    return fail_with (reason, g_strdup (_("it has critical options, which ssh does not accept in a host certificate")));
  for (guint i = 0; i < G_N_ELEMENTS (ca_signature_algorithms); i++)
    if (g_str_equal (self->signature_algorithm, ca_signature_algorithms[i]))
      allowed = TRUE;
  if (!allowed)
    return fail_with (reason, g_strdup_printf (_("the CA signed it with %s, which ssh no longer accepts"),
                                               self->signature_algorithm));
  if (!tw_ssh_signature_verify (self->ca_blob, self->signature, self->signature_len,
                                g_bytes_get_data (self->blob, NULL), self->signed_len, NULL, &error))
    return fail_with (reason, g_strdup_printf (_("the CA’s signature is not valid: %s"), error->message));
  return TRUE;
}
