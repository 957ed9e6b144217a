/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every host key the server has, the way ssh-keyscan collects them: one key
 * exchange per key type, each offering the server only that type, all at
 * once on connections of their own (each cancellable like the main one),
 * and what known_hosts says about the set.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/socket.h>

#include "tw-host-keys.h"
#include "tw-known-hosts.h"
#include "tw-probe-private.h"

/* The families ssh-keyscan -t ed25519,ecdsa,rsa asks for, one exchange
 * each: a server has at most one key of each in practice. */
static const struct
{
  const char *type_prefix;   /* of the key type it yields */
  const char *algorithms;    /* SSH_OPTIONS_HOSTKEYS */
} families[] = {
  { "ssh-ed25519", "ssh-ed25519" },
  { "ecdsa-sha2-", "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521" },
  { "ssh-rsa", "rsa-sha2-512,rsa-sha2-256,ssh-rsa" },
};

TwPublicKey *
tw_probe_public_key_from_ssh (ssh_key key)
{
  g_autofree char *line = NULL;
  char *b64 = NULL;

  if (key == NULL || ssh_pki_export_pubkey_base64 (key, &b64) != SSH_OK)
    return NULL;
  line = g_strdup_printf ("%s %s", ssh_key_type_to_char (ssh_key_type (key)), b64);
  ssh_string_free_char (b64);
  return tw_public_key_parse (line, NULL);
}

struct _TwHostKeyScan
{
  TwProbeContext *ctx;
  guint           family;
  GThread        *thread;
  GCancellable   *cancellable;  /* its own, for the TCP connect: stop() or the run's */
  GMutex          lock;
  int             fd;           /* the session's socket once there, -1 before */
  gboolean        stopped;
  TwPublicKey    *key;          /* what the server showed for this family */
  char           *problem;      /* why nothing, when it is not "no such key" */
};

static void
cancel_scan (GCancellable *run_cancellable,
             gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gpointer
scan_thread (gpointer data)
{
  TwHostKeyScan *scan = data;
  TwProbeContext *ctx = scan->ctx;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  ssh_session session;
  ssh_key key = NULL;
  gulong cancel_id;

  g_socket_client_set_timeout (client, ctx->timeout_s);
  g_socket_client_set_enable_proxy (client, FALSE);
  cancel_id = g_cancellable_connect (ctx->cancellable, G_CALLBACK (cancel_scan),
                                     scan->cancellable, NULL);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (ctx->address),
                                        scan->cancellable, &error);
  g_cancellable_disconnect (ctx->cancellable, cancel_id);
  if (connection == NULL)
    {
      scan->problem = g_strdup (error->message);
      return NULL;
    }
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 0);

  /* The run's cancel reaches this fd as any other session's; stop() too. */
  session = tw_probe_context_new_session (ctx, g_socket_connection_get_socket (connection));
  g_mutex_lock (&scan->lock);
  scan->fd = tw_probe_context_get_session_fd (ctx, session);
  if (scan->stopped)
    shutdown (scan->fd, SHUT_RDWR);
  g_mutex_unlock (&scan->lock);

  ssh_options_set (session, SSH_OPTIONS_HOSTKEYS, families[scan->family].algorithms);
  if (ssh_connect (session) == SSH_OK)
    {
      ssh_get_server_publickey (session, &key);
      scan->key = tw_probe_public_key_from_ssh (key);
      ssh_key_free (key);
    }
  else
    {
      const char *text = ssh_get_error (session);

      /* "no match for method server host key algo": the server has no key
       * of this family, which is what the scan is there to find out. */
      if (text == NULL || strstr (text, "no match") == NULL)
        scan->problem = tw_probe_context_describe_ssh_error (ctx, session);
    }

  g_mutex_lock (&scan->lock);
  scan->fd = -1;
  g_mutex_unlock (&scan->lock);
  tw_probe_context_close_session (ctx, session);
  return NULL;
}

static TwHostKeyScan *
scan_start (TwProbeContext *ctx,
            guint           family)
{
  TwHostKeyScan *scan = g_new0 (TwHostKeyScan, 1);

  scan->ctx = ctx;
  scan->family = family;
  scan->fd = -1;
  scan->cancellable = g_cancellable_new ();
  g_mutex_init (&scan->lock);
  scan->thread = g_thread_new ("tw-host-key-scan", scan_thread, scan);
  return scan;
}

