/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The prepare step's other formats: every entry of the setup table (the same list as
 * `tunnel-check setup --format`), chosen in a combo row, shown with a Copy button and saved
 * with "Save As…". The file is written atomically (a temporary file renamed over the
 * target) by GIO off the main thread, so a slow disk never freezes the window.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-code-block.h"
#include "tw-export-list.h"
#include "tw-ui-util.h"

struct _TwExportList
{
  AdwBin         parent_instance;

  AdwComboRow   *format_row;
  AdwActionRow  *save_row;
  GtkButton     *save_button;
  TwCodeBlock   *block;

  TwTunnel      *tunnel;
  guint          regenerate_source;
  gboolean       has_text;
  GCancellable  *cancellable;
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (TwExportList, tw_export_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TUNNEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A name an admin would give the file: the extension tells editors and tools what it is. */
static const struct { const char *format, *file_name; } file_names[] = {
  { "linux", "prepare-tunnel.sh" },
  { "windows", "prepare-tunnel.ps1" },
  { "sshd", "50-tunnel-wizard.conf" },
  { "authorized-keys", "authorized_keys" },
  { "cloud-init", "cloud-init.yaml" },
  { "ansible", "tunnel.yml" },
  { "terraform-aws", "tunnel-firewall-aws.tf" },
  { "terraform-gcp", "tunnel-firewall-gcp.tf" },
  { "terraform-azure", "tunnel-firewall-azure.tf" },
  { "aws-cli", "tunnel-firewall-aws.sh" },
  { "gcloud", "tunnel-firewall-gcp.sh" },
  { "az", "tunnel-firewall-azure.sh" },
};

static const TwSetupFormat *
selected_format (TwExportList *self)
{
  guint n_formats;
  const TwSetupFormat *formats = tw_setup_get_formats (&n_formats);
  guint selected = adw_combo_row_get_selected (self->format_row);

  return selected < n_formats ? &formats[selected] : NULL;
}

static const char *
suggested_file_name (const TwSetupFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (file_names); i++)
    if (g_str_equal (file_names[i].format, format->name))
      return file_names[i].file_name;
  return "tunnel-setup.txt";
}

static gboolean
regenerate (gpointer user_data)
{
  TwExportList *self = user_data;
  const TwSetupFormat *format = selected_format (self);
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->regenerate_source = 0;
  self->has_text = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save-as", FALSE);
  if (format == NULL || self->tunnel == NULL)
    return G_SOURCE_REMOVE;

  key = tw_public_key_parse (tw_tunnel_get_service_key (self->tunnel), &error);
  if (key == NULL)
    tw_code_block_set_error (self->block,
                             tw_tunnel_get_mode (self->tunnel) == TW_TUNNEL_MODE_REVERSE
                               ? _("Go back to step 1 and make this machine’s key pair first.")
                               : _("Go back to step 1 and paste the service’s public key first."));
  else if ((text = format->render (self->tunnel, key, &error)) != NULL)
    {
      tw_code_block_set_text (self->block, text);
      self->has_text = TRUE;
    }
  else
    tw_code_block_set_error (self->block, error->message);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save-as", self->has_text);
  return G_SOURCE_REMOVE;
}

static void
queue_regenerate (TwExportList *self)
{
  if (self->regenerate_source == 0)
    self->regenerate_source = g_idle_add (regenerate, self);
}

static void
on_format_selected (TwExportList *self)
{
  const TwSetupFormat *format = selected_format (self);

  /* The title also names the text for screen readers: set it even before there is a text. */
  if (format != NULL)
    g_object_set (self->block, "title", _(format->title), NULL);
  adw_action_row_set_subtitle (self->save_row, NULL);
  queue_regenerate (self);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TwExportList) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (G_FILE (source));
  g_autofree char *message = NULL;

  g_file_replace_contents_finish (G_FILE (source), result, NULL, &error);
  /* Disposed meanwhile: nothing left to tell. */
  if (self->save_row == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error == NULL)
    message = g_strdup_printf (_("Saved to %s"), name);
  else
    /* Translators: %s says why, e.g. "Permission denied". */
    message = g_strdup_printf (_("Not saved: %s"), error->message);
  adw_action_row_set_subtitle (self->save_row, message);
  tw_ui_set_status_class (GTK_WIDGET (self->save_row), error == NULL ? NULL : "error");
}

/**
 * tw_export_list_save_to_file:
 * @file: where to write the shown text
 *
 * Replaces @file atomically in the background; the save row then says where it went, or why
 * not.
 */
