/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window under Xvfb, driven through its actions and widgets as an
 * admin would: paste keys, fill the server form, walk the steps, save, restart.
 * Keys come from ssh-keygen, the oracle. With TW_SCREENSHOT_DIR set, each screen
 * is also saved as a PNG (see data/screenshots/).
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tw-key-page.h"
#include "tw-server-page.h"
#include "tw-start-page.h"
#include "tw-summary-page.h"
#include "tw-window.h"

static char *config_home;
static char *key_dir;
/* One application per process: GtkApplication keeps a reference to itself once registered,
 * so a second one with the same id cannot register. A restart is a subprocess. */
static TwApplication *app;

typedef struct {
  TwApplication *app;
  TwWindow      *window;
} Session;

/* ---- helpers ------------------------------------------------------------------- */

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_until (Condition condition,
            gpointer  data)
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

static void
spin (guint ms)
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

static void
session_open (Session *session)
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
  g_assert_true (wait_until (window_loaded, session->window));
}

static gboolean
app_idle (gpointer data)
{
  return !g_application_get_is_busy (data) && gtk_application_get_windows (data) == NULL;
}

static void
session_close (Session *session)
{
  g_object_add_weak_pointer (G_OBJECT (session->window), (gpointer *) &session->window);
  gtk_window_close (GTK_WINDOW (session->window));
  /* The draft and pending deletions are written from close-request; give them time. */
  spin (200);
  g_assert_true (wait_until (app_idle, session->app));
  g_assert_null (session->window);
  session->app = NULL;
}

static GtkWidget *
template_child (GtkWidget  *widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
next_enabled (TwWindow *window)
{
  return gtk_widget_get_sensitive (template_child (GTK_WIDGET (window), TW_TYPE_WINDOW, "next_button"));
}

static void
screenshot (TwWindow   *window,
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

  spin (400);  /* let transitions finish */
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

static char *
read_key (const char *name)
{
  g_autofree char *path = g_build_filename (key_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
reset_config (void)
{
  g_autofree char *dir = g_build_filename (config_home, "tunnel-wizard", NULL);

  remove_tree (dir);
}

static TwKeyPage *
key_page (TwWindow *window)
{
  return TW_KEY_PAGE (tw_window_get_step_page (window, 0));
}

static gboolean
key_page_complete (gpointer data)
{
  return tw_key_page_get_complete (data);
}

static void
set_entry (GtkWidget  *page,
           GType       type,
           const char *name,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (template_child (page, type, name)), text);
}

/* ---- step 1 ----------------------------------------------------------------------- */

/* Pasting the key from the service's form enables Next and fills the tunnel. */
static void
test_key_valid_enables_next (void)
{
  Session s = { 0 };
  g_autofree char *public_key = read_key ("service.pub");

  reset_config ();
  session_open (&s);
  screenshot (s.window, "01-start-empty");

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 0);
  g_assert_false (next_enabled (s.window));
  screenshot (s.window, "02-key-empty");

  tw_key_page_set_text (key_page (s.window), public_key);
  g_assert_true (wait_until (key_page_complete, key_page (s.window)));
  g_assert_true (next_enabled (s.window));
  g_assert_cmpstr (tw_tunnel_get_service_key (tw_window_get_tunnel (s.window)), ==, g_strstrip (public_key));
  screenshot (s.window, "03-key-valid");

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 1);

  /* Escape's action goes back. */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.back", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 0);

  session_close (&s);
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

/* A private key pasted by mistake is refused, cleared, not undoable, and kept nowhere. */
static void
test_key_private_refused (void)
{
  Session s = { 0 };
  g_autofree char *private_key = read_key ("service");
  g_autofree char *draft = g_build_filename (config_home, "tunnel-wizard", "draft.tunnel", NULL);
  GtkTextView *view;
  GtkTextBuffer *buffer;

  reset_config ();
  session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);

  view = GTK_TEXT_VIEW (template_child (GTK_WIDGET (key_page (s.window)), TW_TYPE_KEY_PAGE, "text_view"));
  buffer = gtk_text_view_get_buffer (view);
  /* As a paste would: an edit the user could undo. */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_insert_at_cursor (buffer, private_key, -1);
  gtk_text_buffer_end_user_action (buffer);

  g_assert_true (wait_until (buffer_empty, buffer));
  g_assert_false (tw_key_page_get_complete (key_page (s.window)));
  g_assert_false (next_enabled (s.window));
  g_assert_false (gtk_text_buffer_get_can_undo (buffer));
  g_assert_null (tw_tunnel_get_service_key (tw_window_get_tunnel (s.window)));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (template_child (GTK_WIDGET (key_page (s.window)),
                                                                               TW_TYPE_KEY_PAGE, "private_revealer"))));
  screenshot (s.window, "04-key-private-refused");

  session_close (&s);
  g_assert_false (file_contains (draft, "PRIVATE KEY"));
  g_assert_false (file_contains (draft, "b3BlbnNzaC1rZXktdjEA"));
}