static void
scan_stop (TwHostKeyScan *scan)
{
  g_mutex_lock (&scan->lock);
  scan->stopped = TRUE;
  g_cancellable_cancel (scan->cancellable);
  if (scan->fd >= 0)
    shutdown (scan->fd, SHUT_RDWR);
  g_mutex_unlock (&scan->lock);
}

/* Waits for the scan: stop() first to make that quick. */
static void
scan_free (TwHostKeyScan *scan)
{
  if (scan->thread != NULL)
    g_thread_join (scan->thread);
  g_clear_object (&scan->key);
  g_free (scan->problem);
  g_object_unref (scan->cancellable);
  g_mutex_clear (&scan->lock);
  g_free (scan);
}

/* The main exchange most likely yields the first family (libssh, like
 * ssh, prefers Ed25519), so the others start now, while it runs. */
void
tw_probe_context_start_host_key_scan (TwProbeContext *ctx)
{
  g_return_if_fail (ctx->host_key_scans == NULL);

  ctx->host_key_scans = g_ptr_array_new ();
  for (guint i = 1; i < G_N_ELEMENTS (families); i++)
    g_ptr_array_add (ctx->host_key_scans, scan_start (ctx, i));
}

void
tw_probe_context_stop_host_key_scan (TwProbeContext *ctx)
{
  if (ctx->host_key_scans == NULL)
    return;
  for (guint i = 0; i < ctx->host_key_scans->len; i++)
    scan_stop (g_ptr_array_index (ctx->host_key_scans, i));
  for (guint i = 0; i < ctx->host_key_scans->len; i++)
    scan_free (g_ptr_array_index (ctx->host_key_scans, i));
  g_clear_pointer (&ctx->host_key_scans, g_ptr_array_unref);
}

static gboolean
has_blob (GPtrArray   *keys,
          TwPublicKey *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (g_bytes_equal (tw_public_key_get_blob (g_ptr_array_index (keys, i)), tw_public_key_get_blob (key)))
      return TRUE;
  return FALSE;
}

GPtrArray *
tw_probe_context_collect_host_keys (TwProbeContext *ctx,
                                    TwPublicKey    *first,
                                    GString        *notes)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean asked[G_N_ELEMENTS (families)] = { FALSE };

  g_ptr_array_add (keys, g_object_ref (first));
  if (ctx->host_key_scans == NULL)
    ctx->host_key_scans = g_ptr_array_new ();

  /* Families neither the main exchange nor a scan under way covers (the
   * main one gave another type: known_hosts made libssh prefer it). */
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    if (g_str_has_prefix (tw_public_key_get_key_type (first), families[i].type_prefix))
      asked[i] = TRUE;
  for (guint i = 0; i < ctx->host_key_scans->len; i++)
    asked[((TwHostKeyScan *) g_ptr_array_index (ctx->host_key_scans, i))->family] = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    if (!asked[i])
      g_ptr_array_add (ctx->host_key_scans, scan_start (ctx, i));

  for (guint i = 0; i < ctx->host_key_scans->len; i++)
    {
      TwHostKeyScan *scan = g_ptr_array_index (ctx->host_key_scans, i);

      g_thread_join (g_steal_pointer (&scan->thread));
      if (scan->key != NULL && !has_blob (keys, scan->key))
        g_ptr_array_add (keys, g_object_ref (scan->key));
      if (scan->problem != NULL && notes != NULL && !tw_probe_context_is_cancelled (ctx))
        /* e.g. "Could not ask for a key of type rsa-sha2-512,…: The server closed the connection" */
        g_string_append_printf (notes, _("Could not ask for a key of type %s: %s\n"),
                                families[scan->family].algorithms, scan->problem);
    }
  tw_probe_context_stop_host_key_scan (ctx);

  tw_host_keys_sort (keys);
  return keys;
}

/* ---- known_hosts -------------------------------------------------------- */

/* Where a known_hosts line is, for the report: "~/.ssh/known_hosts line 3" */
static char *
describe_place (TwKnownHostsEntry *entry)
{
  const char *home = g_get_home_dir ();
  g_autofree char *file = g_str_has_prefix (entry->file, home) && entry->file[strlen (home)] == '/'
                          ? g_strconcat ("~", entry->file + strlen (home), NULL) : g_strdup (entry->file);

  return g_strdup_printf (_("%s line %u"), file, entry->line);
}

static int
index_of_key (GPtrArray   *keys,
              TwPublicKey *key)
{
  for (guint k = 0; k < keys->len; k++)
    if (g_bytes_equal (tw_public_key_get_blob (g_ptr_array_index (keys, k)), tw_public_key_get_blob (key)))
      return (int) k;
  return -1;
}

