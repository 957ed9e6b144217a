/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Prepare the bastion" in reverse mode, in the real window: the page speaks of this
 * machine's key, offers least privilege, and its outputs follow the switch and the "who can
 * connect" choice (permitlisten, AllowTcpForwarding remote, GatewayPorts). The texts
 * themselves are proven against sshd in test-setup-live and test-setup-outputs.
 */
#include "config.h"

#include "tw-code-block.h"
#include "tw-prepare-page.h"
#include "tw-reverse-key-page.h"
#include "tw-test-window.h"
#include "tw-window-private.h"

typedef struct {
  GtkWidget  *page;
  const char *block;
  const char *needle;
} BlockWait;

static const char *
block_text (GtkWidget  *page,
            const char *name)
{
  return tw_code_block_get_text (TW_CODE_BLOCK (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, name)));
}

/* The page regenerates from an idle: wait for the text, not for a fixed time. */
static gboolean
block_contains (gpointer data)
{
  BlockWait *wait = data;
  const char *text = block_text (wait->page, wait->block);

  return text != NULL && strstr (text, wait->needle) != NULL;
}

static void
wait_for_text (GtkWidget  *page,
               const char *block,
               const char *needle)
{
  BlockWait wait = { page, block, needle };

  if (!tw_test_wait_until (block_contains, &wait))
    g_test_message ("%s: %s", block, block_text (page, block));
  g_assert_true (tw_test_wait_until (block_contains, &wait));
}

static void
test_prepare_reverse (void)
{
  TwTestSession s = { 0 };
  GtkWidget *page;
  GtkWidget *row;
  TwTunnel *tunnel;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-reverse-tunnel", NULL);
  tunnel = tw_window_get_tunnel (s.window);
  g_assert_true (gtk_widget_activate_action (tw_window_get_step_page (s.window, 0), "page.generate", NULL));
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_user (tunnel, "tunnel");

  page = tw_window_get_step_page (s.window, 2);
  g_assert_true (TW_IS_PREPARE_PAGE (page));
  row = tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "least_privilege_row");
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "intro_group"))),
                   ==, "Prepare the Bastion");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "intro_group"))),
                            "this machine’s key"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "addresses_row"))),
                   ==, "This machine’s _addresses (optional)");

  /* The switch on: the key may only make the bastion listen on the tunnel's port. */
  gtk_switch_set_active (GTK_SWITCH (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "least_privilege_switch")), TRUE);
  g_assert_true (tw_tunnel_get_least_privilege (tunnel));
  wait_for_text (page, "keys_block", "restrict,port-forwarding,permitlisten=\"localhost:55432\" ssh-ed25519 ");
  wait_for_text (page, "sshd_block", "    AllowTcpForwarding remote\n    PermitListen localhost:55432\n    PermitOpen none\n");
  g_assert_null (strstr (block_text (page, "sshd_block"), "GatewayPorts"));
  tw_window_show_step (s.window, 2);
  tw_test_screenshot (s.window, "reverse-3-prepare-least-privilege");

  /* Other hosts too: sshd must listen where asked. */
  tw_tunnel_set_remote_address (tunnel, "*");
  wait_for_text (page, "keys_block", "permitlisten=\"*:55432\"");
  wait_for_text (page, "sshd_block", "    GatewayPorts clientspecified\n");

  /* A forward tunnel gets the service's wording back. */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "intro_group"))),
                   ==, "Prepare the Tunnel Server");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "addresses_row"))),
                   ==, "Service _addresses (optional)");
  tw_test_session_close (&s);
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
widget_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* Least privilege on a forward tunnel: both parts shown, each saying what it does, and each
 * claim matching the text the page hands out (the texts are proven against sshd elsewhere). */
