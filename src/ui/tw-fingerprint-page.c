/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Step 5, "Confirm the fingerprint": the host key seen by the checks, large
 * and in groups, its randomart, the known_hosts status, and a character by
 * character comparison with what the admin pastes. Confirming pins the key
 * in the tunnel; a key that later differs blocks the wizard until the admin
 * deliberately trusts the new one. Nothing is ever accepted silently.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-fingerprint-compare.h"
#include "tw-fingerprint-page.h"
#include "tw-probe.h"
#include "tw-ui-util.h"

struct _TwFingerprintPage
{
  AdwBin                parent_instance;

  TwTunnel             *tunnel;
  TwReport             *report;
  TwProbe              *own_probe;     /* only when nobody gave us a report */
  GCancellable         *cancellable;
  char                 *reconfirmed;   /* the changed key the admin chose to trust */
  TwFingerprintVerdict  verdict;
  gboolean              complete;
  gboolean              blocked;

  GtkWidget            *mitm_box;
  GtkLabel             *mitm_title;
  GtkLabel             *mitm_label;
  GtkLabel             *mitm_keys_label;
  GtkCheckButton       *verified_check;
  GtkStack             *key_stack;
  GtkLabel             *no_key_label;
  GtkSpinner           *read_spinner;
  GtkLabel             *key_type_label;
  GtkLabel             *fingerprint_label;
  GtkLabel             *randomart_label;
  AdwActionRow         *known_hosts_row;
  GtkImage             *known_hosts_icon;
  GtkLabel             *known_hosts_label;
  TwFingerprintCompare *compare;
  GtkLabel             *pinned_label;
  GtkWidget            *confirm_button;
};

G_DEFINE_FINAL_TYPE (TwFingerprintPage, tw_fingerprint_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TUNNEL,
  PROP_REPORT,
  PROP_COMPLETE,
  PROP_BLOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void tw_fingerprint_page_update (TwFingerprintPage *self);

static const char *
seen_fingerprint (TwFingerprintPage *self)
{
  const char *seen = self->report != NULL ? tw_report_get_host_key_fingerprint (self->report) : NULL;

  return seen != NULL && *seen != '\0' ? seen : NULL;
}

static const char *
pinned_fingerprint (TwFingerprintPage *self)
{
  const char *pinned = self->tunnel != NULL ? tw_tunnel_get_pinned_fingerprint (self->tunnel) : NULL;

  return pinned != NULL && *pinned != '\0' ? pinned : NULL;
}

static gboolean
same_fingerprint (const char *a,
                  const char *b)
{
  return a != NULL && b != NULL &&
         tw_fingerprint_compare (a, b, NULL, NULL) == TW_FINGERPRINT_VERDICT_MATCH;
}

static void
update_key (TwFingerprintPage *self,
            const char        *seen)
{
  g_autofree char *grouped = NULL;
  g_autofree char *type_text = NULL;
  g_autoptr(PangoAttrList) attrs = NULL;
  const char *type = self->report != NULL ? tw_report_get_host_key_type (self->report) : NULL;
  const char *randomart = self->report != NULL ? tw_report_get_host_key_randomart (self->report) : NULL;
  gboolean reading = self->own_probe != NULL && self->cancellable != NULL;

  gtk_spinner_set_spinning (self->read_spinner, reading);
  gtk_widget_set_visible (GTK_WIDGET (self->read_spinner), reading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.read-key",
                                 !reading && self->tunnel != NULL &&
                                 tw_tunnel_get_ssh_host (self->tunnel) != NULL);

  if (seen == NULL)
    {
      gtk_stack_set_visible_child_name (self->key_stack, "none");
      if (reading)
        gtk_label_set_label (self->no_key_label, _("Reading the host key…"));
      else if (self->report != NULL && tw_report_get_finished (self->report))
        gtk_label_set_label (self->no_key_label,
                             _("The host key could not be read. The checks of the previous step say why."));
      else
        gtk_label_set_label (self->no_key_label, _("The host key has not been read yet."));
      return;
    }

  gtk_stack_set_visible_child_name (self->key_stack, "key");
  /* e.g. "ssh-ed25519 — SHA256 fingerprint" */
  type_text = g_strdup_printf (_("%s — SHA256 fingerprint"), type != NULL ? type : _("Host key"));
  gtk_label_set_label (self->key_type_label, type_text);

  grouped = tw_fingerprint_format_groups (seen, TW_FINGERPRINT_GROUP_SIZE);
  attrs = tw_fingerprint_attributes ();
  gtk_label_set_label (self->fingerprint_label, grouped);
  gtk_label_set_attributes (self->fingerprint_label, attrs);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fingerprint_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, seen, -1);

  gtk_label_set_label (self->randomart_label, randomart != NULL ? randomart : "");
  gtk_widget_set_visible (GTK_WIDGET (self->randomart_label), randomart != NULL);
}

