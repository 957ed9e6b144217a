/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * host-key: every host key the server has (type, SHA256, randomart; the one
 * a default OpenSSH client negotiates first), compared with the fingerprint
 * the admin expects, the keys pinned in the tunnel, and known_hosts. Each
 * matches if it designates any of the server's keys. A mismatch or a changed
 * key fails, and the engine sends nothing more to that server.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-fingerprint.h"
#include "tw-host-keys.h"
#include "tw-probe-private.h"

/* "the ECDSA key (SHA256:…)" */
static char *
describe_key (TwPublicKey *key)
{
  return g_strdup_printf (_("the %s key (%s)"), tw_public_key_get_type_label (key),
                          tw_public_key_get_fingerprint (key));
}

static TwCheckStatus
compare_expected (TwProbeContext *ctx,
                  GString        *detail,
                  TwCheckOutcome *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwFingerprintInput) input = tw_fingerprint_input_parse (ctx->expected_fingerprint, &error);
  TwPublicKey *key;
  int index;

  if (input == NULL)
    {
      out->summary = g_strdup (_("The expected fingerprint could not be read"));
      g_string_append_printf (detail, "%s\n", error->message);
      out->hint = g_strdup (tw_fingerprint_formats_help ());
      return TW_CHECK_STATUS_FAIL;
    }

  index = tw_fingerprint_input_find (input, ctx->host_keys);
  if (index >= 0)
    {
      g_autofree char *which = NULL;

      key = g_ptr_array_index (ctx->host_keys, index);
      which = describe_key (key);
      g_string_append_printf (detail, _("Matches the expected fingerprint: %s\n"), which);
      if (input->kind == TW_FINGERPRINT_KIND_MD5)
        g_string_append (detail, _("It was compared by MD5, a weak hash that older tools still "
                                   "show: compare the SHA256 fingerprint when you can.\n"));
      if (input->kind == TW_FINGERPRINT_KIND_MD5)
        out->summary = g_strdup_printf (_("As expected by MD5 (a weak hash): the server’s %s key %s"),
                                        tw_public_key_get_type_label (key),
                                        tw_public_key_get_fingerprint (key));
      else if (index == 0)
        out->summary = g_strdup_printf (_("%s %s, as expected"), tw_public_key_get_key_type (key),
                                        tw_public_key_get_fingerprint (key));
      else
        out->summary = g_strdup_printf (_("As expected: the server’s %s key %s"),
                                        tw_public_key_get_type_label (key),
                                        tw_public_key_get_fingerprint (key));
      return TW_CHECK_STATUS_PASS;
    }

  out->summary = g_strdup (_("The host key does not match the expected fingerprint"));
  g_string_append_printf (detail, _("Expected: %s\n"), input->value);
  for (guint i = 0; i < ctx->host_keys->len; i++)
    {
      g_autofree char *md5 = NULL;

      key = g_ptr_array_index (ctx->host_keys, i);
      if (input->kind == TW_FINGERPRINT_KIND_MD5)
        md5 = tw_fingerprint_md5 (key);
      g_string_append_printf (detail, _("Server:   %s %s\n"), tw_public_key_get_type_label (key),
                              md5 != NULL ? md5 : tw_public_key_get_fingerprint (key));
    }
  out->hint = g_strdup (_("Do not go on. None of the server’s host keys has this fingerprint. "
                          "Either this is not the server you meant (wrong host or port, or a "
                          "man in the middle), or the fingerprint you compared with belongs to "
                          "another server: run “ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub” on "
                          "the server itself and compare again. Nothing more was sent to this "
                          "server."));
  return TW_CHECK_STATUS_FAIL;
}

static void
append_keys (GString   *detail,
             GPtrArray *keys,
             gboolean   with_type)
{
  for (guint i = 0; i < keys->len; i++)
    {
      TwPublicKey *key = g_ptr_array_index (keys, i);

      g_string_append_printf (detail, "  %s %s\n",
                              with_type ? tw_public_key_get_type_label (key) : "",
                              tw_public_key_get_fingerprint (key));
    }
}

/* The tunnel pinned the whole set. A pinned key that changed blocks, as
 * ssh does. A key that is gone while the others are unchanged is what an
 * admin who dropped an old key type sees (ssh's UpdateHostKeys forgets it
 * quietly), and a new key next to unchanged ones is what ssh learns after
 * the server proved the old ones: both warn, so that the admin confirms the
 * new set, but neither blocks. No pinned key left at all blocks. */
