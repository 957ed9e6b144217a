/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cloud firewall commands: one AWS security-group ingress rule per service address, for the
 * bastion's SSH port. `--cidr` only takes IPv4; IPv6 needs the --ip-permissions form with
 * Ipv6Ranges. Addresses are validated and written in one canonical ADDRESS/LENGTH spelling.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tw-setup-firewall.h"
#include "tw-setup-private.h"

/* "sg-" and 8 (older groups) or 17 lower-case hex digits. */
static gboolean
is_security_group_id (const char *id)
{
  size_t len;

  if (!g_str_has_prefix (id, "sg-"))
    return FALSE;
  len = strlen (id + 3);
  if (len != 8 && len != 17)
    return FALSE;
  return strspn (id + 3, "0123456789abcdef") == len;
}

char *
tw_setup_aws_commands (TwTunnel     *tunnel,
                       const char   *security_group_id,
                       GError      **error)
{
  g_autoptr(GString) text = NULL;
  g_auto(GStrv) addresses = NULL;
  guint port;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  port = tw_tunnel_get_ssh_port (tunnel);
  if (port == 0 || port > 65535)
    {
      g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_PORT,
                   _("The SSH port must be between 1 and 65535, not %u."), port);
      return NULL;
    }

  if (security_group_id != NULL && !is_security_group_id (security_group_id))
    {
      g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_GROUP_ID,
                   _("“%s” is not a security group id: it looks like sg-0123456789abcdef0."),
                   security_group_id);
      return NULL;
    }

  addresses = tw_setup_normalize_addresses (tw_tunnel_get_service_addresses (tunnel), error);
  if (addresses == NULL)
    return NULL;

  text = g_string_new (NULL);

  /* In reverse mode the one connecting to SSH is this machine, and the addresses are its own. */
  if (addresses[0] == NULL && tw_setup_is_reverse (tunnel))
    g_string_append (text,
      "# Tunnel Wizard: enter the public IP addresses this machine connects from to get\n"
      "# the security-group rules that let only it reach SSH.\n");
  else if (addresses[0] == NULL)
    g_string_append (text,
      "# Tunnel Wizard: enter the IP addresses the service connects from (its setup\n"
      "# page lists them) to get the security-group rules that let only them reach SSH.\n");
  else
    g_string_append_printf (text,
      "# Tunnel Wizard: let %s addresses reach SSH (TCP %u) on the bastion.\n"
      "# Needs the AWS CLI and the right to change the bastion's security group.\n",
      tw_setup_is_reverse (tunnel) ? "this machine's" : "the service's", port);

  if (tw_setup_needs_gateway_ports (tunnel))
    g_string_append_printf (text,
      "# Other hosts reach the tunnel on the bastion's TCP port %u: open that port to\n"
      "# them (for a service, its addresses) in the same security group.\n",
      tw_tunnel_get_remote_port (tunnel));

  if (addresses[0] == NULL)
    return g_string_free (g_steal_pointer (&text), FALSE);

  if (security_group_id != NULL)
    g_string_append_printf (text, "SG_ID=%s\n", security_group_id);
  else
    g_string_append (text,
      "# The bastion's security group: EC2 console, the instance, Security tab.\n"
      ": \"${SG_ID:?Set SG_ID to the security group of the bastion, e.g. SG_ID=sg-0123456789abcdef0}\"\n");

  for (guint i = 0; addresses[i]; i++)
    {
      if (tw_setup_address_is_ipv6 (addresses[i]))
        g_string_append_printf (text,
          "aws ec2 authorize-security-group-ingress --group-id \"$SG_ID\" --ip-permissions "
          "'IpProtocol=tcp,FromPort=%u,ToPort=%u,Ipv6Ranges=[{CidrIpv6=%s}]'\n",
          port, port, addresses[i]);
      else
        g_string_append_printf (text,
          "aws ec2 authorize-security-group-ingress --group-id \"$SG_ID\" "
          "--protocol tcp --port %u --cidr %s\n",
          port, addresses[i]);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
