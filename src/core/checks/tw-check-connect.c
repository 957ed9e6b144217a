/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * connect: a TCP connection to the SSH port on every address of the name,
 * all at once (a black-holed IPv6 address must not add its timeout to the
 * IPv4 one). The first address that answers, in the resolver's order, is
 * the one the later checks use.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-probe-private.h"

typedef struct
{
  GInetSocketAddress *address;
  GSocketConnection  *connection;
  GError             *error;
  gint64              elapsed_us;
  gint64              start_us;
  gboolean            done;
} Attempt;

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Attempt *attempt = user_data;

  attempt->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result,
                                                        &attempt->error);
  attempt->elapsed_us = g_get_monotonic_time () - attempt->start_us;
  attempt->done = TRUE;
}

static gboolean
is_local_network_problem (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE);
}

static void
explain_failure (TwProbeContext *ctx,
                 const GError   *error,
                 const char     *where,
                 TwCheckOutcome *out)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      out->summary = g_strdup_printf (_("Connection refused by %s"), where);
      out->hint = g_strdup_printf (_("The host answered but nothing listens on port %u: sshd is "
                                     "not running, or listens on another port or address "
                                     "(“Port” and “ListenAddress” in sshd_config; “ss -tlnp” on the "
                                     "server shows it). A firewall that rejects rather than drops "
                                     "looks the same."), ctx->port);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      out->summary = g_strdup_printf (_("No answer from %s within %u s"), where, ctx->timeout_s);
      out->hint = g_strdup_printf (_("Packets to port %u are dropped on the way: a firewall or a "
                                     "cloud security group does not let this machine in (the "
                                     "service needs its own IP addresses allowed as well), or the "
                                     "address is wrong."), ctx->port);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    {
      out->summary = g_strdup_printf (_("%s is unreachable"), where);
      out->hint = g_strdup (_("There is no route to this address from here: a private address "
                              "seen from outside its network, a VPN that is not connected, or "
                              "a router that rejects the traffic."));
    }
  else
    {
      out->summary = g_strdup_printf (_("Could not connect to %s: %s"), where, error->message);
    }
}

TwCheckStatus
tw_check_connect_run (TwProbeContext *ctx,
                      TwCheckOutcome *out)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GArray) attempts = g_array_new (FALSE, TRUE, sizeof (Attempt));
  Attempt *first_ok = NULL, *first_bad = NULL;
  guint n_ok = 0, n_bad_remote = 0, pending;

  g_socket_client_set_timeout (client, ctx->timeout_s);
  /* Straight to the bastion: no proxy lookup (libproxy may even fetch a PAC file). */
  g_socket_client_set_enable_proxy (client, FALSE);

  for (GList *l = ctx->addresses; l != NULL; l = l->next)
    {
      Attempt attempt = { 0 };

      attempt.address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (l->data, ctx->port));
      g_array_append_val (attempts, attempt);
    }

  g_main_context_push_thread_default (context);
  for (guint i = 0; i < attempts->len; i++)
    {
      Attempt *attempt = &g_array_index (attempts, Attempt, i);

      attempt->start_us = g_get_monotonic_time ();
      g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (attempt->address),
                                     ctx->cancellable, on_connected, attempt);
    }
  do
    {
      g_main_context_iteration (context, TRUE);
      pending = 0;
      for (guint i = 0; i < attempts->len; i++)
        pending += !g_array_index (attempts, Attempt, i).done;
    }
  while (pending > 0);
  g_main_context_pop_thread_default (context);

  for (guint i = 0; i < attempts->len; i++)
    {
      Attempt *attempt = &g_array_index (attempts, Attempt, i);
      g_autofree char *where = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (attempt->address));

      if (attempt->connection != NULL)
        {
          g_string_append_printf (detail, _("%s: connected in %.1f ms\n"), where,
                                  attempt->elapsed_us / 1000.0);
          n_ok++;
          if (first_ok == NULL)
            first_ok = attempt;
        }
      else
        {
          TwCheckOutcome why = { 0 };

          explain_failure (ctx, attempt->error, where, &why);
          g_string_append_printf (detail, "%s\n", why.summary);
          tw_check_outcome_clear (&why);
          if (!is_local_network_problem (attempt->error))
            n_bad_remote++;
          if (first_bad == NULL)
            first_bad = attempt;
        }
    }
  if (detail->len > 0)
    g_string_truncate (detail, detail->len - 1);

  if (first_ok != NULL)
    {
      g_autofree char *where = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (first_ok->address));

      ctx->address = g_object_ref (first_ok->address);
      ctx->connection = g_object_ref (first_ok->connection);
      /* From here libssh keeps time, with its own timeout. */
      g_socket_set_timeout (g_socket_connection_get_socket (ctx->connection), 0);
      out->detail = g_string_free (g_steal_pointer (&detail), FALSE);

      if (n_bad_remote > 0)
        {
          TwCheckOutcome why = { 0 };

          explain_failure (ctx, first_bad->error, "", &why);
          out->summary = g_strdup_printf (_("Connected to %s, but %u of %u addresses did not answer"),
                                          where, attempts->len - n_ok, attempts->len);
          out->hint = g_strdup_printf (_("The service may pick any address of the name. %s"),
                                       why.hint ? why.hint : "");
          tw_check_outcome_clear (&why);
        }
      else
        out->summary = g_strdup_printf (_("Connected to %s in %.1f ms"), where,
                                        first_ok->elapsed_us / 1000.0);
    }
  else
    {
      g_autofree char *where = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (first_bad->address));

      explain_failure (ctx, first_bad->error, where, out);
      if (attempts->len > 1)
        out->detail = g_string_free (g_steal_pointer (&detail), FALSE);
    }

  for (guint i = 0; i < attempts->len; i++)
    {
      Attempt *attempt = &g_array_index (attempts, Attempt, i);

      g_clear_object (&attempt->address);
      g_clear_object (&attempt->connection);
      g_clear_error (&attempt->error);
    }

  if (first_ok == NULL)
    return TW_CHECK_STATUS_FAIL;
  return n_bad_remote > 0 ? TW_CHECK_STATUS_WARN : TW_CHECK_STATUS_PASS;
}
