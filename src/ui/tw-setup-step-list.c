/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live step rows of "Set Up on the Server": what the scripts report (TW-STEP lines),
 * each step one row whose status word and text change as the server runs it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-setup-step-list.h"

struct _TwSetupStepList
{
  AdwBin      parent_instance;

  GtkListBox *list;
  GHashTable *rows;  /* step id → AdwActionRow (owned by the list) */
};

G_DEFINE_FINAL_TYPE (TwSetupStepList, tw_setup_step_list, ADW_TYPE_BIN)

static const struct {
  const char *id;
  const char *title;
} step_titles[] = {
  { "login", N_("Log in") },
  { "group", N_("Group") },
  { "user", N_("Tunnel user") },
  { "unlock", N_("Key login allowed") },
  { "home", N_("Home directory") },
  { "ssh-dir", N_("~/.ssh") },
  { "keys-file", N_("authorized_keys") },
  { "modes", N_("Owner and modes") },
  { "key", N_("The service’s key") },
  { "stand-in", N_("Stand-in key") },
  { "sshd-config", N_("sshd_config") },
  { "sshd-check", N_("Checked by sshd -t") },
  { "sshd-revert", N_("Safety revert") },
  { "sshd-reload", N_("sshd reloaded") },
  { "sshd-login", N_("A new login") },
  { "sshd-confirm", N_("Change kept") },
};

static const char *
step_title (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (step_titles); i++)
    if (g_str_equal (step_titles[i].id, id))
      return _(step_titles[i].title);
  return id;
}

static const char *
status_text (const char        *id,
             TwSetupStepStatus  status)
{
  if (status == TW_SETUP_STEP_OK && g_str_equal (id, "login"))
    return _("Logged in");
  switch (status)
    {
    case TW_SETUP_STEP_RUNNING: return _("Running…");
    case TW_SETUP_STEP_OK: return _("Already so");
    case TW_SETUP_STEP_CHANGED: return _("Done");
    case TW_SETUP_STEP_WOULD_CHANGE: return _("Would change");
    case TW_SETUP_STEP_FAILED: default: return _("Failed");
    }
}

static const char *
status_class (TwSetupStepStatus status)
{
  switch (status)
    {
    case TW_SETUP_STEP_FAILED: return "error";
    case TW_SETUP_STEP_CHANGED: return "success";
    case TW_SETUP_STEP_WOULD_CHANGE: return "accent";
    case TW_SETUP_STEP_RUNNING: case TW_SETUP_STEP_OK: default: return "dim-label";
    }
}

static AdwActionRow *
add_row (TwSetupStepList *self,
         const char      *id)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *label = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step_title (id));
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (row, label);
  g_object_set_data (G_OBJECT (row), "status-label", label);
  gtk_widget_set_name (GTK_WIDGET (row), id);
  gtk_list_box_append (self->list, GTK_WIDGET (row));
  g_hash_table_insert (self->rows, g_strdup (id), row);
  return row;
}

static void
tw_setup_step_list_dispose (GObject *object)
{
  TwSetupStepList *self = TW_SETUP_STEP_LIST (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  G_OBJECT_CLASS (tw_setup_step_list_parent_class)->dispose (object);
}

static void
tw_setup_step_list_class_init (TwSetupStepListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tw_setup_step_list_dispose;
}

static void
tw_setup_step_list_init (TwSetupStepList *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->list));
}

GtkWidget *
tw_setup_step_list_new (void)
{
  return g_object_new (TW_TYPE_SETUP_STEP_LIST, NULL);
}

void
tw_setup_step_list_clear (TwSetupStepList *self)
{
  GtkWidget *child;

  g_return_if_fail (TW_IS_SETUP_STEP_LIST (self));

  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

void
tw_setup_step_list_update (TwSetupStepList   *self,
                           const char        *id,
                           TwSetupStepStatus  status,
                           const char        *text)
{
  AdwActionRow *row;
  GtkWidget *label;
  const char *classes[] = { "error", "success", "accent", "dim-label" };

  g_return_if_fail (TW_IS_SETUP_STEP_LIST (self));
  g_return_if_fail (id != NULL);

  row = g_hash_table_lookup (self->rows, id);
  if (row == NULL)
    row = add_row (self, id);
  label = g_object_get_data (G_OBJECT (row), "status-label");
  gtk_label_set_label (GTK_LABEL (label), status_text (id, status));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (label, classes[i]);
  gtk_widget_add_css_class (label, status_class (status));
  adw_action_row_set_subtitle (row, text != NULL ? text : "");
  g_object_set_data (G_OBJECT (row), "status", GINT_TO_POINTER (status));
}

int
tw_setup_step_list_get_status (TwSetupStepList *self,
                               const char      *id)
{
  GObject *row;

  g_return_val_if_fail (TW_IS_SETUP_STEP_LIST (self), -1);

  row = g_hash_table_lookup (self->rows, id);
  return row != NULL ? GPOINTER_TO_INT (g_object_get_data (row, "status")) : -1;
}