/* A key broken over several lines (as a narrow web form copies it) is joined, with a warning. */
static void
test_key_line_breaks_joined (void)
{
  Session s = { 0 };
  g_autofree char *public_key = g_strstrip (read_key ("service.pub"));
  g_autoptr(GString) broken = g_string_new (NULL);
  const char * const *warnings;

  const char *comment = strrchr (public_key, ' ');

  /* Broken inside the base64, as a narrow web form wraps it; the comment stays whole. */
  for (const char *p = public_key; *p; p++)
    {
      g_string_append_c (broken, *p);
      if (p < comment && (p - public_key) % 24 == 23)
        g_string_append_c (broken, '\n');
    }

  reset_config ();
  session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_key_page_set_text (key_page (s.window), broken->str);

  g_assert_true (wait_until (key_page_complete, key_page (s.window)));
  g_assert_cmpstr (tw_tunnel_get_service_key (tw_window_get_tunnel (s.window)), ==, public_key);
  warnings = tw_public_key_get_warnings (tw_key_page_get_key (key_page (s.window)));
  g_assert_nonnull (warnings);
  g_assert_nonnull (warnings[0]);
  g_assert_nonnull (strstr (warnings[0], "several lines"));
  g_assert_nonnull (gtk_widget_get_first_child (template_child (GTK_WIDGET (key_page (s.window)),
                                                                TW_TYPE_KEY_PAGE, "warnings_box")));
  screenshot (s.window, "05-key-joined-warning");

  session_close (&s);
}

/* ---- the whole flow, and a restart --------------------------------------------------- */

static gboolean
back_on_start (gpointer data)
{
  return tw_window_get_step (data) == -1;
}

