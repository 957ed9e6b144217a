/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Step 2's service choice: every preset of data/presets is offered (read off the main
 * thread), choosing one fills its user and its Require TLS default, a user the admin typed
 * stays, a saved tunnel's user picks its preset back, and the row says where the service
 * shows its IP addresses.
 */
#include "config.h"

#include "tw-server-page.h"
#include "tw-test-window.h"
#include "tw-window-private.h"

static gboolean
presets_loaded (gpointer data)
{
  AdwComboRow *row = data;

  return adw_combo_row_get_model (row) != NULL && g_list_model_get_n_items (adw_combo_row_get_model (row)) > 0;
}

/* The row's position of the preset called @name, as the admin reads it in the list. */
static guint
position_of (AdwComboRow *row,
             const char  *name)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), name))
      return i;
  g_assert_not_reached ();
}

static const char *
selected_name (AdwComboRow *row)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)), adw_combo_row_get_selected (row));
}

static void
test_service_choice (void)
{
  TwTestSession s = { 0 };
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *server;
  AdwComboRow *row;
  GtkEditable *user;
  TwTunnel *tunnel;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tunnel = tw_window_get_tunnel (s.window);
  server = tw_window_get_step_page (s.window, 1);
  row = ADW_COMBO_ROW (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "service_row"));
  user = GTK_EDITABLE (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "user_row"));

  g_assert_true (tw_test_wait_until (presets_loaded, row));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  presets = tw_service_preset_list (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==, presets->len);

  /* A new tunnel starts as Fivetran, with its user. */
  g_assert_cmpstr (selected_name (row), ==, "Fivetran");
  g_assert_cmpstr (gtk_editable_get_text (user), ==, "fivetran");

  /* Materialize: its user, no Require TLS default, and where to find its addresses. */
  adw_combo_row_set_selected (row, position_of (row, "Materialize"));
  g_assert_cmpstr (gtk_editable_get_text (user), ==, "materialize");
  g_assert_cmpstr (tw_tunnel_get_user (tunnel), ==, "materialize");
  g_assert_false (tw_tunnel_get_require_tls (tunnel));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), "mz_egress_ips"));
  tw_window_show_step (s.window, 1);
  tw_test_screenshot (s.window, "server-preset-materialize");

  /* Back to Fivetran: Require TLS on again. */
  adw_combo_row_set_selected (row, position_of (row, "Fivetran"));
  g_assert_cmpstr (tw_tunnel_get_user (tunnel), ==, "fivetran");
  g_assert_true (tw_tunnel_get_require_tls (tunnel));

  /* A user the admin typed is theirs: another service does not replace it. */
  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "user_row", "etl_reader");
  adw_combo_row_set_selected (row, position_of (row, "Hevo"));
  g_assert_cmpstr (gtk_editable_get_text (user), ==, "etl_reader");
  g_assert_cmpstr (tw_tunnel_get_user (tunnel), ==, "etl_reader");

  /* Another tunnel whose user is a preset's picks that preset; one with its own user, Generic. */
  {
    g_autoptr(TwTunnel) other = tw_tunnel_new ();

    tw_tunnel_set_user (other, "stitch");
    tw_tunnel_set_require_tls (other, TRUE);
    tw_server_page_set_tunnel (TW_SERVER_PAGE (server), other);
    g_assert_cmpstr (selected_name (row), ==, "Stitch");
    /* Matching a saved tunnel applies none of the preset's defaults over its values. */
    g_assert_true (tw_tunnel_get_require_tls (other));
    tw_tunnel_set_user (other, "someone");
    tw_server_page_set_tunnel (TW_SERVER_PAGE (server), NULL);
    tw_server_page_set_tunnel (TW_SERVER_PAGE (server), other);
    g_assert_cmpstr (selected_name (row), ==, "Generic");
    tw_server_page_set_tunnel (TW_SERVER_PAGE (server), tunnel);
  }
  tw_test_session_close (&s);
}

static gboolean
subtitle_set (gpointer data)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (data));

  return subtitle != NULL && strstr (subtitle, "tw-no-presets") != NULL;
}

/* No preset files at all: the row says why and the admin types the user. */
static void
test_no_presets (void)
{
  TwTestSession s = { 0 };
  GtkWidget *server;
  AdwComboRow *row;

  g_setenv ("TW_PRESETS_DIR", "/nonexistent/tw-no-presets", TRUE);
  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  server = tw_window_get_step_page (s.window, 1);
  row = ADW_COMBO_ROW (tw_test_template_child (server, TW_TYPE_SERVER_PAGE, "service_row"));
  g_assert_true (tw_test_wait_until (subtitle_set, row));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "user_row", "etl");
  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "host_row", "bastion.example.com");
  tw_test_set_entry (server, TW_TYPE_SERVER_PAGE, "dest_host_row", "10.0.0.12");
  g_assert_true (tw_server_page_get_complete (TW_SERVER_PAGE (server)));
  g_assert_cmpstr (tw_tunnel_get_user (tw_window_get_tunnel (s.window)), ==, "etl");
  tw_test_session_close (&s);
  g_unsetenv ("TW_PRESETS_DIR");
}

/* One Tab from the field before a port row reaches the port itself (the row around the
 * spin button takes no Tab of its own), as in any form. */
static void
assert_one_tab (TwTestSession *s,
                GtkWidget     *server,
                const char    *from,
                const char    *to)
{
  GtkWidget *field = tw_test_template_child (server, TW_TYPE_SERVER_PAGE, from);
  GtkWidget *spin = tw_test_template_child (server, TW_TYPE_SERVER_PAGE, to);
  GtkWidget *focus;

  /* Focus from nothing, not from where it was: when the window has lost the X focus (a
   * loaded machine without a window manager, in CI), GTK keeps the focus widget but drops the
   * chain of focus children above it, and a grab on the same widget changes nothing — the
   * Tab would then start from the top of the window. Back in the window, the admin's
   * click makes the chain whole again; so does this. */
  gtk_root_set_focus (GTK_ROOT (s->window), NULL);
  g_assert_true (gtk_widget_grab_focus (field));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (s->window), GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (s->window));
  g_test_message ("Tab from %s: %s", from, focus ? G_OBJECT_TYPE_NAME (focus) : "nothing");
  g_assert_nonnull (focus);
  g_assert_true (focus == spin || gtk_widget_is_ancestor (focus, spin));
}

/* Tab follows the layout: wait until the step has slid in and been laid out */
static gboolean
step_settled (gpointer data)
{
  GtkWidget *page = data;
  GtkWidget *stack = gtk_widget_get_parent (page);

  return gtk_widget_get_mapped (page) && gtk_widget_get_width (page) > 0 &&
         !(GTK_IS_STACK (stack) && gtk_stack_get_transition_running (GTK_STACK (stack)));
}

static void
test_port_rows_one_tab (void)
{
  TwTestSession s = { 0 };
  GtkWidget *server;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tw_window_show_step (s.window, 1);
  server = tw_window_get_step_page (s.window, 1);
  g_assert_true (tw_test_wait_until (step_settled, server));
  tw_test_spin (100);
  assert_one_tab (&s, server, "host_row", "port_spin");
  assert_one_tab (&s, server, "dest_host_row", "dest_port_spin");
  tw_test_session_close (&s);
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);
  g_test_add_func ("/window/server/service-choice", test_service_choice);
  g_test_add_func ("/window/server/no-presets", test_no_presets);
  g_test_add_func ("/window/server/port-rows-one-tab", test_port_rows_one_tab);
  return tw_test_window_finish (g_test_run ());
}
