/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-dest-protocol.h"
#include "tw-tls-negotiation.h"

/*
 * TLS goes through GIO (glib-networking) rather than GnuTLS directly: GIO's
 * TLS works on any GIOStream, so the same code negotiates over a TCP
 * connection in the tests and over a TwChannelStream through the tunnel,
 * honours a GCancellable in every blocking call, and reports certificate
 * problems as GTlsCertificateFlags through "accept-certificate", which lets
 * us accept a bad certificate in order to describe it.
 */

struct _TwTlsNegotiation
{
  GObject               parent_instance;

  TwDestKind            kind;
  char                 *server_host;
  guint16               server_port;
  char                 *ca_file;
  gboolean              complete_startup;

  gboolean              tls;
  char                 *protocol;
  char                 *ciphersuite;
  GTlsCertificate      *certificate;
  GTlsCertificateFlags  certificate_errors;
  char                 *subject;
  char                 *issuer;
  GDateTime            *not_valid_before;
  GDateTime            *not_valid_after;
  char                 *sha256;
  char                 *server_answer;
};

G_DEFINE_QUARK (tw-tls-negotiation-error-quark, tw_tls_negotiation_error)
G_DEFINE_FINAL_TYPE (TwTlsNegotiation, tw_tls_negotiation, G_TYPE_OBJECT)

static void
tw_tls_negotiation_finalize (GObject *object)
{
  TwTlsNegotiation *self = TW_TLS_NEGOTIATION (object);

  g_free (self->server_host);
  g_free (self->ca_file);
  g_free (self->protocol);
  g_free (self->ciphersuite);
  g_clear_object (&self->certificate);
  g_free (self->subject);
  g_free (self->issuer);
  g_clear_pointer (&self->not_valid_before, g_date_time_unref);
  g_clear_pointer (&self->not_valid_after, g_date_time_unref);
  g_free (self->sha256);
  g_free (self->server_answer);

  G_OBJECT_CLASS (tw_tls_negotiation_parent_class)->finalize (object);
}

static void
tw_tls_negotiation_class_init (TwTlsNegotiationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_tls_negotiation_finalize;
}

static void
tw_tls_negotiation_init (TwTlsNegotiation *self)
{
  self->complete_startup = TRUE;
}

TwTlsNegotiation *
tw_tls_negotiation_new (TwDestKind  kind,
                        const char *server_host,
                        guint16     server_port)
{
  TwTlsNegotiation *self;

  g_return_val_if_fail (server_host != NULL, NULL);

  self = g_object_new (TW_TYPE_TLS_NEGOTIATION, NULL);
  self->kind = kind;
  self->server_host = g_strdup (server_host);
  self->server_port = server_port;

  return self;
}

void
tw_tls_negotiation_set_ca_file (TwTlsNegotiation *self,
                                const char       *ca_file)
{
  g_return_if_fail (TW_IS_TLS_NEGOTIATION (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

void
tw_tls_negotiation_set_complete_startup (TwTlsNegotiation *self,
                                         gboolean          complete)
{
  g_return_if_fail (TW_IS_TLS_NEGOTIATION (self));

  self->complete_startup = !!complete;
}

/* TLS */

static gboolean
on_accept_certificate (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  TwTlsNegotiation *self = user_data;

  /* Accepted to be described, not trusted: the errors go in the report. */
  self->certificate_errors = errors;
  return TRUE;
}

static const char *
protocol_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0: return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0: return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2: return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default: return NULL;
    }
}

static void
record_certificate (TwTlsNegotiation *self,
                    GTlsCertificate  *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GString) hex = g_string_new (NULL);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_set_object (&self->certificate, certificate);
  self->subject = g_tls_certificate_get_subject_name (certificate);
  self->issuer = g_tls_certificate_get_issuer_name (certificate);
  self->not_valid_before = g_tls_certificate_get_not_valid_before (certificate);
  self->not_valid_after = g_tls_certificate_get_not_valid_after (certificate);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return;
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (hex, i ? ":%02X" : "%02X", digest[i]);
  self->sha256 = g_string_free (g_steal_pointer (&hex), FALSE);
}

