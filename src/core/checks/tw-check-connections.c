/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * connections: the service does not only multiplex channels over one
 * session; it opens several SSH connections to the bastion at once, each with
 * its own key exchange and login. sshd's MaxStartups drops unauthenticated
 * connections beyond its limit, OpenSSH 9.8's PerSourcePenalties turns away a
 * source that misbehaved, and a firewall may cap connections per source. So
 * N connections are opened together and all held before authentication until
 * every key exchange is through (the moment MaxStartups counts them), then
 * each logs in as the login user and opens a forward.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tw-probe-private.h"

typedef enum {
  LANE_CONNECT,   /* TCP, key exchange, host key */
  LANE_LOGIN,
  LANE_FORWARD,
  LANE_DONE,
} LaneStage;

typedef struct _Gate Gate;

typedef struct
{
  TwProbeContext *ctx;
  Gate           *gate;
  LaneStage       reached;     /* the stage it failed at, or LANE_DONE */
  TwCheckOutcome  out;
} Lane;

/* Every lane waits here after its key exchange until all have got that far. */
struct _Gate
{
  GMutex mutex;
  GCond  cond;
  guint  waiting;
  guint  n_lanes;
};

static void
gate_pass (Gate           *gate,
           TwProbeContext *ctx)
{
  g_mutex_lock (&gate->mutex);
  gate->waiting++;
  g_cond_broadcast (&gate->cond);
  while (gate->waiting < gate->n_lanes && !tw_probe_context_is_cancelled (ctx))
    {
      gint64 until = g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND;

      g_cond_wait_until (&gate->cond, &gate->mutex, until);
    }
  g_mutex_unlock (&gate->mutex);
}

static gpointer
lane_run (gpointer data)
{
  Lane *lane = data;
  TwProbeContext *ctx = lane->ctx;
  ssh_session session;
  ssh_channel channel;
  const char *how = NULL;
  g_autofree char *how_owned = NULL;
  g_autoptr(GString) notes = g_string_new (NULL);
  int methods = 0;
  int rc;

  lane->reached = LANE_CONNECT;
  session = tw_probe_context_open_session (ctx, NULL, &lane->out);
  gate_pass (lane->gate, ctx);
  if (session == NULL)
    return NULL;

  lane->reached = LANE_LOGIN;
  ssh_options_set (session, SSH_OPTIONS_USER, tw_probe_login_user (ctx));
  rc = ssh_userauth_none (session, NULL);
  if (rc != SSH_AUTH_SUCCESS)
    rc = tw_probe_login_authenticate (ctx, session, &how, &how_owned, notes, &methods, &lane->out);
  if (rc != SSH_AUTH_SUCCESS)
    {
      if (lane->out.summary == NULL)
        {
          g_autofree char *why = tw_probe_context_describe_ssh_error (ctx, session);

          lane->out.summary = rc == SSH_AUTH_DENIED ? g_strdup (_("the login was refused"))
                                                    : g_strdup_printf (_("the login failed: %s"), why);
        }
      tw_probe_context_close_session (ctx, session);
      return NULL;
    }

  if (ctx->dest_host != NULL && ctx->dest_port != 0)
    {
      lane->reached = LANE_FORWARD;
      channel = tw_probe_context_open_forward_on (ctx, session, &lane->out);
      if (channel == NULL)
        {
          tw_probe_context_close_session (ctx, session);
          return NULL;
        }
      ssh_channel_close (channel);
      ssh_channel_free (channel);
    }

  lane->reached = LANE_DONE;
  tw_probe_context_close_session (ctx, session);
  return NULL;
}

/* OpenSSH 9.8 and later have PerSourcePenalties, on by default. */
static gboolean
server_has_penalties (TwProbeContext *ctx)
{
  int major = 0, minor = 0;

  if (ctx->software == NULL || sscanf (ctx->software, "OpenSSH_%d.%d", &major, &minor) != 2)
    return FALSE;
  return major > 9 || (major == 9 && minor >= 8);
}

