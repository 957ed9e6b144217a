/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the store knows about one tunnel file. A file that does not load still
 * gets an entry, so that the start page can say which file is broken and why
 * instead of silently leaving a tunnel out.
 */
#include "config.h"

#include "tw-tunnel-entry.h"

struct _TwTunnelEntry
{
  GObject    parent_instance;

  char      *id;
  char      *path;
  TwTunnel  *tunnel;
  GError    *error;
  char      *last_verdict;
  GDateTime *last_checked;
  GStrv      last_checks;
};

G_DEFINE_FINAL_TYPE (TwTunnelEntry, tw_tunnel_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TUNNEL,
  PROP_LAST_VERDICT,
  PROP_LAST_CHECKED,
  PROP_LAST_CHECKS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tw_tunnel_entry_finalize (GObject *object)
{
  TwTunnelEntry *self = TW_TUNNEL_ENTRY (object);

  g_free (self->id);
  g_free (self->path);
  g_clear_object (&self->tunnel);
  g_clear_error (&self->error);
  g_free (self->last_verdict);
  g_clear_pointer (&self->last_checked, g_date_time_unref);
  g_strfreev (self->last_checks);

  G_OBJECT_CLASS (tw_tunnel_entry_parent_class)->finalize (object);
}

static void
tw_tunnel_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TwTunnelEntry *self = TW_TUNNEL_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TUNNEL:
      g_value_set_object (value, self->tunnel);
      break;

    case PROP_LAST_VERDICT:
      g_value_set_string (value, self->last_verdict);
      break;

    case PROP_LAST_CHECKED:
      g_value_set_boxed (value, self->last_checked);
      break;

    case PROP_LAST_CHECKS:
      g_value_set_boxed (value, self->last_checks);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_tunnel_entry_class_init (TwTunnelEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tw_tunnel_entry_finalize;
  object_class->get_property = tw_tunnel_entry_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_TUNNEL] = g_param_spec_object ("tunnel", NULL, NULL, TW_TYPE_TUNNEL, flags);
  properties[PROP_LAST_VERDICT] = g_param_spec_string ("last-verdict", NULL, NULL, NULL, flags);
  properties[PROP_LAST_CHECKED] = g_param_spec_boxed ("last-checked", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_LAST_CHECKS] = g_param_spec_boxed ("last-checks", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_tunnel_entry_init (TwTunnelEntry *self)
{
}

TwTunnelEntry *
tw_tunnel_entry_new (const char *id,
                     const char *path,
                     TwTunnel   *tunnel)
{
  TwTunnelEntry *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);

  self = g_object_new (TW_TYPE_TUNNEL_ENTRY, NULL);
  self->id = g_strdup (id);
  self->path = g_strdup (path);
  self->tunnel = g_object_ref (tunnel);
  return self;
}

TwTunnelEntry *
tw_tunnel_entry_new_broken (const char   *id,
                            const char   *path,
                            const GError *error)
{
  TwTunnelEntry *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (TW_TYPE_TUNNEL_ENTRY, NULL);
  self->id = g_strdup (id);
  self->path = g_strdup (path);
  self->error = g_error_copy (error);
  return self;
}

const char *
tw_tunnel_entry_get_id (TwTunnelEntry *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ENTRY (self), NULL);
  return self->id;
}

const char *
tw_tunnel_entry_get_path (TwTunnelEntry *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ENTRY (self), NULL);
  return self->path;
}

TwTunnel *
tw_tunnel_entry_get_tunnel (TwTunnelEntry *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ENTRY (self), NULL);
  return self->tunnel;
}

const GError *
tw_tunnel_entry_get_error (TwTunnelEntry *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ENTRY (self), NULL);
  return self->error;
}

gboolean
tw_tunnel_entry_is_broken (TwTunnelEntry *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ENTRY (self), TRUE);
  return self->error != NULL;
}

const char *
tw_tunnel_entry_get_last_verdict (TwTunnelEntry *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ENTRY (self), NULL);
  return self->last_verdict;
}

GDateTime *
tw_tunnel_entry_get_last_checked (TwTunnelEntry *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ENTRY (self), NULL);
  return self->last_checked;
}

void
tw_tunnel_entry_set_last_result (TwTunnelEntry *self,
                                 const char    *verdict,
                                 GDateTime     *checked)
{
  g_return_if_fail (TW_IS_TUNNEL_ENTRY (self));

  if (g_strcmp0 (self->last_verdict, verdict) != 0)
    {
      g_free (self->last_verdict);
      self->last_verdict = g_strdup (verdict);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_VERDICT]);
    }

  if (self->last_checked != checked &&
      (self->last_checked == NULL || checked == NULL ||
       !g_date_time_equal (self->last_checked, checked)))
    {
      g_clear_pointer (&self->last_checked, g_date_time_unref);
      self->last_checked = checked ? g_date_time_ref (checked) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CHECKED]);
    }
}

const char * const *
tw_tunnel_entry_get_last_checks (TwTunnelEntry *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL_ENTRY (self), NULL);
  return (const char * const *) self->last_checks;
}

void
tw_tunnel_entry_set_last_checks (TwTunnelEntry      *self,
                                 const char * const *checks)
{
  g_return_if_fail (TW_IS_TUNNEL_ENTRY (self));

  if (self->last_checks == NULL && checks == NULL)
    return;
  if (self->last_checks != NULL && checks != NULL &&
      g_strv_equal ((const char * const *) self->last_checks, checks))
    return;
  g_strfreev (self->last_checks);
  self->last_checks = g_strdupv ((char **) checks);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CHECKS]);
}