static TwCheckStatus
compare_pins (TwProbeContext *ctx,
              GString        *detail,
              TwCheckOutcome *out)
{
  g_auto(TwPinCheck) check = { 0 };

  tw_host_keys_check_pins (ctx->host_keys, (const char * const *) ctx->pins, &check);

  if (check.verdict == TW_PIN_VERDICT_CHANGED)
    {
      out->summary = g_strdup (_("The host key differs from the one confirmed for this tunnel"));
      g_string_append (detail, _("Confirmed before:\n"));
      for (guint i = 0; ctx->pins[i] != NULL; i++)
        g_string_append_printf (detail, "  %s\n", ctx->pins[i]);
      g_string_append (detail, _("Shown now:\n"));
      for (guint i = 0; i < ctx->host_keys->len; i++)
        {
          g_autofree char *pin = tw_host_keys_pin (g_ptr_array_index (ctx->host_keys, i));

          g_string_append_printf (detail, "  %s\n", pin);
        }
      out->hint = g_strdup (_("Possible man-in-the-middle attack: do not go on. If the server "
                              "was reinstalled or its keys regenerated on purpose, confirm the "
                              "new fingerprint on the server itself (ssh-keygen -lf "
                              "/etc/ssh/ssh_host_*_key.pub) and confirm it again in the wizard. "
                              "Nothing more was sent to this server."));
      return TW_CHECK_STATUS_FAIL;
    }

  if (check.verdict == TW_PIN_VERDICT_SET_CHANGED)
    {
      TwPublicKey *kept = g_ptr_array_index (ctx->host_keys, check.matched);

      out->summary = g_strdup_printf (_("The %s key is the one confirmed, but the set of host keys changed"),
                                      tw_public_key_get_type_label (kept));
      if (check.added->len > 0)
        {
          g_string_append (detail, _("New, not confirmed yet:\n"));
          append_keys (detail, check.added, TRUE);
        }
      for (guint i = 0; i < check.vanished->len; i++)
        g_string_append_printf (detail, _("Confirmed but no longer offered: %s\n"),
                                (char *) g_ptr_array_index (check.vanished, i));
      out->hint = g_strdup (_("The keys confirmed before that the server still shows are "
                              "unchanged, so this is the same server. Its administrator added or "
                              "removed a host key: compare the new set with the server "
                              "(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and confirm it again, "
                              "since the service may now be shown a new key."));
      return TW_CHECK_STATUS_WARN;
    }

  {
    TwPublicKey *key = g_ptr_array_index (ctx->host_keys, check.matched);
    g_autofree char *which = describe_key (key);

    g_string_append_printf (detail, _("Matches the keys confirmed for this tunnel (%s)\n"), which);
    out->summary = g_strdup_printf (_("%s %s, as confirmed"), ctx->host_key_type, ctx->fingerprint);
  }
  return TW_CHECK_STATUS_PASS;
}

/* The CA pinned with the tunnel vouches for a valid certificate for this
 * host, whatever keys it carries: the server's keys may rotate under it.
 * When it cannot, the detail says why and the pinned keys decide. */
static gboolean
pinned_ca_vouches (TwProbeContext *ctx,
                   GString        *detail,
                   TwCheckOutcome *out)
{
  TwHostCertificate *certificate = ctx->host_certificate;
  g_autofree char *ca_pin = NULL;
  g_autofree char *reason = NULL;
  TwPublicKey *key;

  if (ctx->pinned_ca == NULL)
    return FALSE;
  if (certificate == NULL)
    {
      g_string_append_printf (detail, _("Pinned certificate authority: %s, but the server shows no "
                                        "host certificate now\n"), ctx->pinned_ca);
      return FALSE;
    }
  ca_pin = tw_host_keys_pin (tw_host_certificate_get_ca_key (certificate));
  if (!g_str_equal (ca_pin, ctx->pinned_ca))
    {
      g_string_append_printf (detail, _("Pinned certificate authority: %s, but another one signed the "
                                        "server’s certificate (%s)\n"), ctx->pinned_ca, ca_pin);
      return FALSE;
    }
  if (!tw_host_certificate_check (certificate, ctx->host, g_get_real_time () / G_USEC_PER_SEC, &reason))
    {
      g_string_append_printf (detail, _("Pinned certificate authority: %s, but its certificate for this "
                                        "server is not accepted: %s\n"), ctx->pinned_ca, reason);
      return FALSE;
    }
  key = tw_host_certificate_get_key (certificate);
  g_string_append_printf (detail, _("Vouched for by the certificate authority confirmed for this tunnel (%s)\n"),
                          ctx->pinned_ca);
  out->summary = g_strdup_printf (_("%s %s, vouched for by the certificate authority confirmed for this tunnel"),
                                  tw_public_key_get_key_type (key), tw_public_key_get_fingerprint (key));
  return TRUE;
}