static void
test_flow_save_survives_restart (void)
{
  Session s = { 0 };
  g_autofree char *public_key = g_strstrip (read_key ("service.pub"));
  GtkWidget *server;

  reset_config ();
  session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_key_page_set_text (key_page (s.window), public_key);
  g_assert_true (wait_until (key_page_complete, key_page (s.window)));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);

  /* Step 2: the Fivetran preset fills the user; a bad host blocks Next with its reason. */
  server = tw_window_get_step_page (s.window, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (template_child (server, TW_TYPE_SERVER_PAGE, "user_row"))),
                   ==, "fivetran");
  set_entry (server, TW_TYPE_SERVER_PAGE, "host_row", "bastion example.com");
  g_assert_false (tw_server_page_get_complete (TW_SERVER_PAGE (server)));
  g_assert_false (next_enabled (s.window));
  g_assert_true (gtk_widget_get_visible (template_child (server, TW_TYPE_SERVER_PAGE, "server_problems")));
  screenshot (s.window, "06-server-invalid");

  set_entry (server, TW_TYPE_SERVER_PAGE, "host_row", "bastion.example.com");
  set_entry (server, TW_TYPE_SERVER_PAGE, "dest_host_row", "10.0.0.12");
  g_assert_true (tw_server_page_get_complete (TW_SERVER_PAGE (server)));
  g_assert_true (next_enabled (s.window));
  g_assert_cmpstr (tw_tunnel_get_ssh_host (tw_window_get_tunnel (s.window)), ==, "bastion.example.com");
  screenshot (s.window, "07-server-valid");

  /* Steps 3 to 7: Next all the way (the checks' pages do not block while they are placeholders). */
  for (int step = 2; step < 7; step++)
    {
      gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);
      g_assert_cmpint (tw_window_get_step (s.window), ==, step);
      if (step == 2)
        screenshot (s.window, "08-prepare");
    }
  g_assert_false (next_enabled (s.window));
  screenshot (s.window, "09-summary");

  set_entry (tw_window_get_step_page (s.window, 6), tw_summary_page_get_type (), "name_row", "Warehouse");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.save", NULL);
  g_assert_true (wait_until (back_on_start, s.window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tw_window_get_store (s.window))), ==, 1);
  screenshot (s.window, "10-start-saved");
  session_close (&s);

  /* A restarted app: a new process reads the same files. */
  g_test_trap_subprocess ("/window/flow/saved-tunnel-after-restart", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_flow_saved_tunnel_after_restart (void)
{
  Session s = { 0 };
  g_autofree char *public_key = NULL;
  g_autoptr(TwTunnelEntry) entry = NULL;
  TwTunnel *saved;

  /* Only meaningful as the subprocess of save-survives-restart, which saved the tunnel. */
  if (!g_test_subprocess ())
    {
      g_test_skip ("runs as part of /window/flow/save-survives-restart");
      return;
    }

  public_key = g_strstrip (read_key ("service.pub"));
  session_open (&s);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tw_window_get_store (s.window))), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (tw_window_get_store (s.window)), 0);
  saved = tw_tunnel_entry_get_tunnel (entry);
  g_assert_cmpstr (tw_tunnel_get_name (saved), ==, "Warehouse");
  g_assert_cmpstr (tw_tunnel_get_ssh_host (saved), ==, "bastion.example.com");
  g_assert_cmpstr (tw_tunnel_get_user (saved), ==, "fivetran");
  g_assert_cmpstr (tw_tunnel_get_dest_host (saved), ==, "10.0.0.12");
  g_assert_cmpstr (tw_tunnel_get_service_key (saved), ==, public_key);
  /* No draft is offered once the tunnel is saved. */
  g_assert_null (tw_start_page_get_draft (TW_START_PAGE (tw_window_get_start_page (s.window))));

  /* Opening it shows the summary; Check again goes straight to the SSH checks. */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.check-again", "s", tw_tunnel_entry_get_id (entry));
  g_assert_cmpint (tw_window_get_step (s.window), ==, 3);
  screenshot (s.window, "11-ssh-check-placeholder");
  session_close (&s);
}

/* ---- the draft ------------------------------------------------------------------------ */

static void
test_draft_survives_close (void)
{
  Session s = { 0 };
  g_autofree char *public_key = g_strstrip (read_key ("service.pub"));
  TwTunnel *draft;

  reset_config ();
  session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_key_page_set_text (key_page (s.window), public_key);
  g_assert_true (wait_until (key_page_complete, key_page (s.window)));
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.next", NULL);
  set_entry (tw_window_get_step_page (s.window, 1), TW_TYPE_SERVER_PAGE, "host_row", "draft.example.com");
  /* Closed at once, before the draft's timer: close-request must write it. */
  session_close (&s);

  session_open (&s);
  draft = tw_start_page_get_draft (TW_START_PAGE (tw_window_get_start_page (s.window)));
  g_assert_nonnull (draft);
  g_assert_cmpstr (tw_tunnel_get_ssh_host (draft), ==, "draft.example.com");
  screenshot (s.window, "12-start-draft");

  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.resume-draft", NULL);
  g_assert_cmpint (tw_window_get_step (s.window), ==, 0);
  g_assert_true (tw_key_page_get_complete (key_page (s.window)));
  g_assert_cmpstr (tw_tunnel_get_ssh_host (tw_window_get_tunnel (s.window)), ==, "draft.example.com");
  session_close (&s);
}

