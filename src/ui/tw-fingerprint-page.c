/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Confirm the fingerprint": the host key a default OpenSSH client
 * uses, large and in groups, with its randomart; the server's other host
 * keys below it (the service may be shown one of those); the known_hosts
 * status; and the comparison with what the admin pastes, which matches if
 * it is any of the server's keys. Confirming pins the whole set in the
 * tunnel; a pinned key that later differs blocks the wizard until the admin
 * deliberately trusts the new one. Nothing is ever accepted silently.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-fingerprint-compare.h"
#include "tw-fingerprint-page.h"
#include "tw-host-certificate-row.h"
#include "tw-host-keys.h"
#include "tw-key-card.h"
#include "tw-probe.h"
#include "tw-ui-util.h"

struct _TwFingerprintPage
{
  TwWizardPage          parent_instance;

  TwReport             *report;
  TwProbe              *own_probe;     /* only when nobody gave us a report */
  GCancellable         *cancellable;
  char                 *reconfirmed;   /* the changed keys the admin chose to trust (pins, joined) */
  GPtrArray            *shown_keys;    /* the other keys drawn in other_keys_box, and… */
  TwPublicKey          *shown_matched; /* …the one marked as matching */
  TwFingerprintVerdict  verdict;
  gboolean              blocked;
  gboolean              prefilled;     /* the pinned fingerprint was put in the field once */

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
  GtkWidget            *other_keys_box;
  AdwActionRow         *known_hosts_row;
  GtkImage             *known_hosts_icon;
  GtkLabel             *known_hosts_label;
  AdwPreferencesGroup  *trust_group;
  TwHostCertificateRow *certificate_row;
  TwFingerprintCompare *compare;
  GtkLabel             *pinned_label;
  GtkWidget            *confirm_button;
};

G_DEFINE_FINAL_TYPE (TwFingerprintPage, tw_fingerprint_page, TW_TYPE_WIZARD_PAGE)

enum {
  PROP_0,
  PROP_REPORT,
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

/* (element-type TwPublicKey): never NULL, may be empty */
static GPtrArray *
host_keys (TwFingerprintPage *self)
{
  static GPtrArray *none;

  if (self->report != NULL)
    return tw_report_get_host_keys (self->report);
  if (none == NULL)
    none = g_ptr_array_new ();
  return none;
}

/* The pins the admin would confirm now: the whole set, joined */
static char *
current_pins (TwFingerprintPage *self)
{
  g_auto(GStrv) pins = tw_host_keys_pins (host_keys (self));

  return g_strjoinv ("\n", pins);
}

/* How the keys shown now compare with those pinned in the tunnel */
static TwPinVerdict
pin_verdict (TwFingerprintPage *self,
             TwPinCheck        *check)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_auto(GStrv) pins = tunnel != NULL ? tw_tunnel_dup_pins (tunnel) : NULL;

  if (pins == NULL || host_keys (self)->len == 0)
    return -1;
  /* Keys replaced under the CA confirmed with them are what pinning it is for */
  if (tw_host_certificate_row_get_pinned_ca_vouches (self->certificate_row))
    {
      check->verdict = TW_PIN_VERDICT_MATCH;
      return check->verdict;
    }
  tw_host_keys_check_pins (host_keys (self), (const char * const *) pins, check);
  return check->verdict;
}

static gboolean
same_key_list (GPtrArray *a,
               GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (a->pdata[i] != b->pdata[i])
      return FALSE;
  return TRUE;
}

/* The keys after the first, as cards under the large one; redrawn only
 * when they change, so that a selection in them survives updates. */
static void
update_other_keys (TwFingerprintPage *self)
{
  GPtrArray *keys = host_keys (self);
  TwPublicKey *matched = tw_fingerprint_compare_get_matched (self->compare);
  GtkWidget *child;

  if (same_key_list (self->shown_keys, keys) && self->shown_matched == matched)
    return;
  g_clear_pointer (&self->shown_keys, g_ptr_array_unref);
  self->shown_keys = g_ptr_array_copy (keys, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  g_ptr_array_set_free_func (self->shown_keys, g_object_unref);
  g_set_object (&self->shown_matched, matched);

  /* The heading and the explanation stay; the cards follow them */
  child = gtk_widget_get_first_child (self->other_keys_box);
  child = child != NULL ? gtk_widget_get_next_sibling (child) : NULL;
  child = child != NULL ? gtk_widget_get_next_sibling (child) : NULL;
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (GTK_BOX (self->other_keys_box), child);
      child = next;
    }
  for (guint i = 1; i < keys->len; i++)
    gtk_box_append (GTK_BOX (self->other_keys_box),
                    tw_key_card_new (g_ptr_array_index (keys, i), g_ptr_array_index (keys, i) == matched));
  gtk_widget_set_visible (self->other_keys_box, keys->len > 1);
}

