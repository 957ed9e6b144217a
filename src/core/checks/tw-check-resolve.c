/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * resolve: the SSH host name to its addresses, IPv6 and IPv4 alike.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-probe-private.h"

typedef struct
{
  GList    *addresses;
  GError   *error;
  gboolean  done;
} Lookup;

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &lookup->error);
  lookup->done = TRUE;
}

static void
on_run_cancelled (GCancellable *cancellable,
                  GCancellable *lookup_cancellable)
{
  g_cancellable_cancel (lookup_cancellable);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

TwCheckStatus
tw_check_resolve_run (TwProbeContext *ctx,
                      TwCheckOutcome *out)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GCancellable) lookup_cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  Lookup lookup = { NULL, NULL, FALSE };
  gboolean timed_out = FALSE;
  guint n_v4 = 0, n_v6 = 0;
  gulong cancel_id;

  /* GLib 2.74's synchronous lookup blocks in getaddrinfo() and ignores the
   * cancellable until it returns; the asynchronous one returns on cancel at
   * once, so run it on a context of our own and wait here. */
  g_main_context_push_thread_default (context);
  cancel_id = g_cancellable_connect (ctx->cancellable, G_CALLBACK (on_run_cancelled),
                                     lookup_cancellable, NULL);
  timeout = g_timeout_source_new_seconds (ctx->timeout_s);
  g_source_set_callback (timeout, on_timeout, lookup_cancellable, NULL);
  g_source_attach (timeout, context);

  g_resolver_lookup_by_name_async (resolver, ctx->host, lookup_cancellable, on_lookup_done, &lookup);
  while (!lookup.done)
    g_main_context_iteration (context, TRUE);

  timed_out = g_cancellable_is_cancelled (lookup_cancellable) &&
              !g_cancellable_is_cancelled (ctx->cancellable);
  g_source_destroy (timeout);
  g_cancellable_disconnect (ctx->cancellable, cancel_id);
  g_main_context_pop_thread_default (context);

  if (lookup.error != NULL)
    {
      if (timed_out)
        out->summary = g_strdup_printf (_("No answer from DNS for “%s” within %u s"),
                                        ctx->host, ctx->timeout_s);
      else
        out->summary = g_strdup_printf (_("“%s” does not resolve"), ctx->host);
      out->detail = g_strdup (lookup.error->message);
      out->hint = g_strdup (_("Check the spelling of the SSH host. A name that only resolves "
                              "inside a private network will not resolve for the service either: "
                              "give it the public name or address of the bastion."));
      g_error_free (lookup.error);
      return TW_CHECK_STATUS_FAIL;
    }

  for (GList *l = lookup.addresses; l != NULL; l = l->next)
    {
      g_autofree char *text = g_inet_address_to_string (l->data);

      if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV6)
        n_v6++;
      else
        n_v4++;
      g_string_append_printf (detail, "%s%s", detail->len ? "\n" : "", text);
    }

  ctx->addresses = lookup.addresses;
  out->detail = g_string_free (g_steal_pointer (&detail), FALSE);
  if (g_hostname_is_ip_address (ctx->host))
    out->summary = g_strdup_printf (_("%s is an address"), ctx->host);
  else
    out->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%s resolves to %u address (IPv4: %u, IPv6: %u)",
                                                 "%s resolves to %u addresses (IPv4: %u, IPv6: %u)",
                                                 n_v4 + n_v6),
                                    ctx->host, n_v4 + n_v6, n_v4, n_v6);
  return TW_CHECK_STATUS_PASS;
}
