/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bastion set up the way Debian does it has three host keys (Ed25519,
 * ECDSA, RSA), and the service may show the admin any of them. The host-key
 * check collects them all, exactly as ssh-keyscan and ssh-keygen see them;
 * whatever form of a fingerprint the admin pastes into tunnel-check, it
 * matches if it is one of the server's keys, and only then; known_hosts and
 * the pinned set are judged against the whole set.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "tw-core.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

/* One server for the whole file: RSA key generation is slow. */
static TwTestSshd *sshd;
/* A key of each type that is NOT the server's: the wrong fingerprints */
static char *other_dir;

static const char * const ssh_only[] = { "resolve", "connect", "banner", "kex", "host-key", NULL };

static char *
run_capture (const char * const *argv,
             int                *exit_status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  if (exit_status != NULL)
    *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  else
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static char *
keygen_line (const char *pub,
             const char *hash)
{
  const char *argv[] = { "ssh-keygen", "-E", hash, "-lf", pub, NULL };

  return g_strchomp (run_capture (argv, NULL));
}

/* Field @n (0-based) of ssh-keygen -lf's line: 1 is the fingerprint */
static char *
keygen_field (const char *pub,
              const char *hash,
              guint       n)
{
  g_autofree char *line = keygen_line (pub, hash);
  g_auto(GStrv) fields = g_strsplit (line, " ", -1);

  return g_strdup (fields[n]);
}

static char *
keyscan (const char *type,
         gboolean    hashed)
{
  g_autofree char *port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  const char *argv[] = { "ssh-keyscan", "-t", type, "-p", port, hashed ? "-H" : "-4", "127.0.0.1", NULL };

  return g_strchomp (run_capture (argv, NULL));
}

/* tunnel-check probe with @extra options; returns the exit status and the
 * JSON report (NULL for a usage error) */
static int
run_cli (const char * const *extra,
         JsonObject        **root,
         char              **err)
{
  g_autofree char *port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
  g_autofree char *known_hosts = g_build_filename (other_dir, "empty_known_hosts", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_file_set_contents (known_hosts, "", -1, NULL);
  g_ptr_array_add (argv, (char *) g_getenv ("TUNNEL_CHECK"));
  for (const char * const *a = (const char * const[]) { "probe", "--host", "127.0.0.1", "--port", port,
                                                        "--user", TW_TEST_USER, "--json", NULL };
       *a != NULL; a++)
    g_ptr_array_add (argv, (char *) *a);
  if (extra == NULL || !g_strv_contains (extra, "--known-hosts"))
    {
      g_ptr_array_add (argv, (char *) "--known-hosts");
      g_ptr_array_add (argv, known_hosts);
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_nonnull (argv->pdata[0]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, &out, err, &status, &error));
  g_assert_no_error (error);

  *root = NULL;
  if (out != NULL && out[0] == '{')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
      *root = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static JsonObject *
host_key_check (JsonObject *root)
{
  JsonArray *checks = json_object_get_array_member (root, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "id"), "host-key"))
        return check;
    }
  g_assert_not_reached ();
}

/* The JSON host_keys are the keys ssh-keyscan gets, with the fingerprints
 * and pictures ssh-keygen draws; host_key is the one ssh would use. */
