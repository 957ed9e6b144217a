/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hostile peers at the SSH port: servers that lie, flood, stop half-way or
 * reset, and a real sshd whose host key is swapped under a pinned
 * fingerprint. Every case ends with the check that must fail, its status
 * and its plain-language message, well within the timeout.
 *
 * (A peer that opens channels back cannot be played against the probe: in
 * libssh's client mode a server-initiated channel is refused unless a
 * forward was asked for, and the probe asks for none. The reverse engine,
 * which does ask, gets its 1000 channels in test-hostile-reverse.c.)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "tw-core.h"
#include "tw-test-badserver.h"
#include "tw-test-probe-run.h"
#include "tw-test-sshd.h"

/* A loaded CI box may be slow, but never this slow: the bound every case
 * must finish within, on top of the probe's own timeout. */
#define SLACK_S 3.0

static const char * const ssh_port[] = { "resolve", "connect", "banner", "kex", "host-key", NULL };

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("tw-hostile-XXXXXX", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *kh = g_build_filename (fixture->dir, "empty_known_hosts", NULL);

  g_unlink (kh);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static TwReport *
probe_bad (Fixture   *fixture,
           TwBadKind  kind,
           guint      timeout_s,
           double    *elapsed_s)
{
  TwReport *report = tw_test_probe_bad_server (fixture->dir, kind, timeout_s, elapsed_s);

  g_test_message ("%s in %.2f s", tw_test_check_summary (report, "banner"), *elapsed_s);
  return report;
}

static void
assert_has (const char *what,
            const char *text,
            const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("%s “%s” lacks “%s”", what, text ? text : "(null)", needle);
}

/* @id failed with exactly @summary (or a summary holding @needle when
 * @exact is FALSE), said why in a hint, and nothing after @id ran. */
static void
assert_failed (TwReport    *report,
               const char  *id,
               const char  *summary,
               gboolean     exact)
{
  gboolean after = FALSE;

  g_assert_cmpint (tw_test_check_status (report, id), ==, TW_CHECK_STATUS_FAIL);
  if (exact)
    g_assert_cmpstr (tw_test_check_summary (report, id), ==, summary);
  else
    assert_has (id, tw_test_check_summary (report, id), summary);
  g_assert_cmpint (tw_report_get_verdict (report), ==, TW_CHECK_STATUS_FAIL);

  for (const char * const *other = ssh_port; *other; other++)
    {
      if (after)
        g_assert_cmpint (tw_test_check_status (report, *other), ==, TW_CHECK_STATUS_SKIP);
      if (g_str_equal (*other, id))
        after = TRUE;
    }
}

/* Lines forever, none an SSH banner: named as not SSH from the first
 * line, not read until the timeout. */
static void
test_endless_lines (Fixture       *fixture,
                    gconstpointer  data)
{
  double elapsed;
  g_autoptr(TwReport) report = probe_bad (fixture, TW_BAD_ENDLESS_LINES, 5, &elapsed);

  assert_failed (report, "banner", "does not speak SSH", FALSE);
  assert_has ("detail", tw_test_check_detail (report, "banner"), "First bytes: Welcome, line 0");
  assert_has ("hint", tw_test_check_hint (report, "banner"), "The SSH port is wrong");
  g_assert_cmpfloat (elapsed, <, 5 + SLACK_S);
}

/* A NUL in the middle of the banner: refused, shown escaped, never cut
 * short into a plausible "SSH-2.0-Open". */
static void
test_nul_banner (Fixture       *fixture,
                 gconstpointer  data)
{
  double elapsed;
  g_autoptr(TwReport) report = probe_bad (fixture, TW_BAD_NUL_BANNER, 5, &elapsed);

  assert_failed (report, "banner", "The SSH identification string holds bytes that are not text", TRUE);
  assert_has ("detail", tw_test_check_detail (report, "banner"), "SSH-2.0-Open\\x00SSH_9.2");
  g_assert_null (tw_report_get_server_software (report));
  g_assert_cmpfloat (elapsed, <, 5 + SLACK_S);
}

/* 1 MiB without a line break: stopped at SSH's 255 characters. */
static void
test_huge_line (Fixture       *fixture,
                gconstpointer  data)
{
  double elapsed;
  g_autoptr(TwReport) report = probe_bad (fixture, TW_BAD_HUGE_LINE, 5, &elapsed);

  assert_failed (report, "banner", "The server’s identification string never ends", TRUE);
  assert_has ("hint", tw_test_check_hint (report, "banner"), "255 characters");
  g_assert_cmpfloat (elapsed, <, 5 + SLACK_S);
}

/* "SSH-2.0-" and EOF: said at once, not after the whole timeout (a peeked
 * banner keeps the socket readable, so EOF has to be asked for). */
static void
test_partial_banner_eof (Fixture       *fixture,
                         gconstpointer  data)
{
  double elapsed;
  g_autoptr(TwReport) report = probe_bad (fixture, TW_BAD_PARTIAL_BANNER_EOF, 10, &elapsed);

  assert_failed (report, "banner",
                 "The server closed the connection in the middle of its identification string", TRUE);
  g_assert_cmpstr (tw_test_check_detail (report, "banner"), ==, "SSH-2.0-");
  g_assert_nonnull (tw_test_check_hint (report, "banner"));
  /* Far below the 10 s timeout: EOF is seen when it comes. */
  g_assert_cmpfloat (elapsed, <, SLACK_S);
}

/* A banner, then a reset (RST) inside the key exchange. */
static void
test_reset_in_kex (Fixture       *fixture,
                   gconstpointer  data)
{
  TwBadKind kind = GPOINTER_TO_INT (data);
  double elapsed;
  g_autoptr(TwReport) report = probe_bad (fixture, kind, 10, &elapsed);

  g_assert_cmpint (tw_test_check_status (report, "banner"), ==, TW_CHECK_STATUS_PASS);
  g_assert_cmpstr (tw_report_get_server_software (report), ==, "OpenSSH_9.2p1");
  g_test_message ("kex: %s", tw_test_check_summary (report, "kex"));
  assert_failed (report, "kex", "Key exchange failed: The server ", FALSE);
  /* reset or closed, as the kernel saw it, but never a timeout */
  if (strstr (tw_test_check_summary (report, "kex"), "reset the connection") == NULL &&
      strstr (tw_test_check_summary (report, "kex"), "closed the connection") == NULL)
    g_error ("kex summary “%s”", tw_test_check_summary (report, "kex"));
  assert_has ("hint", tw_test_check_hint (report, "kex"), "broke off the key exchange");
  g_assert_cmpfloat (elapsed, <, SLACK_S);
}

/* sshd re-reads its host key on SIGHUP: the same server, same port, new key */
static char *
swap_host_key (TwTestSshd *sshd)
{
  g_autofree char *key = g_build_filename (tw_test_sshd_get_dir (sshd), "host_ed25519", NULL);
  g_autofree char *pub = g_strconcat (key, ".pub", NULL);
  g_autofree char *pidfile = g_build_filename (tw_test_sshd_get_dir (sshd), "sshd.pid", NULL);
  g_autofree char *pid_text = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;
  const char *keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "swapped", "-f", key, NULL };
  const char *lf[] = { "ssh-keygen", "-lf", pub, "-E", "sha256", NULL };
  int status = 0;

  g_unlink (key);
  g_unlink (pub);
  g_assert_true (g_spawn_sync (NULL, (char **) keygen, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) lf, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &line, NULL, &status, NULL));
  fields = g_strsplit (line, " ", 3);

  g_assert_true (g_file_get_contents (pidfile, &pid_text, NULL, NULL));
  g_assert_cmpint (kill ((pid_t) g_ascii_strtoll (pid_text, NULL, 10), SIGHUP), ==, 0);
  return g_strdup (fields[1]);
}

