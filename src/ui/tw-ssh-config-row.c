/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-ssh-config-row.h"

struct _TwSshConfigRow
{
  AdwExpanderRow  parent_instance;

  GtkLabel       *values_label;
  GtkSwitch      *enable_switch;
  char           *host;
  char           *config_file;
  TwSshConfig    *config;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (TwSshConfigRow, tw_ssh_config_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_HOST,
  PROP_CONFIG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_config (TwSshConfigRow *self,
            TwSshConfig    *config)
{
  if (g_set_object (&self->config, config))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
}

/* "alice@10.0.0.5 port 22, through jump.example.com" */
static char *
summarize (TwSshConfig *config)
{
  g_autofree char *target = g_strdup_printf (_("%s@%s port %u"), tw_ssh_config_get_user (config),
                                             tw_ssh_config_get_hostname (config),
                                             tw_ssh_config_get_port (config));

  if (tw_ssh_config_get_proxy_jump (config) != NULL)
    return g_strdup_printf (_("%s, through %s"), target, tw_ssh_config_get_proxy_jump (config));
  return g_steal_pointer (&target);
}

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TwSshConfigRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwSshConfig) config = tw_ssh_config_resolve_finish (result, &error);
  g_autofree char *summary = NULL;
  g_autofree char *values = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (config == NULL)
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), error->message);
      gtk_label_set_label (self->values_label, error->message);
      return;
    }

  summary = summarize (config);
  values = tw_ssh_config_describe (config);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), summary);
  gtk_label_set_label (self->values_label, values);
  set_config (self, config);
}

static void
refresh (TwSshConfigRow *self)
{
  gboolean enabled = adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_config (self, NULL);
  gtk_label_set_label (self->values_label, "");

  if (!enabled)
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self),
                                     _("Your login goes straight to the tunnel server"));
      return;
    }
  if (self->host == NULL || *self->host == '\0')
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("Enter the tunnel server first"));
      return;
    }

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("Reading your SSH settings…"));
  self->cancellable = g_cancellable_new ();
  tw_ssh_config_resolve_async (self->config_file, self->host, self->cancellable, on_resolved,
                               g_object_ref (self));
}

static void
on_enabled_changed (TwSshConfigRow *self)
{
  /* Shown before use: turning it on opens the values. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self),
                                 adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self)));
  refresh (self);
}

static void
tw_ssh_config_row_dispose (GObject *object)
{
  TwSshConfigRow *self = TW_SSH_CONFIG_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->config);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_SSH_CONFIG_ROW);

  G_OBJECT_CLASS (tw_ssh_config_row_parent_class)->dispose (object);
}

static void
tw_ssh_config_row_finalize (GObject *object)
{
  TwSshConfigRow *self = TW_SSH_CONFIG_ROW (object);

  g_free (self->host);
  g_free (self->config_file);

  G_OBJECT_CLASS (tw_ssh_config_row_parent_class)->finalize (object);
}

static void
tw_ssh_config_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TwSshConfigRow *self = TW_SSH_CONFIG_ROW (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_ssh_config_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TwSshConfigRow *self = TW_SSH_CONFIG_ROW (object);

  switch (prop_id)
    {
    case PROP_HOST:
      tw_ssh_config_row_set_host (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_ssh_config_row_class_init (TwSshConfigRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_ssh_config_row_dispose;
  object_class->finalize = tw_ssh_config_row_finalize;
  object_class->get_property = tw_ssh_config_row_get_property;
  object_class->set_property = tw_ssh_config_row_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, TW_TYPE_SSH_CONFIG,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tw-ssh-config-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TwSshConfigRow, values_label);
  gtk_widget_class_bind_template_child (widget_class, TwSshConfigRow, enable_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_enabled_changed);
}

static void
tw_ssh_config_row_init (TwSshConfigRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self->enable_switch, "active", self, "enable-expansion",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  refresh (self);
}

const char *
tw_ssh_config_row_get_host (TwSshConfigRow *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG_ROW (self), NULL);
  return self->host;
}

void
tw_ssh_config_row_set_host (TwSshConfigRow *self,
                            const char     *host)
{
  g_return_if_fail (TW_IS_SSH_CONFIG_ROW (self));

  if (g_strcmp0 (self->host, host) == 0)
    return;
  g_free (self->host);
  self->host = g_strdup (host);
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

void
tw_ssh_config_row_set_config_file (TwSshConfigRow *self,
                                   const char     *path)
{
  g_return_if_fail (TW_IS_SSH_CONFIG_ROW (self));

  if (g_strcmp0 (self->config_file, path) == 0)
    return;
  g_free (self->config_file);
  self->config_file = g_strdup (path);
  refresh (self);
}

TwSshConfig *
tw_ssh_config_row_get_config (TwSshConfigRow *self)
{
  g_return_val_if_fail (TW_IS_SSH_CONFIG_ROW (self), NULL);
  return self->config;
}
