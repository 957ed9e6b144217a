/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * forward: a direct-tcpip channel to the destination, named exactly as the
 * service will name it (PermitOpen compares the text, with no lookup).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-probe-private.h"

/* Somewhere the service never needs to go: the bastion's own port 1 */
#define ELSEWHERE_HOST "127.0.0.1"
#define ELSEWHERE_PORT 1

TwCheckStatus
tw_check_forward_run (TwProbeContext *ctx,
                      TwCheckOutcome *out)
{
  ssh_channel channel;

  if (ctx->dest_host == NULL || ctx->dest_port == 0)
    {
      out->summary = g_strdup (_("No destination given"));
      return TW_CHECK_STATUS_SKIP;
    }

  channel = tw_probe_context_open_forward (ctx, out);
  if (channel == NULL)
    return TW_CHECK_STATUS_FAIL;

  ssh_channel_close (channel);
  ssh_channel_free (channel);

  /* Least privilege holds only when sshd refuses any other forward for the tunnel user: a
   * port nothing listens on is enough to tell (sshd refuses, or tries and fails to connect). */
  if (ctx->least_privilege && g_strcmp0 (ctx->login_user, ctx->user) == 0 &&
      tw_probe_context_forwards_elsewhere (ctx, ELSEWHERE_HOST, ELSEWHERE_PORT))
    {
      out->summary = g_strdup_printf (_("The bastion connects to %s:%u, but forwards elsewhere too: "
                                        "least privilege is not in effect"), ctx->dest_host, ctx->dest_port);
      out->detail = g_strdup_printf (_("As the tunnel user “%s”, sshd also accepted a forward to %s:%u."),
                                     ctx->user, ELSEWHERE_HOST, ELSEWHERE_PORT);
      out->hint = g_strdup (_("The setup’s sshd block (Match User … PermitOpen) and the key line’s "
                              "permitopen= limit the tunnel user to this one destination. Set the "
                              "server up again to put them in place, then reload sshd."));
      out->server_fix = TRUE;
      return TW_CHECK_STATUS_WARN;
    }
  if (tw_probe_context_is_cancelled (ctx))
    {
      out->summary = g_strdup (_("Cancelled"));
      return TW_CHECK_STATUS_SKIP;
    }

  out->summary = g_strdup_printf (_("The bastion connects to %s:%u"), ctx->dest_host, ctx->dest_port);
  if (ctx->credentials != NULL && tw_credentials_get_stand_in (ctx->credentials))
    out->detail = g_strdup_printf (_("Tested as the tunnel user “%s” with a stand-in key that has the "
                                     "options of the service’s line: the service’s key may forward "
                                     "the same way."), ctx->user);
  else if (ctx->login_user != NULL && g_strcmp0 (ctx->login_user, ctx->user) != 0)
    /* A pass proves the admin may forward, not that the service may. */
    out->detail = g_strdup_printf (_("Tested as “%s”, not as the tunnel user “%s”: a Match User block, "
                                     "permitopen= on the service’s key or AllowTcpForwarding for that "
                                     "user can still differ."),
                                   ctx->login_user, ctx->user);
  return TW_CHECK_STATUS_PASS;
}
