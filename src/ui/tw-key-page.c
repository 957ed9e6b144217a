/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Service key": the public key from the service's setup form. The key engine parses
 * the text as it is typed; a private key pasted by mistake is wiped from the
 * field and from its undo history, and never reaches the tunnel or the draft.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-copy-row.h"
#include "tw-key-page.h"
#include "tw-ui-util.h"

/* A public key file is a few hundred bytes; anything much larger is not one. */
#define MAX_KEY_FILE_SIZE (64 * 1024)

struct _TwKeyPage
{
  TwWizardPage    parent_instance;

  GtkTextView    *text_view;
  GtkWidget      *key_frame;
  GtkRevealer    *private_revealer;
  GtkImage       *status_icon;
  GtkLabel       *status_label;
  GtkWidget      *details_group;
  AdwActionRow   *type_row;
  AdwActionRow   *comment_row;
  GtkWidget      *fingerprint_row;
  GtkLabel       *randomart_label;
  GtkBox         *warnings_box;

  TwTunnel       *tunnel;
  TwPublicKey    *key;
  GCancellable   *cancellable;
  guint           clear_source;
  /* A key pasted over several lines is shown joined (from an idle); the warnings of the
   * broken paste stay with the joined line */
  guint           join_source;
  char           *joined_line;
  GStrv           joined_warnings;
};

G_DEFINE_FINAL_TYPE (TwKeyPage, tw_key_page, TW_TYPE_WIZARD_PAGE)

static void
clear_warnings (TwKeyPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_box))) != NULL)
    gtk_box_remove (self->warnings_box, child);
}

static void
add_warning (TwKeyPage  *self,
             const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (icon, "warning");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (self->warnings_box, box);
}

static void
set_status (TwKeyPage  *self,
            const char *icon_name,
            const char *css_class,
            const char *text)
{
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  tw_ui_set_status_class (GTK_WIDGET (self->status_icon), css_class);
  gtk_label_set_label (self->status_label, text);
}

static gboolean
clear_private_key (gpointer user_data)
{
  TwKeyPage *self = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  self->clear_source = 0;

  /* Turning undo off drops the history, so Ctrl+Z cannot bring the private key back. */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  gtk_text_buffer_set_text (buffer, "", 0);
  gtk_text_buffer_set_enable_undo (buffer, TRUE);

  gtk_revealer_set_reveal_child (self->private_revealer, TRUE);
  tw_ui_show_toast (GTK_WIDGET (self), _("A private key was pasted and has been cleared"));
  return G_SOURCE_REMOVE;
}

static void
show_key (TwKeyPage *self)
{
  const char * const *warnings;
  g_autofree char *type = NULL;

  clear_warnings (self);
  gtk_widget_set_visible (self->details_group, self->key != NULL);
  if (self->key == NULL)
    return;

  /* Translators: key type and size, e.g. "ED25519, 256 bits" */
  type = g_strdup_printf (_("%s, %u bits"), tw_public_key_get_type_label (self->key),
                          tw_public_key_get_bits (self->key));
  adw_action_row_set_subtitle (self->type_row, type);
  adw_action_row_set_subtitle (self->comment_row,
                               tw_public_key_get_comment (self->key) ? tw_public_key_get_comment (self->key)
                                                                     : _("None"));
  g_object_set (self->fingerprint_row, "value", tw_public_key_get_fingerprint (self->key), NULL);
  gtk_label_set_label (self->randomart_label, tw_public_key_get_randomart (self->key));

  warnings = tw_public_key_get_warnings (self->key);
  if (g_strcmp0 (tw_public_key_get_line (self->key), self->joined_line) == 0)
    warnings = (const char * const *) self->joined_warnings;
  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    add_warning (self, warnings[i]);
}

static gboolean
join_key_lines (gpointer user_data)
{
  TwKeyPage *self = user_data;

  self->join_source = 0;
  if (self->key != NULL && g_strcmp0 (tw_public_key_get_line (self->key), self->joined_line) == 0)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), self->joined_line, -1);
  return G_SOURCE_REMOVE;
}

