/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Host Certificate row of the fingerprint step and the switch that pins
 * the certificate's authority. Whether the certificate is valid for the
 * tunnel's host costs a signature check: it is made once per certificate
 * and host, not on each of the page's many updates.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-host-certificate-row.h"
#include "tw-host-keys.h"
#include "tw-ui-util.h"
#include "tw-wizard-page.h"

struct _TwHostCertificateRow
{
  AdwActionRow       parent_instance;

  GtkImage          *status_icon;
  GtkLabel          *status_label;
  AdwActionRow      *pin_row;
  GtkSwitch         *pin_switch;

  TwReport          *report;
  TwTunnel          *tunnel;
  TwHostCertificate *checked;        /* the certificate… */
  char              *checked_host;   /* …and the host that `pinnable` is for */
  gboolean           pinnable;
};

G_DEFINE_FINAL_TYPE (TwHostCertificateRow, tw_host_certificate_row, ADW_TYPE_ACTION_ROW)

static void
check_certificate (TwHostCertificateRow *self)
{
  TwHostCertificate *certificate = self->report != NULL ? tw_report_get_host_certificate (self->report) : NULL;
  const char *host = self->tunnel != NULL ? tw_tunnel_get_ssh_host (self->tunnel) : NULL;

  if (certificate == self->checked && g_strcmp0 (host, self->checked_host) == 0)
    return;
  g_set_object (&self->checked, certificate);
  g_free (self->checked_host);
  self->checked_host = g_strdup (host);
  self->pinnable = certificate != NULL && host != NULL &&
                   tw_host_certificate_check (certificate, host, g_get_real_time () / G_USEC_PER_SEC, NULL);
}

/* The server's certificate, when one valid for the tunnel's host could have
 * its CA pinned; NULL otherwise */
static TwHostCertificate *
certificate_pinnable (TwHostCertificateRow *self)
{
  check_certificate (self);
  return self->pinnable ? self->checked : NULL;
}

gboolean
tw_host_certificate_row_get_pinned_ca_vouches (TwHostCertificateRow *self)
{
  TwHostCertificate *certificate;
  g_autofree char *pin = NULL;

  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE_ROW (self), FALSE);

  certificate = certificate_pinnable (self);
  if (certificate == NULL || tw_tunnel_get_pinned_certificate_authority (self->tunnel) == NULL)
    return FALSE;
  pin = tw_host_keys_pin (tw_host_certificate_get_ca_key (certificate));
  return g_str_equal (pin, tw_tunnel_get_pinned_certificate_authority (self->tunnel));
}

char *
tw_host_certificate_row_dup_wanted_ca_pin (TwHostCertificateRow *self)
{
  TwHostCertificate *certificate;

  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE_ROW (self), NULL);

  certificate = certificate_pinnable (self);
  if (certificate == NULL || !gtk_switch_get_active (self->pin_switch))
    return NULL;
  return tw_host_keys_pin (tw_host_certificate_get_ca_key (certificate));
}

/* Once the keys are pinned, the switch pins or unpins the CA at once (the
 * page follows the tunnel); before, confirming takes it along. */
static void
pin_toggled (TwHostCertificateRow *self)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (self), TW_TYPE_WIZARD_PAGE);
  g_autofree char *pin = NULL;

  if (self->tunnel == NULL || page == NULL || !tw_wizard_page_get_complete (TW_WIZARD_PAGE (page)))
    return;
  pin = tw_host_certificate_row_dup_wanted_ca_pin (self);
  tw_tunnel_set_pinned_certificate_authority (self->tunnel, pin);
}

void
tw_host_certificate_row_update (TwHostCertificateRow *self,
                                TwReport             *report,
                                TwTunnel             *tunnel)
{
  TwHostCertificate *certificate;
  gboolean trusted, pinned;
  const char *note;
  g_autofree char *names = NULL, *validity = NULL, *text = NULL;
  TwPublicKey *ca;

  g_return_if_fail (TW_IS_HOST_CERTIFICATE_ROW (self));

  g_set_object (&self->report, report);
  g_set_object (&self->tunnel, tunnel);
  certificate = report != NULL ? tw_report_get_host_certificate (report) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self), certificate != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->pin_row), certificate_pinnable (self) != NULL);
  if (certificate == NULL)
    return;
  if (tunnel != NULL && tw_tunnel_get_pinned_certificate_authority (tunnel) != NULL)
    {
      g_autofree char *pin = tw_host_keys_pin (tw_host_certificate_get_ca_key (certificate));

      gtk_switch_set_active (self->pin_switch,
                             g_strcmp0 (pin, tw_tunnel_get_pinned_certificate_authority (tunnel)) == 0);
    }

  pinned = tw_host_certificate_row_get_pinned_ca_vouches (self);
  trusted = tw_report_get_host_certificate_trusted (report) || pinned;
  note = tw_report_get_host_certificate_note (report);
  ca = tw_host_certificate_get_ca_key (certificate);
  names = g_strjoinv (", ", (char **) tw_host_certificate_get_principals (certificate));
  validity = tw_host_certificate_describe_validity (certificate);
  /* e.g. "Key ID “bastion-1” for 127.0.0.1, valid from … to …
Signed by the CA ED25519 SHA256:…" */
  text = g_strdup_printf (_("Key ID “%s” for %s, valid %s\nSigned by the certificate authority %s %s%s%s"),
                          tw_host_certificate_get_key_id (certificate),
                          names[0] != '\0' ? names : _("any host name"), validity,
                          tw_public_key_get_type_label (ca), tw_public_key_get_fingerprint (ca),
                          note != NULL ? "\n" : "",
                          note != NULL ? note : _("\nNo certificate authority is trusted for this server in known_hosts."));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text);
  gtk_image_set_from_icon_name (self->status_icon, trusted ? "emblem-ok-symbolic" : "dialog-information-symbolic");
  tw_ui_set_status_class (GTK_WIDGET (self->status_icon), trusted ? "success" : NULL);
  gtk_label_set_label (self->status_label, pinned ? _("Pinned") : trusted ? _("Trusted") : _("Not trusted here"));
  tw_ui_set_status_class (GTK_WIDGET (self->status_label), trusted ? "success" : NULL);
}

GtkWidget *
tw_host_certificate_row_get_pin_row (TwHostCertificateRow *self)
{
  g_return_val_if_fail (TW_IS_HOST_CERTIFICATE_ROW (self), NULL);
  return GTK_WIDGET (self->pin_row);
}

static void
tw_host_certificate_row_dispose (GObject *object)
{
  TwHostCertificateRow *self = TW_HOST_CERTIFICATE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_HOST_CERTIFICATE_ROW);
  g_clear_object (&self->report);
  g_clear_object (&self->tunnel);
  g_clear_object (&self->checked);

  G_OBJECT_CLASS (tw_host_certificate_row_parent_class)->dispose (object);
}

static void
tw_host_certificate_row_finalize (GObject *object)
{
  g_free (TW_HOST_CERTIFICATE_ROW (object)->checked_host);

  G_OBJECT_CLASS (tw_host_certificate_row_parent_class)->finalize (object);
}

static void
tw_host_certificate_row_class_init (TwHostCertificateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_host_certificate_row_dispose;
  object_class->finalize = tw_host_certificate_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tw-host-certificate-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TwHostCertificateRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, TwHostCertificateRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TwHostCertificateRow, pin_row);
  gtk_widget_class_bind_template_child (widget_class, TwHostCertificateRow, pin_switch);
  gtk_widget_class_bind_template_callback (widget_class, pin_toggled);
}

static void
tw_host_certificate_row_init (TwHostCertificateRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
