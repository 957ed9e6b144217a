/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The XDG autostart entry of a reverse tunnel (freedesktop.org Desktop Application
 * Autostart Specification): a .desktop file under $XDG_CONFIG_HOME/autostart that the
 * session starts at login. GKeyFile writes it, so values are escaped as the spec wants,
 * and g_file_set_contents() replaces it atomically.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tw-reverse-autostart.h"

#define DESKTOP_GROUP "Desktop Entry"

char *
tw_reverse_autostart_get_path (const char *tunnel_id)
{
  g_autofree char *file = NULL;

  g_return_val_if_fail (tunnel_id != NULL, NULL);

  file = g_strdup_printf ("%s.tunnel-%s.desktop", APP_ID, tunnel_id);
  return g_build_filename (g_get_user_config_dir (), "autostart", file, NULL);
}

gboolean
tw_reverse_autostart_is_enabled (const char *tunnel_id)
{
  g_autofree char *path = tw_reverse_autostart_get_path (tunnel_id);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

gboolean
tw_reverse_autostart_set_enabled (const char  *tunnel_id,
                                  const char  *name,
                                  gboolean     enabled,
                                  GError     **error)
{
  g_autofree char *path = tw_reverse_autostart_get_path (tunnel_id);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *title = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *exec = NULL;

  g_return_val_if_fail (tunnel_id != NULL, FALSE);

  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("The login entry %s could not be removed: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("The folder %s could not be created: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  /* Translators: the name of a login item; %s is the tunnel's name */
  title = g_strdup_printf (_("Tunnel Wizard: %s"), name ? name : tunnel_id);
  comment = g_strdup (_("Keeps a reverse tunnel open in the background"));
  /* The Exec key has quoting rules of its own (not the shell's): store ids are UUIDs, which
   * need none, and anything else is refused rather than quoted wrongly. */
  for (const char *c = tunnel_id; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
      {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     _("The tunnel id “%s” cannot be used in a login entry"), tunnel_id);
        return FALSE;
      }
  exec = g_strdup_printf ("tunnel-wizard --start-tunnel=%s", tunnel_id);

  key_file = g_key_file_new ();
  g_key_file_set_string (key_file, DESKTOP_GROUP, "Type", "Application");
  g_key_file_set_string (key_file, DESKTOP_GROUP, "Name", title);
  g_key_file_set_string (key_file, DESKTOP_GROUP, "Comment", comment);
  g_key_file_set_string (key_file, DESKTOP_GROUP, "Exec", exec);
  g_key_file_set_string (key_file, DESKTOP_GROUP, "Icon", APP_ID);
  g_key_file_set_boolean (key_file, DESKTOP_GROUP, "Terminal", FALSE);
  g_key_file_set_boolean (key_file, DESKTOP_GROUP, "NoDisplay", TRUE);
  g_key_file_set_boolean (key_file, DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);
  return g_key_file_save_to_file (key_file, path, error);
}
