/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Step 5 against a bastion with three host keys, as Debian sets one up: the
 * admin sees every key (the one most clients are shown first), pastes the
 * fingerprint the service shows, which may be the ECDSA one, and it matches
 * without a man-in-the-middle warning; a fingerprint of a key type the
 * server does not have is told apart from a wrong one; confirming pins the
 * whole set. With TW_SCREENSHOT_DIR set, each screen is saved as a PNG.
 */
#include "config.h"

#include <string.h>

#include "tw-application.h"
#include "tw-core.h"
#include "tw-fingerprint-page.h"
#include "tw-test-sshd.h"
#include "tw-test-window.h"

static TwApplication *app;

typedef struct
{
  TwTestSshd *sshd;
  TwTunnel   *tunnel;
  GtkWindow  *window;
  GtkWidget  *page;
  char       *other_dir;   /* keys of another server: wrong fingerprints */
  char      **certificate_ca; /* (out) (optional): the CA that signed the served certificate */
} Fixture;

static char *
capture (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strchomp (out);
}

/* What ssh-keygen -lf prints for @pub: "256 SHA256:… comment (ECDSA)" */
static char *
keygen_line (const char *pub)
{
  return capture ((const char *[]) { "ssh-keygen", "-lf", pub, NULL });
}

static char *
keygen_fingerprint (const char *pub)
{
  g_autofree char *line = keygen_line (pub);
  g_auto(GStrv) fields = g_strsplit (line, " ", 3);

  return g_strdup (fields[1]);
}

