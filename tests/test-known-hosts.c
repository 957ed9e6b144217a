/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * known_hosts as OpenSSH reads it: every verdict of the host-key check on a
 * known_hosts file is compared with what ssh -o StrictHostKeyChecking=yes
 * does with the same file against the same sshd.
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "tw-core.h"
#include "tw-known-hosts.h"
#include "tw-test-files.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

/* ---- matching, without a server ------------------------------------------------------- */

typedef struct {
  const char *field;
  const char *name;
  gboolean    matches;
} MatchCase;

static const MatchCase match_cases[] = {
  { "db.example.com", "db.example.com", TRUE },
  { "DB.Example.COM", "db.example.com", TRUE },
  { "db.example.com,10.0.0.5", "10.0.0.5", TRUE },
  { "*.example.com", "db.example.com", TRUE },
  { "*.example.com", "example.com", FALSE },
  { "db?.example.com", "db1.example.com", TRUE },
  { "db?.example.com", "db12.example.com", FALSE },
  { "*,!db.example.com", "db.example.com", FALSE },
  { "*,!db.example.com", "web.example.com", TRUE },
  { "!db.example.com", "web.example.com", FALSE },
  { "[db.example.com]:2222", "[db.example.com]:2222", TRUE },
  { "[db.example.com]:2222", "db.example.com", FALSE },
  { "db.example.com", "[db.example.com]:2222", FALSE },
  { "[*.example.com]:*", "[db.example.com]:2222", TRUE },
};

static void
test_match (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (match_cases); i++)
    {
      g_test_message ("%s ~ %s", match_cases[i].field, match_cases[i].name);
      g_assert_cmpint (tw_known_hosts_match (match_cases[i].field, match_cases[i].name), ==,
                       match_cases[i].matches);
    }
}

/* ssh-keygen -H is the oracle for hashed names. */
static void
test_match_hashed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tw-known-hosts-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "known_hosts", NULL);
  g_autofree char *contents = NULL;
  const char *argv[] = { "ssh-keygen", "-q", "-H", "-f", file, NULL };
  int status = 0;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_set_contents (file, "[db.example.com]:2222 ssh-ed25519 "
                                      "AAAAC3NzaC1lZDI1NTE5AAAAIOVn0gcu1oKtPQQK9pxHp8ikVQi7D36v2GnlaIbpeBWK\n",
                                      -1, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  fields = g_strsplit (contents, " ", 2);
  g_assert_true (g_str_has_prefix (fields[0], "|1|"));

  g_assert_true (tw_known_hosts_match (fields[0], "[db.example.com]:2222"));
  g_assert_false (tw_known_hosts_match (fields[0], "db.example.com"));
  g_assert_false (tw_known_hosts_match (fields[0], "[db.example.com]:2223"));
  g_assert_false (tw_known_hosts_match ("|1|bm90LWJhc2U2NA|x", "db.example.com"));
  tw_test_remove_tree (dir);
}

/* ---- against sshd and ssh ------------------------------------------------------------- */

/* A host certificate the server serves, signed at test time */
typedef struct {
  const char *ca_type;      /* of the CA's key: "ed25519", "ecdsa", "rsa" */
  const char *sign_with;    /* ssh-keygen -t for an RSA CA, or NULL */
  const char *principals;   /* -n, or NULL for none */
  const char *validity;     /* -V, or NULL for forever */
} CertificateCase;

static const CertificateCase certificate_ok = { "ed25519", NULL, "127.0.0.1", "-5m:+1h" };
static const CertificateCase certificate_expired = { "ed25519", NULL, "127.0.0.1", "-2d:-1d" };
static const CertificateCase certificate_not_yet = { "ed25519", NULL, "127.0.0.1", "+1d:+2d" };
static const CertificateCase certificate_other_name = { "ed25519", NULL, "bastion.example.com", NULL };
static const CertificateCase certificate_any_name = { "ed25519", NULL, NULL, NULL };
static const CertificateCase certificate_wildcard_name = { "ed25519", NULL, "127.0.0.*", NULL };
static const CertificateCase certificate_rsa_ca = { "rsa", "rsa-sha2-512", "127.0.0.1,localhost", NULL };
static const CertificateCase certificate_rsa_sha1_ca = { "rsa", "ssh-rsa", "127.0.0.1", NULL };
static const CertificateCase certificate_ecdsa_ca = { "ecdsa", NULL, "127.0.0.1", NULL };