static void
update_key (TwFingerprintPage *self,
            const char        *seen)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_autofree char *grouped = NULL;
  g_autofree char *type_text = NULL;
  g_autoptr(PangoAttrList) attrs = NULL;
  const char *type = self->report != NULL ? tw_report_get_host_key_type (self->report) : NULL;
  const char *randomart = self->report != NULL ? tw_report_get_host_key_randomart (self->report) : NULL;
  gboolean reading = self->own_probe != NULL && self->cancellable != NULL;

  gtk_spinner_set_spinning (self->read_spinner, reading);
  gtk_widget_set_visible (GTK_WIDGET (self->read_spinner), reading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.read-key",
                                 !reading && tunnel != NULL &&
                                 tw_tunnel_get_ssh_host (tunnel) != NULL);

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
  if (host_keys (self)->len > 1)
    /* e.g. "ssh-ed25519 — SHA256 fingerprint · the one most services are shown" */
    type_text = g_strdup_printf (_("%s — SHA256 fingerprint · the one most services are shown"),
                                 type != NULL ? type : _("Host key"));
  else
    /* e.g. "ssh-ed25519 — SHA256 fingerprint" */
    type_text = g_strdup_printf (_("%s — SHA256 fingerprint"), type != NULL ? type : _("Host key"));
  gtk_label_set_label (self->key_type_label, type_text);
  gtk_label_set_wrap (self->key_type_label, TRUE);

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
      text = tw_report_get_host_certificate_trusted (self->report)
             ? _("A certificate authority this computer trusts for this server signed its key.")
             : _("This computer has connected to this server before, with this very key.");
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
    case TW_KNOWN_HOSTS_REVOKED:
      icon = "dialog-error-symbolic";
      css = "error";
      word = _("REVOKED");
      text = _("This computer’s known_hosts says this key must never be accepted.");
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

/* The fingerprint pinned for @key's type, else the first pinned one */
static const char *
pinned_for (const char * const *pins,
            TwPublicKey        *key)
{
  const char *type = key != NULL ? tw_public_key_get_key_type (key) : NULL;

  for (guint i = 0; type != NULL && pins[i] != NULL; i++)
    if (g_str_has_prefix (pins[i], type) && pins[i][strlen (type)] == ' ')
      return pins[i] + strlen (type) + 1;
  return strchr (pins[0], ' ') != NULL ? strchr (pins[0], ' ') + 1 : pins[0];
}