/* @focus: scrolled into view first (the comparison is below the keys) */
static void
screenshot (Fixture    *fixture,
            const char *name,
            const char *focus)
{
  const char *dir = g_getenv ("TW_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autofree char *geometry = NULL;

  if (dir == NULL)
    return;
  if (focus != NULL)
    {
      GtkWidget *scrolled = gtk_widget_get_ancestor (tw_test_find_named (fixture->page, focus),
                                                     GTK_TYPE_SCROLLED_WINDOW);
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

      tw_test_spin (100);
      gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
    }
  tw_test_spin (400);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  geometry = g_strdup_printf ("%dx%d+0+0", gtk_widget_get_width (GTK_WIDGET (fixture->window)),
                              gtk_widget_get_height (GTK_WIDGET (fixture->window)));
  g_assert_true (g_spawn_sync (NULL, (char *[]) { "import", "-window", "root", "-crop", geometry, path, NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
}

static gboolean
keys_shown (gpointer data)
{
  Fixture *fixture = data;
  TwReport *report = tw_fingerprint_page_get_report (TW_FINGERPRINT_PAGE (fixture->page));

  return report != NULL && tw_report_get_finished (report) &&
         tw_report_get_host_key_fingerprint (report) != NULL;
}

static void
fixture_start_with (Fixture            *fixture,
                    const char * const *extra_types,
                    const char * const *certificate_args)
{
  g_autoptr(GError) error = NULL;

  fixture->sshd = tw_test_sshd_start_with_host_keys (NULL, extra_types);
  if (certificate_args != NULL)
    {
      char *ca = tw_test_sshd_serve_host_certificate (fixture->sshd, "ed25519", certificate_args);

      if (fixture->certificate_ca != NULL)
        *fixture->certificate_ca = ca;
      else
        g_free (ca);
    }
  fixture->other_dir = g_dir_make_tmp ("tw-window-fingerprint-XXXXXX", &error);
  g_assert_no_error (error);
  for (const char * const *t = (const char * const[]) { "ecdsa", "rsa", NULL }; *t != NULL; t++)
    {
      g_autofree char *name = g_strdup_printf ("host_%s", *t);
      g_autofree char *path = g_build_filename (fixture->other_dir, name, NULL);

      g_free (capture ((const char *[]) { "ssh-keygen", "-q", "-t", *t, "-N", "", "-C", "root@elsewhere",
                                          "-f", path, NULL }));
    }

  fixture->tunnel = tw_tunnel_new ();
  tw_tunnel_set_ssh_host (fixture->tunnel, "127.0.0.1");
  tw_tunnel_set_ssh_port (fixture->tunnel, tw_test_sshd_get_port (fixture->sshd));
  tw_tunnel_set_user (fixture->tunnel, TW_TEST_USER);

  fixture->window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  gtk_window_set_default_size (fixture->window,
                               g_getenv ("TW_SCREENSHOT_WIDTH") != NULL
                               ? (int) g_ascii_strtoll (g_getenv ("TW_SCREENSHOT_WIDTH"), NULL, 10) : 720,
                               900);
  fixture->page = tw_fingerprint_page_new ();
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (fixture->window), fixture->page);
  g_object_set (fixture->page, "tunnel", fixture->tunnel, NULL);
  gtk_window_present (fixture->window);
  /* shown without a report: the page reads the host keys itself */
  g_assert_true (tw_test_wait_until (keys_shown, fixture));
}

static void
fixture_start (Fixture            *fixture,
               const char * const *extra_types)
{
  fixture_start_with (fixture, extra_types, NULL);
}

static void
fixture_stop (Fixture *fixture)
{
  gtk_window_destroy (fixture->window);
  tw_test_spin (50);
  g_clear_object (&fixture->tunnel);
  g_clear_pointer (&fixture->sshd, tw_test_sshd_stop);
  tw_test_remove_tree (fixture->other_dir);
  g_clear_pointer (&fixture->other_dir, g_free);
}

static void
paste (Fixture    *fixture,
       const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (tw_test_find_named (fixture->page, "pasted-fingerprint")), text);
}

static const char *
verdict_text (Fixture *fixture)
{
  return gtk_label_get_label (GTK_LABEL (tw_test_find_named (fixture->page, "comparison-verdict")));
}

static TwFingerprintVerdict
verdict (Fixture *fixture)
{
  return tw_fingerprint_page_get_verdict (TW_FINGERPRINT_PAGE (fixture->page));
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text ? text : "(null)", needle);
}

static void
assert_lacks (const char *text,
              const char *needle)
{
  if (text != NULL && strstr (text, needle) != NULL)
    g_error ("“%s” has “%s”", text, needle);
}

/* A card of the other keys: its label and whether it carries the mark */
static gboolean
card_marked (GtkWidget *card)
{
  gboolean marked = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (card); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_label (GTK_LABEL (child)), "you pasted") != NULL)
        return TRUE;
      marked |= card_marked (child);
    }
  return marked;
}

/* Three keys: all shown, Ed25519 first and large; the ECDSA fingerprint the
 * service showed matches, names its file, and pinning takes all three. */
