/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cloud firewall rule that lets the service's addresses reach the bastion's SSH port, as
 * Terraform (AWS, Google Cloud, Azure) and as gcloud and az commands; aws-cli is in
 * tw-setup-firewall.c. What the admin knows and we do not (security group, network, resource
 * group) is a Terraform variable or a shell variable the commands insist on.
 *
 * IPv4 and IPv6 addresses go into separate rules: a Google Cloud firewall rule and an Azure
 * security rule each take one address family, and AWS has one attribute per family.
 * Addresses are validated and canonical (tw_setup_normalize_addresses()); names derive from
 * the validated user name; every string still goes through the language's quoting.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tw-setup-exports.h"
#include "tw-setup-private.h"

typedef struct
{
  GStrv ipv4;
  GStrv ipv6;
} Families;

static void
families_clear (Families *families)
{
  g_clear_pointer (&families->ipv4, g_strfreev);
  g_clear_pointer (&families->ipv6, g_strfreev);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Families, families_clear)

/* The checks and the opening comment every firewall format shares. FALSE with @error set, or
 * TRUE with the addresses split by family (both empty: the text only asks for them). */
static gboolean
begin (TwTunnel  *tunnel,
       GString   *text,
       Families  *families,
       GError   **error)
{
  g_autoptr(GStrvBuilder) ipv4 = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ipv6 = g_strv_builder_new ();
  g_auto(GStrv) addresses = NULL;
  guint port = tw_tunnel_get_ssh_port (tunnel);
  const char *user = tw_tunnel_get_user (tunnel);

  if (port == 0 || port > 65535)
    {
      g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_PORT,
                   _("The SSH port must be between 1 and 65535, not %u."), port);
      return FALSE;
    }
  if (!tw_setup_validate_user (user, error))
    return FALSE;
  addresses = tw_setup_normalize_addresses (tw_tunnel_get_service_addresses (tunnel), error);
  if (addresses == NULL)
    return FALSE;

  if (addresses[0] == NULL && tw_setup_is_reverse (tunnel))
    g_string_append (text,
      "# Tunnel Wizard: enter the public IP addresses this machine connects from to get\n"
      "# the firewall rules that let only it reach SSH.\n");
  else if (addresses[0] == NULL)
    g_string_append (text,
      "# Tunnel Wizard: enter the IP addresses the service connects from (its setup\n"
      "# page lists them) to get the firewall rules that let only them reach SSH.\n");
  else
    g_string_append_printf (text,
      "# Tunnel Wizard: let %s addresses reach SSH (TCP %u) on the bastion,\n"
      "# for the tunnel user %s.\n",
      tw_setup_is_reverse (tunnel) ? "this machine's" : "the service's", port, user);

  if (tw_setup_needs_gateway_ports (tunnel))
    g_string_append_printf (text,
      "# Other hosts reach the tunnel on the bastion's TCP port %u: open that port to\n"
      "# them too.\n",
      tw_tunnel_get_remote_port (tunnel));

  for (guint i = 0; addresses[i]; i++)
    g_strv_builder_add (tw_setup_address_is_ipv6 (addresses[i]) ? ipv6 : ipv4, addresses[i]);
  families->ipv4 = g_strv_builder_end (ipv4);
  families->ipv6 = g_strv_builder_end (ipv6);
  return TRUE;
}

/* "tunnel-wizard-USER": cloud resource names take '-' but (Google Cloud) not '_'. */
static char *
rule_name (TwTunnel *tunnel)
{
  g_autofree char *name = g_strdup_printf ("tunnel-wizard-%s", tw_tunnel_get_user (tunnel));

  g_strdelimit (name, "_", '-');
  return g_steal_pointer (&name);
}

/* ["a", "b"] */
static char *
hcl_list (char **items)
{
  GString *list = g_string_new ("[");

  for (guint i = 0; items[i]; i++)
    {
      g_autofree char *quoted = tw_setup_hcl_quote (items[i]);

      g_string_append_printf (list, "%s%s", i ? ", " : "", quoted);
    }
  g_string_append_c (list, ']');
  return g_string_free (list, FALSE);
}

static char *
description (TwTunnel *tunnel)
{
  return g_strdup_printf ("SSH tunnel user %s (Tunnel Wizard)", tw_tunnel_get_user (tunnel));
}

/* One rule: the addresses of one family */
typedef struct
{
  guint        port;
  const char  *name;       /* from rule_name() */
  const char  *desc;       /* quoted for the format */
  const char  *family;     /* "ipv4" or "ipv6" */
  guint        index;      /* 0 or 1 */
  char       **addresses;
} Rule;