/* What the certificate says, as ssh-keygen -L shows it */
static void
append_certificate (GString           *detail,
                    TwHostCertificate *certificate)
{
  TwPublicKey *ca = tw_host_certificate_get_ca_key (certificate);
  const char * const *principals = tw_host_certificate_get_principals (certificate);
  g_autofree char *names = g_strjoinv (", ", (char **) principals);
  g_autofree char *validity = tw_host_certificate_describe_validity (certificate);

  /* e.g. "Host certificate for the ED25519 key: key ID “bastion-1”, serial 7". A plain %llu:
   * xgettext cannot see through G_GUINT64_FORMAT, so the catalogue would hold a cut msgid. */
  g_string_append_printf (detail, _("Host certificate for the %s key: key ID “%s”, serial %llu\n"),
                          tw_public_key_get_type_label (tw_host_certificate_get_key (certificate)),
                          tw_host_certificate_get_key_id (certificate),
                          (unsigned long long) tw_host_certificate_get_serial (certificate));
  g_string_append_printf (detail, _("  for: %s\n"), principals[0] != NULL ? names : _("any host name"));
  g_string_append_printf (detail, _("  valid: %s\n"), validity);
  g_string_append_printf (detail, _("  signed by the certificate authority %s %s (%s)\n"),
                          tw_public_key_get_type_label (ca), tw_public_key_get_fingerprint (ca),
                          tw_host_certificate_get_signature_algorithm (certificate));
}

static TwCheckStatus
check_known_hosts (TwProbeContext *ctx,
                   GString        *detail,
                   TwCheckOutcome *out,
                   TwCheckStatus   status,
                   int            *known_index)
{
  int matched = -1;
  gboolean other_type = FALSE;

  ctx->known_hosts = tw_probe_context_known_hosts_status (ctx, ctx->host_keys, &matched, &other_type);
  *known_index = matched;
  switch (ctx->known_hosts)
    {
    case TW_KNOWN_HOSTS_KNOWN:
      {
        g_autofree char *which = describe_key (g_ptr_array_index (ctx->host_keys, matched));

        if (ctx->certificate_trusted)
          /* e.g. "known_hosts: the ED25519 key (SHA256:…) is vouched for by the certificate authority …" */
          g_string_append_printf (detail, _("known_hosts: %s is %s\n"), which, ctx->certificate_note);
        else
          g_string_append_printf (detail, _("known_hosts: known (%s)\n"), which);
      }
      break;

    case TW_KNOWN_HOSTS_CHANGED:
      g_string_append (detail, _("known_hosts: CHANGED — a different key of the same type is "
                                 "recorded for this host\n"));
      if (status != TW_CHECK_STATUS_FAIL)
        {
          g_clear_pointer (&out->summary, g_free);
          g_clear_pointer (&out->hint, g_free);
          out->summary = g_strdup (_("The host key CHANGED since it was recorded in known_hosts"));
          out->hint = g_strdup (_("Possible man-in-the-middle attack: do not go on. If the server "
                                  "was reinstalled or its keys regenerated on purpose, confirm the "
                                  "new fingerprint on the server itself (ssh-keygen -lf "
                                  "/etc/ssh/ssh_host_*_key.pub), then remove the old line with "
                                  "“ssh-keygen -R host”. Nothing more was sent to this server."));
        }
      return TW_CHECK_STATUS_FAIL;

    case TW_KNOWN_HOSTS_REVOKED:
      {
        TwPublicKey *key = g_ptr_array_index (ctx->host_keys, matched);
        g_autofree char *which = describe_key (key);

        g_string_append_printf (detail, _("known_hosts: REVOKED — %s (%s)\n"), which, ctx->known_hosts_note);
        g_clear_pointer (&out->summary, g_free);
        g_clear_pointer (&out->hint, g_free);
        out->summary = g_strdup_printf (_("known_hosts revokes this server’s %s key %s"),
                                        tw_public_key_get_type_label (key), tw_public_key_get_fingerprint (key));
        out->hint = g_strdup (_("A line marked @revoked says this key must never be accepted: the "
                                "server may be compromised or an impostor. ssh refuses it too. Ask "
                                "whoever runs the server; nothing more was sent to it."));
      }
      return TW_CHECK_STATUS_FAIL;

    case TW_KNOWN_HOSTS_UNKNOWN:
    default:
      if (ctx->certificate_note != NULL)
        g_string_append_printf (detail, _("known_hosts: %s\n"), ctx->certificate_note);
      if (ctx->known_hosts_note != NULL)
        g_string_append_printf (detail, _("known_hosts: %s\n"), ctx->known_hosts_note);
      if (other_type)
        g_string_append (detail, _("known_hosts: has a key of another type for this host, none of these\n"));
      else
        g_string_append (detail, _("known_hosts: unknown (no key recorded for this host)\n"));
      break;
    }
  return status;
}