static void
test_three_keys_ecdsa_matches (void)
{
  const char *extra[] = { "ecdsa", "rsa", NULL };
  Fixture fixture = { 0 };
  g_autofree char *ed25519_pub = NULL;
  g_autofree char *ecdsa_pub = NULL;
  g_autofree char *ecdsa_line = NULL;
  g_autofree char *wrong_line = NULL;
  g_autofree char *wrong_pub = NULL;
  GtkWidget *others, *ecdsa_card, *rsa_card;
  TwReport *report;

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture, extra);
  report = tw_fingerprint_page_get_report (TW_FINGERPRINT_PAGE (fixture.page));
  g_assert_cmpuint (tw_report_get_host_keys (report)->len, ==, 3);

  /* The large one is what a default ssh is shown: Ed25519 */
  ed25519_pub = tw_test_sshd_get_host_key_pub (fixture.sshd, "ed25519");
  {
    g_autofree char *fp = keygen_fingerprint (ed25519_pub);
    g_autofree char *grouped = tw_fingerprint_format_groups (fp, 4);

    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (tw_test_find_named (fixture.page, "host-fingerprint"))),
                     ==, grouped);
  }
  others = tw_test_find_named (fixture.page, "other-host-keys");
  g_assert_true (gtk_widget_is_visible (others));
  ecdsa_card = tw_test_find_named (others, "ECDSA");
  rsa_card = tw_test_find_named (others, "RSA");
  g_assert_nonnull (ecdsa_card);
  g_assert_nonnull (rsa_card);
  g_assert_false (card_marked (ecdsa_card));
  screenshot (&fixture, "step5-three-keys", NULL);

  /* Another server's ECDSA key: a mismatch, shown against our ECDSA key */
  wrong_pub = g_build_filename (fixture.other_dir, "host_ecdsa.pub", NULL);
  wrong_line = keygen_line (wrong_pub);
  paste (&fixture, wrong_line);
  g_assert_cmpint (verdict (&fixture), ==, TW_FINGERPRINT_VERDICT_MISMATCH);
  assert_contains (verdict_text (&fixture), "They do not match the server’s ECDSA key");
  assert_contains (verdict_text (&fixture), "Do not confirm");
  g_assert_false (gtk_widget_activate_action (fixture.page, "page.confirm", NULL) &&
                  tw_tunnel_get_pinned_fingerprint (fixture.tunnel) != NULL);
  g_assert_null (tw_tunnel_get_pinned_fingerprint (fixture.tunnel));

  /* The ECDSA line ssh-keygen -lf prints on the server: a match */
  ecdsa_pub = tw_test_sshd_get_host_key_pub (fixture.sshd, "ecdsa");
  ecdsa_line = keygen_line (ecdsa_pub);
  g_assert_true (g_str_has_suffix (ecdsa_line, "(ECDSA)"));
  paste (&fixture, ecdsa_line);
  g_assert_cmpint (verdict (&fixture), ==, TW_FINGERPRINT_VERDICT_MATCH);
  assert_contains (verdict_text (&fixture), "They match the server’s ECDSA key");
  assert_contains (verdict_text (&fixture), "/etc/ssh/ssh_host_ecdsa_key.pub");
  assert_lacks (verdict_text (&fixture), "Do not confirm");
  g_assert_false (gtk_widget_is_visible (tw_test_find_named (fixture.page, "mitm-warning")));
  /* the card of the key that matched says so; the page rebuilt its cards */
  ecdsa_card = tw_test_find_named (others, "ECDSA");
  g_assert_true (card_marked (ecdsa_card));
  g_assert_false (card_marked (tw_test_find_named (others, "RSA")));
  screenshot (&fixture, "step5-three-keys-ecdsa-matches", "pasted-fingerprint");

  g_assert_true (gtk_widget_activate_action (fixture.page, "page.confirm", NULL));
  g_assert_true (tw_fingerprint_page_get_complete (TW_FINGERPRINT_PAGE (fixture.page)));
  {
    const char * const *pins = tw_tunnel_get_pinned_host_keys (fixture.tunnel);
    g_autofree char *ed25519_fp = keygen_fingerprint (ed25519_pub);
    g_autofree char *ecdsa_fp = keygen_fingerprint (ecdsa_pub);
    g_autofree char *ecdsa_pin = g_strdup_printf ("ecdsa-sha2-nistp256 %s", ecdsa_fp);

    g_assert_cmpuint (g_strv_length ((GStrv) pins), ==, 3);
    g_assert_true (g_strv_contains (pins, ecdsa_pin));
    g_assert_cmpstr (tw_tunnel_get_pinned_fingerprint (fixture.tunnel), ==, ed25519_fp);
  }
  screenshot (&fixture, "step5-three-keys-confirmed", "pasted-fingerprint");

  /* A later run that shows another ECDSA key blocks, naming the two */
  {
    g_autofree char *wrong_fp = keygen_fingerprint (wrong_pub);
    g_auto(GStrv) pins = g_strdupv ((GStrv) tw_tunnel_get_pinned_host_keys (fixture.tunnel));

    for (guint i = 0; pins[i] != NULL; i++)
      if (g_str_has_prefix (pins[i], "ecdsa-"))
        {
          g_free (pins[i]);
          pins[i] = g_strdup_printf ("ecdsa-sha2-nistp256 %s", wrong_fp);
        }
    tw_tunnel_set_pinned_host_keys (fixture.tunnel, (const char * const *) pins);
    g_assert_true (tw_fingerprint_page_get_blocked (TW_FINGERPRINT_PAGE (fixture.page)));
    g_assert_true (gtk_widget_is_visible (tw_test_find_named (fixture.page, "mitm-warning")));
    g_assert_false (tw_fingerprint_page_get_complete (TW_FINGERPRINT_PAGE (fixture.page)));
    screenshot (&fixture, "step5-three-keys-ecdsa-changed", NULL);
  }
  fixture_stop (&fixture);
}

