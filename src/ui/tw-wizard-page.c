/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base of the wizard's steps: the window talks to this type, so a page
 * holds only what is its own and overrides "tunnel_changed".
 */
#include "config.h"

#include "tw-wizard-page.h"

typedef struct
{
  TwTunnel *tunnel;
  gboolean  complete;
} TwWizardPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TwWizardPage, tw_wizard_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TUNNEL,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tw_wizard_page_dispose (GObject *object)
{
  TwWizardPagePrivate *priv = tw_wizard_page_get_instance_private (TW_WIZARD_PAGE (object));

  g_clear_object (&priv->tunnel);

  G_OBJECT_CLASS (tw_wizard_page_parent_class)->dispose (object);
}

static void
tw_wizard_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TwWizardPage *self = TW_WIZARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_TUNNEL:
      g_value_set_object (value, tw_wizard_page_get_tunnel (self));
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, tw_wizard_page_get_complete (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_wizard_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_TUNNEL:
      tw_wizard_page_set_tunnel (TW_WIZARD_PAGE (object), g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_wizard_page_class_init (TwWizardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tw_wizard_page_dispose;
  object_class->get_property = tw_wizard_page_get_property;
  object_class->set_property = tw_wizard_page_set_property;

  properties[PROP_TUNNEL] =
    g_param_spec_object ("tunnel", NULL, NULL, TW_TYPE_TUNNEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_wizard_page_init (TwWizardPage *self)
{
  TwWizardPagePrivate *priv = tw_wizard_page_get_instance_private (self);

  priv->complete = TRUE;
}

TwTunnel *
tw_wizard_page_get_tunnel (TwWizardPage *self)
{
  TwWizardPagePrivate *priv;

  g_return_val_if_fail (TW_IS_WIZARD_PAGE (self), NULL);
  priv = tw_wizard_page_get_instance_private (self);
  return priv->tunnel;
}

void
tw_wizard_page_set_tunnel (TwWizardPage *self,
                           TwTunnel     *tunnel)
{
  TwWizardPagePrivate *priv;
  g_autoptr(TwTunnel) previous = NULL;

  g_return_if_fail (TW_IS_WIZARD_PAGE (self));
  g_return_if_fail (tunnel == NULL || TW_IS_TUNNEL (tunnel));

  priv = tw_wizard_page_get_instance_private (self);
  if (priv->tunnel == tunnel)
    return;

  previous = g_steal_pointer (&priv->tunnel);
  priv->tunnel = tunnel ? g_object_ref (tunnel) : NULL;
  if (TW_WIZARD_PAGE_GET_CLASS (self)->tunnel_changed != NULL)
    TW_WIZARD_PAGE_GET_CLASS (self)->tunnel_changed (self, previous);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TUNNEL]);
}

gboolean
tw_wizard_page_get_complete (TwWizardPage *self)
{
  TwWizardPagePrivate *priv;

  g_return_val_if_fail (TW_IS_WIZARD_PAGE (self), FALSE);
  priv = tw_wizard_page_get_instance_private (self);
  return priv->complete;
}

void
tw_wizard_page_set_complete (TwWizardPage *self,
                             gboolean      complete)
{
  TwWizardPagePrivate *priv;

  g_return_if_fail (TW_IS_WIZARD_PAGE (self));
  priv = tw_wizard_page_get_instance_private (self);
  complete = !!complete;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}
