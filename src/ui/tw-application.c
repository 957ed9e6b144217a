/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-application.h"
#include "tw-help.h"
#include "tw-window.h"

struct _TwApplication
{
  AdwApplication   parent_instance;

  TwReverseRunner *runner;
  /* Launched with --start-tunnel (at login): the first activation shows no window. */
  gboolean         start_hidden;
};

G_DEFINE_FINAL_TYPE (TwApplication, tw_application, ADW_TYPE_APPLICATION)

static void
tw_application_activate (GApplication *app)
{
  TwApplication *self = TW_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  const char *running = tw_reverse_runner_get_first_running (self->runner);

  if (self->start_hidden)
    {
      self->start_hidden = FALSE;
      return;
    }

  /* Coming back to a tunnel left running with the window closed: show it. */
  if (window == NULL)
    {
      window = GTK_WINDOW (tw_window_new (self));
      if (running != NULL)
        tw_window_show_reverse_tunnel (TW_WINDOW (window), running);
    }

  gtk_window_present (window);
}

static void
tw_application_start_tunnel (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  TwApplication *self = TW_APPLICATION (user_data);

  tw_reverse_runner_start_saved (self->runner, g_variant_get_string (parameter, NULL));
}

static void
tw_application_stop_tunnel (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TwApplication *self = TW_APPLICATION (user_data);

  tw_reverse_runner_stop (self->runner, g_variant_get_string (parameter, NULL));
}

static void
tw_application_show_tunnel (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TwApplication *self = TW_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (tw_window_new (self));
  tw_window_show_reverse_tunnel (TW_WINDOW (window), g_variant_get_string (parameter, NULL));
  gtk_window_present (window);
}

static void
on_runner_changed (TwApplication *self)
{
  if (tw_reverse_runner_get_n_running (self->runner) == 0)
    g_application_withdraw_notification (G_APPLICATION (self), "reverse-tunnel-running");
}

static int
tw_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  TwApplication *self = TW_APPLICATION (app);
  const char *tunnel = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_variant_dict_lookup (options, "start-tunnel", "&s", &tunnel))
    return -1;

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  /* A running instance starts the tunnel itself; this process is done. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "start-tunnel", g_variant_new_string (tunnel));
  if (g_application_get_is_remote (app))
    return 0;
  self->start_hidden = TRUE;
  return -1;
}

static void
tw_application_show_about (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { "Tunnel Wizard developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Tunnel Wizard"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Set up and check an SSH tunnel for a cloud data service"),
                         NULL);
}

/* The guide is one HTML page: the user's browser shows it, so it needs no
 * help viewer (Yelp) and reads the same from the app and from the web. */
static void
tw_application_show_help (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autofree char *uri = tw_help_uri ();

  gtk_show_uri (gtk_application_get_active_window (app), uri, GDK_CURRENT_TIME);
}

static void
tw_application_quit (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = tw_application_show_about },
  { .name = "help", .activate = tw_application_show_help },
  { .name = "quit", .activate = tw_application_quit },
  { .name = "start-tunnel", .activate = tw_application_start_tunnel, .parameter_type = "s" },
  { .name = "stop-tunnel", .activate = tw_application_stop_tunnel, .parameter_type = "s" },
  { .name = "show-tunnel", .activate = tw_application_show_tunnel, .parameter_type = "s" },
};

static void
tw_application_startup (GApplication *app)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *help_accels[] = { "F1", NULL };
  /* GtkApplication sets this one only for a gtk/help-overlay.ui, which the window now builds
   * when first asked (tw-window-actions.c) */
  const char *shortcuts_accels[] = { "<Control>question", NULL };

  /* The display's GtkSettings parse the desktop's GTK theme when they are made (80 M
   * instructions, a tenth of the start-up), and adw_init() replaces that theme straight away
   * with libadwaita's stylesheet. Making the settings while GTK_THEME names an empty theme of
   * ours skips the parse. The variable must be gone before adw_init(), which keeps the
   * desktop's theme when GTK_THEME is set, and before any process is started; an admin's
   * own GTK_THEME is left alone. Changing the environment is safe here only because no
   * thread of the app's own runs yet, and the library threads by now (D-Bus, Mesa's) do not
   * read it. */
  gboolean theme_from_environment = g_getenv ("GTK_THEME") != NULL;

  if (!theme_from_environment)
    g_setenv ("GTK_THEME", "TunnelWizard-startup", TRUE);
  gtk_init ();
  gtk_settings_get_default ();
  if (!theme_from_environment)
    g_unsetenv ("GTK_THEME");

  G_APPLICATION_CLASS (tw_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         shortcuts_accels);
}

static void
tw_application_shutdown (GApplication *app)
{
  TwApplication *self = TW_APPLICATION (app);

  /* Quit while a tunnel runs: close it properly rather than drop the connection. */
  tw_reverse_runner_shutdown (self->runner);
  G_APPLICATION_CLASS (tw_application_parent_class)->shutdown (app);
}

static void
tw_application_finalize (GObject *object)
{
  TwApplication *self = TW_APPLICATION (object);

  g_clear_object (&self->runner);
  G_OBJECT_CLASS (tw_application_parent_class)->finalize (object);
}

static void
tw_application_class_init (TwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = tw_application_finalize;
  app_class->activate = tw_application_activate;
  app_class->startup = tw_application_startup;
  app_class->shutdown = tw_application_shutdown;
  app_class->handle_local_options = tw_application_handle_local_options;
}

static void
tw_application_init (TwApplication *self)
{
  const GOptionEntry options[] = {
    { "start-tunnel", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      N_("Start the saved reverse tunnel NAME in the background, without a window"), N_("NAME") },
    { NULL }
  };

  self->runner = tw_reverse_runner_new (G_APPLICATION (self));
  g_signal_connect_object (self->runner, "changed", G_CALLBACK (on_runner_changed), self, G_CONNECT_SWAPPED);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

TwReverseRunner *
tw_application_get_runner (TwApplication *self)
{
  g_return_val_if_fail (TW_IS_APPLICATION (self), NULL);
  return self->runner;
}

TwApplication *
tw_application_new (GApplicationFlags flags)
{
  return g_object_new (TW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