/* Polls the port until sshd (restarted) answers with the new key. */
static void
wait_for_key (TwTestSshd *sshd,
              const char *fingerprint,
              const char *dir)
{
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(TwProbe) probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 5, dir);
      g_autoptr(TwReport) report = NULL;
      static const char * const host_key[] = { "host-key", NULL };

      tw_probe_set_checks (probe, host_key);
      report = tw_test_run_probe (probe, 0, NULL, NULL);
      if (report != NULL && g_strcmp0 (tw_report_get_host_key_fingerprint (report), fingerprint) == 0)
        return;
      g_usleep (50 * 1000);
    }
  g_error ("sshd did not come back with the new host key");
}

static guint
count_lines_with (const char *text,
                  const char *needle)
{
  guint n = 0;

  for (const char *p = text; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* The saved tunnel pins the first key; the same sshd comes back with
 * another: host-key fails with the man-in-the-middle message, and nothing
 * after it runs — no login is even tried (the server's log proves it). */
static void
test_host_key_swap (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TwTestSshd) sshd = NULL;
  g_autoptr(TwProbe) probe = NULL;
  g_autoptr(TwCredentials) creds = tw_credentials_new_password (TW_TEST_PASSWORD);
  g_autofree char *pinned = NULL;
  g_autofree char *swapped = NULL;
  g_autofree char *log = NULL;
  guint logins_before;

  if (!tw_test_sshd_can_run ())
    return;
  sshd = tw_test_sshd_start (NULL);
  pinned = g_strdup (tw_test_sshd_get_fingerprint (sshd));

  probe = tw_test_probe_new (tw_test_sshd_get_port (sshd), 5, fixture->dir);
  tw_tunnel_set_pinned_fingerprint (tw_probe_get_tunnel (probe), pinned);
  tw_probe_set_credentials (probe, creds);
  {
    g_autoptr(TwReport) report = tw_test_run_probe (probe, 0, NULL, NULL);

    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_PASS);
    g_assert_cmpint (tw_test_check_status (report, "login"), ==, TW_CHECK_STATUS_PASS);
  }

  swapped = swap_host_key (sshd);
  g_assert_cmpstr (swapped, !=, pinned);
  wait_for_key (sshd, swapped, fixture->dir);
  log = tw_test_sshd_get_log (sshd);
  logins_before = count_lines_with (log, "Accepted password");
  /* the login check's, and one per connection of the connections check */
  g_assert_cmpuint (logins_before, ==, 1 + 4);

  {
    gint64 start = g_get_monotonic_time ();
    g_autoptr(TwReport) report = tw_test_run_probe (probe, 0, NULL, NULL);
    const char * const *ids = tw_probe_get_all_check_ids ();
    g_autofree char *expected = g_strdup_printf ("Confirmed before:\n  %s\nShown now:\n  ssh-ed25519 %s",
                                                 pinned, swapped);
    double elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
    gboolean after = FALSE;

    g_test_message ("host-key: %s in %.2f s", tw_test_check_summary (report, "host-key"), elapsed);
    g_assert_cmpint (tw_test_check_status (report, "host-key"), ==, TW_CHECK_STATUS_FAIL);
    g_assert_cmpstr (tw_test_check_summary (report, "host-key"), ==,
                     "The host key differs from the one confirmed for this tunnel");
    assert_has ("detail", tw_test_check_detail (report, "host-key"), expected);
    assert_has ("hint", tw_test_check_hint (report, "host-key"), "Nothing more was sent to this server");
    for (const char * const *id = ids; *id; id++)
      {
        if (after)
          g_assert_cmpint (tw_test_check_status (report, *id), ==, TW_CHECK_STATUS_SKIP);
        if (g_str_equal (*id, "host-key"))
          after = TRUE;
      }
    g_assert_cmpfloat (elapsed, <, 5 + SLACK_S);
  }

  /* No login or key query reached the server after the swap. */
  g_clear_pointer (&log, g_free);
  log = tw_test_sshd_get_log (sshd);
  g_assert_cmpuint (count_lines_with (log, "Accepted password"), ==, logins_before);
  g_assert_cmpuint (count_lines_with (log, "Failed password"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/hostile/banner/endless-lines", NULL, test_endless_lines);
  ADD ("/hostile/banner/nul-bytes", NULL, test_nul_banner);
  ADD ("/hostile/banner/1mib-line", NULL, test_huge_line);
  ADD ("/hostile/banner/partial-then-eof", NULL, test_partial_banner_eof);
  ADD ("/hostile/kex/reset-after-banner", GINT_TO_POINTER (TW_BAD_RESET_AFTER_BANNER), test_reset_in_kex);
  ADD ("/hostile/kex/reset-after-kexinit", GINT_TO_POINTER (TW_BAD_RESET_MID_KEX), test_reset_in_kex);
  ADD ("/hostile/kex/close-after-banner", GINT_TO_POINTER (TW_BAD_CLOSE_AFTER_BANNER), test_reset_in_kex);
  ADD ("/hostile/host-key/swap", NULL, test_host_key_swap);
#undef ADD

  return g_test_run ();
}