/* A server with only an Ed25519 key, and the admin pastes an RSA line: not
 * a man in the middle, but the key of a type this server did not show. */
static void
test_other_type_named (void)
{
  Fixture fixture = { 0 };
  g_autofree char *rsa_pub = NULL;
  g_autofree char *rsa_line = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture, NULL);
  g_assert_cmpuint (tw_report_get_host_keys (tw_fingerprint_page_get_report (TW_FINGERPRINT_PAGE (fixture.page)))->len,
                    ==, 1);
  g_assert_false (gtk_widget_is_visible (tw_test_find_named (fixture.page, "other-host-keys")));

  rsa_pub = g_build_filename (fixture.other_dir, "host_rsa.pub", NULL);
  rsa_line = keygen_line (rsa_pub);
  paste (&fixture, rsa_line);
  g_assert_cmpint (verdict (&fixture), !=, TW_FINGERPRINT_VERDICT_MATCH);
  assert_contains (verdict_text (&fixture), "This is the fingerprint of an RSA key");
  assert_contains (verdict_text (&fixture), "/etc/ssh/ssh_host_ed25519_key.pub");
  assert_lacks (verdict_text (&fixture), "intercept");
  g_assert_true (gtk_widget_has_css_class (tw_test_find_named (fixture.page, "comparison-verdict"), "warning"));
  g_assert_false (gtk_widget_is_visible (tw_test_find_named (fixture.page, "mitm-warning")));
  screenshot (&fixture, "step5-other-type", "pasted-fingerprint");
  fixture_stop (&fixture);
}

/* A bastion with a host certificate that no CA in known_hosts vouches for:
 * step 5 says what it is and that it counts for nothing here. */
