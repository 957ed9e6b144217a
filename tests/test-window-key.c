/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Step 1 in the real window under Xvfb: pasting, refusing a private key, joining a broken
 * key, generating a key pair; and every step fitting a 360 px window. Keys come from
 * ssh-keygen, the oracle.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tw-reverse-key-page.h"
#include "tw-secrets.h"
#include "tw-test-window.h"
#include "tw-window-private.h"

/* ---- step 1 ----------------------------------------------------------------------- */

/* Pasting the key from the service's form enables Next and fills the tunnel. */
static void
test_key_valid_enables_next (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = tw_test_read_key ("service.pub");

  tw_test_reset_config ();
  tw_test_session_open (&s);
  tw_test_screenshot (s.window, "01-start-empty");

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 0);
  g_assert_false (tw_test_next_enabled (s.window));
  tw_test_screenshot (s.window, "02-key-empty");

  tw_key_page_set_text (tw_test_key_page (s.window), public_key);
  g_assert_true (tw_test_wait_until (tw_test_key_page_complete, tw_test_key_page (s.window)));
  g_assert_true (tw_test_next_enabled (s.window));
  g_assert_cmpstr (tw_tunnel_get_service_key (tw_window_get_tunnel (s.window)), ==, g_strstrip (public_key));
  tw_test_screenshot (s.window, "03-key-valid");

  /* Ctrl+Enter in the key field is Next, as the shortcuts window says, not a new line: the
   * key as the field's capture-phase key handlers see it */
  {
    GtkWidget *text_view = tw_test_template_child (GTK_WIDGET (tw_test_key_page (s.window)), TW_TYPE_KEY_PAGE,
                                                   "text_view");
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (text_view);
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
    int before = gtk_text_buffer_get_line_count (buffer);
    gboolean handled = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
            gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Return, 36, GDK_CONTROL_MASK, &handled);
      }
    g_assert_true (handled);
    g_assert_cmpint (gtk_text_buffer_get_line_count (buffer), ==, before);
  }
  g_assert_cmpint (tw_window_get_step (s.window), ==, 1);

  /* Escape's action goes back. */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.back", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 0);

  tw_test_session_close (&s);
}

static gboolean
buffer_empty (gpointer data)
{
  return gtk_text_buffer_get_char_count (data) == 0;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, needle) != NULL;
}

typedef struct {
  gboolean  done;
  char     *text;
} ClipboardRead;

static void
on_clipboard_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

/* A private key pasted by mistake is refused, cleared, not undoable, and kept nowhere. */
static void
test_key_private_refused (void)
{
  TwTestSession s = { 0 };
  g_autofree char *private_key = tw_test_read_key ("service");
  g_autofree char *draft = g_build_filename (tw_test_config_home (), "tunnel-wizard", "draft.tunnel", NULL);
  GtkTextView *view;
  GtkTextBuffer *buffer;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);

  view = GTK_TEXT_VIEW (tw_test_template_child (GTK_WIDGET (tw_test_key_page (s.window)), TW_TYPE_KEY_PAGE, "text_view"));
  buffer = gtk_text_view_get_buffer (view);
  /* As a paste would: an edit the user could undo. */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_insert_at_cursor (buffer, private_key, -1);
  gtk_text_buffer_end_user_action (buffer);

  g_assert_true (tw_test_wait_until (buffer_empty, buffer));
  g_assert_false (tw_key_page_get_complete (tw_test_key_page (s.window)));
  g_assert_false (tw_test_next_enabled (s.window));
  g_assert_false (gtk_text_buffer_get_can_undo (buffer));
  g_assert_null (tw_tunnel_get_service_key (tw_window_get_tunnel (s.window)));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (tw_test_template_child (GTK_WIDGET (tw_test_key_page (s.window)),
                                                                               TW_TYPE_KEY_PAGE, "private_revealer"))));
  tw_test_screenshot (s.window, "04-key-private-refused");

  /* The banner offers to take the key off the clipboard too */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (s.window));
    ClipboardRead read = { 0 };

    gdk_clipboard_set_text (clipboard, private_key);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tw_test_key_page (s.window)), "key.clear-clipboard", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_read, &read);
    g_assert_true (tw_test_wait_until (clipboard_read_done, &read));
    g_assert_cmpstr (read.text, ==, "");
    g_free (read.text);
  }

  tw_test_session_close (&s);
  g_assert_false (file_contains (draft, "PRIVATE KEY"));
  g_assert_false (file_contains (draft, "b3BlbnNzaC1rZXktdjEA"));
}

