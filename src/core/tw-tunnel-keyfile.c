/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tunnel's key file format, shared by saved tunnels and the wizard's draft.
 * It is written from the tunnel's GObject properties, so that a property added
 * to TwTunnel is saved without touching this file.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-tunnel-keyfile.h"
#include "tw-tunnel-store.h"

#define TUNNEL_GROUP "Tunnel"

GKeyFile *
tw_tunnel_to_key_file (TwTunnel *tunnel)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (tunnel), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE)
        continue;

      g_value_init (&value, type);
      g_object_get_property (G_OBJECT (tunnel), pspec->name, &value);

      if (type == G_TYPE_STRING)
        {
          if (g_value_get_string (&value) != NULL)
            g_key_file_set_string (key_file, TUNNEL_GROUP, pspec->name, g_value_get_string (&value));
        }
      else if (type == G_TYPE_UINT)
        g_key_file_set_uint64 (key_file, TUNNEL_GROUP, pspec->name, g_value_get_uint (&value));
      else if (type == G_TYPE_INT)
        g_key_file_set_integer (key_file, TUNNEL_GROUP, pspec->name, g_value_get_int (&value));
      else if (type == G_TYPE_BOOLEAN)
        g_key_file_set_boolean (key_file, TUNNEL_GROUP, pspec->name, g_value_get_boolean (&value));
      else if (G_TYPE_IS_ENUM (type))
        {
          g_autoptr(GEnumClass) klass = g_type_class_ref (type);
          GEnumValue *ev = g_enum_get_value (klass, g_value_get_enum (&value));

          if (ev != NULL)
            g_key_file_set_string (key_file, TUNNEL_GROUP, pspec->name, ev->value_nick);
        }
      else if (type == G_TYPE_STRV)
        {
          const char * const *strv = g_value_get_boxed (&value);

          if (strv != NULL)
            g_key_file_set_string_list (key_file, TUNNEL_GROUP, pspec->name,
                                        strv, g_strv_length ((char **) strv));
        }
      else
        g_warning ("Tunnel property %s of type %s is not saved", pspec->name, g_type_name (type));
    }

  return g_steal_pointer (&key_file);
}

static gboolean
corrupt_value (GError     **error,
               const char  *name,
               const char  *reason)
{
  g_set_error (error, TW_TUNNEL_STORE_ERROR, TW_TUNNEL_STORE_ERROR_CORRUPT,
               _("The value of “%s” is invalid: %s"), name, reason);
  return FALSE;
}

static gboolean
read_property (GKeyFile    *key_file,
               GParamSpec  *pspec,
               GValue      *value,
               GError     **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  g_autoptr(GError) local_error = NULL;

  g_value_init (value, type);

  if (type == G_TYPE_STRING)
    g_value_take_string (value, g_key_file_get_string (key_file, TUNNEL_GROUP, pspec->name, &local_error));
  else if (type == G_TYPE_UINT || type == G_TYPE_INT)
    {
      g_autofree char *text = g_key_file_get_string (key_file, TUNNEL_GROUP, pspec->name, &local_error);
      gint64 number = 0;

      /* GLib 2.74 can return the text *and* set an error for a bad escape. */
      if (local_error != NULL)
        return corrupt_value (error, pspec->name, local_error->message);
      if (text != NULL && !g_ascii_string_to_signed (text, 10, G_MININT32, G_MAXINT32, &number, &local_error))
        return corrupt_value (error, pspec->name, local_error->message);
      if (type == G_TYPE_UINT)
        g_value_set_uint (value, (guint) number);
      else
        g_value_set_int (value, (int) number);
    }
  else if (type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, g_key_file_get_boolean (key_file, TUNNEL_GROUP, pspec->name, &local_error));
  else if (G_TYPE_IS_ENUM (type))
    {
      g_autofree char *nick = g_key_file_get_string (key_file, TUNNEL_GROUP, pspec->name, &local_error);
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      GEnumValue *ev = nick ? g_enum_get_value_by_nick (klass, nick) : NULL;

      if (local_error != NULL)
        return corrupt_value (error, pspec->name, local_error->message);
      if (nick != NULL && ev == NULL)
        return corrupt_value (error, pspec->name, _("not one of the known choices"));
      if (ev != NULL)
        g_value_set_enum (value, ev->value);
    }
  else if (type == G_TYPE_STRV)
    g_value_take_boxed (value, g_key_file_get_string_list (key_file, TUNNEL_GROUP, pspec->name, NULL, &local_error));
  else
    return TRUE;

  if (local_error != NULL)
    return corrupt_value (error, pspec->name, local_error->message);

  /* A number out of the property's range would otherwise be clamped with a warning. */
  if (g_param_value_validate (pspec, value))
    return corrupt_value (error, pspec->name, _("out of range"));

  return TRUE;
}

TwTunnel *
tw_tunnel_from_key_file (GKeyFile  *key_file,
                         GError   **error)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  g_return_val_if_fail (key_file != NULL, NULL);

  if (!g_key_file_has_group (key_file, TUNNEL_GROUP))
    {
      g_set_error (error, TW_TUNNEL_STORE_ERROR, TW_TUNNEL_STORE_ERROR_CORRUPT,
                   _("The file has no [%s] section"), TUNNEL_GROUP);
      return NULL;
    }

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (tunnel), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspecs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE ||
          !g_key_file_has_key (key_file, TUNNEL_GROUP, pspecs[i]->name, NULL))
        continue;

      if (!read_property (key_file, pspecs[i], &value, error))
        return NULL;
      if (G_IS_VALUE (&value))
        g_object_set_property (G_OBJECT (tunnel), pspecs[i]->name, &value);
    }

  return g_steal_pointer (&tunnel);
}