static void
test_all_keys_listed (void)
{
  g_autoptr(JsonObject) root = NULL;
  g_autofree char *scanned = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *keys;
  JsonObject *host_key;
  guint n_scanned = 0;

  if (sshd == NULL)
    return;
  g_assert_cmpint (run_cli (NULL, &root, NULL), ==, 0);
  keys = json_object_get_array_member (root, "host_keys");

  /* ssh-keyscan's lines through ssh-keygen -lf (it reads them from a file) */
  scanned = keyscan ("ed25519,ecdsa,rsa", FALSE);
  lines = g_strsplit (scanned, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (other_dir, "scanned.pub", NULL);
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", 3);
      g_autofree char *line = NULL;
      g_autofree char *fingerprint = NULL;
      g_autofree char *art = NULL;
      gboolean found = FALSE;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      n_scanned++;
      line = g_strdup_printf ("%s %s\n", fields[1], fields[2]);
      g_assert_true (g_file_set_contents (path, line, -1, NULL));
      fingerprint = keygen_field (path, "sha256", 1);
      {
        const char *argv[] = { "ssh-keygen", "-lvf", path, NULL };
        g_autofree char *lv = run_capture (argv, NULL);

        art = g_strstrip (g_strdup (strchr (lv, '\n') + 1));
      }
      for (guint k = 0; k < json_array_get_length (keys); k++)
        {
          JsonObject *key = json_array_get_object_element (keys, k);

          if (g_str_equal (json_object_get_string_member (key, "fingerprint"), fingerprint))
            {
              g_assert_cmpstr (json_object_get_string_member (key, "type"), ==, fields[1]);
              g_assert_cmpstr (json_object_get_string_member (key, "randomart"), ==, art);
              found = TRUE;
            }
        }
      g_test_message ("ssh-keyscan: %s %s", fields[1], fingerprint);
      g_assert_true (found);
    }
  g_assert_cmpuint (n_scanned, ==, 3);
  g_assert_cmpuint (json_array_get_length (keys), ==, n_scanned);

  /* A default OpenSSH client negotiates Ed25519 first: the main key */
  host_key = json_object_get_object_member (root, "host_key");
  g_assert_cmpstr (json_object_get_string_member (host_key, "type"), ==, "ssh-ed25519");
  g_assert_cmpstr (json_object_get_string_member (host_key, "fingerprint"), ==,
                   json_object_get_string_member (json_array_get_object_element (keys, 0), "fingerprint"));
  g_assert_cmpstr (json_object_get_string_member (host_key, "fingerprint"), ==,
                   tw_test_sshd_get_fingerprint (sshd));
  {
    const char *argv[] = { "ssh", "-G", "-p", "22", "127.0.0.1", NULL };
    g_autofree char *config = run_capture (argv, NULL);

    /* ... and that is what the client here prefers */
    g_assert_nonnull (strstr (config, "\nhostkeyalgorithms ssh-ed25519-cert-v01@openssh.com,"));
  }
}

typedef struct
{
  const char *name;
  char       *text;      /* what the admin pastes */
  const char *type;      /* the key it designates: its label in the summary */
  gboolean    md5;
} Form;

static void
form_clear (Form *form)
{
  g_free (form->text);
}

/* Every form, for a key of @type found in @dir as host_@type.pub */
static GArray *
forms_for (const char *dir,
           const char *type,
           gboolean    own)
{
  GArray *forms = g_array_new (FALSE, TRUE, sizeof (Form));
  g_autofree char *name = g_strdup_printf ("host_%s.pub", type);
  g_autofree char *pub = g_build_filename (dir, name, NULL);
  g_autofree char *sha = keygen_field (pub, "sha256", 1);
  g_autofree char *md5 = keygen_field (pub, "md5", 1);
  g_autofree char *pub_text = NULL;
  g_auto(GStrv) pub_fields = NULL;
  Form f;

  g_array_set_clear_func (forms, (GDestroyNotify) form_clear);
  g_assert_true (g_file_get_contents (pub, &pub_text, NULL, NULL));
  pub_fields = g_strsplit (pub_text, " ", 3);

#define ADD(n, t, m) (f = (Form) { n, t, type, m }, g_array_append_val (forms, f))
  ADD ("sha256", g_strdup (sha), FALSE);
  ADD ("bare", g_strdup (sha + strlen ("SHA256:")), FALSE);
  ADD ("keygen-line", keygen_line (pub, "sha256"), FALSE);
  ADD ("quoted-broken", g_strdup_printf ("  “%.*s\n%s”\n", 20, sha, sha + 20), FALSE);
  ADD ("md5", g_strdup (md5), TRUE);
  ADD ("md5-bare", g_strdup (md5 + strlen ("MD5:")), TRUE);
  ADD ("md5-keygen-line", keygen_line (pub, "md5"), TRUE);
  ADD ("pub-line", g_strdup (g_strstrip (pub_text)), FALSE);
  ADD ("known-hosts-line", g_strdup_printf ("[bastion.example]:2222 %s %s", pub_fields[0], pub_fields[1]), FALSE);
  if (own)
    {
      ADD ("keyscan-line", keyscan (type, FALSE), FALSE);
      ADD ("keyscan-hashed", keyscan (type, TRUE), FALSE);
    }
#undef ADD
  return forms;
}

