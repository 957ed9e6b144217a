/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * host-key: the server's host key (type, SHA256, randomart), compared with
 * the fingerprint the admin expects and with known_hosts. A mismatch or a
 * changed key fails, and the engine sends nothing more to that server.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-probe-private.h"

/* "SHA256:abc…", "abc…" or "MD5:12:ab:…"/"12:ab:…" → the comparable part, and
 * whether it is MD5. Spaces (groups in the window) and base64 padding go. */
static char *
normalize_fingerprint (const char *text,
                       gboolean   *is_md5)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (s, *p);

  if (g_ascii_strncasecmp (s->str, "SHA256:", 7) == 0)
    g_string_erase (s, 0, 7);
  else if (g_ascii_strncasecmp (s->str, "MD5:", 4) == 0)
    g_string_erase (s, 0, 4);

  while (s->len > 0 && s->str[s->len - 1] == '=')
    g_string_truncate (s, s->len - 1);

  /* 16 bytes as colon-hex: 47 characters */
  *is_md5 = s->len == 47 && s->str[2] == ':';
  if (*is_md5)
    {
      char *lower = g_ascii_strdown (s->str, -1);
      g_string_assign (s, lower);
      g_free (lower);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
key_hash (ssh_key                      key,
          enum ssh_publickey_hash_type type)
{
  unsigned char *hash = NULL;
  size_t len = 0;
  char *text, *result;

  if (ssh_get_publickey_hash (key, type, &hash, &len) != SSH_OK)
    return NULL;
  if (type == SSH_PUBLICKEY_HASH_MD5)
    text = ssh_get_hexa (hash, len);
  else
    text = ssh_get_fingerprint_hash (type, hash, len);
  ssh_clean_pubkey_hash (&hash);
  result = g_strdup (text);
  ssh_string_free_char (text);
  return result;
}

static TwCheckStatus
compare_expected (TwProbeContext *ctx,
                  ssh_key         key,
                  GString        *detail,
                  TwCheckOutcome *out)
{
  gboolean is_md5;
  g_autofree char *expected = normalize_fingerprint (ctx->expected_fingerprint, &is_md5);
  g_autofree char *actual = NULL;
  g_autofree char *actual_plain = NULL;

  if (is_md5)
    {
      g_autofree char *md5 = key_hash (key, SSH_PUBLICKEY_HASH_MD5);
      actual_plain = g_ascii_strdown (md5 ? md5 : "", -1);
    }
  else
    actual_plain = normalize_fingerprint (ctx->fingerprint, &is_md5);

  if (g_strcmp0 (expected, actual_plain) == 0)
    {
      g_string_append_printf (detail, _("Matches the expected fingerprint %s\n"), ctx->expected_fingerprint);
      return TW_CHECK_STATUS_PASS;
    }

  actual = is_md5 ? g_strdup_printf ("MD5:%s", actual_plain) : g_strdup (ctx->fingerprint);
  out->summary = g_strdup (_("The host key does not match the expected fingerprint"));
  g_string_append_printf (detail, _("Expected: %s\nServer:   %s\n"), ctx->expected_fingerprint, actual);
  out->hint = g_strdup (_("Do not go on. Either this is not the server you meant (wrong host or "
                          "port, or a man in the middle), or the fingerprint you compared with "
                          "belongs to another key: run “ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub” "
                          "on the server itself and compare again. Nothing more was sent to "
                          "this server."));
  return TW_CHECK_STATUS_FAIL;
}

TwCheckStatus
tw_check_host_key_run (TwProbeContext *ctx,
                       TwCheckOutcome *out)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(TwPublicKey) parsed = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  char *b64 = NULL;
  ssh_key key = NULL;
  TwCheckStatus status = TW_CHECK_STATUS_PASS;
  enum ssh_known_hosts_e known;

  if (ssh_get_server_publickey (ctx->session, &key) != SSH_OK)
    {
      out->summary = g_strdup (_("The server sent no host key"));
      return TW_CHECK_STATUS_FAIL;
    }
  ctx->server_key = key;

  ctx->host_key_type = g_strdup (ssh_key_type_to_char (ssh_key_type (key)));
  ctx->fingerprint = key_hash (key, SSH_PUBLICKEY_HASH_SHA256);

  /* The key engine draws the randomart and knows the size, as ssh-keygen -lv */
  if (ssh_pki_export_pubkey_base64 (key, &b64) == SSH_OK)
    {
      line = g_strdup_printf ("%s %s", ctx->host_key_type, b64);
      ssh_string_free_char (b64);
      parsed = tw_public_key_parse (line, &error);
      if (parsed != NULL)
        ctx->randomart = g_strdup (tw_public_key_get_randomart (parsed));
    }

  g_string_append_printf (detail, "%s %u %s\n",
                          parsed ? tw_public_key_get_type_label (parsed) : ctx->host_key_type,
                          parsed ? tw_public_key_get_bits (parsed) : 0, ctx->fingerprint);

  if (ctx->expected_fingerprint != NULL)
    status = compare_expected (ctx, key, detail, out);

  known = ssh_session_is_known_server (ctx->session);
  switch (known)
    {
    case SSH_KNOWN_HOSTS_OK:
      ctx->known_hosts = TW_KNOWN_HOSTS_KNOWN;
      g_string_append (detail, _("known_hosts: known (this very key)\n"));
      break;

    case SSH_KNOWN_HOSTS_CHANGED:
      ctx->known_hosts = TW_KNOWN_HOSTS_CHANGED;
      g_string_append (detail, _("known_hosts: CHANGED — a different key is recorded for this host\n"));
      if (status != TW_CHECK_STATUS_FAIL)
        {
          out->summary = g_strdup (_("The host key CHANGED since it was recorded in known_hosts"));
          out->hint = g_strdup (_("Possible man-in-the-middle attack: do not go on. If the server "
                                  "was reinstalled or its keys regenerated on purpose, confirm the "
                                  "new fingerprint on the server itself (ssh-keygen -lf "
                                  "/etc/ssh/ssh_host_*_key.pub), then remove the old line with "
                                  "“ssh-keygen -R host”. Nothing more was sent to this server."));
        }
      status = TW_CHECK_STATUS_FAIL;
      break;

    case SSH_KNOWN_HOSTS_OTHER:
      ctx->known_hosts = TW_KNOWN_HOSTS_UNKNOWN;
      g_string_append (detail, _("known_hosts: has a key of another type for this host, not this one\n"));
      break;

    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
    case SSH_KNOWN_HOSTS_ERROR:
    default:
      ctx->known_hosts = TW_KNOWN_HOSTS_UNKNOWN;
      g_string_append (detail, _("known_hosts: unknown (no key recorded for this host)\n"));
      break;
    }

  if (ctx->randomart != NULL)
    g_string_append_printf (detail, "%s\n", ctx->randomart);
  g_string_truncate (detail, detail->len - 1);
  out->detail = g_string_free (g_steal_pointer (&detail), FALSE);

  if (status == TW_CHECK_STATUS_FAIL)
    {
      /* Not even a disconnect message: nothing more for this server. */
      ssh_silent_disconnect (ctx->session);
      tw_probe_context_close_session (ctx, g_steal_pointer (&ctx->session));
      return status;
    }

  if (ctx->expected_fingerprint != NULL)
    out->summary = g_strdup_printf (_("%s %s, as expected"), ctx->host_key_type, ctx->fingerprint);
  else if (ctx->known_hosts == TW_KNOWN_HOSTS_KNOWN)
    out->summary = g_strdup_printf (_("%s %s, known in known_hosts"), ctx->host_key_type, ctx->fingerprint);
  else
    {
      out->summary = g_strdup_printf (_("%s %s — compare it with the server’s"), ctx->host_key_type,
                                      ctx->fingerprint);
      out->hint = g_strdup (_("Nothing vouches for this key yet. Run “ssh-keygen -lf "
                              "/etc/ssh/ssh_host_ed25519_key.pub” (or the file for this key type) "
                              "on the server and compare, character by character; the service "
                              "will show you the same fingerprint to confirm."));
      return TW_CHECK_STATUS_WARN;
    }
  return TW_CHECK_STATUS_PASS;
}