static void
update_known_hosts (TwFingerprintPage *self)
{
  TwKnownHostsStatus status = self->report != NULL
                              ? tw_report_get_known_hosts_status (self->report)
                              : TW_KNOWN_HOSTS_UNCHECKED;
  const char *icon = "content-loading-symbolic", *css = "dim-label";
  const char *word = _("Not checked"), *text = _("The host key check has not run yet.");

  switch (status)
    {
    case TW_KNOWN_HOSTS_KNOWN:
      icon = "emblem-ok-symbolic";
      css = "success";
      word = _("Known");
      text = _("This computer has connected to this server before, with this very key.");
      break;
    case TW_KNOWN_HOSTS_UNKNOWN:
      icon = "dialog-information-symbolic";
      css = NULL;
      word = _("Unknown");
      text = _("This computer has no key on record for this server: compare the fingerprint.");
      break;
    case TW_KNOWN_HOSTS_CHANGED:
      icon = "dialog-error-symbolic";
      css = "error";
      word = _("CHANGED");
      text = _("This computer has a different key on record for this server.");
      break;
    case TW_KNOWN_HOSTS_UNCHECKED:
    default:
      break;
    }

  gtk_image_set_from_icon_name (self->known_hosts_icon, icon);
  tw_ui_set_status_class (GTK_WIDGET (self->known_hosts_icon), css);
  gtk_label_set_label (self->known_hosts_label, word);
  tw_ui_set_status_class (GTK_WIDGET (self->known_hosts_label), css);
  adw_action_row_set_subtitle (self->known_hosts_row, text);
}

static void
update_blocked (TwFingerprintPage *self,
                const char        *seen)
{
  const char *pinned = pinned_fingerprint (self);
  gboolean pin_differs = seen != NULL && pinned != NULL && !same_fingerprint (seen, pinned);
  gboolean known_changed = self->report != NULL &&
                           tw_report_get_known_hosts_status (self->report) == TW_KNOWN_HOSTS_CHANGED;
  gboolean blocked = seen != NULL && (pin_differs || known_changed) &&
                     !same_fingerprint (seen, self->reconfirmed);
  const char *host = self->tunnel != NULL && tw_tunnel_get_ssh_host (self->tunnel) != NULL
                     ? tw_tunnel_get_ssh_host (self->tunnel) : "";
  g_autofree char *text = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *seen_groups = NULL;

  tw_ui_set_boolean (self, &self->blocked, blocked, properties[PROP_BLOCKED]);
  gtk_widget_set_visible (self->mitm_box, blocked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.reconfirm",
                                 blocked && gtk_check_button_get_active (self->verified_check));
  if (!blocked)
    return;

  gtk_label_set_label (self->mitm_title, _("The server’s host key has changed"));
  /* In the groups of the key below, so that the eye can compare them */
  seen_groups = tw_fingerprint_format_groups (seen, TW_FINGERPRINT_GROUP_SIZE);
  if (pin_differs)
    {
      text = g_strdup_printf (_("%s now shows a different host key from the one confirmed for "
                                "this tunnel. Someone may be intercepting the connection (a "
                                "man-in-the-middle attack), or the server was reinstalled or its "
                                "keys replaced. Every further step is stopped until you trust "
                                "the new key on purpose."), host);
      g_autofree char *pinned_groups = tw_fingerprint_format_groups (pinned, TW_FINGERPRINT_GROUP_SIZE);

      keys = g_strdup_printf (_("Confirmed before:\n%s\nShown now:\n%s"), pinned_groups, seen_groups);
    }
  else
    {
      text = g_strdup_printf (_("~/.ssh/known_hosts on this computer has a different key for %s. "
                                "Someone may be intercepting the connection (a man-in-the-middle "
                                "attack), or the server was reinstalled or its keys replaced. "
                                "Every further step is stopped until you trust the new key on "
                                "purpose; then remove the old entry with “ssh-keygen -R %s”."),
                              host, host);
      keys = g_strdup_printf (_("Shown now:\n%s"), seen_groups);
    }
  gtk_label_set_label (self->mitm_keys_label, keys);
  gtk_label_set_label (self->mitm_label, text);
}

