/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * channels: the service multiplexes its connections over one tunnel, so N
 * forwarded channels are opened at once over one SSH session and each must
 * complete the destination's handshake while all the others stay open.
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
  gboolean          allow_clear_text;
  GCancellable     *cancellable;
  gboolean          ok;
  GError           *error;
  GIOStream        *held;      /* the connection, kept open until all are done */
} Lane;

typedef struct
{
  Lane  *lanes;
  guint  n_lanes;
} Work;

static gpointer
lane_run (gpointer data)
{
  Lane *lane = data;

  lane->ok = tw_tls_negotiation_run (lane->negotiation, lane->stream, lane->allow_clear_text,
                                     &lane->held, lane->cancellable, &lane->error);
  return NULL;
}

/* In the pump's work thread: every handshake at the same time, and no
 * connection let go before the last one is through. */
static gpointer
work_run (gpointer data)
{
  Work *work = data;
  g_autofree GThread **threads = g_new0 (GThread *, work->n_lanes);

  for (guint i = 0; i < work->n_lanes; i++)
    threads[i] = g_thread_new ("tw-channel-lane", lane_run, &work->lanes[i]);
  for (guint i = 0; i < work->n_lanes; i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < work->n_lanes; i++)
    g_clear_object (&work->lanes[i].held);

  return NULL;
}

static const char *
limit_hint (void)
{
  return _("sshd’s MaxSessions does not limit forwarded channels, so the limit is elsewhere: "
           "most often the destination’s connection limit (PostgreSQL max_connections minus "
           "superuser_reserved_connections, counting the connections already in use; MySQL "
           "max_connections), or resource limits on the bastion or the database (open files, "
           "processes). The service opens several connections through one tunnel: raise the "
           "limit so that they fit.");
}

static const char *
handshake_name (TwDestKind kind)
{
  switch (kind)
    {
    case TW_DEST_KIND_POSTGRES: return _("PostgreSQL");
    case TW_DEST_KIND_MYSQL: return _("MySQL/MariaDB");
    case TW_DEST_KIND_TLS: return _("TLS");
    case TW_DEST_KIND_TCP:
    default: return _("TCP");
    }
}

static void
close_channels (ssh_channel *channels,
                guint        n_channels)
{
  for (guint i = 0; i < n_channels; i++)
    if (channels[i] != NULL)
      {
        ssh_channel_close (channels[i]);
        ssh_channel_free (channels[i]);
      }
}

