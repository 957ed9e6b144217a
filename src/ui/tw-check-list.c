/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks of a run as a boxed list, one TwCheckRow per TwCheckResult of
 * the report. The list follows the report's model, so a probe whose scope
 * changes (items-changed) shows the new set of rows by itself.
 */
#include "config.h"

#include "tw-check-list.h"
#include "tw-check-row.h"

struct _TwCheckList
{
  AdwBin      parent_instance;

  TwReport   *report;

  GtkListBox *list_box;
};

G_DEFINE_FINAL_TYPE (TwCheckList, tw_check_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return tw_check_row_new (TW_CHECK_RESULT (item));
}

static void
tw_check_list_dispose (GObject *object)
{
  TwCheckList *self = TW_CHECK_LIST (object);

  /* The list box is both AdwBin's child and a template child: let the bin
   * drop it first, or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_CHECK_LIST);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (tw_check_list_parent_class)->dispose (object);
}

static void
tw_check_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TwCheckList *self = TW_CHECK_LIST (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_check_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TwCheckList *self = TW_CHECK_LIST (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      tw_check_list_set_report (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_check_list_class_init (TwCheckListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_check_list_dispose;
  object_class->get_property = tw_check_list_get_property;
  object_class->set_property = tw_check_list_set_property;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL,
                         TW_TYPE_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-check-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TwCheckList, list_box);
}

static void
tw_check_list_init (TwCheckList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tw_check_list_new (void)
{
  return g_object_new (TW_TYPE_CHECK_LIST, NULL);
}

TwReport *
tw_check_list_get_report (TwCheckList *self)
{
  g_return_val_if_fail (TW_IS_CHECK_LIST (self), NULL);

  return self->report;
}

void
tw_check_list_set_report (TwCheckList *self,
                          TwReport    *report)
{
  g_return_if_fail (TW_IS_CHECK_LIST (self));
  g_return_if_fail (report == NULL || TW_IS_REPORT (report));

  if (!g_set_object (&self->report, report))
    return;

  gtk_list_box_bind_model (self->list_box,
                           report != NULL ? tw_report_get_checks (report) : NULL,
                           report != NULL ? create_row : NULL,
                           NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

GtkWidget *
tw_check_list_get_row (TwCheckList *self,
                       const char  *id)
{
  g_return_val_if_fail (TW_IS_CHECK_LIST (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      TwCheckResult *result;

      if (!TW_IS_CHECK_ROW (child))
        continue;
      result = tw_check_row_get_result (TW_CHECK_ROW (child));
      if (result != NULL && g_strcmp0 (tw_check_result_get_id (result), id) == 0)
        return child;
    }
  return NULL;
}
