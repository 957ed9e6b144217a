/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-application.h"
#include "tw-help.h"
#include "tw-window.h"

struct _TwApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (TwApplication, tw_application, ADW_TYPE_APPLICATION)

static void
tw_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (tw_window_new (TW_APPLICATION (app)));

  gtk_window_present (window);
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
};

static void
tw_application_startup (GApplication *app)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *help_accels[] = { "F1", NULL };

  G_APPLICATION_CLASS (tw_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.help", help_accels);
}

static void
tw_application_class_init (TwApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = tw_application_activate;
  app_class->startup = tw_application_startup;
}

static void
tw_application_init (TwApplication *self)
{
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