typedef struct {
  const char             *path;
  const char             *lines;      /* {PORT}, {KEY} (the server's), {OTHER} (another key),
                                       * {CA} (the CA of the certificate), {OTHERCA} (another one) */
  gboolean                hash;       /* ssh-keygen -H the file first */
  TwKnownHostsStatus      status;
  const CertificateCase  *certificate;
  gboolean                trusted;    /* the certificate is what vouches */
} KnownHostsCase;

static const KnownHostsCase cases[] = {
  { "/known-hosts/sshd/plain", "[127.0.0.1]:{PORT} {KEY}\n", FALSE, TW_KNOWN_HOSTS_KNOWN },
  { "/known-hosts/sshd/hashed", "[127.0.0.1]:{PORT} {KEY}\n", TRUE, TW_KNOWN_HOSTS_KNOWN },
  { "/known-hosts/sshd/wildcard", "[127.0.0.*]:{PORT} {KEY}\n", FALSE, TW_KNOWN_HOSTS_KNOWN },
  { "/known-hosts/sshd/star", "* {KEY}\n", FALSE, TW_KNOWN_HOSTS_KNOWN },
  { "/known-hosts/sshd/negated", "*,!127.0.0.1,![127.0.0.1]:{PORT} {KEY}\n", FALSE, TW_KNOWN_HOSTS_UNKNOWN },
  /* ssh looks the host up without the port too when [host]:port is new */
  { "/known-hosts/sshd/negated-with-port-only", "*,![127.0.0.1]:{PORT} {KEY}\n", FALSE, TW_KNOWN_HOSTS_KNOWN },
  { "/known-hosts/sshd/without-port", "127.0.0.1 {KEY}\n", FALSE, TW_KNOWN_HOSTS_KNOWN },
  { "/known-hosts/sshd/other-port", "[127.0.0.1]:1 {KEY}\n", FALSE, TW_KNOWN_HOSTS_UNKNOWN },
  { "/known-hosts/sshd/changed", "[127.0.0.1]:{PORT} {OTHER}\n", FALSE, TW_KNOWN_HOSTS_CHANGED },
  { "/known-hosts/sshd/comments-and-junk", "# a comment\nnot a line at all\n\n[127.0.0.1]:{PORT} {KEY}\n",
    FALSE, TW_KNOWN_HOSTS_KNOWN },
  /* @revoked wins over a line that knows the key */
  { "/known-hosts/sshd/revoked", "[127.0.0.1]:{PORT} {KEY}\n@revoked * {KEY}\n", FALSE,
    TW_KNOWN_HOSTS_REVOKED },
  { "/known-hosts/sshd/revoked-hashed", "[127.0.0.1]:{PORT} {KEY}\n@revoked [127.0.0.1]:{PORT} {KEY}\n", TRUE,
    TW_KNOWN_HOSTS_REVOKED },
  /* …but only for the hosts it names */
  { "/known-hosts/sshd/revoked-elsewhere", "@revoked other.example {KEY}\n[127.0.0.1]:{PORT} {KEY}\n", FALSE,
    TW_KNOWN_HOSTS_KNOWN },
  /* a CA vouches only for host certificates; the server shows a plain key */
  { "/known-hosts/sshd/cert-authority-plain-key", "@cert-authority * {OTHER}\n", FALSE,
    TW_KNOWN_HOSTS_UNKNOWN },

  /* Host certificates, each judged as ssh judges them */
  { "/known-hosts/certificate/trusted", "@cert-authority [127.0.0.1]:{PORT} {CA}\n", FALSE,
    TW_KNOWN_HOSTS_KNOWN, &certificate_ok, TRUE },
  { "/known-hosts/certificate/trusted-hashed", "@cert-authority [127.0.0.1]:{PORT} {CA}\n", TRUE,
    TW_KNOWN_HOSTS_KNOWN, &certificate_ok, TRUE },
  { "/known-hosts/certificate/trusted-without-port", "@cert-authority 127.0.0.1 {CA}\n", FALSE,
    TW_KNOWN_HOSTS_KNOWN, &certificate_ok, TRUE },
  { "/known-hosts/certificate/trusted-for-all", "@cert-authority * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_KNOWN, &certificate_ok, TRUE },
  { "/known-hosts/certificate/ca-for-other-hosts", "@cert-authority *.example.com {CA}\n", FALSE,
    TW_KNOWN_HOSTS_UNKNOWN, &certificate_ok, FALSE },
  { "/known-hosts/certificate/expired", "@cert-authority * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_UNKNOWN, &certificate_expired, FALSE },
  { "/known-hosts/certificate/not-yet-valid", "@cert-authority * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_UNKNOWN, &certificate_not_yet, FALSE },
  /* …and then the plain keys decide, as in ssh */
  { "/known-hosts/certificate/expired-but-key-known", "@cert-authority * {CA}\n[127.0.0.1]:{PORT} {KEY}\n",
    FALSE, TW_KNOWN_HOSTS_KNOWN, &certificate_expired, FALSE },
  { "/known-hosts/certificate/other-name", "@cert-authority * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_UNKNOWN, &certificate_other_name, FALSE },
  { "/known-hosts/certificate/any-name", "@cert-authority * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_KNOWN, &certificate_any_name, TRUE },
  { "/known-hosts/certificate/wildcard-name", "@cert-authority * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_UNKNOWN, &certificate_wildcard_name, FALSE },
  { "/known-hosts/certificate/other-ca", "@cert-authority * {OTHERCA}\n", FALSE,
    TW_KNOWN_HOSTS_UNKNOWN, &certificate_ok, FALSE },
  { "/known-hosts/certificate/rsa-ca", "@cert-authority * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_KNOWN, &certificate_rsa_ca, TRUE },
  { "/known-hosts/certificate/rsa-sha1-ca", "@cert-authority * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_UNKNOWN, &certificate_rsa_sha1_ca, FALSE },
  { "/known-hosts/certificate/ecdsa-ca", "@cert-authority * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_KNOWN, &certificate_ecdsa_ca, TRUE },
  /* A trusted CA settles it even when the recorded plain key differs */
  { "/known-hosts/certificate/trusted-key-changed", "@cert-authority * {CA}\n[127.0.0.1]:{PORT} {OTHER}\n",
    FALSE, TW_KNOWN_HOSTS_KNOWN, &certificate_ok, TRUE },
  /* Revocation wins over everything */
  { "/known-hosts/certificate/ca-revoked", "@cert-authority * {CA}\n@revoked * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_REVOKED, &certificate_ok, FALSE },
  { "/known-hosts/certificate/ca-revoked-key-known", "[127.0.0.1]:{PORT} {KEY}\n@revoked * {CA}\n", FALSE,
    TW_KNOWN_HOSTS_REVOKED, &certificate_ok, FALSE },
  { "/known-hosts/certificate/key-revoked", "@cert-authority * {CA}\n@revoked * {KEY}\n", FALSE,
    TW_KNOWN_HOSTS_REVOKED, &certificate_ok, FALSE },
};

static char *
replace (char       *text,
         const char *placeholder,
         const char *value)
{
  g_auto(GStrv) parts = g_strsplit (text, placeholder, -1);

  g_free (text);
  return g_strjoinv (value != NULL ? value : "", parts);
}

static char *
fill (const char *template,
      const char *port,
      const char *key,
      const char *other,
      const char *ca,
      const char *other_ca)
{
  char *text = g_strdup (template);

  text = replace (text, "{PORT}", port);
  text = replace (text, "{KEY}", key);
  text = replace (text, "{OTHERCA}", other_ca);
  text = replace (text, "{OTHER}", other);
  return replace (text, "{CA}", ca);
}

/* "type base64" of the public key beside @private_path */
static char *
key_line_of (const char *private_path)
{
  g_autofree char *pub = tw_test_sshd_read_public_key (private_path);
  g_auto(GStrv) parts = g_strsplit (pub, " ", 3);

  return g_strdup_printf ("%s %s", parts[0], parts[1]);
}

/* Has sshd serve a certificate signed as @c says; returns the CA's private key */
static char *
serve_certificate (TwTestSshd            *sshd,
                   const CertificateCase *c)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  if (c->sign_with != NULL)
    {
      g_ptr_array_add (args, "-t");
      g_ptr_array_add (args, (gpointer) c->sign_with);
    }
  if (c->principals != NULL)
    {
      g_ptr_array_add (args, "-n");
      g_ptr_array_add (args, (gpointer) c->principals);
    }
  if (c->validity != NULL)
    {
      g_ptr_array_add (args, "-V");
      g_ptr_array_add (args, (gpointer) c->validity);
    }
  g_ptr_array_add (args, NULL);
  return tw_test_sshd_serve_host_certificate (sshd, c->ca_type, (const char * const *) args->pdata);
}

/* ssh with this known_hosts only and strict checking: 0 when it logged in */
static int
ssh_with (TwTestSshd *sshd,
          const char *known_hosts,
          const char *identity)
{
  g_autofree char *port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  g_autofree char *user_file = g_strdup_printf ("UserKnownHostsFile=%s", known_hosts);
  const char *argv[] = { "ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                         "-o", user_file, "-o", "GlobalKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
                         "-o", "ConnectTimeout=10", "-i", identity, "-p", port, TW_TEST_USER "@127.0.0.1",
                         "true", NULL };
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, NULL));
  g_test_message ("ssh: %s", err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* ssh-keyscan -c is the oracle for the certificate the server shows */
static void
assert_keyscan_shows (TwTestSshd        *sshd,
                      TwHostCertificate *certificate)
{
  g_autofree char *port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  const char *argv[] = { "ssh-keyscan", "-c", "-p", port, "127.0.0.1", NULL };
  g_autofree char *out = NULL;
  g_autofree char *b64 = NULL;
  gsize size;
  const guint8 *blob = g_bytes_get_data (tw_host_certificate_get_blob (certificate), &size);
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, NULL));
  b64 = g_base64_encode (blob, size);
  tw_test_assert_has (out, b64);
}

/* tunnel-check probe --json says the same about the certificate */
static void
assert_cli_json (TwTestSshd *sshd,
                 const char *known_hosts,
                 gboolean    trusted)
{
  g_autofree char *port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  const char *argv[] = { g_getenv ("TUNNEL_CHECK"), "probe", "--json", "--host", "127.0.0.1", "--port", port,
                         "--user", TW_TEST_USER, "--known-hosts", known_hosts, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  JsonObject *certificate;
  int status = 0;

  g_assert_nonnull (argv[0]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, NULL, &status, NULL));
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  certificate = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                               "host_certificate");
  g_assert_nonnull (certificate);
  g_assert_cmpint (json_object_get_boolean_member (certificate, "trusted"), ==, trusted);
  g_assert_cmpstr (json_object_get_string_member (certificate, "key_id"), ==, "tw-test-bastion");
  g_assert_cmpint (json_object_get_int_member (certificate, "serial"), ==, 7);
  g_assert_cmpint (WEXITSTATUS (status), ==, trusted ? 0 : 1);
}

static void
test_sshd (gconstpointer data)
{
  const KnownHostsCase *c = data;
  const char * const ssh_port[] = { "resolve", "connect", "banner", "kex", "host-key", NULL };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL, *key = NULL, *pub = NULL, *authorized = NULL, *other = NULL;
  g_autofree char *other_line = NULL, *content = NULL, *file = NULL;
  g_autofree char *ca = NULL, *ca_line = NULL, *other_ca = NULL, *other_ca_line = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  key = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  pub = tw_test_sshd_read_public_key (key);
  authorized = g_strconcat (pub, "\n", NULL);
  tw_test_sshd_set_authorized_keys (sshd, authorized);
  other = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  other_line = key_line_of (other);
  if (c->certificate != NULL)
    {
      ca = serve_certificate (sshd, c->certificate);
      ca_line = key_line_of (ca);
      other_ca = tw_test_sshd_make_key (sshd, "ed25519", NULL);
      other_ca_line = key_line_of (other_ca);
    }
  port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  content = fill (c->lines, port, tw_test_sshd_get_host_key_line (sshd), other_line, ca_line, other_ca_line);
  file = g_build_filename (tw_test_sshd_get_dir (sshd), "known_hosts_case", NULL);
  g_assert_true (g_file_set_contents (file, content, -1, NULL));
  if (c->hash)
    {
      const char *argv[] = { "ssh-keygen", "-q", "-H", "-f", file, NULL };
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                                   G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }

  probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
  tw_probe_set_known_hosts_file (probe, file);
  tw_probe_set_checks (probe, ssh_port);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("host-key: %s\n%s", tw_test_check_summary (report, "host-key"),
                  tw_test_check_detail (report, "host-key"));
  g_assert_cmpint (tw_report_get_known_hosts_status (report), ==, c->status);
  if (c->status == TW_KNOWN_HOSTS_REVOKED || c->status == TW_KNOWN_HOSTS_CHANGED)
    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_FAIL);
  if (c->status == TW_KNOWN_HOSTS_REVOKED)
    tw_test_assert_has (tw_test_check_summary (report, "host-key"), "known_hosts revokes");
  if (c->certificate != NULL)
    {
      TwHostCertificate *certificate = tw_report_get_host_certificate (report);
      g_autofree char *ca_pub = g_strconcat (ca, ".pub", NULL);
      g_autofree char *ca_fingerprint = tw_test_fingerprint_of (ca_pub);

      g_assert_nonnull (certificate);
      g_assert_cmpstr (tw_public_key_get_fingerprint (tw_host_certificate_get_ca_key (certificate)), ==,
                       ca_fingerprint);
      g_assert_cmpstr (tw_host_certificate_get_key_id (certificate), ==, "tw-test-bastion");
      g_assert_cmpuint (tw_host_certificate_get_serial (certificate), ==, 7);
      g_assert_cmpint (tw_report_get_host_certificate_trusted (report), ==, c->trusted);
      tw_test_assert_has (tw_test_check_detail (report, "host-key"), "tw-test-bastion");
      assert_keyscan_shows (sshd, certificate);
      if (c == &cases[G_N_ELEMENTS (cases) - 1] || c->trusted)
        assert_cli_json (sshd, file, c->trusted);
      if (c->trusted)
        {
          g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_PASS);
          tw_test_assert_has (tw_test_check_summary (report, "host-key"), ca_fingerprint);
        }
    }
  else
    g_assert_null (tw_report_get_host_certificate (report));

  /* The OpenSSH client logs in exactly when known_hosts knows the key. */
  g_assert_cmpint (ssh_with (sshd, file, key) == 0, ==, c->status == TW_KNOWN_HOSTS_KNOWN);
}

/* A tunnel that pinned keys and their CA: the server's key rotated under the
 * same CA still passes, by the CA; with the certificate expired, the pinned
 * keys decide again and the rotation is a changed key. */
static void
pinned_ca_case (const char    *validity,
                TwCheckStatus  expected,
                const char    *summary)
{
  const char * const ssh_port[] = { "resolve", "connect", "banner", "kex", "host-key", NULL };
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPublicKey) ca_key = NULL;
  g_autofree char *ca = NULL, *ca_line = NULL, *ca_pin = NULL, *old = NULL, *old_pub = NULL;
  g_autoptr(TwPublicKey) old_key = NULL;
  g_autofree char *old_pin = NULL;
  const char *pins[2] = { NULL, NULL };

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  ca = tw_test_sshd_serve_host_certificate (sshd, "ed25519",
                                            (const char * const []) { "-n", "127.0.0.1", "-V", validity, NULL });
  ca_line = key_line_of (ca);
  ca_key = tw_public_key_parse (ca_line, NULL);
  ca_pin = tw_host_keys_pin (ca_key);
  /* the key confirmed before the rotation */
  old = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  old_pub = key_line_of (old);
  old_key = tw_public_key_parse (old_pub, NULL);
  old_pin = tw_host_keys_pin (old_key);
  pins[0] = old_pin;

  probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, tw_test_sshd_get_dir (sshd));
  tw_tunnel_set_pinned_host_keys (tw_probe_get_tunnel (probe), pins);
  tw_tunnel_set_pinned_certificate_authority (tw_probe_get_tunnel (probe), ca_pin);
  tw_probe_set_checks (probe, ssh_port);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("host-key: %s\n%s", tw_test_check_summary (report, "host-key"),
                  tw_test_check_detail (report, "host-key"));
  g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, expected);
  tw_test_assert_has (tw_test_check_summary (report, "host-key"), summary);
}

static void
test_pinned_ca_rotated_key (void)
{
  pinned_ca_case ("-5m:+1h", TW_CHECK_STATUS_PASS, "vouched for by the certificate authority confirmed");
}

static void
test_pinned_ca_expired (void)
{
  pinned_ca_case ("-2d:-1d", TW_CHECK_STATUS_FAIL, "differs from the one confirmed");
}

/* tunnel-check probe --known-hosts with a revoked key: exit 1, never a pass, even with
 * the right --expect-fingerprint. */
static void
test_cli_revoked (void)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autofree char *port = NULL, *file = NULL, *content = NULL, *out = NULL;
  int status = 0;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  file = g_build_filename (tw_test_sshd_get_dir (sshd), "known_hosts_revoked", NULL);
  content = g_strdup_printf ("@revoked * %s\n", tw_test_sshd_get_host_key_line (sshd));
  g_assert_true (g_file_set_contents (file, content, -1, NULL));
  {
    const char *argv[] = { g_getenv ("TUNNEL_CHECK"), "probe", "--json", "--host", "127.0.0.1", "--port", port,
                           "--user", TW_TEST_USER, "--known-hosts", file,
                           "--expect-fingerprint", tw_test_sshd_get_fingerprint (sshd), NULL };

    g_assert_nonnull (argv[0]);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, NULL, &status, NULL));
  }
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  tw_test_assert_has (out, "known_hosts revokes this server");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/known-hosts/match", test_match);
  g_test_add_func ("/known-hosts/match-hashed", test_match_hashed);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_sshd);
  g_test_add_func ("/known-hosts/cli-revoked", test_cli_revoked);
  g_test_add_func ("/known-hosts/certificate/pinned-ca-rotated-key", test_pinned_ca_rotated_key);
  g_test_add_func ("/known-hosts/certificate/pinned-ca-expired", test_pinned_ca_expired);

  return g_test_run ();
}
