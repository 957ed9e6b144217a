/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-ui-util.h"

void
tw_ui_show_toast (GtkWidget  *widget,
                  const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

void
tw_ui_copy_to_clipboard (GtkWidget  *widget,
                         const char *text,
                         const char *what)
{
  g_autofree char *message = NULL;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text ? text : "");
  /* Translators: %s is what was copied, e.g. "Host" or "Linux script" */
  message = g_strdup_printf (_("%s copied"), what);
  tw_ui_show_toast (widget, message);
}

void
tw_ui_set_boolean (gpointer    object,
                   gboolean   *field,
                   gboolean    value,
                   GParamSpec *pspec)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (object), pspec);
}

void
tw_ui_set_status_class (GtkWidget  *widget,
                        const char *css_class)
{
  static const char * const classes[] = { "success", "warning", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (widget, classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (widget, css_class);
}

/* GtkEditable cannot take a NULL text, and an unset tunnel field is NULL. */
static gboolean
null_to_empty (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  if (G_VALUE_HOLDS_STRING (from) && G_VALUE_HOLDS_STRING (to))
    {
      const char *text = g_value_get_string (from);

      g_value_set_string (to, text ? text : "");
      return TRUE;
    }
  return g_value_transform (from, to);
}

GBinding *
tw_ui_bind_field (GPtrArray  *bindings,
                  gpointer    source,
                  const char *property,
                  gpointer    target,
                  const char *target_property)
{
  GBinding *binding = g_object_bind_property_full (source, property, target, target_property,
                                                   G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                   null_to_empty, NULL, NULL, NULL);

  g_ptr_array_add (bindings, g_object_ref (binding));
  return binding;
}

void
tw_ui_unbind_fields (GPtrArray *bindings)
{
  /* NULL: a second dispose */
  if (bindings == NULL)
    return;
  for (guint i = 0; i < bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (bindings, i));
  g_ptr_array_set_size (bindings, 0);
}

static void
on_report_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tw_ui_show_toast (widget, error->message);
      return;
    }
  tw_ui_show_toast (widget, _("Report saved"));
}

static void
on_export_chosen (GtkNativeDialog *dialog,
                  int              response,
                  GtkWidget       *widget)
{
  TwReport *report = g_object_get_data (G_OBJECT (dialog), "report");
  GCancellable *cancellable = g_object_get_data (G_OBJECT (dialog), "cancellable");
  gboolean json = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "json"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      char *text = json ? tw_report_to_json (report) : tw_report_to_markdown (report);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      /* replace_contents writes a temporary file and renames it: never half a report */
      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                           cancellable, on_report_written, g_object_ref (widget));
    }
  g_object_unref (widget);
  g_object_unref (dialog);
}

void
tw_ui_export_report (GtkWidget    *widget,
                     TwReport     *report,
                     gboolean      json,
                     GCancellable *cancellable)
{
  GtkFileChooserNative *dialog;

  g_return_if_fail (TW_IS_REPORT (report));

  dialog = gtk_file_chooser_native_new (json ? _("Export the Report as JSON") : _("Export the Report as Markdown"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     json ? "tunnel-report.json" : "tunnel-report.md");
  g_object_set_data_full (G_OBJECT (dialog), "report", g_object_ref (report), g_object_unref);
  if (cancellable != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "cancellable", g_object_ref (cancellable), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "json", GINT_TO_POINTER (json));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_chosen), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

typedef struct
{
  TwUiPathChosen chosen;
} ChooserCallback;

static void
on_private_key_chosen (GtkNativeDialog *dialog,
                       int              response,
                       GtkWidget       *widget)
{
  ChooserCallback *callback = g_object_get_data (G_OBJECT (dialog), "callback");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        callback->chosen (widget, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
tw_ui_choose_private_key (GtkWidget      *widget,
                          TwUiPathChosen  chosen)
{
  GtkFileChooserNative *dialog;
  g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (ssh_dir);
  ChooserCallback *callback = g_new (ChooserCallback, 1);

  callback->chosen = chosen;
  /* GtkFileDialog needs GTK 4.10; the floor is 4.8. */
  dialog = gtk_file_chooser_native_new (_("Choose Your Private Key"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* Not "Recent": the key is almost always there */
  if (g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  g_object_set_data_full (G_OBJECT (dialog), "callback", callback, g_free);
  /* Dropped with @widget: a late answer then changes nothing */
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_private_key_chosen), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