static void
test_prepare_least_privilege_parts (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  GtkWidget *page, *group;
  TwTunnel *tunnel;
  const char *key_claim, *sshd_claim;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tunnel = tw_window_get_tunnel (s.window);
  tw_tunnel_set_service_key (tunnel, public_key);
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_user (tunnel, "fivetran");
  tw_tunnel_set_dest_host (tunnel, "10.0.0.5");
  tw_tunnel_set_dest_port (tunnel, 5432);
  tw_window_show_step (s.window, 2);
  page = tw_window_get_step_page (s.window, 2);
  group = tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "least_privilege_group");
  wait_for_text (page, "keys_block", "ssh-ed25519 ");
  g_assert_false (gtk_widget_get_visible (group));

  gtk_switch_set_active (GTK_SWITCH (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "least_privilege_switch")), TRUE);
  g_assert_true (tw_test_wait_until (widget_visible, group));
  wait_for_text (page, "keys_block", "restrict,port-forwarding,permitopen=\"10.0.0.5:5432\" ssh-ed25519 ");
  wait_for_text (page, "sshd_block", "    ForceCommand /bin/false\n");
  key_claim = adw_action_row_get_subtitle (ADW_ACTION_ROW (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "least_privilege_key_row")));
  sshd_claim = adw_action_row_get_subtitle (ADW_ACTION_ROW (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "least_privilege_sshd_row")));
  g_assert_nonnull (strstr (key_claim, "permitopen"));
  g_assert_nonnull (strstr (key_claim, "10.0.0.5:5432"));
  g_assert_nonnull (strstr (key_claim, "could still run one"));
  g_assert_nonnull (strstr (sshd_claim, "ForceCommand /bin/false"));
  g_assert_nonnull (strstr (sshd_claim, "“fivetran”"));
  g_assert_nonnull (strstr (block_text (page, "sshd_block"), "Match User fivetran\n"));
  tw_test_screenshot (s.window, "03-prepare-least-privilege");

  /* "Show" puts the part's text on screen */
  g_assert_true (gtk_widget_activate_action (page, "prepare.show-view", "u", 2));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "stack"))),
                   ==, "sshd");
  g_assert_true (gtk_widget_activate_action (page, "prepare.show-view", "u", 1));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "stack"))),
                   ==, "keys");

  gtk_switch_set_active (GTK_SWITCH (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "least_privilege_switch")), FALSE);
  g_assert_true (tw_test_wait_until (widget_hidden, group));
  g_assert_true (g_str_has_prefix (block_text (page, "keys_block"), "ssh-ed25519 "));
  tw_test_session_close (&s);
}

/* The addresses field shows its format by example right under it, and where the addresses
 * are found; the example itself is input the field takes (from= and the firewall get it). */
static void
test_prepare_addresses_hint (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  GtkWidget *page, *row, *hint;
  const char * const *addresses;
  graphene_rect_t row_bounds, hint_bounds;
  TwTunnel *tunnel;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tunnel = tw_window_get_tunnel (s.window);
  tw_tunnel_set_service_key (tunnel, public_key);
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_window_show_step (s.window, 2);
  page = tw_window_get_step_page (s.window, 2);
  row = tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "addresses_row");
  hint = tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "addresses_hint");
  wait_for_text (page, "keys_block", "ssh-ed25519 ");
  tw_test_spin (200);

  g_assert_true (gtk_widget_get_mapped (hint));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (hint)), "35.234.176.144/29, 2600:1900:4010::/48"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (hint)), "connection form"));
  /* Right below the field, not somewhere down the page */
  g_assert_true (gtk_widget_compute_bounds (row, page, &row_bounds));
  g_assert_true (gtk_widget_compute_bounds (hint, page, &hint_bounds));
  g_test_message ("field ends at %.0f px, hint starts at %.0f px", row_bounds.origin.y + row_bounds.size.height,
                  hint_bounds.origin.y);
  g_assert_cmpfloat (hint_bounds.origin.y, >=, row_bounds.origin.y + row_bounds.size.height);
  g_assert_cmpfloat (hint_bounds.origin.y - (row_bounds.origin.y + row_bounds.size.height), <, 24);
  tw_test_screenshot (s.window, "03-prepare-addresses-hint");

  gtk_editable_set_text (GTK_EDITABLE (row), "35.234.176.144/29, 2600:1900:4010::/48");
  g_assert_false (gtk_widget_get_visible (tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "addresses_problem")));
  addresses = tw_tunnel_get_service_addresses (tunnel);
  g_assert_nonnull (addresses);
  g_assert_cmpuint (g_strv_length ((char **) addresses), ==, 2);
  wait_for_text (page, "keys_block", "35.234.176.144/29");

  /* Reverse mode: this machine's addresses */
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-reverse-tunnel", NULL);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (hint)), "this machine’s public addresses"));
  tw_test_session_close (&s);
}

