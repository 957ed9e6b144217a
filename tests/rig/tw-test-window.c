/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "tw-test-window.h"

static char *config_home;
static char *key_dir;
static TwApplication *app;

void
tw_test_window_init (int    *argc,
                     char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = NULL;

  /* Before anything asks GLib for the config dir: the store must write here, not in $HOME.
   * A subprocess (the restarted app) reuses its parent's. */
  if (g_getenv ("TW_TEST_CONFIG_HOME") != NULL)
    config_home = g_strdup (g_getenv ("TW_TEST_CONFIG_HOME"));
  else
    {
      config_home = g_dir_make_tmp ("tw-window-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv ("TW_TEST_CONFIG_HOME", config_home, TRUE);
    }
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* Screenshots as a GNOME desktop shows the window: its UI font and the font
   * settings gnome-settings-daemon hands out (Xvfb has no settings daemon, and
   * GTK's own defaults hint so hard that an i loses its dot). */
  if (g_getenv ("TW_SCREENSHOT_DIR") != NULL)
    g_object_set (gtk_settings_get_default (),
                  "gtk-font-name", "Cantarell 11",
                  "gtk-xft-antialias", 1,
                  "gtk-xft-hinting", 1,
                  "gtk-xft-hintstyle", "hintslight",
                  "gtk-xft-rgba", "none",
                  NULL);

  key_dir = g_build_filename (config_home, "keys", NULL);
  g_mkdir_with_parents (key_dir, 0700);
  key_path = g_build_filename (key_dir, "service", NULL);
  if (!g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      const char *keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fivetran-service",
                               "-f", key_path, NULL };
      int status = 0;

      g_spawn_sync (NULL, (char **) keygen, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                    NULL, NULL, NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_cmpint (status, ==, 0);
    }
}

int
tw_test_window_finish (int result)
{
  g_clear_object (&app);
  if (!g_test_subprocess ())
    tw_test_remove_tree (config_home);
  g_clear_pointer (&config_home, g_free);
  g_clear_pointer (&key_dir, g_free);
  return result;
}

const char *
tw_test_config_home (void)
{
  return config_home;
}

const char *
tw_test_key_dir (void)
{
  return key_dir;
}

gboolean
tw_test_wait_until (TwTestCondition condition,
                    gpointer         data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
tw_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
window_loaded (gpointer data)
{
  return tw_window_get_loaded (data);
}

void
tw_test_session_open (TwTestSession *session)
{
  g_autoptr(GError) error = NULL;

  if (app == NULL)
    {
      app = tw_application_new (G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }
  session->app = app;

  session->window = tw_window_new (session->app);
  if (g_getenv ("TW_SCREENSHOT_WIDTH") != NULL)
    gtk_window_set_default_size (GTK_WINDOW (session->window),
                                 atoi (g_getenv ("TW_SCREENSHOT_WIDTH")), 760);
  gtk_window_present (GTK_WINDOW (session->window));
  g_assert_true (tw_test_wait_until (window_loaded, session->window));
}

static gboolean
app_idle (gpointer data)
{
  return !g_application_get_is_busy (data) && gtk_application_get_windows (data) == NULL;
}

void
tw_test_session_close (TwTestSession *session)
{
  g_object_add_weak_pointer (G_OBJECT (session->window), (gpointer *) &session->window);
  gtk_window_close (GTK_WINDOW (session->window));
  /* The draft and pending deletions are written from close-request; give them time. */
  tw_test_spin (200);
  g_assert_true (tw_test_wait_until (app_idle, session->app));
  g_assert_null (session->window);
  session->app = NULL;
}

GtkWidget *
tw_test_template_child (GtkWidget  *widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
window_is_narrow (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) <= 360;
}

void
tw_test_make_narrow (TwWindow *window)
{
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_widget_unrealize (GTK_WIDGET (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tw_test_wait_until (window_is_narrow, window));
}

gboolean
tw_test_next_enabled (TwWindow *window)
{
  return gtk_widget_get_sensitive (tw_test_template_child (GTK_WIDGET (window), TW_TYPE_WINDOW, "next_button"));
}

void
tw_test_screenshot (TwWindow   *window,
            const char *name)
{
  const char *dir = g_getenv ("TW_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;

  tw_test_spin (1200);  /* let transitions finish, on a busy machine too */
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

char *
tw_test_read_key (const char *name)
{
  g_autofree char *path = g_build_filename (tw_test_key_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

void
tw_test_reset_config (void)
{
  g_autofree char *dir = g_build_filename (tw_test_config_home (), "tunnel-wizard", NULL);

  tw_test_remove_tree (dir);
}

TwKeyPage *
tw_test_key_page (TwWindow *window)
{
  return TW_KEY_PAGE (tw_window_get_step_page (window, 0));
}

gboolean
tw_test_key_page_complete (gpointer data)
{
  return tw_key_page_get_complete (data);
}

/* What Enter in an entry does: its text emits ::activate (GTK has no synthetic key events).
 * An activated button shows itself pressed for a moment before it clicks: wait that out. */
void
tw_test_press_enter_in (GtkWidget *entry_row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (entry_row));

  g_assert_true (GTK_IS_TEXT (text));
  g_signal_emit_by_name (text, "activate");
  tw_test_spin (400);
}

void
tw_test_set_entry (GtkWidget  *page,
           GType       type,
           const char *name,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (tw_test_template_child (page, type, name)), text);
}

gboolean
tw_test_tree_contains (const char *path,
               const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (tw_test_tree_contains (child, needle))
            return TRUE;
        }
      else if (g_file_get_contents (child, &contents, &length, NULL) &&
               g_strstr_len (contents, length, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

void
tw_test_on_async_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
tw_test_result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

char *
tw_test_keyring_lookup (const char *tunnel_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  tw_secrets_lookup_async (tunnel_id, TW_SECRET_PASSWORD, NULL, tw_test_on_async_done, &result);
  g_assert_true (tw_test_wait_until (tw_test_result_arrived, &result));
  secret = tw_secrets_lookup_finish (result, &error);
  g_assert_no_error (error);
  return secret;
}

gboolean
tw_test_back_on_start (gpointer data)
{
  return tw_window_get_step (data) == -1;
}


GtkWidget *
tw_test_find_named (GtkWidget  *root,
                    const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tw_test_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}