void
tw_export_list_save_to_file (TwExportList *self,
                             GFile        *file)
{
  const char *text;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (TW_IS_EXPORT_LIST (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->regenerate_source != 0)
    {
      g_clear_handle_id (&self->regenerate_source, g_source_remove);
      regenerate (self);
    }
  if (!self->has_text)
    return;
  text = tw_code_block_get_text (self->block);
  bytes = g_bytes_new (text, strlen (text));
  adw_action_row_set_subtitle (self->save_row, _("Saving…"));
  tw_ui_set_status_class (GTK_WIDGET (self->save_row), "dim-label");
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, on_saved, g_object_ref (self));
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     TwExportList    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        tw_export_list_save_to_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
save_as (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TwExportList *self = TW_EXPORT_LIST (widget);
  const TwSetupFormat *format = selected_format (self);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (format == NULL || self->chooser != NULL)
    return;
  /* GtkFileDialog is GTK 4.10; the native chooser also works inside a Flatpak sandbox. */
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Save Setup Instructions"),
                                                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                  _("_Save"), _("_Cancel")));
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), suggested_file_name (format));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (self->chooser);
}

static void
tw_export_list_dispose (GObject *object)
{
  TwExportList *self = TW_EXPORT_LIST (object);

  g_clear_handle_id (&self->regenerate_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, queue_regenerate, self);
  g_clear_object (&self->tunnel);
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_EXPORT_LIST);
  G_OBJECT_CLASS (tw_export_list_parent_class)->dispose (object);
}

static void
tw_export_list_finalize (GObject *object)
{
  g_clear_object (&TW_EXPORT_LIST (object)->cancellable);
  G_OBJECT_CLASS (tw_export_list_parent_class)->finalize (object);
}

static void
tw_export_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_TUNNEL:
      g_value_set_object (value, TW_EXPORT_LIST (object)->tunnel);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_export_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_TUNNEL:
      tw_export_list_set_tunnel (TW_EXPORT_LIST (object), g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_export_list_class_init (TwExportListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_export_list_dispose;
  object_class->finalize = tw_export_list_finalize;
  object_class->get_property = tw_export_list_get_property;
  object_class->set_property = tw_export_list_set_property;

  properties[PROP_TUNNEL] =
    g_param_spec_object ("tunnel", NULL, NULL, TW_TYPE_TUNNEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "export.save-as", NULL, save_as);

  g_type_ensure (TW_TYPE_CODE_BLOCK);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-export-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TwExportList, format_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportList, save_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportList, save_button);
  gtk_widget_class_bind_template_child (widget_class, TwExportList, block);
  gtk_widget_class_bind_template_callback (widget_class, on_format_selected);
}

static void
tw_export_list_init (TwExportList *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  guint n_formats;
  const TwSetupFormat *formats = tw_setup_get_formats (&n_formats);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < n_formats; i++)
    gtk_string_list_append (titles, _(formats[i].title));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (titles));
  /* Linux, Windows and the rest are shown above: start with the first one that is not. */
  tw_export_list_select_format (self, "cloud-init");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save-as", FALSE);
}

TwTunnel *
tw_export_list_get_tunnel (TwExportList *self)
{
  g_return_val_if_fail (TW_IS_EXPORT_LIST (self), NULL);
  return self->tunnel;
}

void
tw_export_list_set_tunnel (TwExportList *self,
                           TwTunnel     *tunnel)
{
  g_return_if_fail (TW_IS_EXPORT_LIST (self));

  if (self->tunnel == tunnel)
    return;
  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, queue_regenerate, self);
  g_set_object (&self->tunnel, tunnel);
  if (tunnel != NULL)
    g_signal_connect_swapped (tunnel, "notify", G_CALLBACK (queue_regenerate), self);
  queue_regenerate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TUNNEL]);
}

/* @name: a format's --format name (cloud-init, ansible…) */
void
tw_export_list_select_format (TwExportList *self,
                              const char   *name)
{
  guint n_formats;
  const TwSetupFormat *formats = tw_setup_get_formats (&n_formats);

  g_return_if_fail (TW_IS_EXPORT_LIST (self));
  for (guint i = 0; i < n_formats; i++)
    if (g_str_equal (formats[i].name, name))
      adw_combo_row_set_selected (self->format_row, i);
}

/* (transfer none) (nullable): the shown format's text, generated now if a change is pending */
const char *
tw_export_list_get_text (TwExportList *self)
{
  g_return_val_if_fail (TW_IS_EXPORT_LIST (self), NULL);
  if (self->regenerate_source != 0)
    {
      g_clear_handle_id (&self->regenerate_source, g_source_remove);
      regenerate (self);
    }
  return self->has_text ? tw_code_block_get_text (self->block) : NULL;
}
