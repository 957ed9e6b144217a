/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The German translation, as a German user gets it: the window and tunnel-check started with
 * LANGUAGE=de find the catalogue that meson compiled in the build tree (tw_paths_locale_dir())
 * and show po/de.po's text. The expected strings are written out here, not looked up with
 * gettext, so that a catalogue that is not found fails the test. Also the Help menu item.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tw-help.h"
#include "tw-paths.h"
#include "tw-test-window.h"
#include "tw-window-private.h"

/* Whether @widget or a descendant shows @text as a title or label. */
static gboolean
tree_shows (GtkWidget  *widget,
            const char *text)
{
  const char *shown = NULL;

  if (ADW_IS_STATUS_PAGE (widget))
    shown = adw_status_page_get_title (ADW_STATUS_PAGE (widget));
  else if (GTK_IS_LABEL (widget))
    shown = gtk_label_get_label (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    shown = gtk_button_get_label (GTK_BUTTON (widget));
  if (g_strcmp0 (shown, text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (tree_shows (child, text))
      return TRUE;
  return FALSE;
}

static void
test_window_in_german (void)
{
  TwTestSession s = { 0 };
  GtkWidget *start;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  start = tw_window_get_start_page (s.window);

  /* From .ui files (GtkBuilder) and from C (_()): both come from de.po. */
  g_assert_true (tree_shows (start, "Noch keine Tunnel"));
  g_assert_true (tree_shows (start, "_Neuer Tunnel"));
  g_assert_false (tree_shows (start, "No Tunnels Yet"));
  g_assert_cmpstr (_("Tunnel user"), ==, "Tunnel-Benutzer");

  tw_test_session_close (&s);
}

/* Whether every GtkLabel in sight under @widget that may be ellipsized shows its text whole;
 * @n_checked counts them. */
static gboolean
labels_whole (GtkWidget *widget,
              guint     *n_checked)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      gtk_label_get_ellipsize (GTK_LABEL (widget)) != PANGO_ELLIPSIZE_NONE &&
      *gtk_label_get_label (GTK_LABEL (widget)) != '\0')
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));

      if (pango_layout_get_width (layout) <= 0 || pango_layout_is_ellipsized (layout))
        {
          g_test_message ("cut short: “%s”", gtk_label_get_label (GTK_LABEL (widget)));
          return FALSE;
        }
      (*n_checked)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!labels_whole (child, n_checked))
      return FALSE;
  return TRUE;
}

static GtkWidget *
find_header_bar (TwWindow *window)
{
  return gtk_widget_get_ancestor (tw_test_template_child (GTK_WIDGET (window), TW_TYPE_WINDOW, "window_title"),
                                  ADW_TYPE_HEADER_BAR);
}

/* The step's title and "Schritt N von M" at least, whole */
static gboolean
header_whole (gpointer window)
{
  guint n_checked = 0;

  return labels_whole (find_header_bar (window), &n_checked) && n_checked >= 2;
}

static void
assert_steps_fit (TwTestSession *s,
                  const char    *screenshot_prefix)
{
  for (guint step = 0; step < tw_window_get_n_steps (s->window); step++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u", screenshot_prefix, step + 1);

      tw_window_show_step (s->window, step);
      tw_test_spin (100);
      tw_test_screenshot (s->window, name);
      if (!tw_test_wait_until (header_whole, s->window))
        g_error ("step %u: a German header label is cut short at 360 px", step + 1);
    }
}

/* German words are longer: at 360 px the header still shows the step's short title and
 * "Schritt N von M" whole, in both modes. */
static void
test_german_narrow_header (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));

  tw_test_reset_config ();
  tw_test_session_open (&s);
  tw_test_make_narrow (s.window);

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_key_page_set_text (tw_test_key_page (s.window), public_key);
  g_assert_true (tw_test_wait_until (tw_test_key_page_complete, tw_test_key_page (s.window)));
  tw_tunnel_set_ssh_host (tw_window_get_tunnel (s.window), "bastion.example.com");
  g_assert_true (tree_shows (find_header_bar (s.window), "Schritt 1 von 7"));
  assert_steps_fit (&s, "german-narrow-step");

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-reverse-tunnel", NULL);
  g_assert_true (gtk_widget_activate_action (tw_window_get_step_page (s.window, 0), "page.generate", NULL));
  tw_tunnel_set_ssh_host (tw_window_get_tunnel (s.window), "bastion.example.com");
  assert_steps_fit (&s, "german-narrow-reverse-step");
  tw_test_session_close (&s);
}

static void
test_help_action (void)
{
  TwTestSession s = { 0 };
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) accels = NULL;

  tw_test_reset_config ();
  tw_test_session_open (&s);

  /* Activating it would start a browser: check what it would open instead. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (s.app), "help"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (s.app), "help"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (s.app), "app.help");
  g_assert_true (g_strv_contains ((const char *const *) accels, "F1"));

  uri = tw_help_uri ();
  g_assert_true (g_str_has_prefix (uri, "file://"));
  path = g_filename_from_uri (uri, NULL, NULL);
  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* LANGUAGE=de: the German guide from the source tree. */
  g_assert_true (g_str_has_suffix (path, "/help/de/index.html"));

  tw_test_session_close (&s);
}

static void
test_cli_in_german (void)
{
  const char *argv[] = { g_getenv ("TUNNEL_CHECK"), "key", "/dev/null", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (argv[0]);
  envp = g_environ_setenv (envp, "LANGUAGE", "de", TRUE);
  envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LC_ALL");
  envp = g_environ_unsetenv (envp, "LC_MESSAGES");
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "Es wurde kein Schlüssel eingefügt."));
  g_assert_null (strstr (err, "No key was pasted."));
}

int
main (int   argc,
      char *argv[])
{
  /* As a German user's session would have it, before GTK reads the locale. */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");

  tw_test_window_init (&argc, &argv);
  /* gtk_test_init() sets a fixed locale of its own; the app's main() uses the environment's. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, tw_paths_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/window/i18n/german", test_window_in_german);
  g_test_add_func ("/window/i18n/cli-german", test_cli_in_german);
  g_test_add_func ("/window/i18n/german-narrow-header", test_german_narrow_header);
  g_test_add_func ("/window/help/action", test_help_action);

  return tw_test_window_finish (g_test_run ());
}