TwCheckStatus
tw_check_host_key_run (TwProbeContext *ctx,
                       TwCheckOutcome *out)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autoptr(TwPublicKey) main_key = NULL;
  TwPublicKey *first;
  TwCheckStatus status = TW_CHECK_STATUS_PASS;
  gboolean vouched = FALSE;
  int known_index = -1;
  ssh_key key = NULL;

  if (ssh_get_server_publickey (ctx->session, &key) != SSH_OK)
    {
      out->summary = g_strdup (_("The server sent no host key"));
      return TW_CHECK_STATUS_FAIL;
    }
  ctx->server_key = key;
  main_key = tw_probe_public_key_from_ssh (key);
  if (main_key == NULL)
    {
      out->summary = g_strdup_printf (_("The server’s host key (%s) could not be read"),
                                      ssh_key_type_to_char (ssh_key_type (key)));
      return TW_CHECK_STATUS_FAIL;
    }

  ctx->host_keys = tw_probe_context_collect_host_keys (ctx, main_key, notes);
  if (tw_probe_context_is_cancelled (ctx))
    return TW_CHECK_STATUS_SKIP;

  first = g_ptr_array_index (ctx->host_keys, 0);
  ctx->host_key_type = g_strdup (tw_public_key_get_key_type (first));
  ctx->fingerprint = g_strdup (tw_public_key_get_fingerprint (first));
  ctx->randomart = g_strdup (tw_public_key_get_randomart (first));

  for (guint i = 0; i < ctx->host_keys->len; i++)
    {
      TwPublicKey *k = g_ptr_array_index (ctx->host_keys, i);

      g_string_append_printf (detail, "%s %u %s%s\n", tw_public_key_get_type_label (k),
                              tw_public_key_get_bits (k), tw_public_key_get_fingerprint (k),
                              i == 0 ? _(" — the one OpenSSH clients use") : "");
    }
  if (ctx->host_certificate != NULL)
    append_certificate (detail, ctx->host_certificate);
  g_string_append (detail, notes->str);

  if (ctx->expected_fingerprint != NULL)
    {
      status = compare_expected (ctx, detail, out);
      vouched = TRUE;
    }
  else if (pinned_ca_vouches (ctx, detail, out))
    vouched = TRUE;
  else if (ctx->pins != NULL && ctx->pins[0] != NULL)
    {
      status = compare_pins (ctx, detail, out);
      vouched = TRUE;
    }

  status = check_known_hosts (ctx, detail, out, status, &known_index);

  for (guint i = 0; i < ctx->host_keys->len; i++)
    {
      TwPublicKey *k = g_ptr_array_index (ctx->host_keys, i);

      g_string_append_printf (detail, "%s\n", tw_public_key_get_randomart (k));
    }
  g_string_truncate (detail, detail->len - 1);
  out->detail = g_string_free (g_steal_pointer (&detail), FALSE);

  if (status == TW_CHECK_STATUS_FAIL)
    {
      /* Not even a disconnect message: nothing more for this server. */
      ssh_silent_disconnect (ctx->session);
      tw_probe_context_close_session (ctx, g_steal_pointer (&ctx->session));
      return status;
    }
  if (vouched)
    return status;

  if (ctx->known_hosts == TW_KNOWN_HOSTS_KNOWN)
    {
      TwPublicKey *known = g_ptr_array_index (ctx->host_keys, known_index);

      if (ctx->certificate_trusted)
        out->summary = g_strdup_printf (_("%s %s, vouched for by the certificate authority %s"),
                                        tw_public_key_get_key_type (known), tw_public_key_get_fingerprint (known),
                                        tw_public_key_get_fingerprint (
                                          tw_host_certificate_get_ca_key (ctx->host_certificate)));
      else if (known_index == 0)
        out->summary = g_strdup_printf (_("%s %s, known in known_hosts"), ctx->host_key_type, ctx->fingerprint);
      else
        out->summary = g_strdup_printf (_("Known in known_hosts: the server’s %s key %s"),
                                        tw_public_key_get_type_label (known),
                                        tw_public_key_get_fingerprint (known));
      return TW_CHECK_STATUS_PASS;
    }

  if (ctx->host_keys->len == 1)
    out->summary = g_strdup_printf (_("%s %s — compare it with the server’s"),
                                    ctx->host_key_type, ctx->fingerprint);
  else
    out->summary = g_strdup_printf (_("%s %s and %u more host keys — compare with the server’s"),
                                    ctx->host_key_type, ctx->fingerprint, ctx->host_keys->len - 1);
  out->hint = g_strdup (_("Nothing vouches for these keys yet. Run “ssh-keygen -lf "
                          "/etc/ssh/ssh_host_ed25519_key.pub” (or the file for the key type the "
                          "service names) on the server and compare, character by character; "
                          "the service will show you one of these fingerprints to confirm."));
  return TW_CHECK_STATUS_WARN;
}