static const char *
label_of (const char *type)
{
  return g_str_equal (type, "ed25519") ? "ED25519" : g_str_equal (type, "ecdsa") ? "ECDSA" : "RSA";
}

/* Each form, for each of the server's keys: a pass that names the key;
 * the same forms for keys of another server: a failure. */
static void
test_forms_right_and_wrong (void)
{
  const char *types[] = { "ed25519", "ecdsa", "rsa" };

  if (sshd == NULL)
    return;

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    for (guint own = 0; own < 2; own++)
      {
        g_autoptr(GArray) forms = forms_for (own ? tw_test_sshd_get_dir (sshd) : other_dir, types[t], own);

        for (guint i = 0; i < forms->len; i++)
          {
            Form *form = &g_array_index (forms, Form, i);
            const char *args[] = { "--expect-fingerprint", form->text, NULL };
            g_autoptr(JsonObject) root = NULL;
            JsonObject *check;
            const char *summary;
            int status;

            status = run_cli (args, &root, NULL);
            check = host_key_check (root);
            summary = json_object_get_string_member (check, "summary");
            g_test_message ("%s %s %s: %d %s", own ? "right" : "wrong", types[t], form->name, status, summary);
            if (!own)
              {
                g_assert_cmpint (status, ==, 1);
                g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "fail");
                g_assert_cmpstr (summary, ==, "The host key does not match the expected fingerprint");
                continue;
              }
            g_assert_cmpint (status, ==, 0);
            g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "pass");
            if (t > 0 || form->md5)
              g_assert_nonnull (strstr (summary, label_of (types[t])));
            if (form->md5)
              g_assert_nonnull (strstr (summary, "MD5 (a weak hash)"));
            {
              g_autofree char *which = g_strdup_printf ("Matches the expected fingerprint: the %s key",
                                                        label_of (types[t]));

              g_assert_nonnull (strstr (json_object_get_string_member (check, "detail"), which));
            }
          }
      }
}

/* Not a fingerprint at all: a usage error that says which forms work */
static void
test_form_invalid (void)
{
  const char *cases[] = { "hello", "SHA256:tooshort", "MD5:12:34", "@revoked * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA" };

  if (sshd == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "--expect-fingerprint", cases[i], NULL };
      g_autoptr(JsonObject) root = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (args, &root, &err), ==, 2);
      g_assert_null (root);
      g_test_message ("%s → %s", cases[i], err);
      if (i < 3)
        g_assert_nonnull (strstr (err, "the whole line “ssh-keygen -lf FILE” prints"));
      else
        g_assert_nonnull (strstr (err, "@revoked"));
    }
}