static void
update_blocked (TwFingerprintPage *self,
                const char        *seen)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_auto(TwPinCheck) check = { 0 };
  g_auto(GStrv) pins = tunnel != NULL ? tw_tunnel_dup_pins (tunnel) : NULL;
  gboolean pin_differs = seen != NULL && pin_verdict (self, &check) == TW_PIN_VERDICT_CHANGED;
  gboolean known_changed = self->report != NULL &&
                           (tw_report_get_known_hosts_status (self->report) == TW_KNOWN_HOSTS_CHANGED ||
                            tw_report_get_known_hosts_status (self->report) == TW_KNOWN_HOSTS_REVOKED);
  g_autofree char *now = current_pins (self);
  gboolean blocked = seen != NULL && (pin_differs || known_changed) &&
                     g_strcmp0 (now, self->reconfirmed) != 0;
  const char *host = tunnel != NULL && tw_tunnel_get_ssh_host (tunnel) != NULL
                     ? tw_tunnel_get_ssh_host (tunnel) : "";
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
  if (pin_differs)
    {
      /* The key that changed, next to the one confirmed for its type */
      TwPublicKey *changed = check.changed->len > 0 ? g_ptr_array_index (check.changed, 0) : NULL;
      const char *before = pinned_for ((const char * const *) pins, changed);
      g_autofree char *pinned_groups = tw_fingerprint_format_groups (before, TW_FINGERPRINT_GROUP_SIZE);

      /* In the groups of the key below, so that the eye can compare them */
      seen_groups = tw_fingerprint_format_groups (changed != NULL ? tw_public_key_get_fingerprint (changed) : seen,
                                                  TW_FINGERPRINT_GROUP_SIZE);
      text = g_strdup_printf (_("%s now shows a different host key from the one confirmed for "
                                "this tunnel. Someone may be intercepting the connection (a "
                                "man-in-the-middle attack), or the server was reinstalled or its "
                                "keys replaced. Every further step is stopped until you trust "
                                "the new key on purpose."), host);
      if (changed != NULL && host_keys (self)->len > 1)
        /* e.g. "The ECDSA key, confirmed before: …" */
        keys = g_strdup_printf (_("The %s key, confirmed before:\n%s\nShown now:\n%s"),
                                tw_public_key_get_type_label (changed), pinned_groups, seen_groups);
      else
        keys = g_strdup_printf (_("Confirmed before:\n%s\nShown now:\n%s"), pinned_groups, seen_groups);
    }
  else
    {
      seen_groups = tw_fingerprint_format_groups (seen, TW_FINGERPRINT_GROUP_SIZE);
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

/* Coming back to a confirmed key: the field holds the fingerprint confirmed (once; the
 * admin may clear it), and the known_hosts row says the tunnel's pin is what counts. */
static void
show_pinned_consistently (TwFingerprintPage *self,
                          const char        *seen)
{
  if (!self->prefilled && *tw_fingerprint_compare_get_pasted (self->compare) == '\0')
    {
      self->prefilled = TRUE;
      tw_fingerprint_compare_set_pasted (self->compare, seen);
    }
  if (self->report != NULL && tw_report_get_known_hosts_status (self->report) == TW_KNOWN_HOSTS_UNKNOWN)
    {
      gtk_image_set_from_icon_name (self->known_hosts_icon, "emblem-ok-symbolic");
      tw_ui_set_status_class (GTK_WIDGET (self->known_hosts_icon), "success");
      gtk_label_set_label (self->known_hosts_label, _("Pinned in Tunnel"));
      tw_ui_set_status_class (GTK_WIDGET (self->known_hosts_label), "success");
      adw_action_row_set_subtitle (self->known_hosts_row,
                                   _("Not recorded in known_hosts, but confirmed and pinned in this "
                                     "tunnel: the checks compare the server’s keys with the pinned ones."));
    }
}

static void
tw_fingerprint_page_update (TwFingerprintPage *self)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_auto(TwPinCheck) check = { 0 };
  const char *seen = seen_fingerprint (self);
  TwPinVerdict pinned;
  gboolean pinned_now, set_changed;

  update_key (self, seen);
  update_known_hosts (self);
  tw_host_certificate_row_update (self->certificate_row, self->report, tunnel);
  update_blocked (self, seen);
  tw_fingerprint_compare_set_keys (self->compare, host_keys (self));
  self->verdict = tw_fingerprint_compare_get_verdict (self->compare);
  update_other_keys (self);

  pinned = seen != NULL ? pin_verdict (self, &check) : (TwPinVerdict) -1;
  pinned_now = pinned == TW_PIN_VERDICT_MATCH;
  set_changed = pinned == TW_PIN_VERDICT_SET_CHANGED && !self->blocked;
  gtk_widget_set_visible (GTK_WIDGET (self->pinned_label), (pinned_now || set_changed) && !self->blocked);
  if (set_changed)
    {
      gtk_label_set_label (self->pinned_label,
                           _("The server added or removed a host key since you confirmed its keys; "
                             "those you confirmed are unchanged. Compare and confirm the keys again."));
      tw_ui_set_status_class (GTK_WIDGET (self->pinned_label), "warning");
    }
  else
    {
      gtk_label_set_label (self->pinned_label,
                           tunnel != NULL && tw_tunnel_get_pinned_certificate_authority (tunnel) != NULL
                           ? _("Confirmed and pinned, with its certificate authority: if this server ever "
                               "shows another key that authority did not sign, every check stops with a "
                               "warning.")
                           : _("Confirmed and pinned: if this server ever shows another key, every "
                               "check stops with a warning."));
      tw_ui_set_status_class (GTK_WIDGET (self->pinned_label), "success");
    }
  if (pinned_now && !self->blocked)
    show_pinned_consistently (self, seen);
  gtk_widget_set_visible (self->confirm_button, !pinned_now && !self->blocked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.confirm",
                                 seen != NULL && !self->blocked && !pinned_now &&
                                 self->verdict == TW_FINGERPRINT_VERDICT_MATCH);

  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), pinned_now && !self->blocked);
}

/* Pins the whole set, and the first key as the single fingerprint older
 * versions and the summary read. */