static void
test_host_certificate (void)
{
  Fixture fixture = { 0 };
  GtkWidget *row;
  const char *subtitle;
  g_autofree char *ca = NULL, *ca_pub = NULL, *ca_pin = NULL;

  if (!tw_test_sshd_can_run ())
    return;
  fixture.certificate_ca = &ca;
  fixture_start_with (&fixture, NULL, (const char * const []) { "-n", "127.0.0.1,bastion.example.com", NULL });
  row = tw_test_find_named (fixture.page, "host-certificate");
  g_assert_true (gtk_widget_is_visible (row));
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  assert_contains (subtitle, "tw-test-bastion");
  assert_contains (subtitle, "127.0.0.1, bastion.example.com");
  assert_contains (subtitle, "No certificate authority is trusted");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (tw_test_find_named (fixture.page, "host-certificate-status"))),
                   ==, "Not trusted here");

  /* Its CA pinned along with the keys, by choice */
  g_assert_true (gtk_widget_is_visible (tw_test_find_named (fixture.page, "pin-certificate-authority-row")));
  gtk_switch_set_active (GTK_SWITCH (tw_test_find_named (fixture.page, "pin-certificate-authority")), TRUE);
  paste (&fixture, tw_test_sshd_get_fingerprint (fixture.sshd));
  g_assert_cmpint (verdict (&fixture), ==, TW_FINGERPRINT_VERDICT_MATCH);
  g_assert_true (gtk_widget_activate_action (fixture.page, "page.confirm", NULL));
  ca_pub = g_strconcat (ca, ".pub", NULL);
  {
    g_autofree char *fingerprint = keygen_fingerprint (ca_pub);

    ca_pin = g_strdup_printf ("ssh-ed25519 %s", fingerprint);
  }
  g_assert_cmpstr (tw_tunnel_get_pinned_certificate_authority (fixture.tunnel), ==, ca_pin);
  assert_contains (gtk_label_get_label (GTK_LABEL (tw_test_find_named (fixture.page, "pinned-status"))),
                   "with its certificate authority");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (tw_test_find_named (fixture.page, "host-certificate-status"))),
                   ==, "Pinned");
  screenshot (&fixture, "step5-host-certificate", "host-certificate");

  /* Once pinned, the switch unpins the CA at once, and keeps the keys */
  gtk_switch_set_active (GTK_SWITCH (tw_test_find_named (fixture.page, "pin-certificate-authority")), FALSE);
  g_assert_null (tw_tunnel_get_pinned_certificate_authority (fixture.tunnel));
  g_assert_nonnull (tw_tunnel_get_pinned_host_keys (fixture.tunnel));

  /* Without one, no row */
  fixture_stop (&fixture);
  fixture.certificate_ca = NULL;
  fixture_start (&fixture, NULL);
  g_assert_false (gtk_widget_is_visible (tw_test_find_named (fixture.page, "host-certificate")));
  fixture_stop (&fixture);
}

/* Enter in the compare field confirms a matching fingerprint; coming back to the confirmed
 * key shows it in the field and the known_hosts row says the pin is what counts. */
static void
test_enter_and_pinned_state (void)
{
  Fixture fixture = { 0 };
  GtkWidget *field;

  if (!tw_test_sshd_can_run ())
    return;
  fixture_start (&fixture, NULL);
  field = tw_test_find_named (fixture.page, "pasted-fingerprint");
  paste (&fixture, "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  g_signal_emit_by_name (field, "entry-activated");
  g_assert_null (tw_tunnel_get_pinned_host_keys (fixture.tunnel));     /* no match, nothing pinned */
  paste (&fixture, tw_test_sshd_get_fingerprint (fixture.sshd));
  g_signal_emit_by_name (field, "entry-activated");
  g_assert_nonnull (tw_tunnel_get_pinned_host_keys (fixture.tunnel));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (tw_test_find_named (fixture.page, "known-hosts-status"))),
                   ==, "Pinned in Tunnel");

  /* Back on the page later (a new page, as when the tunnel is opened again): the field shows
   * what was confirmed */
  fixture.page = tw_fingerprint_page_new ();
  g_object_set (fixture.page, "tunnel", fixture.tunnel, NULL);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (fixture.window), fixture.page);
  g_assert_true (tw_test_wait_until (keys_shown, &fixture));
  field = tw_test_find_named (fixture.page, "pasted-fingerprint");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field)), ==, tw_test_sshd_get_fingerprint (fixture.sshd));
  g_assert_cmpint (verdict (&fixture), ==, TW_FINGERPRINT_VERDICT_MATCH);
  screenshot (&fixture, "step5-pinned-again", "pasted-fingerprint");
  fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  tw_test_window_init (&argc, &argv);

  app = tw_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/window-fingerprint/three-keys/ecdsa-matches", test_three_keys_ecdsa_matches);
  g_test_add_func ("/window-fingerprint/other-type", test_other_type_named);
  g_test_add_func ("/window-fingerprint/host-certificate", test_host_certificate);
  g_test_add_func ("/window-fingerprint/enter-and-pinned-state", test_enter_and_pinned_state);

  result = g_test_run ();
  g_clear_object (&app);
  return tw_test_window_finish (result);
}