/* known_hosts hashed by ssh-keyscan -H, holding only the ECDSA key: known */
static void
test_known_hosts_hashed_ecdsa (void)
{
  g_autofree char *path = g_build_filename (other_dir, "known_hosts_ecdsa", NULL);
  g_autofree char *line = NULL;
  g_autoptr(JsonObject) root = NULL;
  const char *args[] = { "--known-hosts", path, NULL };
  g_autofree char *ecdsa_pub = NULL;
  g_autofree char *ecdsa_fp = NULL;
  JsonObject *check;

  if (sshd == NULL)
    return;
  line = keyscan ("ecdsa", TRUE);
  g_assert_true (g_str_has_prefix (line, "|1|"));
  g_assert_null (strstr (line, "ssh-ed25519"));
  g_assert_true (g_file_set_contents (path, line, -1, NULL));
  ecdsa_pub = tw_test_sshd_get_host_key_pub (sshd, "ecdsa");
  ecdsa_fp = keygen_field (ecdsa_pub, "sha256", 1);

  g_assert_cmpint (run_cli (args, &root, NULL), ==, 0);
  check = host_key_check (root);
  g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "pass");
  g_assert_nonnull (strstr (json_object_get_string_member (check, "summary"), ecdsa_fp));
  g_assert_nonnull (strstr (json_object_get_string_member (check, "detail"), "known_hosts: known (the ECDSA key"));

  /* The OpenSSH client agrees: it connects with this file and strict checking */
  {
    g_autofree char *port = g_strdup_printf ("%u", tw_test_sshd_get_port (sshd));
    g_autofree char *opt = g_strdup_printf ("UserKnownHostsFile=%s", path);
    const char *argv[] = { "ssh-keyscan", "-p", port, "127.0.0.1", NULL };
    const char *ssh[] = { "ssh", "-F", "/dev/null", "-o", opt, "-o", "StrictHostKeyChecking=yes",
                          "-o", "BatchMode=yes", "-o", "PreferredAuthentications=none",
                          "-p", port, TW_TEST_USER "@127.0.0.1", "true", NULL };
    g_autofree char *ignored = run_capture (argv, NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = 0;

    /* ssh fails at authentication (no method), not at the host key */
    g_assert_true (g_spawn_sync (NULL, (char **) ssh, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out, &err, &status, NULL));
    g_assert_null (strstr (err, "Host key verification failed"));
    g_assert_nonnull (strstr (err, "Permission denied"));
  }

  /* The same file with that ECDSA line replaced by another ECDSA key: CHANGED */
  {
    g_autofree char *other_pub = g_build_filename (other_dir, "host_ecdsa.pub", NULL);
    g_autofree char *other = NULL;
    g_auto(GStrv) fields = g_strsplit (line, " ", 3);
    g_autofree char *changed = NULL;
    g_autoptr(JsonObject) root2 = NULL;

    g_assert_true (g_file_get_contents (other_pub, &other, NULL, NULL));
    changed = g_strdup_printf ("%s %s", fields[0], other);
    g_assert_true (g_file_set_contents (path, changed, -1, NULL));
    g_assert_cmpint (run_cli (args, &root2, NULL), ==, 1);
    check = host_key_check (root2);
    g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "fail");
    g_assert_cmpstr (json_object_get_string_member (check, "summary"), ==,
                     "The host key CHANGED since it was recorded in known_hosts");
  }
}

static TwReport *
probe_with_pins (const char * const *pins)
{
  g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, other_dir);
  g_autoptr(GError) error = NULL;
  TwReport *report;

  tw_probe_set_checks (probe, ssh_only);
  tw_tunnel_set_pinned_host_keys (tw_probe_get_tunnel (probe), pins);
  report = tw_test_run_probe (probe, 0, NULL, &error);
  g_assert_no_error (error);
  return report;
}

/* The whole set pinned: unchanged passes; one key changed blocks; a key
 * gone or a new one, the others unchanged, warns; an old single pin of any
 * of the keys passes. */
