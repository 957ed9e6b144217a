/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A host key drawn compact, for the keys after the first on "Confirm the fingerprint":
 * the large key stays the first thing the eye meets, and the comparison field stays
 * near it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-fingerprint-compare.h"
#include "tw-key-card.h"

static GtkWidget *
card_label (const char *text,
            const char *css1,
            const char *css2)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css1 != NULL)
    gtk_widget_add_css_class (label, css1);
  if (css2 != NULL)
    gtk_widget_add_css_class (label, css2);
  return label;
}

GtkWidget *
tw_key_card_new (TwPublicKey *key,
                 gboolean     matched)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *file = tw_host_keys_server_file (key);
  /* e.g. "ECDSA 256 · /etc/ssh/ssh_host_ecdsa_key.pub on the server" */
  g_autofree char *caption = g_strdup_printf (_("%s %u · %s on the server"),
                                              tw_public_key_get_type_label (key),
                                              tw_public_key_get_bits (key), file);
  g_autofree char *grouped = tw_fingerprint_format_groups (tw_public_key_get_fingerprint (key),
                                                           TW_FINGERPRINT_GROUP_SIZE);
  g_autoptr(PangoAttrList) attrs = tw_fingerprint_attributes ();
  GtkWidget *fingerprint = card_label (grouped, NULL, NULL);
  GtkWidget *expander = gtk_expander_new_with_mnemonic (_("_Picture"));
  GtkWidget *art = card_label (tw_public_key_get_randomart (key), "monospace", "caption");

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_name (card, tw_public_key_get_type_label (key));

  gtk_box_append (GTK_BOX (card), card_label (caption, "caption-heading", "dim-label"));

  gtk_label_set_wrap_mode (GTK_LABEL (fingerprint), PANGO_WRAP_WORD);
  gtk_label_set_selectable (GTK_LABEL (fingerprint), TRUE);
  gtk_label_set_attributes (GTK_LABEL (fingerprint), attrs);
  gtk_accessible_update_property (GTK_ACCESSIBLE (fingerprint), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tw_public_key_get_fingerprint (key), -1);
  gtk_box_append (GTK_BOX (card), fingerprint);

  if (matched)
    gtk_box_append (GTK_BOX (card), card_label (_("✓ The fingerprint you pasted is this key’s"),
                                                "success", "heading"));

  gtk_label_set_selectable (GTK_LABEL (art), TRUE);
  gtk_widget_set_margin_top (art, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), art);
  gtk_box_append (GTK_BOX (card), expander);

  for (GtkWidget *child = gtk_widget_get_first_child (card); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gtk_widget_set_margin_start (child, 18);
      gtk_widget_set_margin_end (child, 18);
    }
  gtk_widget_set_margin_top (gtk_widget_get_first_child (card), 12);
  gtk_widget_set_margin_bottom (gtk_widget_get_last_child (card), 12);
  return card;
}