/* ---- broken files ---------------------------------------------------------------------- */

static void
test_corrupt_file_shown_untouched (void)
{
  Session s = { 0 };
  g_autofree char *dir = g_build_filename (config_home, "tunnel-wizard", "tunnels", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.tunnel", NULL);
  g_autofree char *good = g_build_filename (dir, "good.tunnel", NULL);
  const char *garbage = "[Tunnel\nthis is = not [a key file\n";
  g_autofree char *after = NULL;
  GtkListBox *list;
  GtkListBoxRow *row;
  gboolean found = FALSE;

  reset_config ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  g_assert_true (g_file_set_contents (good, "[Tunnel]\nname=Still loads\nssh-host=ok.example.com\nuser=fivetran\n", -1, NULL));

  session_open (&s);
  list = tw_start_page_get_list (TW_START_PAGE (tw_window_get_start_page (s.window)));
  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      if (g_str_equal (title, "broken.tunnel"))
        {
          found = TRUE;
          g_assert_nonnull (strstr (subtitle, "Could not be read"));
        }
      else
        g_assert_cmpstr (title, ==, "Still loads");
    }
  g_assert_true (found);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tw_window_get_store (s.window))), ==, 2);
  screenshot (s.window, "13-start-broken-file");

  /* Neither delete nor open touches it. */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-tunnel", "s", "broken");
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.open-tunnel", "s", "broken");
  g_assert_cmpint (tw_window_get_step (s.window), ==, -1);
  session_close (&s);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
}

/* Delete removes the row at once, and the file when the Undo toast goes. */
static void
test_delete_with_undo (void)
{
  Session s = { 0 };
  g_autofree char *dir = g_build_filename (config_home, "tunnel-wizard", "tunnels", NULL);
  g_autofree char *path = g_build_filename (dir, "gone.tunnel", NULL);
  TwTunnelStore *store;

  reset_config ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "[Tunnel]\nname=Gone\nssh-host=gone.example.com\n", -1, NULL));

  session_open (&s);
  store = tw_window_get_store (s.window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-tunnel", "s", "gone");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  screenshot (s.window, "14-start-deleted-undo");

  /* Closing the window dismisses the toast: the deletion happens then. */
  session_close (&s);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keygen_out = NULL;
  g_autofree char *key_path = NULL;
  int status;
  int result;

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

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  key_dir = g_build_filename (config_home, "keys", NULL);
  g_mkdir_with_parents (key_dir, 0700);
  key_path = g_build_filename (key_dir, "service", NULL);
  if (!g_file_test (key_path, G_FILE_TEST_EXISTS))
  {
    const char *keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fivetran-service",
                             "-f", key_path, NULL };

    g_spawn_sync (NULL, (char **) keygen, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &keygen_out, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
  }

  g_test_add_func ("/window/key/valid-enables-next", test_key_valid_enables_next);
  g_test_add_func ("/window/key/private-refused", test_key_private_refused);
  g_test_add_func ("/window/key/line-breaks-joined", test_key_line_breaks_joined);
  g_test_add_func ("/window/flow/save-survives-restart", test_flow_save_survives_restart);
  g_test_add_func ("/window/flow/saved-tunnel-after-restart", test_flow_saved_tunnel_after_restart);
  g_test_add_func ("/window/draft/survives-close", test_draft_survives_close);
  g_test_add_func ("/window/store/corrupt-file-shown-untouched", test_corrupt_file_shown_untouched);
  g_test_add_func ("/window/store/delete-with-undo", test_delete_with_undo);

  result = g_test_run ();

  g_clear_object (&app);
  if (!g_test_subprocess ())
    remove_tree (config_home);
  g_free (config_home);
  g_free (key_dir);
  return result;
}
