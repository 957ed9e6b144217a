/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tw-monitor-units.h"
#include "tw-paths.h"

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *c = id; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
      return FALSE;
  return TRUE;
}

char *
tw_monitor_unit_name (const char *tunnel_id)
{
  g_return_val_if_fail (valid_id (tunnel_id), NULL);
  return g_strdup_printf ("tunnel-wizard-check-%s", tunnel_id);
}

/* A description is one line; systemd expands % specifiers in it */
static char *
description_text (const char *name)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (const char *c = name != NULL ? name : ""; *c != '\0'; c++)
    {
      if (*c == '\n' || *c == '\r')
        g_string_append_c (text, ' ');
      else if (*c == '%')
        g_string_append (text, "%%");
      else
        g_string_append_c (text, *c);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
tw_monitor_units_new (const char  *tunnel_id,
                      const char  *tunnel_name,
                      const char  *tunnel_check,
                      guint        minutes,
                      char       **service,
                      char       **timer,
                      GError     **error)
{
  g_autofree char *name = NULL;

  if (!valid_id (tunnel_id))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The tunnel’s id may hold only letters, digits, “-” and “_”"));
      return FALSE;
    }
  /* ExecStart= takes the path as it is, but breaks it at white space, and expands % */
  if (tunnel_check == NULL || !g_path_is_absolute (tunnel_check) || strpbrk (tunnel_check, " \t\n\"'\\%") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("tunnel-check must be at an absolute path without spaces or quotes, not “%s”"),
                   tunnel_check != NULL ? tunnel_check : "");
      return FALSE;
    }
  if (minutes < 1 || minutes > 1440)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The interval must be between 1 minute and 1 day"));
      return FALSE;
    }

  name = description_text (tunnel_name != NULL && *tunnel_name != '\0' ? tunnel_name : tunnel_id);
  *service = g_strdup_printf ("# Written by Tunnel Wizard; removed when you turn the background check off.\n"
                              "[Unit]\n"
                              "Description=Tunnel Wizard: check the tunnel %s\n"
                              "Documentation=man:tunnel-check(1)\n"
                              "\n"
                              "[Service]\n"
                              "Type=oneshot\n"
                              "ExecStart=%s probe --tunnel %s --notify-changes\n"
                              /* A failed check is news for the notification, not a failed unit */
                              "SuccessExitStatus=1\n",
                              name, tunnel_check, tunnel_id);
  *timer = g_strdup_printf ("# Written by Tunnel Wizard; removed when you turn the background check off.\n"
                            "[Unit]\n"
                            "Description=Tunnel Wizard: check the tunnel %s every %u minutes\n"
                            "\n"
                            "[Timer]\n"
                            "OnActiveSec=1min\n"
                            "OnUnitActiveSec=%umin\n"
                            "RandomizedDelaySec=30s\n"
                            "\n"
                            "[Install]\n"
                            "WantedBy=timers.target\n",
                            name, minutes, minutes);
  return TRUE;
}

static char *
unit_path (const char *tunnel_id,
           const char *suffix)
{
  g_autofree char *unit = tw_monitor_unit_name (tunnel_id);

  return g_strdup_printf ("%s/systemd/user/%s.%s", g_get_user_config_dir (), unit, suffix);
}

gboolean
tw_monitor_is_installed (const char *tunnel_id)
{
  g_autofree char *timer = NULL;

  if (!valid_id (tunnel_id))
    return FALSE;
  timer = unit_path (tunnel_id, "timer");
  return g_file_test (timer, G_FILE_TEST_EXISTS);
}

/* systemctl --user ARGS…: FALSE with its message when there is no user manager to ask */
static gboolean
systemctl_user (const char * const *args,
                GError            **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (argv, "systemctl");
  g_ptr_array_add (argv, "--user");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err != NULL ? g_strstrip (err) : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
tw_monitor_install (const char  *tunnel_id,
                    const char  *tunnel_name,
                    const char  *tunnel_check,
                    guint        minutes,
                    gboolean    *started,
                    char       **start_problem,
                    GError     **error)
{
  g_autofree char *service = NULL, *timer = NULL, *service_path = NULL, *timer_path = NULL;
  g_autofree char *dir = NULL, *timer_name = NULL, *unit = NULL;
  g_autoptr(GError) start_error = NULL;

  *started = FALSE;
  if (start_problem != NULL)
    *start_problem = NULL;
  if (!tw_monitor_units_new (tunnel_id, tunnel_name, tunnel_check, minutes, &service, &timer, error))
    return FALSE;
  dir = g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
  service_path = unit_path (tunnel_id, "service");
  timer_path = unit_path (tunnel_id, "timer");
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  if (!g_file_set_contents_full (service_path, service, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error) ||
      !g_file_set_contents_full (timer_path, timer, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;

  unit = tw_monitor_unit_name (tunnel_id);
  timer_name = g_strdup_printf ("%s.timer", unit);
  *started = systemctl_user ((const char * const []) { "daemon-reload", NULL }, &start_error) &&
             systemctl_user ((const char * const []) { "enable", "--now", timer_name, NULL }, &start_error);
  if (!*started && start_problem != NULL)
    *start_problem = g_strdup (start_error->message);
  return TRUE;
}

gboolean
tw_monitor_remove (const char *tunnel_id)
{
  g_autofree char *service_path = NULL, *timer_path = NULL, *timer_name = NULL, *unit = NULL;
  gboolean had;

  g_return_val_if_fail (valid_id (tunnel_id), FALSE);

  service_path = unit_path (tunnel_id, "service");
  timer_path = unit_path (tunnel_id, "timer");
  had = g_file_test (timer_path, G_FILE_TEST_EXISTS) || g_file_test (service_path, G_FILE_TEST_EXISTS);
  unit = tw_monitor_unit_name (tunnel_id);
  timer_name = g_strdup_printf ("%s.timer", unit);
  /* Without a user manager there is nothing running to stop: the files go anyway */
  systemctl_user ((const char * const []) { "disable", "--now", timer_name, NULL }, NULL);
  g_unlink (timer_path);
  g_unlink (service_path);
  systemctl_user ((const char * const []) { "daemon-reload", NULL }, NULL);
  return had;
}

char *
tw_monitor_find_tool (void)
{
  g_autofree char *self = tw_paths_get_executable (NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, "tunnel-check", NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }
  return g_find_program_in_path ("tunnel-check");
}