static void
explain (TwProbeContext *ctx,
         LaneStage       stage,
         TwCheckOutcome *out)
{
  switch (stage)
    {
    case LANE_CONNECT:
      if (server_has_penalties (ctx))
        out->hint = g_strdup_printf (
          _("sshd closes connections that wait for a login beyond “MaxStartups” (default 10:30:100: "
            "from 10 unauthenticated connections on, some are dropped). The service opens %u at once: "
            "set “MaxStartups” above that (e.g. “MaxStartups 30:30:100”). This sshd also has "
            "“PerSourcePenalties” (OpenSSH 9.8 and later), which refuses an address for a while "
            "after failed or dropped connections: exempt the service’s addresses with "
            "“PerSourcePenaltyExemptList”. A firewall that limits connections per source does the "
            "same: check its limits too."), ctx->n_channels);
      else
        out->hint = g_strdup_printf (
          _("sshd closes connections that wait for a login beyond “MaxStartups” (default 10:30:100: "
            "from 10 unauthenticated connections on, some are dropped). The service opens %u at once: "
            "set “MaxStartups” above that (e.g. “MaxStartups 30:30:100”) and reload sshd. A "
            "firewall that limits connections per source does the same: check its limits too."),
          ctx->n_channels);
      break;
    case LANE_LOGIN:
      out->hint = g_strdup (_("The first login worked and a later one at the same time did not: a "
                              "limit on logins per user (PAM’s limits.conf “maxlogins”, "
                              "“MaxAuthTries”) or “PerSourcePenalties” on OpenSSH 9.8 and later."));
      break;
    case LANE_FORWARD:
    case LANE_DONE:
    default:
      out->hint = g_strdup (_("Several connections could log in but not all could forward: the "
                              "destination or the bastion limits concurrent connections."));
      break;
    }
}

TwCheckStatus
tw_check_connections_run (TwProbeContext *ctx,
                          TwCheckOutcome *out)
{
  guint n = MAX (ctx->n_channels, 1);
  g_autofree Lane *lanes = g_new0 (Lane, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  Gate gate = { .n_lanes = n };
  g_autoptr(GString) detail = g_string_new (NULL);
  LaneStage worst = LANE_DONE;
  guint done = 0;

  if (ctx->credentials == NULL)
    {
      out->summary = g_strdup (_("No login credentials given"));
      return TW_CHECK_STATUS_SKIP;
    }
  if (tw_probe_route_differs (ctx, tw_credentials_get_ssh_config (ctx->credentials)))
    {
      out->summary = g_strdup (_("Not checked: your login goes another way than the service’s"));
      out->detail = g_strdup (_("Your SSH settings lead to the bastion through another host name, "
                                "port or jump host; the service connects directly."));
      return TW_CHECK_STATUS_SKIP;
    }

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  for (guint i = 0; i < n; i++)
    {
      lanes[i].ctx = ctx;
      lanes[i].gate = &gate;
      threads[i] = g_thread_new ("tw-connection", lane_run, &lanes[i]);
    }
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);

  for (guint i = 0; i < n; i++)
    {
      if (lanes[i].reached == LANE_DONE)
        done++;
      else
        {
          worst = MIN (worst, lanes[i].reached);
          g_string_append_printf (detail, _("Connection %u: %s\n"), i + 1,
                                  lanes[i].out.summary ? lanes[i].out.summary : "");
        }
      tw_check_outcome_clear (&lanes[i].out);
    }

  if (tw_probe_context_is_cancelled (ctx))
    {
      out->summary = g_strdup (_("Cancelled"));
      return TW_CHECK_STATUS_SKIP;
    }
  if (done == n)
    {
      out->summary = g_strdup_printf (ngettext ("%u SSH connection at once, each logged in as “%s”",
                                                "%u SSH connections at once, each logged in as “%s”", n),
                                      n, tw_probe_login_user (ctx));
      return TW_CHECK_STATUS_PASS;
    }

  out->summary = g_strdup_printf (_("Only %u of %u SSH connections at once got through"), done, n);
  g_string_truncate (detail, detail->len - 1);
  out->detail = g_string_free (g_steal_pointer (&detail), FALSE);
  explain (ctx, worst, out);
  return TW_CHECK_STATUS_FAIL;
}