typedef void (*AddRule) (GString    *text,
                         const Rule *rule);

typedef struct
{
  char       *(*quote) (const char *text);
  const char   *preamble;   /* the variables the admin fills in */
  AddRule       add_rule;
} FirewallFormat;

/* What every format shares: the checks, the opening comment, nothing more while no address
 * is known, then the variables and one rule per address family. */
static char *
write_rules (TwTunnel              *tunnel,
             const FirewallFormat  *format,
             GError               **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(Families) families = { 0 };
  g_autofree char *name = NULL, *plain = NULL, *desc = NULL;
  const char *family_name[] = { "ipv4", "ipv6" };

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);

  if (!begin (tunnel, text, &families, error))
    return NULL;
  if (families.ipv4[0] == NULL && families.ipv6[0] == NULL)
    return g_string_free (g_steal_pointer (&text), FALSE);

  name = rule_name (tunnel);
  plain = description (tunnel);
  desc = format->quote (plain);
  g_string_append (text, format->preamble);
  for (guint f = 0; f < 2; f++)
    {
      char **list = f == 0 ? families.ipv4 : families.ipv6;

      Rule rule = { tw_tunnel_get_ssh_port (tunnel), name, desc, family_name[f], f, list };

      if (list[0] != NULL)
        format->add_rule (text, &rule);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_aws_rule (GString    *text,
              const Rule *rule)
{
  g_autofree char *items = hcl_list (rule->addresses);
  g_autofree char *resource = g_strdup (rule->name);

  /* a Terraform resource name, not a cloud one: '_' reads better there */
  g_strdelimit (resource, "-", '_');
  g_string_append_printf (text,
    "\n"
    "resource \"aws_vpc_security_group_ingress_rule\" \"%s_ssh_%s\" {\n"
    "  for_each          = toset(%s)\n"
    "  security_group_id = var.bastion_security_group_id\n"
    "  description       = %s\n"
    "  ip_protocol       = \"tcp\"\n"
    "  from_port         = %u\n"
    "  to_port           = %u\n"
    "  cidr_%s         = each.value\n"
    "}\n",
    resource, rule->family, items, rule->desc, rule->port, rule->port, rule->family);
}

char *
tw_setup_terraform_aws (TwTunnel     *tunnel,
                        TwPublicKey  *key,
                        GError      **error)
{
  static const FirewallFormat format = {
    tw_setup_hcl_quote,
    "\n"
    "variable \"bastion_security_group_id\" {\n"
    "  description = \"The bastion's security group (EC2 console, the instance, Security tab)\"\n"
    "  type        = string\n"
    "}\n",
    add_aws_rule,
  };

  return write_rules (tunnel, &format, error);
}

static void
add_gcp_rule (GString    *text,
              const Rule *rule)
{
  g_autofree char *items = hcl_list (rule->addresses);
  g_autofree char *resource = g_strdup_printf ("%s-ssh-%s", rule->name, rule->family);

  g_string_append_printf (text,
    "\n"
    "resource \"google_compute_firewall\" \"%s\" {\n"
    "  name          = \"%s\"\n"
    "  network       = var.bastion_network\n"
    "  description   = %s\n"
    "  direction     = \"INGRESS\"\n"
    "  source_ranges = %s\n"
    "  target_tags   = [var.bastion_tag]\n"
    "\n"
    "  allow {\n"
    "    protocol = \"tcp\"\n"
    "    ports    = [\"%u\"]\n"
    "  }\n"
    "}\n",
    resource, resource, rule->desc, items, rule->port);
}

char *
tw_setup_terraform_gcp (TwTunnel     *tunnel,
                        TwPublicKey  *key,
                        GError      **error)
{
  static const FirewallFormat format = {
    tw_setup_hcl_quote,
    "\n"
    "variable \"bastion_network\" {\n"
    "  description = \"The VPC network of the bastion\"\n"
    "  type        = string\n"
    "  default     = \"default\"\n"
    "}\n"
    "\n"
    "variable \"bastion_tag\" {\n"
    "  description = \"A network tag the bastion VM carries: the rule applies only to VMs with it\"\n"
    "  type        = string\n"
    "  default     = \"tunnel-wizard-bastion\"\n"
    "}\n",
    add_gcp_rule,
  };

  return write_rules (tunnel, &format, error);
}

static void
add_azure_rule (GString    *text,
                const Rule *rule)
{
  g_autofree char *items = hcl_list (rule->addresses);
  g_autofree char *resource = g_strdup_printf ("%s-ssh-%s", rule->name, rule->family);

  g_string_append_printf (text,
    "\n"
    "resource \"azurerm_network_security_rule\" \"%s\" {\n"
    "  name                        = \"%s\"\n"
    "  description                 = %s\n"
    "  priority                    = var.tunnel_rule_priority%s\n"
    "  direction                   = \"Inbound\"\n"
    "  access                      = \"Allow\"\n"
    "  protocol                    = \"Tcp\"\n"
    "  source_port_range           = \"*\"\n"
    "  destination_port_range      = \"%u\"\n"
    "  source_address_prefixes     = %s\n"
    "  destination_address_prefix  = \"*\"\n"
    "  resource_group_name         = var.resource_group_name\n"
    "  network_security_group_name = var.network_security_group_name\n"
    "}\n",
    resource, resource, rule->desc, rule->index == 1 ? " + 1" : "", rule->port, items);
}

char *
tw_setup_terraform_azure (TwTunnel     *tunnel,
                          TwPublicKey  *key,
                          GError      **error)
{
  static const FirewallFormat format = {
    tw_setup_hcl_quote,
    "\n"
    "variable \"resource_group_name\" {\n"
    "  description = \"The resource group of the bastion's network security group\"\n"
    "  type        = string\n"
    "}\n"
    "\n"
    "variable \"network_security_group_name\" {\n"
    "  description = \"The network security group of the bastion's network interface or subnet\"\n"
    "  type        = string\n"
    "}\n"
    "\n"
    "variable \"tunnel_rule_priority\" {\n"
    "  description = \"A priority no other rule of the group uses (IPv6 gets the next one)\"\n"
    "  type        = number\n"
    "  default     = 310\n"
    "}\n",
    add_azure_rule,
  };

  return write_rules (tunnel, &format, error);
}

static void
add_gcloud_rule (GString    *text,
                 const Rule *rule)
{
  /* one word, a,b: gcloud's list syntax */
  g_autofree char *joined = g_strjoinv (",", rule->addresses);
  g_autofree char *ranges = tw_setup_shell_quote (joined);

  g_string_append_printf (text,
    "gcloud compute firewall-rules create %s-ssh-%s --network=\"$NETWORK\" "
    "--direction=INGRESS --action=ALLOW --rules=tcp:%u --source-ranges=%s "
    "--target-tags=\"$BASTION_TAG\" --description=%s\n",
    rule->name, rule->family, rule->port, ranges, rule->desc);
}

char *
tw_setup_gcloud_commands (TwTunnel     *tunnel,
                          TwPublicKey  *key,
                          GError      **error)
{
  static const FirewallFormat format = {
    tw_setup_shell_quote,
    "# The rule applies to VMs with the network tag BASTION_TAG; give it to the bastion:\n"
    "#   gcloud compute instances add-tags BASTION_VM --tags=tunnel-wizard-bastion\n"
    "NETWORK=${NETWORK:-default}\n"
    "BASTION_TAG=${BASTION_TAG:-tunnel-wizard-bastion}\n",
    add_gcloud_rule,
  };

  return write_rules (tunnel, &format, error);
}

static void
add_az_rule (GString    *text,
             const Rule *rule)
{
  g_autoptr(GString) prefixes = g_string_new (NULL);

  /* separate words for az */
  for (guint i = 0; rule->addresses[i]; i++)
    {
      g_autofree char *quoted = tw_setup_shell_quote (rule->addresses[i]);
      g_string_append_printf (prefixes, " %s", quoted);
    }
  g_string_append_printf (text,
    "az network nsg rule create --resource-group \"$RESOURCE_GROUP\" --nsg-name \"$NSG_NAME\" "
    "--name %s-ssh-%s --priority \"$((PRIORITY + %u))\" --direction Inbound --access Allow "
    "--protocol Tcp --source-address-prefixes%s --source-port-ranges '*' "
    "--destination-address-prefixes '*' --destination-port-ranges %u --description %s\n",
    rule->name, rule->family, rule->index, prefixes->str, rule->port, rule->desc);
}

char *
tw_setup_az_commands (TwTunnel     *tunnel,
                      TwPublicKey  *key,
                      GError      **error)
{
  static const FirewallFormat format = {
    tw_setup_shell_quote,
    ": \"${RESOURCE_GROUP:?Set RESOURCE_GROUP to the resource group of the bastion's network security group}\"\n"
    ": \"${NSG_NAME:?Set NSG_NAME to the network security group of the bastion's network interface}\"\n"
    "# A priority no other rule of the group uses; IPv6 gets the next one.\n"
    "PRIORITY=${PRIORITY:-310}\n",
    add_az_rule,
  };

  return write_rules (tunnel, &format, error);
}