static char *
field_text (TwKeyPage *page)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (tw_test_template_child (GTK_WIDGET (page), TW_TYPE_KEY_PAGE, "text_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
field_shows_one_line (gpointer data)
{
  g_autofree char *text = field_text (data);

  return strchr (text, '\n') == NULL;
}

/* A key broken over several lines (as a narrow web form copies it) is joined, with a warning. */
static void
test_key_line_breaks_joined (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  g_autoptr(GString) broken = g_string_new (NULL);
  g_autofree char *shown = NULL;
  const char * const *warnings;

  const char *comment = strrchr (public_key, ' ');

  /* Broken inside the base64, as a narrow web form wraps it; the comment stays whole. */
  for (const char *p = public_key; *p; p++)
    {
      g_string_append_c (broken, *p);
      if (p < comment && (p - public_key) % 24 == 23)
        g_string_append_c (broken, '\n');
    }

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_key_page_set_text (tw_test_key_page (s.window), broken->str);

  g_assert_true (tw_test_wait_until (tw_test_key_page_complete, tw_test_key_page (s.window)));
  g_assert_cmpstr (tw_tunnel_get_service_key (tw_window_get_tunnel (s.window)), ==, public_key);
  warnings = tw_public_key_get_warnings (tw_key_page_get_key (tw_test_key_page (s.window)));
  g_assert_nonnull (warnings);
  g_assert_nonnull (warnings[0]);
  g_assert_nonnull (strstr (warnings[0], "several lines"));
  g_assert_nonnull (gtk_widget_get_first_child (tw_test_template_child (GTK_WIDGET (tw_test_key_page (s.window)),
                                                                TW_TYPE_KEY_PAGE, "warnings_box")));
  /* The field shows the one line the tunnel gets, the warning stays, right under the key's
   * status rather than below the buttons */
  g_assert_true (tw_test_wait_until (field_shows_one_line, tw_test_key_page (s.window)));
  shown = field_text (tw_test_key_page (s.window));
  g_assert_cmpstr (shown, ==, public_key);
  tw_test_spin (200);
  {
    GtkWidget *page = GTK_WIDGET (tw_test_key_page (s.window));
    GtkWidget *box = tw_test_template_child (page, TW_TYPE_KEY_PAGE, "warnings_box");
    GtkWidget *status = tw_test_template_child (page, TW_TYPE_KEY_PAGE, "status_label");
    GtkWidget *warning = gtk_widget_get_first_child (box);
    graphene_rect_t status_bounds, warning_bounds;

    g_assert_nonnull (warning);
    g_assert_true (gtk_widget_get_mapped (warning));
    g_assert_true (gtk_widget_compute_bounds (status, page, &status_bounds));
    g_assert_true (gtk_widget_compute_bounds (warning, page, &warning_bounds));
    g_test_message ("status ends at %.0f px, the warning starts at %.0f px",
                    status_bounds.origin.y + status_bounds.size.height, warning_bounds.origin.y);
    g_assert_cmpfloat (warning_bounds.origin.y, >=, status_bounds.origin.y + status_bounds.size.height);
    g_assert_cmpfloat (warning_bounds.origin.y - (status_bounds.origin.y + status_bounds.size.height), <, 24);
  }
  tw_test_screenshot (s.window, "05-key-joined-warning");

  tw_test_session_close (&s);
}

static gboolean
private_key_stored (gpointer data)
{
  const char *id = data;
  g_autofree char *path = NULL;
  char *found = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  tw_secrets_lookup_async (id, TW_SECRET_PRIVATE_KEY, NULL, tw_test_on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  found = tw_secrets_lookup_finish (result, NULL);
  if (found == NULL)
    return FALSE;

  /* ssh-keygen -y, the oracle, derives the public key from what the keyring holds. */
  path = g_build_filename (tw_test_key_dir (), "from-keyring", NULL);
  g_assert_true (g_file_set_contents_full (path, found, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  secret_password_free (found);
  return TRUE;
}

/* A forward tunnel's key is the service's: its key page makes no key pair, it offers the
 * reverse tunnel, whose first step does. That key pair is an ed25519 key that ssh-keygen
 * accepts; the private half goes to the keyring on save and never into the tunnel file or
 * the draft. */
static void
test_generated_key_pair_in_keyring_only (void)
{
  TwTestSession s = { 0 };
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autofree char *service_key = NULL;
  g_autofree char *derived = NULL;
  g_autofree char *path = g_build_filename (tw_test_key_dir (), "from-keyring", NULL);
  const char *argv[] = { "ssh-keygen", "-y", "-f", path, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  int status = 0;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (tw_test_key_page (s.window)), "key.generate", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tw_test_key_page (s.window)), "win.new-reverse-tunnel", NULL));
  g_assert_cmpint (tw_tunnel_get_mode (tw_window_get_tunnel (s.window)), ==, TW_TUNNEL_MODE_REVERSE);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 0);
  g_assert_true (gtk_widget_activate_action (tw_window_get_step_page (s.window, 0), "page.generate", NULL));
  g_assert_nonnull (tw_reverse_key_page_get_private_key (TW_REVERSE_KEY_PAGE (tw_window_get_step_page (s.window, 0))));
  service_key = g_strdup (tw_tunnel_get_service_key (tw_window_get_tunnel (s.window)));
  g_assert_true (g_str_has_prefix (service_key, "ssh-ed25519 "));
  tw_test_screenshot (s.window, "19-key-generated");

  tw_tunnel_set_ssh_host (tw_window_get_tunnel (s.window), "reverse.example.com");
  tw_test_spin (600);  /* past the draft's delay */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.save", NULL);
  g_assert_true (tw_test_wait_until (tw_test_back_on_start, s.window));
  entry = g_list_model_get_item (G_LIST_MODEL (tw_window_get_store (s.window)), 0);
  g_assert_true (tw_test_wait_until (private_key_stored, (gpointer) tw_tunnel_entry_get_id (entry)));
  tw_test_session_close (&s);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &derived, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  fields = g_strsplit (g_strstrip (derived), " ", 3);
  g_assert_nonnull (strstr (service_key, fields[1]));
  g_unlink (path);

  /* The app's own files (tunnels, draft); the test's keys live next to them. */
  {
    g_autofree char *app_dir = g_build_filename (tw_test_config_home (), "tunnel-wizard", NULL);

    g_assert_true (g_file_test (app_dir, G_FILE_TEST_IS_DIR));
    g_assert_false (tw_test_tree_contains (app_dir, "PRIVATE KEY"));
  }
}

/* ---- a narrow window ----------------------------------------------------------------- */

/* The header's step titles: in full at the default width, short ones at 360 px */
static const char *const long_titles[] = { "Service key", "Tunnel server", "Prepare the server", "Test the SSH port",
                                           "Confirm the fingerprint", "Destination and TLS", "Summary", NULL };
static const char *const reverse_short_titles[] = { "Key pair", "Bastion", "Prepare", "SSH port", "Host key", "Tunnel", NULL };
static const char *const short_titles[] = { "Key", "Server", "Prepare", "SSH port", "Host key", "Target", "Summary", NULL };

/* The mapped label showing @text, or NULL */
static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
label_whole (gpointer data)
{
  PangoLayout *layout = gtk_label_get_layout (data);

  return pango_layout_get_width (layout) > 0 && !pango_layout_is_ellipsized (layout);
}

/* @text shows in the window whole: its label is not ellipsized in the width it got (once
 * it has been laid out with the new text: a slow machine may take a few frames) */
static void
assert_label_whole (GtkWidget  *window,
                    const char *text)
{
  GtkLabel *label = find_label (window, text);

  g_assert_nonnull (label);
  g_assert_cmpint (gtk_label_get_ellipsize (label), !=, PANGO_ELLIPSIZE_NONE);
  if (!tw_test_wait_until (label_whole, label))
    g_error ("“%s” is cut short in the header bar (%d px)", text, gtk_widget_get_width (GTK_WIDGET (label)));
}

static gboolean
next_is_an_arrow (gpointer data)
{
  GtkWidget *next = tw_test_template_child (data, TW_TYPE_WINDOW, "next_button");

  return g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (next)), "go-next-symbolic") == 0;
}