static GIOStream *
start_tls (TwTlsNegotiation  *self,
           GIOStream         *stream,
           GCancellable      *cancellable,
           GError           **error)
{
  g_autoptr(GSocketConnectable) identity = g_network_address_new (self->server_host,
                                                                  self->server_port);
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *peer;

  tls = g_tls_client_connection_new (stream, identity, error);
  if (tls == NULL)
    return NULL;

  if (self->ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (self->ca_file, error);

      if (database == NULL)
        return NULL;
      g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
    }

  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), self);

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), cancellable, &local_error))
    {
      if (local_error->domain == G_IO_ERROR &&
          (local_error->code == G_IO_ERROR_CANCELLED || local_error->code == G_IO_ERROR_TIMED_OUT))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_HANDSHAKE,
                     _("The TLS handshake failed: %s"), local_error->message);
      return NULL;
    }

  self->tls = TRUE;
  self->protocol = g_strdup (protocol_name (g_tls_connection_get_protocol_version (G_TLS_CONNECTION (tls))));
  self->ciphersuite = g_tls_connection_get_ciphersuite_name (G_TLS_CONNECTION (tls));
  self->certificate_errors = g_tls_connection_get_peer_certificate_errors (G_TLS_CONNECTION (tls));
  peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls));
  if (peer != NULL)
    record_certificate (self, peer);

  return g_steal_pointer (&tls);
}

static void
set_answer (TwTlsNegotiation *self,
            char             *answer)
{
  g_free (self->server_answer);
  self->server_answer = answer;
}

static gboolean
postgres_startup (TwTlsNegotiation  *self,
                  GIOStream         *stream,
                  GCancellable      *cancellable,
                  GError           **error)
{
  char *answer = NULL;

  if (!tw_postgres_startup (stream, &answer, cancellable, error))
    return FALSE;
  set_answer (self, answer);
  return TRUE;
}

static gboolean
mysql_read_greeting (TwTlsNegotiation  *self,
                     GIOStream         *stream,
                     gboolean          *offers_tls,
                     GCancellable      *cancellable,
                     GError           **error)
{
  char *answer = NULL;

  if (!tw_mysql_read_greeting (stream, offers_tls, &answer, cancellable, error))
    return FALSE;
  set_answer (self, answer);
  return TRUE;
}

static gboolean
not_offered (TwTlsNegotiation  *self,
             GError           **error)
{
  const char *what = self->kind == TW_DEST_KIND_POSTGRES
                     ? _("PostgreSQL answered that it does not offer TLS (ssl is off)")
                     : _("The database does not offer TLS (no certificate configured)");

  g_set_error_literal (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_NOT_OFFERED, what);
  return FALSE;
}

gboolean
tw_tls_negotiation_run (TwTlsNegotiation  *self,
                        GIOStream         *stream,
                        gboolean           allow_clear_text,
                        GIOStream        **out_stream,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_autoptr(GIOStream) tls = NULL;
  gboolean offered = TRUE;

  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), FALSE);
  g_return_val_if_fail (G_IS_IO_STREAM (stream), FALSE);

  switch (self->kind)
    {
    case TW_DEST_KIND_POSTGRES:
      if (!tw_postgres_request_tls (stream, &offered, cancellable, error))
        return FALSE;
      break;
    case TW_DEST_KIND_MYSQL:
      if (!mysql_read_greeting (self, stream, &offered, cancellable, error))
        return FALSE;
      if (offered && !tw_mysql_request_tls (stream, cancellable, error))
        return FALSE;
      break;
    case TW_DEST_KIND_TLS:
      break;
    case TW_DEST_KIND_TCP:
    default:
      offered = FALSE;
      break;
    }

  if (!offered)
    {
      if (!allow_clear_text)
        return not_offered (self, error);
      /* MySQL's greeting is already in; PostgreSQL goes on after its 'N'. */
      if (self->kind == TW_DEST_KIND_POSTGRES && self->complete_startup &&
          !postgres_startup (self, stream, cancellable, error))
        return FALSE;
      if (out_stream != NULL)
        *out_stream = g_object_ref (stream);
      return TRUE;
    }

  tls = start_tls (self, stream, cancellable, error);
  if (tls == NULL)
    return FALSE;

  if (self->kind == TW_DEST_KIND_POSTGRES && self->complete_startup &&
      !postgres_startup (self, tls, cancellable, error))
    return FALSE;

  if (out_stream != NULL)
    *out_stream = g_steal_pointer (&tls);
  return TRUE;
}