/* @note: (out): which line revoked a key, or a CA trusted for the host; NULL when neither */
static TwKnownHostsStatus
status_for_name (TwProbeContext *ctx,
                 const char     *name,
                 GPtrArray      *keys,
                 int            *matched,
                 gboolean       *other_type,
                 char          **note)
{
  g_auto(GStrv) default_files = NULL;
  const char *one_file[] = { ctx->known_hosts_file, NULL };
  g_autoptr(GPtrArray) entries = NULL;
  gboolean conflict = FALSE;
  int revoked = -1;

  *matched = -1;
  *other_type = FALSE;
  *note = NULL;
  if (ctx->known_hosts_file == NULL)
    default_files = tw_known_hosts_default_files ();
  entries = tw_known_hosts_lookup (ctx->known_hosts_file ? one_file : (const char * const *) default_files,
                                   name);

  for (guint i = 0; i < entries->len; i++)
    {
      TwKnownHostsEntry *entry = g_ptr_array_index (entries, i);
      int k = index_of_key (keys, entry->key);
      gboolean same_type = FALSE;

      if (entry->kind == TW_KNOWN_HOSTS_LINE_REVOKED)
        {
          if (k >= 0 && revoked < 0)
            {
              g_autofree char *place = describe_place (entry);

              revoked = k;
              g_free (*note);
              *note = g_strdup_printf (_("@revoked in %s"), place);
            }
          continue;
        }
      if (entry->kind == TW_KNOWN_HOSTS_LINE_CERT_AUTHORITY)
        {
          g_autofree char *place = describe_place (entry);

          if (*note == NULL)
            *note = g_strdup_printf (_("a certificate authority is trusted for this host "
                                                       "(@cert-authority in %s); this check compares the "
                                                       "server’s plain keys only"), place);
          continue;
        }

      for (guint j = 0; j < keys->len; j++)
        if (g_str_equal (tw_public_key_get_key_type (g_ptr_array_index (keys, j)),
                         tw_public_key_get_key_type (entry->key)))
          same_type = TRUE;
      if (k >= 0 && *matched < 0)
        *matched = k;
      if (same_type && k < 0)
        conflict = TRUE;
      else if (!same_type)
        *other_type = TRUE;
    }

  /* ssh refuses a revoked key whatever else is recorded for it. */
  if (revoked >= 0)
    {
      *matched = revoked;
      return TW_KNOWN_HOSTS_REVOKED;
    }
  /* A recorded key of a type the server now shows with another key is what
   * ssh warns about ("REMOTE HOST IDENTIFICATION HAS CHANGED"), even when
   * another recorded key still matches. */
  if (conflict)
    return TW_KNOWN_HOSTS_CHANGED;
  if (*matched >= 0)
    return TW_KNOWN_HOSTS_KNOWN;
  return TW_KNOWN_HOSTS_UNKNOWN;
}

TwKnownHostsStatus
tw_probe_context_known_hosts_status (TwProbeContext *ctx,
                                     GPtrArray      *keys,
                                     int            *matched,
                                     gboolean       *other_type)
{
  g_autofree char *name = tw_known_hosts_name (ctx->host, ctx->port);
  g_autofree char *bare = NULL;
  g_autofree char *note = NULL;
  g_autofree char *bare_note = NULL;
  TwKnownHostsStatus status, without_port;
  int bare_matched;
  gboolean bare_other;

  g_clear_pointer (&ctx->known_hosts_note, g_free);
  status = status_for_name (ctx, name, keys, matched, other_type, &note);
  if (status == TW_KNOWN_HOSTS_UNKNOWN && ctx->port != 22)
    {
      /* As ssh does: a host new under [host]:port is known when its key is
       * recorded for the host alone ("found matching key w/out port"). */
      bare = tw_known_hosts_name (ctx->host, 22);
      without_port = status_for_name (ctx, bare, keys, &bare_matched, &bare_other, &bare_note);
      if (without_port == TW_KNOWN_HOSTS_KNOWN || without_port == TW_KNOWN_HOSTS_REVOKED)
        {
          *matched = bare_matched;
          ctx->known_hosts_note = g_steal_pointer (&bare_note);
          return without_port;
        }
    }
  /* Nothing usable without the port: what [host]:port said stands. */
  ctx->known_hosts_note = g_steal_pointer (&note);
  return status;
}
