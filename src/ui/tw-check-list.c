/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks of a run as a boxed list, one TwCheckRow per TwCheckResult of
 * the report. The list follows the report's model, so a probe whose scope
 * changes (items-changed) shows the new set of rows by itself.
 *
 * Rows are costly to show the first time (a template each, then styles and
 * text layout), and a new report (every edit of the tunnel makes a new probe)
 * usually has the same checks in the same order. So the list keeps its rows
 * and hands each its new result; before the first report it builds pending
 * rows for the checks it will show (tw_check_list_prewarm()), one per idle,
 * so that their styles are ready when the page appears; and it leaves the rows
 * of a list nobody sees (another step of the wizard) until it is mapped. That
 * keeps the main loop free when a run starts.
 */
#include "config.h"

#include "tw-check-list.h"
#include "tw-check-row.h"
#include "tw-probe.h"

struct _TwCheckList
{
  AdwBin      parent_instance;

  TwReport   *report;
  GListModel *checks;        /* the report's, while it is shown */
  gboolean    stale;         /* rows not yet matched to @checks: not mapped */
  GPtrArray  *pending;       /* TwCheckResult: what the rows show before a report */
  guint       prewarm_id;
  gboolean    running;       /* a run goes on: its pending checks are waiting */

  GtkListBox *list_box;
};

G_DEFINE_FINAL_TYPE (TwCheckList, tw_check_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REPORT,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
new_row (TwCheckList   *self,
         TwCheckResult *result)
{
  GtkWidget *row = tw_check_row_new (result);

  tw_check_row_set_waiting (TW_CHECK_ROW (row), self->running);
  return row;
}

/* Matches the rows to the checks by position: a row keeps its widgets, and
 * its title's layout when the check at its place is the same one. */
static void
sync_rows (TwCheckList *self)
{
  guint n = self->checks != NULL ? g_list_model_get_n_items (self->checks) : 0;
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));

  self->stale = FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (self->checks, i);

      if (child != NULL)
        {
          tw_check_row_set_result (TW_CHECK_ROW (child), result);
          child = gtk_widget_get_next_sibling (child);
        }
      else
        gtk_list_box_append (self->list_box, new_row (self, result));
    }
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_list_box_remove (self->list_box, child);
      child = next;
    }
}

static void
on_items_changed (TwCheckList *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sync_rows (self);
  else
    self->stale = TRUE;
}

static gboolean
prewarm_step (gpointer user_data)
{
  TwCheckList *self = user_data;
  guint n = 0;

  /* A report came first: its rows are built as it is shown. */
  if (self->report != NULL)
    {
      self->prewarm_id = 0;
      return G_SOURCE_REMOVE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  if (n >= self->pending->len)
    {
      self->prewarm_id = 0;
      return G_SOURCE_REMOVE;
    }

  /* One row per idle: each costs well under a frame. */
  gtk_list_box_append (self->list_box, new_row (self, self->pending->pdata[n]));
  return G_SOURCE_CONTINUE;
}

static void
start_prewarm (TwCheckList *self)
{
  if (self->prewarm_id != 0 || self->pending == NULL || self->report != NULL ||
      gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;

  /* Below the redraw priority: the window's own frames come first. */
  self->prewarm_id = g_idle_add_full (G_PRIORITY_LOW, prewarm_step, self, NULL);
}

static void
tw_check_list_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tw_check_list_parent_class)->root (widget);

  start_prewarm (TW_CHECK_LIST (widget));
}

static void
tw_check_list_unroot (GtkWidget *widget)
{
  g_clear_handle_id (&TW_CHECK_LIST (widget)->prewarm_id, g_source_remove);

  GTK_WIDGET_CLASS (tw_check_list_parent_class)->unroot (widget);
}

static void
tw_check_list_map (GtkWidget *widget)
{
  TwCheckList *self = TW_CHECK_LIST (widget);

  /* Before the children are mapped, so the new rows are mapped with them. */
  if (self->stale)
    sync_rows (self);

  GTK_WIDGET_CLASS (tw_check_list_parent_class)->map (widget);
}

static void
tw_check_list_dispose (GObject *object)
{
  TwCheckList *self = TW_CHECK_LIST (object);

  g_clear_handle_id (&self->prewarm_id, g_source_remove);
  if (self->checks != NULL)
    g_signal_handlers_disconnect_by_func (self->checks, on_items_changed, self);
  g_clear_object (&self->checks);
  /* The list box is both AdwBin's child and a template child: let the bin
   * drop it first, or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_CHECK_LIST);
  g_clear_object (&self->report);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

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
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
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
    case PROP_RUNNING:
      tw_check_list_set_running (self, g_value_get_boolean (value));
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
  widget_class->root = tw_check_list_root;
  widget_class->unroot = tw_check_list_unroot;
  widget_class->map = tw_check_list_map;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL,
                         TW_TYPE_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
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

  if (self->checks != NULL)
    g_signal_handlers_disconnect_by_func (self->checks, on_items_changed, self);
  g_clear_object (&self->checks);
  if (report != NULL)
    self->checks = g_object_ref (tw_report_get_checks (report));
  if (self->checks != NULL)
    g_signal_connect_swapped (self->checks, "items-changed", G_CALLBACK (on_items_changed), self);
  on_items_changed (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

void
tw_check_list_set_running (TwCheckList *self,
                           gboolean     running)
{
  g_return_if_fail (TW_IS_CHECK_LIST (self));

  running = !!running;
  if (self->running == running)
    return;
  self->running = running;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tw_check_row_set_waiting (TW_CHECK_ROW (child), running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
tw_check_list_prewarm (TwCheckList        *self,
                       const char * const *ids)
{
  g_return_if_fail (TW_IS_CHECK_LIST (self));
  g_return_if_fail (ids != NULL);

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (self->pending, tw_check_result_new (ids[i], tw_probe_get_check_title (ids[i])));
  start_prewarm (self);
}

GtkWidget *
tw_check_list_get_row (TwCheckList *self,
                       const char  *id)
{
  g_return_val_if_fail (TW_IS_CHECK_LIST (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  /* The pending rows of tw_check_list_prewarm() show no check yet. */
  if (self->report == NULL)
    return NULL;
  if (self->stale)
    sync_rows (self);

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
