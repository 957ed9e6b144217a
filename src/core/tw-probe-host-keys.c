/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every host key the server has, the way ssh-keyscan collects them: one key
 * exchange per key type, each offering the server only that type, all at
 * once on connections of their own (each cancellable like the main one),
 * and what known_hosts says about the set. One more exchange asks for a
 * host certificate, which libssh cannot (tw-host-certificate-exchange.c).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/socket.h>

#include "tw-host-certificate-exchange.h"
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

/* The scan that asks for a host certificate instead of a family */
#define CERTIFICATE_SCAN G_N_ELEMENTS (families)

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
  TwHostCertificate *certificate; /* what the certificate scan found */
  char           *problem;      /* why nothing, when it is not "no such key" */
};

static void
cancel_scan (GCancellable *run_cancellable,
             gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
fetch_certificate (TwHostKeyScan     *scan,
                   GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GError) error = NULL;
  gulong cancel_id;

  g_socket_set_timeout (socket, scan->ctx->timeout_s);
  cancel_id = g_cancellable_connect (scan->ctx->cancellable, G_CALLBACK (cancel_scan),
                                     scan->cancellable, NULL);
  scan->certificate = tw_host_certificate_exchange (G_IO_STREAM (connection), scan->cancellable, &error);
  g_cancellable_disconnect (scan->ctx->cancellable, cancel_id);
  if (error != NULL)
    scan->problem = g_strdup (error->message);
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
  if (scan->family == CERTIFICATE_SCAN)
    {
      fetch_certificate (scan, connection);
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
  g_clear_object (&scan->certificate);
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
  for (guint i = 1; i <= CERTIFICATE_SCAN; i++)
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
  gboolean asked[CERTIFICATE_SCAN + 1] = { FALSE };

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
  for (guint i = 0; i <= CERTIFICATE_SCAN; i++)
    if (!asked[i])
      g_ptr_array_add (ctx->host_key_scans, scan_start (ctx, i));

  for (guint i = 0; i < ctx->host_key_scans->len; i++)
    {
      TwHostKeyScan *scan = g_ptr_array_index (ctx->host_key_scans, i);

      g_thread_join (g_steal_pointer (&scan->thread));
      if (scan->key != NULL && !has_blob (keys, scan->key))
        g_ptr_array_add (keys, g_object_ref (scan->key));
      if (scan->certificate != NULL)
        g_set_object (&ctx->host_certificate, scan->certificate);
      if (scan->problem == NULL || notes == NULL || tw_probe_context_is_cancelled (ctx))
        continue;
      if (scan->family == CERTIFICATE_SCAN)
        g_string_append_printf (notes, _("Could not ask for a host certificate: %s\n"), scan->problem);
      else
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

/* What known_hosts says of the host certificate: nothing (no CA line for
 * it), trusted, or refused because the CA is revoked. As ssh, a
 * certificate from a trusted CA that fails its checks counts for nothing,
 * and the plain keys decide. */
typedef enum {
  CERTIFICATE_NOT_VOUCHED,
  CERTIFICATE_TRUSTED,
  CERTIFICATE_REVOKED,
} CertificateVerdict;

typedef struct
{
  TwKnownHostsStatus  status;
  int                 matched;      /* index into the keys, or -1 */
  gboolean            other_type;   /* a key of another type is recorded */
  char               *note;         /* which line revoked a key, or a CA */
  CertificateVerdict  certificate;
  char               *certificate_note;
} NameStatus;

static void
name_status_clear (NameStatus *status)
{
  g_clear_pointer (&status->note, g_free);
  g_clear_pointer (&status->certificate_note, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NameStatus, name_status_clear)

static void
judge_certificate (TwProbeContext    *ctx,
                   TwKnownHostsEntry *entry,
                   NameStatus        *out)
{
  TwHostCertificate *certificate = ctx->host_certificate;
  g_autofree char *place = describe_place (entry);
  g_autofree char *reason = NULL;
  const char *ca = tw_public_key_get_fingerprint (tw_host_certificate_get_ca_key (certificate));

  if (out->certificate != CERTIFICATE_NOT_VOUCHED)
    return;
  g_clear_pointer (&out->certificate_note, g_free);
  if (tw_host_certificate_check (certificate, ctx->host, g_get_real_time () / G_USEC_PER_SEC, &reason))
    {
      out->certificate = CERTIFICATE_TRUSTED;
      /* e.g. "vouched for by the certificate authority SHA256:… (@cert-authority in ~/.ssh/known_hosts line 2)" */
      out->certificate_note = g_strdup_printf (_("vouched for by the certificate authority %s "
                                                 "(@cert-authority in %s)"), ca, place);
    }
  else
    out->certificate_note = g_strdup_printf (_("the certificate authority %s is trusted "
                                               "(@cert-authority in %s), but its certificate "
                                               "for this server is not accepted: %s"), ca, place, reason);
}

static void
status_for_name (TwProbeContext *ctx,
                 const char     *name,
                 GPtrArray      *keys,
                 NameStatus     *out)
{
  g_auto(GStrv) default_files = NULL;
  const char *one_file[] = { ctx->known_hosts_file, NULL };
  g_autoptr(GPtrArray) entries = NULL;
  TwHostCertificate *certificate = ctx->host_certificate;
  GBytes *ca_blob = certificate ? tw_public_key_get_blob (tw_host_certificate_get_ca_key (certificate)) : NULL;
  int certified = certificate ? index_of_key (keys, tw_host_certificate_get_key (certificate)) : -1;
  gboolean conflict = FALSE;
  int revoked = -1;

  *out = (NameStatus) { .matched = -1 };
  if (ctx->known_hosts_file == NULL)
    default_files = tw_known_hosts_default_files ();
  entries = tw_known_hosts_lookup (ctx->known_hosts_file ? one_file : (const char * const *) default_files,
                                   name);

  for (guint i = 0; i < entries->len; i++)
    {
      TwKnownHostsEntry *entry = g_ptr_array_index (entries, i);
      int k = index_of_key (keys, entry->key);
      gboolean is_ca = ca_blob != NULL && g_bytes_equal (tw_public_key_get_blob (entry->key), ca_blob);
      gboolean same_type = FALSE;

      if (entry->kind == TW_KNOWN_HOSTS_LINE_REVOKED)
        {
          g_autofree char *place = describe_place (entry);

          if (k >= 0 && revoked < 0)
            {
              revoked = k;
              g_free (out->note);
              out->note = g_strdup_printf (_("@revoked in %s"), place);
            }
          /* ssh refuses a certificate whose CA is revoked, and goes no
           * further (it falls back to the plain key only when no CA vouched). */
          if (is_ca && certified >= 0)
            {
              out->certificate = CERTIFICATE_REVOKED;
              g_free (out->certificate_note);
              out->certificate_note = g_strdup_printf (_("the certificate authority %s that signed this "
                                                         "server’s certificate is @revoked in %s"),
                                                       tw_public_key_get_fingerprint (entry->key), place);
            }
          continue;
        }
      if (entry->kind == TW_KNOWN_HOSTS_LINE_CERT_AUTHORITY)
        {
          /* Only a certificate whose key the server proved it holds, and
           * is one of its keys, counts. */
          if (is_ca && certified >= 0)
            judge_certificate (ctx, entry, out);
          else if (out->note == NULL && !is_ca)
            {
              g_autofree char *place = describe_place (entry);

              out->note = g_strdup_printf (certificate == NULL
                                           ? _("a certificate authority is trusted for this host "
                                               "(@cert-authority in %s), but the server shows no "
                                               "host certificate")
                                           : _("a certificate authority is trusted for this host "
                                               "(@cert-authority in %s), but another one signed the "
                                               "server’s certificate"), place);
            }
          continue;
        }

      for (guint j = 0; j < keys->len; j++)
        if (g_str_equal (tw_public_key_get_key_type (g_ptr_array_index (keys, j)),
                         tw_public_key_get_key_type (entry->key)))
          same_type = TRUE;
      if (k >= 0 && out->matched < 0)
        out->matched = k;
      if (same_type && k < 0)
        conflict = TRUE;
      else if (!same_type)
        out->other_type = TRUE;
    }

  /* ssh refuses a revoked key whatever else is recorded for it, and a
   * certificate with it. */
  if (revoked >= 0)
    {
      out->matched = revoked;
      out->status = TW_KNOWN_HOSTS_REVOKED;
      if (revoked == certified)
        {
          out->certificate = CERTIFICATE_REVOKED;
          g_free (out->certificate_note);
          out->certificate_note = g_strdup_printf (_("the key in this server’s certificate is %s"), out->note);
        }
      return;
    }
  if (out->certificate == CERTIFICATE_REVOKED)
    {
      out->matched = certified;
      out->status = TW_KNOWN_HOSTS_REVOKED;
      g_free (out->note);
      out->note = g_strdup (out->certificate_note);
      return;
    }
  /* ssh asks for the certificate first; one from a trusted CA settles it,
   * whatever the plain keys recorded say. */
  if (out->certificate == CERTIFICATE_TRUSTED)
    {
      out->matched = certified;
      out->status = TW_KNOWN_HOSTS_KNOWN;
      return;
    }
  /* A recorded key of a type the server now shows with another key is what
   * ssh warns about ("REMOTE HOST IDENTIFICATION HAS CHANGED"), even when
   * another recorded key still matches. */
  if (conflict)
    out->status = TW_KNOWN_HOSTS_CHANGED;
  else if (out->matched >= 0)
    out->status = TW_KNOWN_HOSTS_KNOWN;
  else
    out->status = TW_KNOWN_HOSTS_UNKNOWN;
}

static void
take_name_status (TwProbeContext *ctx,
                  NameStatus     *status,
                  int            *matched,
                  gboolean       *other_type)
{
  *matched = status->matched;
  *other_type = status->other_type;
  ctx->known_hosts_note = g_steal_pointer (&status->note);
  ctx->certificate_trusted = status->certificate == CERTIFICATE_TRUSTED;
  ctx->certificate_note = g_steal_pointer (&status->certificate_note);
}

TwKnownHostsStatus
tw_probe_context_known_hosts_status (TwProbeContext *ctx,
                                     GPtrArray      *keys,
                                     int            *matched,
                                     gboolean       *other_type)
{
  g_autofree char *name = tw_known_hosts_name (ctx->host, ctx->port);
  g_auto(NameStatus) with_port = { 0 };
  g_auto(NameStatus) without_port = { 0 };

  g_clear_pointer (&ctx->known_hosts_note, g_free);
  g_clear_pointer (&ctx->certificate_note, g_free);
  status_for_name (ctx, name, keys, &with_port);
  if (with_port.status == TW_KNOWN_HOSTS_UNKNOWN && ctx->port != 22)
    {
      g_autofree char *bare = tw_known_hosts_name (ctx->host, 22);

      /* As ssh does: a host new under [host]:port is known when its key is
       * recorded for the host alone ("found matching key w/out port"). */
      status_for_name (ctx, bare, keys, &without_port);
      if (without_port.status == TW_KNOWN_HOSTS_KNOWN || without_port.status == TW_KNOWN_HOSTS_REVOKED)
        {
          take_name_status (ctx, &without_port, matched, other_type);
          *other_type = with_port.other_type;
          return without_port.status;
        }
    }
  /* Nothing usable without the port: what [host]:port said stands. */
  take_name_status (ctx, &with_port, matched, other_type);
  return with_port.status;
}