static void
assert_header_whole (TwTestSession      *s,
                     const char * const *titles,
                     const char         *screenshot_prefix)
{
  guint n = g_strv_length ((char **) titles);

  for (guint step = 0; step < n; step++)
    {
      g_autofree char *step_of = g_strdup_printf ("Step %u of %u", step + 1, n);
      g_autofree char *name = g_strdup_printf ("%s-%u", screenshot_prefix, step + 1);

      tw_window_show_step (s->window, step);
      tw_test_spin (100);
      tw_test_screenshot (s->window, name);
      assert_label_whole (GTK_WIDGET (s->window), step_of);
      assert_label_whole (GTK_WIDGET (s->window), titles[step]);
    }
}

/* Every screen fits a 360 px wide window (a phone, or half of a small laptop screen). */
static void
test_narrow_width (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  int min = 0;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_measure (GTK_WIDGET (s.window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_cmpint (min, <=, 360);

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_key_page_set_text (tw_test_key_page (s.window), public_key);
  g_assert_true (tw_test_wait_until (tw_test_key_page_complete, tw_test_key_page (s.window)));
  tw_tunnel_set_ssh_host (tw_window_get_tunnel (s.window), "bastion.example.com");
  for (guint step = 0; step < 7; step++)
    {
      GtkWidget *page = tw_window_get_step_page (s.window, step);

      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      g_test_message ("step %u: minimum width %d px", step + 1, min);
      g_assert_cmpint (min, <=, 360);
    }

  /* The header names the step and its number in full, nothing ellipsized: at the default
   * width, then at 360 px (with the three window buttons Xvfb's GTK shows, more than GNOME's) */
  assert_header_whole (&s, long_titles, "wide-step");
  tw_test_make_narrow (s.window);
  g_assert_true (tw_test_wait_until (next_is_an_arrow, s.window));
  assert_header_whole (&s, short_titles, "narrow-step");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-reverse-tunnel", NULL);
  g_assert_true (gtk_widget_activate_action (tw_window_get_step_page (s.window, 0), "page.generate", NULL));
  tw_tunnel_set_ssh_host (tw_window_get_tunnel (s.window), "bastion.example.com");
  assert_header_whole (&s, reverse_short_titles, "narrow-reverse-step");
  tw_test_session_close (&s);
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);

  g_test_add_func ("/window/key/valid-enables-next", test_key_valid_enables_next);
  g_test_add_func ("/window/key/private-refused", test_key_private_refused);
  g_test_add_func ("/window/key/line-breaks-joined", test_key_line_breaks_joined);
  g_test_add_func ("/window/key/generated-key-pair-in-keyring-only", test_generated_key_pair_in_keyring_only);
  g_test_add_func ("/window/narrow-width", test_narrow_width);

  return tw_test_window_finish (g_test_run ());
}