TwCheckStatus
tw_check_channels_run (TwProbeContext *ctx,
                       TwCheckOutcome *out)
{
  guint n = MAX (ctx->n_channels, 1);
  g_autofree ssh_channel *channels = g_new0 (ssh_channel, n);
  g_autofree TwChannelStream **streams = g_new0 (TwChannelStream *, n);
  g_autofree Lane *lanes = g_new0 (Lane, n);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  Work work = { lanes, n };
  TwCheckStatus status = TW_CHECK_STATUS_PASS;
  guint n_ok = 0, n_not_offered = 0;
  GError *first_error = NULL;
  gboolean too_many = FALSE;
  gboolean pumped;

  if (ctx->dest_host == NULL || ctx->dest_port == 0)
    {
      out->summary = g_strdup (_("No destination given"));
      return TW_CHECK_STATUS_SKIP;
    }

  for (guint i = 0; i < n; i++)
    {
      TwCheckOutcome open_out = { 0 };

      channels[i] = tw_probe_context_open_forward (ctx, &open_out);
      if (channels[i] == NULL)
        {
          close_channels (channels, i);
          if (tw_probe_context_is_cancelled (ctx))
            {
              *out = open_out;
              return TW_CHECK_STATUS_SKIP;
            }
          out->summary = g_strdup_printf (_("Only %u of %u channels opened at once: %s"),
                                          i, n, open_out.summary);
          out->detail = g_steal_pointer (&open_out.detail);
          /* The first channel failing is the forward's own problem. */
          out->hint = i == 0 ? g_steal_pointer (&open_out.hint) : g_strdup (limit_hint ());
          tw_check_outcome_clear (&open_out);
          return TW_CHECK_STATUS_FAIL;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      streams[i] = tw_channel_stream_new (channels[i], &error);
      if (streams[i] == NULL)
        break;
      lanes[i] = (Lane) {
        tw_tls_negotiation_new (ctx->dest_kind, ctx->dest_host, (guint16) ctx->dest_port),
        G_IO_STREAM (streams[i]),
        /* Require TLS on: never a byte of clear text, here neither. Plain
         * TCP sends nothing of its own, so its connections count anyway. */
        !ctx->require_tls || ctx->dest_kind == TW_DEST_KIND_TCP,
        ctx->cancellable,
        FALSE, NULL, NULL,
      };
    }

  pumped = error == NULL &&
           tw_channel_stream_pump (ctx->session, streams, n, work_run, &work,
                                   ctx->timeout_s * 1000, ctx->cancellable, &error);
  close_channels (channels, n);

  for (guint i = 0; i < n; i++)
    {
      Lane *lane = &lanes[i];

      if (lane->ok)
        {
          const char *answer = lane->negotiation ? tw_tls_negotiation_get_server_answer (lane->negotiation) : NULL;
          const char *protocol = lane->negotiation ? tw_tls_negotiation_get_protocol (lane->negotiation) : NULL;

          n_ok++;
          g_string_append_printf (detail, _("Connection %u: %s%s%s\n"), i + 1,
                                  protocol ? protocol : _("no TLS"),
                                  answer ? " — " : "", answer ? answer : "");
        }
      else if (lane->error != NULL)
        {
          g_string_append_printf (detail, _("Connection %u: %s\n"), i + 1, lane->error->message);
          if (g_error_matches (lane->error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_NOT_OFFERED))
            n_not_offered++;
          if (g_error_matches (lane->error, TW_TLS_NEGOTIATION_ERROR, TW_TLS_NEGOTIATION_ERROR_TOO_MANY))
            too_many = TRUE;
          if (first_error == NULL)
            first_error = lane->error;
        }
    }

  if (!pumped)
    {
      if (tw_probe_context_is_cancelled (ctx))
        {
          out->summary = g_strdup (_("Cancelled"));
          status = TW_CHECK_STATUS_SKIP;
        }
      else
        {
          out->summary = g_strdup_printf (_("%u of %u connections at once completed the %s "
                                            "handshake: %s"),
                                          n_ok, n, handshake_name (ctx->dest_kind), error->message);
          out->hint = g_strdup (limit_hint ());
          status = TW_CHECK_STATUS_FAIL;
        }
    }
  else if (n_ok == n)
    out->summary = g_strdup_printf (_("%u connections at once through one SSH session, each "
                                      "completed the %s handshake"),
                                    n, handshake_name (ctx->dest_kind));
  else if (n_not_offered == n)
    {
      out->summary = g_strdup (_("Not tried: TLS is required but the destination does not offer it"));
      status = TW_CHECK_STATUS_SKIP;
    }
  else
    {
      out->summary = g_strdup_printf (_("Only %u of %u connections at once completed the %s "
                                        "handshake: %s"),
                                      n_ok, n, handshake_name (ctx->dest_kind),
                                      first_error ? first_error->message : "?");
      out->hint = too_many
                  ? g_strdup_printf (_("The database refused a connection at its connection "
                                       "limit. %s"), limit_hint ())
                  : g_strdup (limit_hint ());
      status = TW_CHECK_STATUS_FAIL;
    }

  if (status != TW_CHECK_STATUS_SKIP && detail->len > 0)
    {
      g_string_truncate (detail, detail->len - 1);
      out->detail = g_string_free (g_steal_pointer (&detail), FALSE);
    }

  for (guint i = 0; i < n; i++)
    {
      g_clear_object (&lanes[i].negotiation);
      g_clear_error (&lanes[i].error);
      g_clear_object (&streams[i]);
    }

  return status;
}