static void
tw_fingerprint_page_update (TwFingerprintPage *self)
{
  const char *seen = seen_fingerprint (self);
  gboolean pinned_now;

  update_key (self, seen);
  update_known_hosts (self);
  update_blocked (self, seen);
  tw_fingerprint_compare_set_expected (self->compare, seen);
  self->verdict = tw_fingerprint_compare_get_verdict (self->compare);

  pinned_now = seen != NULL && same_fingerprint (seen, pinned_fingerprint (self));
  gtk_widget_set_visible (GTK_WIDGET (self->pinned_label), pinned_now && !self->blocked);
  gtk_label_set_label (self->pinned_label,
                       _("Confirmed and pinned: if this server ever shows another key, every "
                         "check stops with a warning."));
  gtk_widget_set_visible (self->confirm_button, !(pinned_now && !self->blocked) && !self->blocked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.confirm",
                                 seen != NULL && !self->blocked && !pinned_now &&
                                 self->verdict == TW_FINGERPRINT_VERDICT_MATCH);

  tw_ui_set_boolean (self, &self->complete, pinned_now && !self->blocked,
                     properties[PROP_COMPLETE]);
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (widget);
  const char *seen = seen_fingerprint (self);

  if (seen == NULL || self->tunnel == NULL || self->blocked ||
      self->verdict != TW_FINGERPRINT_VERDICT_MATCH)
    return;

  tw_tunnel_set_pinned_fingerprint (self->tunnel, seen);
  tw_fingerprint_page_update (self);
}

static void
reconfirm_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (widget);
  const char *seen = seen_fingerprint (self);

  if (seen == NULL || self->tunnel == NULL || !self->blocked ||
      !gtk_check_button_get_active (self->verified_check))
    return;

  g_free (self->reconfirmed);
  self->reconfirmed = g_strdup (seen);
  tw_tunnel_set_pinned_fingerprint (self->tunnel, seen);
  gtk_check_button_set_active (self->verified_check, FALSE);
  tw_fingerprint_page_update (self);
}

static void
read_key_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TwFingerprintPage) self = user_data;
  g_autoptr(TwReport) finished_report G_GNUC_UNUSED = tw_probe_run_finish (TW_PROBE (source), result, NULL);

  if (TW_PROBE (source) != self->own_probe)
    return;
  g_clear_object (&self->cancellable);
  tw_fingerprint_page_update (self);
}

static void
read_key_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (widget);
  const char * const scope[] = { "host-key", NULL };

  if (self->tunnel == NULL || self->cancellable != NULL)
    return;

  g_clear_object (&self->own_probe);
  self->own_probe = tw_probe_new (self->tunnel);
  tw_probe_set_checks (self->own_probe, scope);
  self->cancellable = g_cancellable_new ();
  tw_fingerprint_page_set_report (self, tw_probe_get_report (self->own_probe));
  tw_probe_run_async (self->own_probe, self->cancellable, read_key_done, g_object_ref (self));
  tw_fingerprint_page_update (self);
}

static void
cancel_read (TwFingerprintPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static gboolean
report_is_running (TwReport *report)
{
  GListModel *checks = report != NULL ? tw_report_get_checks (report) : NULL;
  guint n = checks != NULL ? g_list_model_get_n_items (checks) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TwCheckResult) result = g_list_model_get_item (checks, i);

      if (tw_check_result_get_status (result) == TW_CHECK_STATUS_RUNNING)
        return TRUE;
    }
  return FALSE;
}

static void
tw_fingerprint_page_map (GtkWidget *widget)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (widget);

  GTK_WIDGET_CLASS (tw_fingerprint_page_parent_class)->map (widget);

  /* Shown with no key to show, and no run under way that will bring one:
   * read it now rather than leave the admin in front of an empty page. */
  if (seen_fingerprint (self) == NULL && !report_is_running (self->report) &&
      self->tunnel != NULL && tw_tunnel_get_ssh_host (self->tunnel) != NULL)
    gtk_widget_activate_action (widget, "page.read-key", NULL);
}

static void
tw_fingerprint_page_unroot (GtkWidget *widget)
{
  cancel_read (TW_FINGERPRINT_PAGE (widget));

  GTK_WIDGET_CLASS (tw_fingerprint_page_parent_class)->unroot (widget);
}

static void
tw_fingerprint_page_dispose (GObject *object)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (object);

  cancel_read (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_FINGERPRINT_PAGE);
  g_clear_object (&self->report);
  g_clear_object (&self->own_probe);
  g_clear_object (&self->tunnel);

  G_OBJECT_CLASS (tw_fingerprint_page_parent_class)->dispose (object);
}

static void
tw_fingerprint_page_finalize (GObject *object)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (object);

  g_free (self->reconfirmed);

  G_OBJECT_CLASS (tw_fingerprint_page_parent_class)->finalize (object);
}

