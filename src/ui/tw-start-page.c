/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-start-page.h"
#include "tw-symbol-paintable.h"
#include "tw-tunnel-row.h"

struct _TwStartPage
{
  AdwBin         parent_instance;

  GtkStack      *stack;
  GtkListBox    *list;
  GtkWidget     *saved_group;
  GtkWidget     *draft_group;
  AdwActionRow  *draft_row;
  AdwStatusPage *empty_status;

  TwTunnelStore *store;
  TwTunnel      *draft;
  TwReverseRunner *runner;
};

G_DEFINE_FINAL_TYPE (TwStartPage, tw_start_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DRAFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (TwStartPage *self)
{
  guint n = self->store ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;

  gtk_widget_set_visible (self->saved_group, n > 0);
  gtk_widget_set_visible (self->draft_group, self->draft != NULL);
  gtk_stack_set_visible_child_name (self->stack, n > 0 || self->draft != NULL ? "list" : "empty");

  if (self->draft != NULL)
    {
      const char *host = tw_tunnel_get_ssh_host (self->draft);

      adw_action_row_set_subtitle (self->draft_row,
                                   host && *host ? host : _("Not saved yet"));
    }
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  TwStartPage *self = user_data;
  TwTunnelRow *row = tw_tunnel_row_new (TW_TUNNEL_ENTRY (item));

  tw_tunnel_row_set_runner (row, self->runner);
  return GTK_WIDGET (row);
}

static void
tw_start_page_dispose (GObject *object)
{
  TwStartPage *self = TW_START_PAGE (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, update, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_START_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->draft);
  g_clear_object (&self->runner);

  G_OBJECT_CLASS (tw_start_page_parent_class)->dispose (object);
}

static void
tw_start_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TwStartPage *self = TW_START_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_DRAFT:
      g_value_set_object (value, self->draft);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_start_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TwStartPage *self = TW_START_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tw_start_page_set_store (self, g_value_get_object (value));
      break;

    case PROP_DRAFT:
      tw_start_page_set_draft (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_start_page_class_init (TwStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tw_start_page_dispose;
  object_class->get_property = tw_start_page_get_property;
  object_class->set_property = tw_start_page_set_property;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, TW_TYPE_TUNNEL_STORE, flags);
  properties[PROP_DRAFT] = g_param_spec_object ("draft", NULL, NULL, TW_TYPE_TUNNEL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, list);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, saved_group);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, draft_group);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, draft_row);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, empty_status);
}

static void
set_empty_symbol (TwStartPage *self)
{
  g_autoptr(GdkPaintable) symbol =
    tw_symbol_paintable_new_from_resource (RESOURCE_PREFIX "/symbols/tw-start.png");

  adw_status_page_set_paintable (self->empty_status, symbol);
}

static void
tw_start_page_init (TwStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not a bound template child: gtk_widget_dispose_template() would unparent the bin's own
   * child, and AdwBin's dispose would then unparent it a second time. */
  self->stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
  set_empty_symbol (self);
  update (self);
}

TwTunnelStore *
tw_start_page_get_store (TwStartPage *self)
{
  g_return_val_if_fail (TW_IS_START_PAGE (self), NULL);
  return self->store;
}

void
tw_start_page_set_store (TwStartPage   *self,
                         TwTunnelStore *store)
{
  g_return_if_fail (TW_IS_START_PAGE (self));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, update, self);
  g_set_object (&self->store, store);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (store), create_row, self, NULL);
  if (store != NULL)
    g_signal_connect_swapped (store, "items-changed", G_CALLBACK (update), self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

TwTunnel *
tw_start_page_get_draft (TwStartPage *self)
{
  g_return_val_if_fail (TW_IS_START_PAGE (self), NULL);
  return self->draft;
}

void
tw_start_page_set_draft (TwStartPage *self,
                         TwTunnel    *draft)
{
  g_return_if_fail (TW_IS_START_PAGE (self));

  if (!g_set_object (&self->draft, draft))
    return;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAFT]);
}

GtkListBox *
tw_start_page_get_list (TwStartPage *self)
{
  g_return_val_if_fail (TW_IS_START_PAGE (self), NULL);
  return self->list;
}

void
tw_start_page_set_runner (TwStartPage     *self,
                          TwReverseRunner *runner)
{
  g_return_if_fail (TW_IS_START_PAGE (self));

  if (!g_set_object (&self->runner, runner))
    return;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (TW_IS_TUNNEL_ROW (row))
      tw_tunnel_row_set_runner (TW_TUNNEL_ROW (row), runner);
}
