/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tls: TLS with the destination, through the tunnel, the way that database
 * negotiates it, under the service's Require-TLS rule: ON, no TLS is a
 * failure and nothing but the request for TLS is sent in clear text; OFF,
 * TLS first and, if it fails, clear text on a new connection, with a
 * warning that the service would fall back to it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-channel-stream.h"
#include "tw-probe-private.h"
#include "tw-tls-negotiation.h"

typedef struct
{
  TwTlsNegotiation *negotiation;
  GIOStream        *stream;
  gboolean          clear_text;
  GCancellable     *cancellable;
  gboolean          ok;
  GError           *error;
} Attempt;

/* Runs in the pump's work thread: only GIO here, never libssh. */
static gpointer
attempt_run (gpointer data)
{
  Attempt *attempt = data;

  if (attempt->clear_text)
    attempt->ok = tw_tls_negotiation_run_clear_text (attempt->negotiation, attempt->stream,
                                                     attempt->cancellable, &attempt->error);
  else
    attempt->ok = tw_tls_negotiation_run (attempt->negotiation, attempt->stream, FALSE, NULL,
                                          attempt->cancellable, &attempt->error);
  return NULL;
}

/* One connection through the tunnel: a channel, the negotiation on it in a
 * work thread while this (the session's) thread pumps. FALSE with @out
 * filled when the channel or the tunnel failed, not the negotiation. */
static gboolean
attempt_through_tunnel (TwProbeContext   *ctx,
                        TwTlsNegotiation *negotiation,
                        gboolean          clear_text,
                        Attempt          *attempt,
                        TwCheckOutcome   *out)
{
  g_autoptr(TwChannelStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  ssh_channel channel;
  gboolean pumped;

  channel = tw_probe_context_open_forward (ctx, out);
  if (channel == NULL)
    return FALSE;

  stream = tw_channel_stream_new (channel, &error);
  if (stream == NULL)
    {
      ssh_channel_free (channel);
      out->summary = g_strdup (error->message);
      return FALSE;
    }

  *attempt = (Attempt) { negotiation, G_IO_STREAM (stream), clear_text, ctx->cancellable, FALSE, NULL };
  pumped = tw_channel_stream_pump (ctx->session, &stream, 1, attempt_run, attempt,
                                   ctx->timeout_s * 1000, ctx->cancellable, &error);
  ssh_channel_close (channel);
  ssh_channel_free (channel);

  if (!pumped)
    {
      g_clear_error (&attempt->error);
      /* On cancel the engine also shuts the session down: whichever error
       * the pump saw first, the run was cancelled. */
      if (tw_probe_context_is_cancelled (ctx))
        out->summary = g_strdup (_("Cancelled"));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          out->summary = g_strdup_printf (_("The destination did not answer within %u s"), ctx->timeout_s);
          out->hint = g_strdup (_("The bastion reached the destination, but it stayed silent. "
                                  "Check that the destination kind is right for this port."));
        }
      else
        out->summary = g_strdup (error->message);
      return FALSE;
    }

  return TRUE;
}

static const char *
enable_tls_hint (TwDestKind kind)
{
  switch (kind)
    {
    case TW_DEST_KIND_POSTGRES:
      return _("Enable TLS on PostgreSQL: in postgresql.conf set “ssl = on” with "
               "“ssl_cert_file” and “ssl_key_file” (the key readable only by postgres), then "
               "reload. “SHOW ssl;” must say “on”.");
    case TW_DEST_KIND_MYSQL:
      return _("Enable TLS on MySQL/MariaDB: set “ssl_cert” and “ssl_key” in the [mysqld] "
               "section and restart the server. “SHOW VARIABLES LIKE 'have_ssl';” must say “YES”.");
    case TW_DEST_KIND_TLS:
    case TW_DEST_KIND_TCP:
    default:
      return _("The destination did not complete a TLS handshake: check that this port is the "
               "service’s TLS port and that the service has a certificate and key configured.");
    }
}

static TwCheckStatus
report_tls (TwProbeContext   *ctx,
            TwTlsNegotiation *negotiation,
            TwCheckOutcome   *out)
{
  GTlsCertificateFlags errors = tw_tls_negotiation_get_certificate_errors (negotiation);
  g_autofree char *problems = tw_tls_certificate_flags_to_string (errors);
  const char *protocol = tw_tls_negotiation_get_protocol (negotiation);

  out->detail = tw_tls_negotiation_describe (negotiation);

  if (problems == NULL)
    {
      out->summary = g_strdup_printf (_("%s with a certificate valid for %s"),
                                      protocol ? protocol : "TLS", ctx->dest_host);
      return TW_CHECK_STATUS_PASS;
    }

  out->summary = g_strdup_printf (_("%s, but the certificate is %s"),
                                  protocol ? protocol : "TLS", problems);
  {
    g_autoptr(GString) hint = g_string_new (_("The connection is encrypted, but a service that "
                                              "verifies certificates will refuse this one."));

    if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
      g_string_append_printf (hint, _(" The certificate does not name “%s”, the host name the "
                                      "service uses: add it to the certificate’s subjectAltName, "
                                      "or enter a name the certificate lists as the destination."),
                              ctx->dest_host);
    if (errors & G_TLS_CERTIFICATE_EXPIRED)
      g_string_append (hint, _(" The certificate has expired: renew it and reload the database."));
    if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
      g_string_append (hint, _(" It is self-signed or from a private CA: fine for a service set "
                               "not to verify, otherwise use a certificate from a CA the "
                               "service trusts (or give the service your CA)."));
    out->hint = g_string_free (g_steal_pointer (&hint), FALSE);
  }
  return TW_CHECK_STATUS_WARN;
}

