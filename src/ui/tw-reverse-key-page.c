/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reverse mode, "Key pair": the key pair this machine logs in with. Generated
 * here with libssh (tw-keypair), shown as the line for authorized_keys with
 * its fingerprint; the private half never leaves memory except to the keyring.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-code-block.h"
#include "tw-copy-row.h"
#include "tw-reverse-key-page.h"
#include "tw-ui-util.h"

struct _TwReverseKeyPage
{
  TwWizardPage parent_instance;

  GtkButton   *generate_button;
  TwCodeBlock *public_block;
  TwCopyRow   *fingerprint_row;
  GtkWidget   *key_group;

  char        *private_key;      /* only for a pair made here and not saved yet */
  char        *private_for;      /* the public key it belongs to */
};

G_DEFINE_FINAL_TYPE (TwReverseKeyPage, tw_reverse_key_page, TW_TYPE_WIZARD_PAGE)

static void
update (TwReverseKeyPage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  const char *line = tunnel ? tw_tunnel_get_service_key (tunnel) : NULL;
  g_autoptr(TwPublicKey) key = line ? tw_public_key_parse (line, NULL) : NULL;
  gboolean complete = key != NULL;

  /* The public key changed under us (another page, a draft): the private half is not its. */
  if (self->private_key != NULL && g_strcmp0 (line, self->private_for) != 0)
    {
      g_clear_pointer (&self->private_key, tw_keypair_free_secret);
      g_clear_pointer (&self->private_for, g_free);
    }

  gtk_widget_set_visible (self->key_group, key != NULL);
  if (key != NULL)
    {
      tw_code_block_set_text (self->public_block, tw_public_key_get_line (key));
      tw_copy_row_set_value (self->fingerprint_row, tw_public_key_get_fingerprint (key));
    }
  gtk_button_set_label (self->generate_button,
                        key != NULL ? _("_Make a New Key Pair") : _("_Generate Key Pair"));
  if (key != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->generate_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->generate_button), "suggested-action");

  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), complete);
}

static void
tw_reverse_key_page_generate (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TwReverseKeyPage *self = TW_REVERSE_KEY_PAGE (widget);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *comment = NULL;
  g_autoptr(TwKeypair) keypair = NULL;
  char *private_key = NULL;

  if (tunnel == NULL)
    return;

  /* The comment says which machine the key belongs to when the admin reads authorized_keys. */
  comment = g_strdup_printf ("tunnel-wizard@%s", g_get_host_name ());
  keypair = tw_keypair_generate (comment, &error);
  if (keypair == NULL || (private_key = tw_keypair_export_private (keypair)) == NULL)
    {
      tw_ui_show_toast (widget, error ? error->message : _("A new key pair could not be generated"));
      return;
    }

  g_clear_pointer (&self->private_key, tw_keypair_free_secret);
  self->private_key = private_key;
  g_free (self->private_for);
  self->private_for = g_strdup (tw_keypair_get_public_key (keypair));
  tw_tunnel_set_service_key (tunnel, self->private_for);
  update (self);
}

static void
tw_reverse_key_page_tunnel_changed (TwWizardPage *page,
                                    TwTunnel     *previous)
{
  TwReverseKeyPage *self = TW_REVERSE_KEY_PAGE (page);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (page);

  if (previous != NULL)
    g_signal_handlers_disconnect_by_func (previous, update, self);
  if (tunnel != NULL)
    g_signal_connect_swapped (tunnel, "notify::service-key", G_CALLBACK (update), self);
  update (self);
}

static void
tw_reverse_key_page_dispose (GObject *object)
{
  TwReverseKeyPage *self = TW_REVERSE_KEY_PAGE (object);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));

  if (tunnel != NULL)
    g_signal_handlers_disconnect_by_func (tunnel, update, self);
  g_clear_pointer (&self->private_key, tw_keypair_free_secret);
  g_clear_pointer (&self->private_for, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_REVERSE_KEY_PAGE);

  G_OBJECT_CLASS (tw_reverse_key_page_parent_class)->dispose (object);
}

static void
tw_reverse_key_page_class_init (TwReverseKeyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TwWizardPageClass *page_class = TW_WIZARD_PAGE_CLASS (klass);

  object_class->dispose = tw_reverse_key_page_dispose;
  page_class->tunnel_changed = tw_reverse_key_page_tunnel_changed;

  g_type_ensure (TW_TYPE_CODE_BLOCK);
  g_type_ensure (TW_TYPE_COPY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-reverse-key-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwReverseKeyPage, generate_button);
  gtk_widget_class_bind_template_child (widget_class, TwReverseKeyPage, public_block);
  gtk_widget_class_bind_template_child (widget_class, TwReverseKeyPage, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, TwReverseKeyPage, key_group);
  gtk_widget_class_install_action (widget_class, "page.generate", NULL, tw_reverse_key_page_generate);
}

static void
tw_reverse_key_page_init (TwReverseKeyPage *self)
{
  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), FALSE);
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

const char *
tw_reverse_key_page_get_private_key (TwReverseKeyPage *self)
{
  g_return_val_if_fail (TW_IS_REVERSE_KEY_PAGE (self), NULL);
  return self->private_key;
}
