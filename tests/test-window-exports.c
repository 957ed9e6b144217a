/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Step 3's "Every Format": each format of the setup table (the list tunnel-check setup
 * --format takes) can be shown, copied and saved; the saved file holds exactly what the
 * generator gives for the window's tunnel, and a save that cannot happen says why. The texts
 * themselves are proven against their validators in test-setup-exports.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tw-export-list.h"
#include "tw-prepare-page.h"
#include "tw-test-files.h"
#include "tw-test-window.h"
#include "tw-window-private.h"

#define SERVICE_KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGw0+PbunqhE53b4nyoE9UesYX6toW9/Z2qilfL5Ab+T fivetran@example"

typedef struct {
  TwExportList *list;
  const char   *expected;
} TextWait;

static gboolean
text_is (gpointer data)
{
  TextWait *wait = data;

  return g_strcmp0 (tw_export_list_get_text (wait->list), wait->expected) == 0;
}

typedef struct {
  AdwActionRow *row;
  const char   *prefix;
} SubtitleWait;

static gboolean
subtitle_starts (gpointer data)
{
  SubtitleWait *wait = data;
  const char *subtitle = adw_action_row_get_subtitle (wait->row);

  return subtitle != NULL && g_str_has_prefix (subtitle, wait->prefix);
}

/* The page embeds the list without naming it to its code: find it as a user would, in the tree. */
static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_every_format (void)
{
  TwTestSession s = { 0 };
  g_autofree char *tmp = g_dir_make_tmp ("tw-exports-XXXXXX", NULL);
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(GError) error = NULL;
  const TwSetupFormat *formats;
  guint n_formats;
  GtkWidget *page;
  TwExportList *list;
  AdwComboRow *format_row;
  AdwActionRow *save_row;
  TwTunnel *tunnel;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tunnel = tw_window_get_tunnel (s.window);
  tw_tunnel_set_service_key (tunnel, SERVICE_KEY);
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_user (tunnel, "fivetran");
  tw_tunnel_set_dest_host (tunnel, "db.internal");
  tw_tunnel_set_dest_port (tunnel, 5432);
  tw_tunnel_set_least_privilege (tunnel, TRUE);
  {
    const char *addresses[] = { "203.0.113.7/32", NULL };

    tw_tunnel_set_service_addresses (tunnel, addresses);
  }
  key = tw_public_key_parse (SERVICE_KEY, &error);
  g_assert_no_error (error);

  page = tw_window_get_step_page (s.window, 2);
  g_assert_true (TW_IS_PREPARE_PAGE (page));
  list = TW_EXPORT_LIST (find_descendant (page, TW_TYPE_EXPORT_LIST));
  g_assert_true (tw_export_list_get_tunnel (list) == tunnel);
  format_row = ADW_COMBO_ROW (tw_test_template_child (GTK_WIDGET (list), TW_TYPE_EXPORT_LIST, "format_row"));
  save_row = ADW_ACTION_ROW (tw_test_template_child (GTK_WIDGET (list), TW_TYPE_EXPORT_LIST, "save_row"));

  formats = tw_setup_get_formats (&n_formats);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (format_row)), ==, n_formats);

  for (guint i = 0; i < n_formats; i++)
    {
      g_autofree char *expected = formats[i].render (tunnel, key, &error);
      g_autofree char *path = g_build_filename (tmp, formats[i].name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *saved = NULL;
      TextWait text_wait = { list, expected };
      SubtitleWait saved_wait = { save_row, "Saved to " };

      g_test_message ("%s", formats[i].name);
      g_assert_no_error (error);
      tw_export_list_select_format (list, formats[i].name);
      g_assert_cmpuint (adw_combo_row_get_selected (format_row), ==, i);
      g_assert_true (tw_test_wait_until (text_is, &text_wait));
      g_assert_true (gtk_widget_is_sensitive (tw_test_template_child (GTK_WIDGET (list), TW_TYPE_EXPORT_LIST, "save_button")));

      tw_export_list_save_to_file (list, file);
      g_assert_true (tw_test_wait_until (subtitle_starts, &saved_wait));
      g_assert_nonnull (strstr (adw_action_row_get_subtitle (save_row), path));
      g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
      g_assert_cmpstr (saved, ==, expected);
      if (g_str_equal (formats[i].name, "cloud-init"))
        {
          GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW);
          GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
          double y = 0;

          tw_window_show_step (s.window, 2);
          tw_test_screenshot (s.window, "prepare-every-format-top");
          /* Scrolled to the list, the way an admin reaches it. */
          g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (list), gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                                           0, 0, NULL, &y));
          gtk_adjustment_set_value (adjustment, y - 12);
          tw_test_screenshot (s.window, "prepare-every-format-cloud-init");
        }
    }

  /* Saving over a file replaces it whole (no trace of the longer old text). */
  {
    g_autofree char *path = g_build_filename (tmp, "replace.yaml", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *saved = NULL;
    g_autofree char *old = g_strnfill (200000, 'x');
    SubtitleWait saved_wait = { save_row, "Saved to " };

    g_assert_true (g_file_set_contents (path, old, -1, NULL));
    tw_export_list_select_format (list, "az");
    adw_action_row_set_subtitle (save_row, NULL);
    tw_export_list_save_to_file (list, file);
    g_assert_true (tw_test_wait_until (subtitle_starts, &saved_wait));
    g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
    g_assert_cmpstr (saved, ==, tw_export_list_get_text (list));
  }

  /* A folder that does not exist: the row says the file was not saved, and why. */
  {
    g_autofree char *path = g_build_filename (tmp, "missing", "dir", "x.tf", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    SubtitleWait failed_wait = { save_row, "Not saved: " };

    tw_export_list_save_to_file (list, file);
    g_assert_true (tw_test_wait_until (subtitle_starts, &failed_wait));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  /* No key yet: nothing to save, and the block says what to do first. */
  tw_tunnel_set_service_key (tunnel, NULL);
  {
    TextWait none = { list, NULL };

    g_assert_true (tw_test_wait_until (text_is, &none));
    g_assert_false (gtk_widget_is_sensitive (tw_test_template_child (GTK_WIDGET (list), TW_TYPE_EXPORT_LIST, "save_button")));
  }

  tw_test_session_close (&s);
  tw_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);
  g_test_add_func ("/window/prepare/every-format", test_every_format);
  return tw_test_window_finish (g_test_run ());
}
