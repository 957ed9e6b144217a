/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service choice of "Tunnel server": the data service presets in a combo row. They are files in
 * the data directory, so they are read in a worker thread; until they arrive the row is
 * insensitive, and the user the page asked to match is selected once they are there. The
 * row's tooltip says where the chosen service shows its IP addresses.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-preset-choice.h"

struct _TwPresetChoice
{
  GObject       parent_instance;

  AdwComboRow  *row;              /* weak: the page owns both */
  GPtrArray    *presets;          /* NULL until loaded */
  char         *wanted_user;
  GCancellable *cancellable;
  gboolean      updating;
};

G_DEFINE_FINAL_TYPE (TwPresetChoice, tw_preset_choice, G_TYPE_OBJECT)

static void
update_tooltip (TwPresetChoice *self)
{
  TwServicePreset *preset = tw_preset_choice_get_selected (self);
  g_autofree char *tooltip = NULL;

  if (preset != NULL)
    /* Translators: the preset's hint where the service lists its IP addresses, then its documentation link. */
    tooltip = g_strdup_printf (_("%s\nDocumentation: %s"), tw_service_preset_get_addresses (preset),
                               tw_service_preset_get_documentation (preset));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->row), tooltip);
}

static void
select_wanted (TwPresetChoice *self)
{
  guint generic = 0;

  if (self->presets == NULL || self->row == NULL)
    return;
  for (guint i = 0; i < self->presets->len; i++)
    {
      TwServicePreset *preset = g_ptr_array_index (self->presets, i);

      if (g_str_equal (tw_service_preset_get_id (preset), "generic"))
        generic = i;
    }
  self->updating = TRUE;
  adw_combo_row_set_selected (self->row, generic);
  for (guint i = 0; i < self->presets->len; i++)
    if (g_strcmp0 (tw_service_preset_get_user (g_ptr_array_index (self->presets, i)), self->wanted_user) == 0)
      {
        adw_combo_row_set_selected (self->row, i);
        break;
      }
  self->updating = FALSE;
  update_tooltip (self);
}

static void
load_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *presets = tw_service_preset_list (&error);

  if (presets != NULL)
    g_task_return_pointer (task, presets, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) presets = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GtkStringList) names = NULL;
  TwPresetChoice *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TW_PRESET_CHOICE (user_data);
  if (self->row == NULL)
    return;
  if (presets == NULL)
    {
      /* Broken or missing data files (a staged install): the admin can still type every
       * value, and the row says why it offers no service. */
      g_debug ("Service presets: %s", error->message);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->row), error->message);
      return;
    }
  names = gtk_string_list_new (NULL);
  for (guint i = 0; i < presets->len; i++)
    gtk_string_list_append (names, tw_service_preset_get_name (g_ptr_array_index (presets, i)));
  self->presets = g_steal_pointer (&presets);
  self->updating = TRUE;
  adw_combo_row_set_model (self->row, G_LIST_MODEL (names));
  self->updating = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->row), TRUE);
  select_wanted (self);
}

static void
on_row_selected (TwPresetChoice *self)
{
  if (!self->updating)
    update_tooltip (self);
}

static void
tw_preset_choice_dispose (GObject *object)
{
  TwPresetChoice *self = TW_PRESET_CHOICE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->row != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->row, self);
      g_object_remove_weak_pointer (G_OBJECT (self->row), (gpointer *) &self->row);
      self->row = NULL;
    }
  G_OBJECT_CLASS (tw_preset_choice_parent_class)->dispose (object);
}

static void
tw_preset_choice_finalize (GObject *object)
{
  TwPresetChoice *self = TW_PRESET_CHOICE (object);

  g_clear_pointer (&self->presets, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->wanted_user);
  G_OBJECT_CLASS (tw_preset_choice_parent_class)->finalize (object);
}

static void
tw_preset_choice_class_init (TwPresetChoiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tw_preset_choice_dispose;
  G_OBJECT_CLASS (klass)->finalize = tw_preset_choice_finalize;
}

static void
tw_preset_choice_init (TwPresetChoice *self)
{
  self->cancellable = g_cancellable_new ();
}

TwPresetChoice *
tw_preset_choice_new (AdwComboRow *row)
{
  TwPresetChoice *self = g_object_new (TW_TYPE_PRESET_CHOICE, NULL);
  g_autoptr(GTask) task = NULL;

  self->row = row;
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &self->row);
  gtk_widget_set_sensitive (GTK_WIDGET (row), FALSE);
  g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (on_row_selected), self);

  /* The task holds a reference until it finishes, so a page closed meanwhile is safe. */
  task = g_task_new (NULL, self->cancellable, on_loaded, self);
  g_task_set_task_data (task, g_object_ref (self), g_object_unref);
  g_task_set_source_tag (task, tw_preset_choice_new);
  g_task_run_in_thread (task, load_in_thread);
  return self;
}

/* (transfer none) (nullable): the chosen preset, NULL while they load */
TwServicePreset *
tw_preset_choice_get_selected (TwPresetChoice *self)
{
  guint selected;

  g_return_val_if_fail (TW_IS_PRESET_CHOICE (self), NULL);
  if (self->presets == NULL || self->row == NULL)
    return NULL;
  selected = adw_combo_row_get_selected (self->row);
  return selected < self->presets->len ? g_ptr_array_index (self->presets, selected) : NULL;
}

/* Selects the preset whose default user is @user, Generic when none is, now or once loaded. */
void
tw_preset_choice_select_for_user (TwPresetChoice *self,
                                  const char     *user)
{
  g_return_if_fail (TW_IS_PRESET_CHOICE (self));
  g_free (self->wanted_user);
  self->wanted_user = g_strdup (user);
  select_wanted (self);
}

/* Whether @user is some preset's default, rather than one the admin typed. */
gboolean
tw_preset_choice_is_preset_user (TwPresetChoice *self,
                                 const char     *user)
{
  g_return_val_if_fail (TW_IS_PRESET_CHOICE (self), FALSE);
  for (guint i = 0; self->presets != NULL && i < self->presets->len; i++)
    if (g_strcmp0 (tw_service_preset_get_user (g_ptr_array_index (self->presets, i)), user) == 0)
      return TRUE;
  return FALSE;
}

/* TRUE while the choice itself changes the row (loading, matching a saved tunnel): the page
 * must not apply the preset's defaults over saved values then. */
gboolean
tw_preset_choice_is_updating (TwPresetChoice *self)
{
  g_return_val_if_fail (TW_IS_PRESET_CHOICE (self), FALSE);
  return self->updating;
}