static void
tw_fingerprint_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (object);

  switch (prop_id)
    {
    case PROP_TUNNEL:
      g_value_set_object (value, self->tunnel);
      break;
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    case PROP_BLOCKED:
      g_value_set_boolean (value, self->blocked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_fingerprint_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (object);

  switch (prop_id)
    {
    case PROP_TUNNEL:
      tw_fingerprint_page_set_tunnel (self, g_value_get_object (value));
      break;
    case PROP_REPORT:
      tw_fingerprint_page_set_report (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_fingerprint_page_class_init (TwFingerprintPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  g_type_ensure (TW_TYPE_FINGERPRINT_COMPARE);
  object_class->dispose = tw_fingerprint_page_dispose;
  object_class->finalize = tw_fingerprint_page_finalize;
  object_class->get_property = tw_fingerprint_page_get_property;
  object_class->set_property = tw_fingerprint_page_set_property;
  widget_class->map = tw_fingerprint_page_map;
  widget_class->unroot = tw_fingerprint_page_unroot;

  properties[PROP_TUNNEL] = g_param_spec_object ("tunnel", NULL, NULL, TW_TYPE_TUNNEL, rw);
  properties[PROP_REPORT] = g_param_spec_object ("report", NULL, NULL, TW_TYPE_REPORT, rw);
  properties[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE, ro);
  properties[PROP_BLOCKED] = g_param_spec_boolean ("blocked", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tw-fingerprint-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, mitm_box);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, mitm_title);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, mitm_label);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, mitm_keys_label);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, verified_check);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, key_stack);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, no_key_label);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, read_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, key_type_label);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, randomart_label);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, known_hosts_row);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, known_hosts_icon);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, known_hosts_label);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, compare);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, pinned_label);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, tw_fingerprint_page_update);

  gtk_widget_class_install_action (widget_class, "page.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "page.reconfirm", NULL, reconfirm_action);
  gtk_widget_class_install_action (widget_class, "page.read-key", NULL, read_key_action);
}

static void
tw_fingerprint_page_init (TwFingerprintPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tw_fingerprint_page_update (self);
}

GtkWidget *
tw_fingerprint_page_new (void)
{
  return g_object_new (TW_TYPE_FINGERPRINT_PAGE, NULL);
}

TwTunnel *
tw_fingerprint_page_get_tunnel (TwFingerprintPage *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_PAGE (self), NULL);

  return self->tunnel;
}

void
tw_fingerprint_page_set_tunnel (TwFingerprintPage *self,
                                TwTunnel          *tunnel)
{
  g_return_if_fail (TW_IS_FINGERPRINT_PAGE (self));
  g_return_if_fail (tunnel == NULL || TW_IS_TUNNEL (tunnel));

  if (self->tunnel == tunnel)
    return;

  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_func (self->tunnel, tw_fingerprint_page_update, self);
  g_set_object (&self->tunnel, tunnel);
  if (tunnel != NULL)
    g_signal_connect_object (tunnel, "notify", G_CALLBACK (tw_fingerprint_page_update),
                             self, G_CONNECT_SWAPPED);

  /* Another tunnel: our own reading, and a trust decision, were for another server. */
  cancel_read (self);
  if (self->own_probe != NULL)
    {
      g_clear_object (&self->own_probe);
      tw_fingerprint_page_set_report (self, NULL);
    }
  g_clear_pointer (&self->reconfirmed, g_free);

  tw_fingerprint_page_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TUNNEL]);
}

TwReport *
tw_fingerprint_page_get_report (TwFingerprintPage *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_PAGE (self), NULL);

  return self->report;
}

void
tw_fingerprint_page_set_report (TwFingerprintPage *self,
                                TwReport          *report)
{
  g_return_if_fail (TW_IS_FINGERPRINT_PAGE (self));
  g_return_if_fail (report == NULL || TW_IS_REPORT (report));

  if (self->report == report)
    return;

  if (self->report != NULL)
    g_signal_handlers_disconnect_by_func (self->report, tw_fingerprint_page_update, self);
  g_set_object (&self->report, report);
  if (report != NULL)
    g_signal_connect_object (report, "notify", G_CALLBACK (tw_fingerprint_page_update),
                             self, G_CONNECT_SWAPPED);

  tw_fingerprint_page_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

gboolean
tw_fingerprint_page_get_complete (TwFingerprintPage *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_PAGE (self), FALSE);

  return self->complete;
}

gboolean
tw_fingerprint_page_get_blocked (TwFingerprintPage *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_PAGE (self), FALSE);

  return self->blocked;
}

TwFingerprintVerdict
tw_fingerprint_page_get_verdict (TwFingerprintPage *self)
{
  g_return_val_if_fail (TW_IS_FINGERPRINT_PAGE (self), TW_FINGERPRINT_VERDICT_EMPTY);

  return self->verdict;
}