/* Every character of a script is on screen within the block's width: a long line wraps
 * rather than running off the right edge (at the default width and at 360 px). */
static void
assert_lines_whole (GtkWidget *page,
                    const char *block_name)
{
  GtkWidget *block = tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, block_name);
  GtkTextView *view = GTK_TEXT_VIEW (tw_test_template_child (block, TW_TYPE_CODE_BLOCK, "text_view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GdkRectangle visible, location;
  GtkTextIter iter;
  int widest = 0;

  gtk_text_view_get_visible_rect (view, &visible);
  g_assert_cmpint (visible.width, >, 0);
  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    {
      GtkTextIter line_end = iter;

      if (!gtk_text_iter_ends_line (&line_end))
        gtk_text_iter_forward_to_line_end (&line_end);
      /* The last character of the line, not the place after it */
      if (!gtk_text_iter_equal (&line_end, &iter))
        gtk_text_iter_backward_char (&line_end);
      gtk_text_view_get_iter_location (view, &line_end, &location);
      widest = MAX (widest, location.x + location.width);
    }
  while (gtk_text_iter_forward_line (&iter));
  g_test_message ("%s: lines reach %d px of %d", block_name, widest, visible.width);
  g_assert_cmpint (widest, <=, visible.x + visible.width);
}

static void
test_prepare_script_lines_whole (void)
{
  TwTestSession s = { 0 };
  g_autofree char *public_key = g_strstrip (tw_test_read_key ("service.pub"));
  GtkWidget *page;
  TwTunnel *tunnel;

  tw_test_reset_config ();
  tw_test_session_open (&s);
  gtk_widget_activate_action (GTK_WIDGET (s.window), "win.new-tunnel", NULL);
  tunnel = tw_window_get_tunnel (s.window);
  tw_tunnel_set_service_key (tunnel, public_key);
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_window_show_step (s.window, 2);
  page = tw_window_get_step_page (s.window, 2);
  wait_for_text (page, "linux_block", "--dry-run");
  tw_test_spin (300);
  assert_lines_whole (page, "linux_block");
  tw_test_screenshot (s.window, "03-prepare-script-wrapped");

  tw_test_make_narrow (s.window);
  tw_test_spin (300);
  assert_lines_whole (page, "linux_block");
  {
    GtkWidget *block = tw_test_template_child (page, TW_TYPE_PREPARE_PAGE, "linux_block");
    GtkWidget *scrolled = gtk_widget_get_ancestor (block, GTK_TYPE_SCROLLED_WINDOW);
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (block, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)), &bounds));
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), bounds.origin.y);
  }
  tw_test_screenshot (s.window, "03-prepare-script-wrapped-narrow");
  tw_test_session_close (&s);
}

int
main (int   argc,
      char *argv[])
{
  tw_test_window_init (&argc, &argv);

  g_test_add_func ("/window/prepare/reverse", test_prepare_reverse);
  g_test_add_func ("/window/prepare/least-privilege-parts", test_prepare_least_privilege_parts);
  g_test_add_func ("/window/prepare/addresses-hint", test_prepare_addresses_hint);
  g_test_add_func ("/window/prepare/script-lines-whole", test_prepare_script_lines_whole);

  return tw_test_window_finish (g_test_run ());
}