/* A valid key broken over lines (a narrow web form's copy) or with spaces inside is shown
 * as the one line it becomes, so that what the field shows is what the tunnel gets. */
static void
queue_join (TwKeyPage  *self,
            const char *text)
{
  const char *line = tw_public_key_get_line (self->key);
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  const char * const *warnings;

  /* The joined line itself, back from join_key_lines() */
  if (g_strcmp0 (trimmed, self->joined_line) == 0)
    return;
  g_clear_pointer (&self->joined_line, g_free);
  g_clear_pointer (&self->joined_warnings, g_strfreev);
  /* Only what the parser changed and warned about (joined lines, spaces inside) */
  warnings = tw_public_key_get_warnings (self->key);
  if (g_strcmp0 (trimmed, line) == 0 || warnings == NULL || warnings[0] == NULL)
    return;
  self->joined_line = g_strdup (line);
  self->joined_warnings = g_strdupv ((char **) warnings);
  /* Not from here: changing the buffer inside its own ::changed upsets the view */
  if (self->join_source == 0)
    self->join_source = g_idle_add (join_key_lines, self);
}

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   TwKeyPage     *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  /* A key wraps anywhere; a hyphen drawn at the break would look like part of it. */
  gtk_text_buffer_apply_tag_by_name (buffer, "no-hyphens", &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  g_clear_object (&self->key);
  self->key = tw_public_key_parse (text, &error);

  if (self->key != NULL)
    {
      g_autofree char *status = NULL;

      gtk_revealer_set_reveal_child (self->private_revealer, FALSE);
      queue_join (self, text);
      /* Translators: %s is the key type, e.g. "ED25519" */
      status = g_strdup_printf (_("A valid %s public key"), tw_public_key_get_type_label (self->key));
      set_status (self, "emblem-ok-symbolic", "success", status);
    }
  else if (g_error_matches (error, TW_KEY_ERROR, TW_KEY_ERROR_PRIVATE_KEY))
    {
      set_status (self, "dialog-error-symbolic", "error", error->message);
      /* Cleared from an idle: changing the buffer inside its own ::changed upsets the view. */
      if (self->clear_source == 0)
        self->clear_source = g_idle_add (clear_private_key, self);
    }
  else if (g_error_matches (error, TW_KEY_ERROR, TW_KEY_ERROR_EMPTY))
    set_status (self, "dialog-information-symbolic", "dim-label",
                _("Paste the key the service shows, open its .pub file, or drop the file here."));
  else
    set_status (self, "dialog-error-symbolic", "error", error->message);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_label (self->status_label), -1);
  show_key (self);

  /* Only a valid key reaches the tunnel (and so the draft): never half a paste, never a
   * private key. */
  if (tunnel != NULL)
    tw_tunnel_set_service_key (tunnel, self->key ? tw_public_key_get_line (self->key) : NULL);

  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), self->key != NULL);

  /* The parsed text is wiped: it may have been a private key. */
  memset (text, 0, strlen (text));
}

static void
set_text_from_bytes (TwKeyPage *self,
                     GBytes    *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size > MAX_KEY_FILE_SIZE || !g_utf8_validate (data, size, NULL))
    {
      tw_ui_show_toast (GTK_WIDGET (self), _("This file is not a public key"));
      return;
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), data, size);
}

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TwKeyPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tw_ui_show_toast (GTK_WIDGET (self), error->message);
      return;
    }

  bytes = g_bytes_new_take (contents, length);
  set_text_from_bytes (self, bytes);
  /* The file may have been a private key: leave no copy of it in freed memory. */
  memset (contents, 0, length);
}

static void
load_file (TwKeyPage *self,
           GFile     *file)
{
  g_file_load_contents_async (file, self->cancellable, on_file_loaded, g_object_ref (self));
}

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  TwKeyPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        load_file (self, file);
    }
  g_object_unref (dialog);
}