static void
test_pinned_set (void)
{
  g_autoptr(TwReport) first = NULL;
  g_auto(GStrv) pins = NULL;

  if (sshd == NULL)
    return;
  first = probe_with_pins (NULL);
  g_assert_cmpuint (tw_report_get_host_keys (first)->len, ==, 3);
  pins = tw_host_keys_pins (tw_report_get_host_keys (first));

  {
    g_autoptr(TwReport) report = probe_with_pins ((const char * const *) pins);

    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_PASS);
  }
  {
    /* The ECDSA pin from another key: that key "changed" */
    g_auto(GStrv) changed = g_strdupv (pins);
    g_autofree char *other_pub = g_build_filename (other_dir, "host_ecdsa.pub", NULL);
    g_autofree char *other_fp = keygen_field (other_pub, "sha256", 1);
    g_autoptr(TwReport) report = NULL;

    g_assert_true (g_str_has_prefix (changed[1], "ecdsa-sha2-nistp256 "));
    g_free (changed[1]);
    changed[1] = g_strdup_printf ("ecdsa-sha2-nistp256 %s", other_fp);
    report = probe_with_pins ((const char * const *) changed);
    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_FAIL);
    g_assert_cmpstr (tw_test_check_summary (report, "host-key"), ==,
                     "The host key differs from the one confirmed for this tunnel");
  }
  {
    /* RSA was not part of the set: new */
    const char *two[] = { pins[0], pins[1], NULL };
    g_autoptr(TwReport) report = probe_with_pins (two);

    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_WARN);
    g_assert_nonnull (strstr (tw_test_check_detail (report, "host-key"), "New, not confirmed yet:\n  RSA SHA256:"));
  }
  {
    /* A DSA key confirmed before is gone */
    const char *gone[] = { pins[0], pins[1], pins[2], "ssh-dss SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL };
    g_autoptr(TwReport) report = probe_with_pins (gone);

    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_WARN);
    g_assert_nonnull (strstr (tw_test_check_detail (report, "host-key"), "Confirmed but no longer offered: ssh-dss"));
  }
  {
    /* Only keys the server does not have: no pinned key left, blocks */
    const char *none[] = { "ssh-dss SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL };
    g_autoptr(TwReport) report = probe_with_pins (none);

    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_FAIL);
  }
  {
    /* A tunnel saved with one fingerprint, the RSA one */
    g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, other_dir);
    g_autoptr(TwReport) report = NULL;

    tw_probe_set_checks (probe, ssh_only);
    tw_tunnel_set_pinned_fingerprint (tw_probe_get_tunnel (probe), strchr (pins[2], ' ') + 1);
    report = tw_test_run_probe (probe, 0, NULL, NULL);
    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_PASS);

    tw_tunnel_set_pinned_fingerprint (tw_probe_get_tunnel (probe), "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    g_clear_object (&report);
    report = tw_test_run_probe (probe, 0, NULL, NULL);
    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_FAIL);
  }
}

/* Cancelling while the other keys are asked for ends the run at once. */
static void
test_cancel_during_scan (void)
{
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  double callback_ms = 0;

  if (sshd == NULL)
    return;
  probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 10, other_dir);
  tw_probe_set_checks (probe, ssh_only);
  /* ~ when the main exchange and the scans run */
  report = tw_test_run_probe (probe, 15, &callback_ms, &error);
  g_test_message ("callback %.2f ms after cancel (%s)", callback_ms, error ? error->message : "finished first");
  if (error != NULL)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (callback_ms, <, 100);
}

int
main (int   argc,
      char *argv[])
{
  const char *extra[] = { "ecdsa", "rsa", NULL };
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  if (tw_test_sshd_can_run ())
    {
      sshd = tw_test_sshd_start_with_host_keys (NULL, extra);
      other_dir = g_dir_make_tmp ("tw-host-keys-XXXXXX", &error);
      g_assert_no_error (error);
      for (guint i = 0; i < 3; i++)
        {
          const char *types[] = { "ed25519", "ecdsa", "rsa" };
          g_autofree char *name = g_strdup_printf ("host_%s", types[i]);
          g_autofree char *path = g_build_filename (other_dir, name, NULL);
          const char *keygen[] = { "ssh-keygen", "-q", "-t", types[i], "-N", "", "-C", "root@elsewhere",
                                   "-f", path, NULL };

          g_free (run_capture (keygen, NULL));
        }
    }

  g_test_add_func ("/probe/host-keys/all-listed", test_all_keys_listed);
  g_test_add_func ("/probe/host-keys/forms", test_forms_right_and_wrong);
  g_test_add_func ("/probe/host-keys/form-invalid", test_form_invalid);
  g_test_add_func ("/probe/host-keys/known-hosts-hashed-ecdsa", test_known_hosts_hashed_ecdsa);
  g_test_add_func ("/probe/host-keys/pinned-set", test_pinned_set);
  g_test_add_func ("/probe/host-keys/cancel", test_cancel_during_scan);
  result = g_test_run ();

  if (other_dir != NULL)
    {
      const char *rm[] = { "rm", "-rf", other_dir, NULL };

      g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
      g_free (other_dir);
    }
  g_clear_pointer (&sshd, tw_test_sshd_stop);
  return result;
}
