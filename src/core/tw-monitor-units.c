/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-monitor-units.h"

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
