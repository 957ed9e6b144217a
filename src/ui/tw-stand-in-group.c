/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-code-block.h"
#include "tw-stand-in-group.h"

struct _TwStandInGroup
{
  AdwBin          parent_instance;

  GtkSwitch      *active_switch;
  GtkRevealer    *revealer;
  TwCodeBlock    *install_block;
  TwCodeBlock    *remove_block;

  TwTunnel       *tunnel;
  TwKeypair      *keypair;   /* the private part stays in memory, never on disk */
};

G_DEFINE_FINAL_TYPE (TwStandInGroup, tw_stand_in_group, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The line depends on the user, the destination and least privilege; its hour starts when the
 * key is made. */
static void
refresh (TwStandInGroup *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *line = NULL;
  g_autofree char *install = NULL;
  g_autofree char *remove = NULL;

  if (self->keypair == NULL || self->tunnel == NULL)
    return;

  line = tw_stand_in_authorized_line (self->tunnel, self->keypair, now, &error);
  if (line != NULL)
    install = tw_stand_in_install_command (self->tunnel, line, &error);
  if (install != NULL)
    remove = tw_stand_in_remove_command (self->tunnel, &error);
  if (remove == NULL)
    {
      tw_code_block_set_error (self->install_block, error->message);
      tw_code_block_set_error (self->remove_block, error->message);
      return;
    }
  tw_code_block_set_text (self->install_block, install);
  tw_code_block_set_text (self->remove_block, remove);
}

static void
on_active_changed (TwStandInGroup *self)
{
  gboolean active = gtk_switch_get_active (self->active_switch);

  if (active && self->keypair == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->keypair = tw_stand_in_generate (&error);
      if (self->keypair == NULL)
        {
          tw_code_block_set_error (self->install_block, error->message);
          gtk_revealer_set_reveal_child (self->revealer, TRUE);
          return;
        }
    }
  if (active)
    refresh (self);
  gtk_revealer_set_reveal_child (self->revealer, active);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
tw_stand_in_group_dispose (GObject *object)
{
  TwStandInGroup *self = TW_STAND_IN_GROUP (object);

  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_data (self->tunnel, self);
  g_clear_object (&self->tunnel);
  g_clear_object (&self->keypair);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_STAND_IN_GROUP);

  G_OBJECT_CLASS (tw_stand_in_group_parent_class)->dispose (object);
}

static void
tw_stand_in_group_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TwStandInGroup *self = TW_STAND_IN_GROUP (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, tw_stand_in_group_get_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_stand_in_group_class_init (TwStandInGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_stand_in_group_dispose;
  object_class->get_property = tw_stand_in_group_get_property;

  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TW_TYPE_CODE_BLOCK);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tw-stand-in-group.ui");
  gtk_widget_class_bind_template_child (widget_class, TwStandInGroup, active_switch);
  gtk_widget_class_bind_template_child (widget_class, TwStandInGroup, revealer);
  gtk_widget_class_bind_template_child (widget_class, TwStandInGroup, install_block);
  gtk_widget_class_bind_template_child (widget_class, TwStandInGroup, remove_block);
  gtk_widget_class_bind_template_callback (widget_class, on_active_changed);
}

static void
tw_stand_in_group_init (TwStandInGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tw_stand_in_group_set_tunnel (TwStandInGroup *self,
                              TwTunnel       *tunnel)
{
  const char *watched[] = { "notify::user", "notify::dest-host", "notify::dest-port",
                            "notify::least-privilege", "notify::mode" };

  g_return_if_fail (TW_IS_STAND_IN_GROUP (self));

  if (self->tunnel == tunnel)
    return;
  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_data (self->tunnel, self);
  g_set_object (&self->tunnel, tunnel);
  for (guint i = 0; tunnel != NULL && i < G_N_ELEMENTS (watched); i++)
    g_signal_connect_object (tunnel, watched[i], G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
}

gboolean
tw_stand_in_group_get_active (TwStandInGroup *self)
{
  g_return_val_if_fail (TW_IS_STAND_IN_GROUP (self), FALSE);
  return gtk_switch_get_active (self->active_switch) && self->keypair != NULL;
}

TwCredentials *
tw_stand_in_group_dup_credentials (TwStandInGroup *self)
{
  TwCredentials *credentials;
  char *private_key;

  g_return_val_if_fail (TW_IS_STAND_IN_GROUP (self), NULL);

  if (!tw_stand_in_group_get_active (self) || self->tunnel == NULL)
    return NULL;
  private_key = tw_keypair_export_private (self->keypair);
  credentials = tw_credentials_new_private_key (private_key);
  tw_keypair_free_secret (private_key);
  tw_credentials_set_user (credentials, tw_tunnel_get_user (self->tunnel));
  tw_credentials_set_stand_in (credentials, TRUE);
  return credentials;
}