static void
tw_key_page_open (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TwKeyPage *self = TW_KEY_PAGE (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  /* GtkFileDialog arrived in GTK 4.10; the floor is 4.8. */
  dialog = gtk_file_chooser_native_new (_("Open a Public Key"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Public keys (*.pub)"));
  gtk_file_filter_add_pattern (filter, "*.pub");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TwKeyPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (text == NULL)
    {
      tw_ui_show_toast (GTK_WIDGET (self), _("The clipboard holds no text"));
      return;
    }
  tw_key_page_set_text (self, text);
  memset (text, 0, strlen (text));
}

static void
tw_key_page_paste (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL,
                                 on_clipboard_text, g_object_ref (widget));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         TwKeyPage     *self)
{
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;
  load_file (self, g_value_get_object (value));
  return TRUE;
}

static void
tw_key_page_dispose (GObject *object)
{
  TwKeyPage *self = TW_KEY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->clear_source, g_source_remove);
  g_clear_handle_id (&self->join_source, g_source_remove);
  g_clear_pointer (&self->joined_line, g_free);
  g_clear_pointer (&self->joined_warnings, g_strfreev);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_KEY_PAGE);
  g_clear_object (&self->key);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tw_key_page_parent_class)->dispose (object);
}

static void
tw_key_page_tunnel_changed (TwWizardPage *page,
                            TwTunnel     *previous)
{
  TwKeyPage *self = TW_KEY_PAGE (page);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (page);
  const char *key = tunnel ? tw_tunnel_get_service_key (tunnel) : NULL;

  tw_key_page_set_text (self, key ? key : "");
  gtk_revealer_set_reveal_child (self->private_revealer, FALSE);
}

static void
tw_key_page_clear_clipboard (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  /* Ours now, and empty: the private key another app put there is gone from it */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), "");
  tw_ui_show_toast (widget, _("Clipboard cleared"));
}

static void
tw_key_page_class_init (TwKeyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TwWizardPageClass *page_class = TW_WIZARD_PAGE_CLASS (klass);

  object_class->dispose = tw_key_page_dispose;
  page_class->tunnel_changed = tw_key_page_tunnel_changed;

  g_type_ensure (TW_TYPE_COPY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-key-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, text_view);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, key_frame);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, private_revealer);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, type_row);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, comment_row);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, randomart_label);
  gtk_widget_class_bind_template_child (widget_class, TwKeyPage, warnings_box);

  gtk_widget_class_install_action (widget_class, "key.open", NULL, tw_key_page_open);
  gtk_widget_class_install_action (widget_class, "key.paste", NULL, tw_key_page_paste);
  gtk_widget_class_install_action (widget_class, "key.clear-clipboard", NULL, tw_key_page_clear_clipboard);
}

/* Ctrl+Enter is Next (the shortcuts window says so); a text view would insert a newline
 * first, so it is caught before the view sees it */
static gboolean
on_text_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     TwKeyPage             *self)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) &&
      (state & gtk_accelerator_get_default_mod_mask ()) == GDK_CONTROL_MASK)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.next", NULL);
      return TRUE;
    }
  return FALSE;
}

static void
tw_key_page_init (TwKeyPage *self)
{
  GtkDropTarget *drop;
  GtkTextBuffer *buffer;

  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), FALSE);
  gtk_widget_init_template (GTK_WIDGET (self));
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_text_key_pressed), self);
    gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);
  }
  self->cancellable = g_cancellable_new ();

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_create_tag (buffer, "no-hyphens", "insert-hyphens", FALSE, NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed), self, 0);

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  on_buffer_changed (buffer, self);
}

gboolean
tw_key_page_get_complete (TwKeyPage *self)
{
  return tw_wizard_page_get_complete (TW_WIZARD_PAGE (self));
}

TwPublicKey *
tw_key_page_get_key (TwKeyPage *self)
{
  g_return_val_if_fail (TW_IS_KEY_PAGE (self), NULL);
  return self->key;
}

void
tw_key_page_set_text (TwKeyPage  *self,
                      const char *text)
{
  g_autofree char *copy = g_strdup (text ? text : "");

  g_return_if_fail (TW_IS_KEY_PAGE (self));

  /* A copy: set_text() first empties the buffer, which clears the tunnel's service key, and
   * @text may be that very string. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), copy, -1);
}