gboolean
tw_tls_negotiation_run_clear_text (TwTlsNegotiation  *self,
                                   GIOStream         *stream,
                                   GCancellable      *cancellable,
                                   GError           **error)
{
  gboolean offered;

  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), FALSE);
  g_return_val_if_fail (G_IS_IO_STREAM (stream), FALSE);

  switch (self->kind)
    {
    case TW_DEST_KIND_POSTGRES:
      return !self->complete_startup || postgres_startup (self, stream, cancellable, error);
    case TW_DEST_KIND_MYSQL:
      return mysql_read_greeting (self, stream, &offered, cancellable, error);
    case TW_DEST_KIND_TLS:
    case TW_DEST_KIND_TCP:
    default:
      return TRUE;
    }
}

/* Getters */

TwDestKind
tw_tls_negotiation_get_kind (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), TW_DEST_KIND_TCP);
  return self->kind;
}

const char *
tw_tls_negotiation_get_server_host (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->server_host;
}

gboolean
tw_tls_negotiation_get_tls (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), FALSE);
  return self->tls;
}

const char *
tw_tls_negotiation_get_protocol (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->protocol;
}

const char *
tw_tls_negotiation_get_ciphersuite (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->ciphersuite;
}

GTlsCertificate *
tw_tls_negotiation_get_certificate (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->certificate;
}

GTlsCertificateFlags
tw_tls_negotiation_get_certificate_errors (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), 0);
  return self->certificate_errors;
}

const char *
tw_tls_negotiation_get_subject (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->subject;
}

const char *
tw_tls_negotiation_get_issuer (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->issuer;
}

GDateTime *
tw_tls_negotiation_get_not_valid_before (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->not_valid_before;
}

GDateTime *
tw_tls_negotiation_get_not_valid_after (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->not_valid_after;
}

const char *
tw_tls_negotiation_get_sha256 (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->sha256;
}

const char *
tw_tls_negotiation_get_server_answer (TwTlsNegotiation *self)
{
  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);
  return self->server_answer;
}

char *
tw_tls_certificate_flags_to_string (GTlsCertificateFlags flags)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (parts, (gpointer) _("issued by an unknown authority"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (parts, (gpointer) _("issued for another host name"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (parts, (gpointer) _("not valid yet"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (parts, (gpointer) _("expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (parts, (gpointer) _("revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (parts, (gpointer) _("uses an insecure algorithm"));
  if (flags & G_TLS_CERTIFICATE_GENERIC_ERROR)
    g_ptr_array_add (parts, (gpointer) _("could not be verified"));

  if (parts->len == 0)
    return NULL;

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}

static char *
format_date (GDateTime *date)
{
  return date != NULL ? g_date_time_format (date, "%Y-%m-%d %H:%M:%S UTC") : g_strdup ("?");
}

char *
tw_tls_negotiation_describe (TwTlsNegotiation *self)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *problems = NULL;

  g_return_val_if_fail (TW_IS_TLS_NEGOTIATION (self), NULL);

  if (!self->tls)
    return NULL;

  text = g_string_new (NULL);
  g_string_append_printf (text, _("Protocol: %s\n"), self->protocol ? self->protocol : "?");
  g_string_append_printf (text, _("Cipher suite: %s\n"), self->ciphersuite ? self->ciphersuite : "?");
  if (self->certificate != NULL)
    {
      g_autofree char *from = format_date (self->not_valid_before);
      g_autofree char *until = format_date (self->not_valid_after);

      g_string_append_printf (text, _("Certificate subject: %s\n"), self->subject ? self->subject : "?");
      g_string_append_printf (text, _("Issuer: %s\n"), self->issuer ? self->issuer : "?");
      g_string_append_printf (text, _("Valid from %s until %s\n"), from, until);
      g_string_append_printf (text, _("SHA-256 fingerprint: %s\n"), self->sha256 ? self->sha256 : "?");
    }
  problems = tw_tls_certificate_flags_to_string (self->certificate_errors);
  g_string_append_printf (text, _("Checked for host name: %s\n"), self->server_host);
  g_string_append_printf (text, _("Certificate problems: %s"), problems ? problems : _("none"));
  if (self->server_answer != NULL)
    g_string_append_printf (text, "\n%s", self->server_answer);

  return g_string_free (g_steal_pointer (&text), FALSE);
}