static void
pin_keys (TwFingerprintPage *self,
          const char        *seen)
{
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  g_auto(GStrv) pins = tw_host_keys_pins (host_keys (self));
  g_autofree char *ca_pin = tw_host_certificate_row_dup_wanted_ca_pin (self->certificate_row);

  tw_tunnel_set_pinned_host_keys (tunnel, (const char * const *) pins);
  tw_tunnel_set_pinned_fingerprint (tunnel, seen);
  tw_tunnel_set_pinned_certificate_authority (tunnel, ca_pin);
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (widget);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  const char *seen = seen_fingerprint (self);

  if (seen == NULL || tunnel == NULL || self->blocked ||
      self->verdict != TW_FINGERPRINT_VERDICT_MATCH)
    return;

  pin_keys (self, seen);
  tw_fingerprint_page_update (self);
}

static void
reconfirm_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (widget);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  const char *seen = seen_fingerprint (self);

  if (seen == NULL || tunnel == NULL || !self->blocked ||
      !gtk_check_button_get_active (self->verified_check))
    return;

  g_free (self->reconfirmed);
  self->reconfirmed = current_pins (self);
  pin_keys (self, seen);
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
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));
  const char * const scope[] = { "host-key", NULL };

  if (tunnel == NULL || self->cancellable != NULL)
    return;

  g_clear_object (&self->own_probe);
  self->own_probe = tw_probe_new (tunnel);
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
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (TW_WIZARD_PAGE (self));

  GTK_WIDGET_CLASS (tw_fingerprint_page_parent_class)->map (widget);

  /* Shown with no key to show, and no run under way that will bring one:
   * read it now rather than leave the admin in front of an empty page. */
  if (seen_fingerprint (self) == NULL && !report_is_running (self->report) &&
      tunnel != NULL && tw_tunnel_get_ssh_host (tunnel) != NULL)
    gtk_widget_activate_action (widget, "page.read-key", NULL);
}

static void
tw_fingerprint_page_unroot (GtkWidget *widget)
{
  cancel_read (TW_FINGERPRINT_PAGE (widget));

  GTK_WIDGET_CLASS (tw_fingerprint_page_parent_class)->unroot (widget);
}

static void
tw_fingerprint_page_tunnel_changed (TwWizardPage *page,
                                    TwTunnel     *previous)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (page);
  TwTunnel *tunnel = tw_wizard_page_get_tunnel (page);

  if (previous != NULL)
    g_signal_handlers_disconnect_by_func (previous, tw_fingerprint_page_update, self);
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
  self->prefilled = FALSE;

  tw_fingerprint_page_update (self);
}

static void
tw_fingerprint_page_dispose (GObject *object)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (object);

  cancel_read (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_FINGERPRINT_PAGE);
  g_clear_object (&self->report);
  g_clear_object (&self->own_probe);
  g_clear_object (&self->shown_matched);

  G_OBJECT_CLASS (tw_fingerprint_page_parent_class)->dispose (object);
}

static void
tw_fingerprint_page_finalize (GObject *object)
{
  TwFingerprintPage *self = TW_FINGERPRINT_PAGE (object);

  g_free (self->reconfirmed);
  g_clear_pointer (&self->shown_keys, g_ptr_array_unref);

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
    case PROP_REPORT:
      g_value_set_object (value, self->report);
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
  TwWizardPageClass *page_class = TW_WIZARD_PAGE_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  g_type_ensure (TW_TYPE_FINGERPRINT_COMPARE);
  g_type_ensure (TW_TYPE_HOST_CERTIFICATE_ROW);
  object_class->dispose = tw_fingerprint_page_dispose;
  page_class->tunnel_changed = tw_fingerprint_page_tunnel_changed;
  object_class->finalize = tw_fingerprint_page_finalize;
  object_class->get_property = tw_fingerprint_page_get_property;
  object_class->set_property = tw_fingerprint_page_set_property;
  widget_class->map = tw_fingerprint_page_map;
  widget_class->unroot = tw_fingerprint_page_unroot;

  properties[PROP_REPORT] = g_param_spec_object ("report", NULL, NULL, TW_TYPE_REPORT, rw);
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
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, other_keys_box);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, known_hosts_row);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, trust_group);
  gtk_widget_class_bind_template_child (widget_class, TwFingerprintPage, certificate_row);
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
  tw_wizard_page_set_complete (TW_WIZARD_PAGE (self), FALSE);
  gtk_widget_init_template (GTK_WIDGET (self));
  adw_preferences_group_add (self->trust_group, tw_host_certificate_row_get_pin_row (self->certificate_row));
  tw_fingerprint_page_update (self);
}

GtkWidget *
tw_fingerprint_page_new (void)
{
  return g_object_new (TW_TYPE_FINGERPRINT_PAGE, NULL);
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
  return tw_wizard_page_get_complete (TW_WIZARD_PAGE (self));
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
