/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of setup formats. Adding a format is adding a generator file and one line here.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-setup-authorized-keys.h"
#include "tw-setup-exports.h"
#include "tw-setup-firewall.h"
#include "tw-setup-format.h"
#include "tw-setup-linux.h"
#include "tw-setup-sshd.h"
#include "tw-setup-windows.h"

/* Without a security group id the commands leave it to an SG_ID variable the admin sets. */
static char *
render_aws_cli (TwTunnel     *tunnel,
                TwPublicKey  *key,
                GError      **error)
{
  return tw_setup_aws_commands (tunnel, NULL, error);
}

static const TwSetupFormat formats[] = {
  { "linux", N_("Linux shell script"), tw_setup_linux_script },
  { "windows", N_("Windows OpenSSH (PowerShell)"), tw_setup_windows_script },
  { "sshd", N_("sshd_config lines"), tw_setup_sshd_config },
  { "authorized-keys", N_("authorized_keys line"), tw_setup_authorized_keys_line },
  { "cloud-init", N_("cloud-init user data"), tw_setup_cloud_init },
  { "ansible", N_("Ansible playbook"), tw_setup_ansible },
  { "terraform-aws", N_("Terraform firewall rule (AWS)"), tw_setup_terraform_aws },
  { "terraform-gcp", N_("Terraform firewall rule (Google Cloud)"), tw_setup_terraform_gcp },
  { "terraform-azure", N_("Terraform firewall rule (Azure)"), tw_setup_terraform_azure },
  { "aws-cli", N_("AWS CLI firewall rule"), render_aws_cli },
  { "gcloud", N_("gcloud firewall rule"), tw_setup_gcloud_commands },
  { "az", N_("Azure CLI firewall rule"), tw_setup_az_commands },
};

const TwSetupFormat *
tw_setup_get_formats (guint *n_formats)
{
  *n_formats = G_N_ELEMENTS (formats);
  return formats;
}

const TwSetupFormat *
tw_setup_find_format (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (formats[i].name, name) == 0)
      return &formats[i];
  return NULL;
}

char *
tw_setup_describe_format_names (void)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", formats[i].name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}