static TwCheckStatus
report_refusal (TwProbeContext *ctx,
                GError         *error,
                TwCheckOutcome *out)
{
  out->summary = g_strdup (error->message);
  if (g_error_matches (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_PROTOCOL))
    out->hint = g_strdup_printf (_("Something answers at %s:%u, but not as a %s server. Check "
                                   "the destination port and kind."),
                                 ctx->dest_host, ctx->dest_port,
                                 tw_dest_kind_to_string (ctx->dest_kind));
  else if (g_error_matches (error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_TOO_MANY))
    out->hint = g_strdup (_("The database is at its connection limit (PostgreSQL max_connections "
                            "minus superuser_reserved_connections, MySQL max_connections). "
                            "Raise the limit or close idle connections."));
  return TW_CHECK_STATUS_FAIL;
}

TwCheckStatus
tw_check_tls_run (TwProbeContext *ctx,
                  TwCheckOutcome *out)
{
  g_autoptr(TwTlsNegotiation) negotiation = NULL;
  g_autoptr(TwTlsNegotiation) clear = NULL;
  Attempt attempt = { 0 };
  Attempt fallback = { 0 };
  g_autoptr(GError) tls_error = NULL;
  g_autoptr(GError) clear_error = NULL;

  if (ctx->dest_host == NULL || ctx->dest_port == 0)
    {
      out->summary = g_strdup (_("No destination given"));
      return TW_CHECK_STATUS_SKIP;
    }

  /* Plain TCP has no negotiation of its own to test. With Require TLS on,
   * though, the service would try TLS and get no answer: all green here
   * would be a promise the service's connection cannot keep. */
  if (ctx->dest_kind == TW_DEST_KIND_TCP)
    {
      if (!ctx->require_tls)
        {
          out->summary = g_strdup (_("Plain TCP: there is no TLS negotiation to check"));
          return TW_CHECK_STATUS_SKIP;
        }
      out->summary = g_strdup (_("Require TLS is on, but the destination is plain TCP"));
      out->hint = g_strdup (_("With Require TLS on in its form, the service expects TLS, which a plain "
                              "TCP destination does not offer: it will not connect. Turn Require TLS "
                              "off if the destination has no TLS; if it speaks TLS from the first "
                              "byte, choose “direct TLS”; if it is a database, choose its kind."));
      return TW_CHECK_STATUS_WARN;
    }

  negotiation = tw_tls_negotiation_new (ctx->dest_kind, ctx->dest_host, (guint16) ctx->dest_port);
  if (!attempt_through_tunnel (ctx, negotiation, FALSE, &attempt, out))
    return tw_probe_context_is_cancelled (ctx) ? TW_CHECK_STATUS_SKIP : TW_CHECK_STATUS_FAIL;
  tls_error = attempt.error;

  if (attempt.ok)
    return report_tls (ctx, negotiation, out);

  if (!g_error_matches (tls_error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_NOT_OFFERED) &&
      !g_error_matches (tls_error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_HANDSHAKE))
    return report_refusal (ctx, tls_error, out);

  if (ctx->require_tls)
    {
      out->summary = g_strdup (_("No TLS, and Require TLS is on: the service will not connect"));
      out->detail = g_strdup_printf (_("%s\nNothing was sent in clear text but the request for TLS."),
                                     tls_error->message);
      out->hint = g_strdup_printf (_("%s Or switch Require TLS off — then the last hop, from the "
                                     "bastion to the database, is not encrypted."),
                                   enable_tls_hint (ctx->dest_kind));
      return TW_CHECK_STATUS_FAIL;
    }

  /* Require TLS off: what the service does next, on a new connection. */
  clear = tw_tls_negotiation_new (ctx->dest_kind, ctx->dest_host, (guint16) ctx->dest_port);
  {
    TwCheckOutcome fallback_out = { 0 };

    if (!attempt_through_tunnel (ctx, clear, TRUE, &fallback, &fallback_out))
      {
        *out = fallback_out;
        return tw_probe_context_is_cancelled (ctx) ? TW_CHECK_STATUS_SKIP : TW_CHECK_STATUS_FAIL;
      }
  }
  clear_error = fallback.error;

  if (!fallback.ok)
    {
      TwCheckStatus status = report_refusal (ctx, clear_error, out);

      out->detail = g_strdup_printf (_("TLS: %s"), tls_error->message);
      return status;
    }

  out->summary = g_strdup (_("No TLS: the service would fall back to clear text"));
  out->detail = tw_tls_negotiation_get_server_answer (clear) != NULL
                ? g_strdup_printf ("%s\n%s", tls_error->message, tw_tls_negotiation_get_server_answer (clear))
                : g_strdup (tls_error->message);
  out->hint = g_strdup_printf (_("The tunnel works, but the database traffic leaves the bastion "
                                 "unencrypted. %s"), enable_tls_hint (ctx->dest_kind));
  return TW_CHECK_STATUS_WARN;
}
