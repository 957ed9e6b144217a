/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The authorized_keys line for the service's key. With least privilege, `restrict` turns off
 * everything (pty, agent, X11, forwarding, user rc) and `port-forwarding` gives back only local
 * forwarding, which `permitopen` then narrows to the destination. sshd compares permitopen's
 * host with the host the client asks for literally (no lookup), so the line uses exactly the
 * destination the admin entered, the one the service will send.
 *
 * Reverse mode turns it round: this machine's key may only ask the bastion to listen, with
 * `permitlisten` naming the one address and port the tunnel asks for. `port-forwarding` gives
 * back local forwarding as well, and authorized_keys cannot take it away again (its permitopen
 * needs a host and a port; sshd(8) of OpenSSH 9.2 knows no "none" there), so the sshd_config
 * block (AllowTcpForwarding remote, PermitOpen none) is what refuses `ssh -L` and `-W`.
 */
#include "config.h"

#include "tw-setup-authorized-keys.h"
#include "tw-setup-private.h"

char *
tw_setup_restrict_options (TwTunnel *tunnel)
{
  if (tw_tunnel_get_least_privilege (tunnel) && tw_setup_is_reverse (tunnel))
    {
      g_autofree char *listen = tw_setup_listen_spec (tunnel);

      return g_strdup_printf ("restrict,port-forwarding,permitlisten=\"%s\"", listen);
    }
  if (tw_tunnel_get_least_privilege (tunnel))
    {
      g_autofree char *host_port = tw_setup_format_host_port (tw_tunnel_get_dest_host (tunnel),
                                                              tw_tunnel_get_dest_port (tunnel));

      return g_strdup_printf ("restrict,port-forwarding,permitopen=\"%s\"", host_port);
    }
  return g_strdup ("");
}

char *
tw_setup_authorized_keys_options (TwTunnel  *tunnel,
                                  GError   **error)
{
  g_autoptr(GString) line = NULL;
  g_auto(GStrv) addresses = NULL;
  g_autofree char *restrict_options = NULL;

  addresses = tw_setup_normalize_addresses (tw_tunnel_get_service_addresses (tunnel), error);
  if (addresses == NULL)
    return NULL;

  restrict_options = tw_setup_restrict_options (tunnel);
  line = g_string_new (restrict_options);
  /* from= limits where the key may be used from, independent of the other restrictions. */
  if (addresses[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (",", addresses);

      g_string_append_printf (line, "%sfrom=\"%s\"", line->len ? "," : "", list);
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

char *
tw_setup_authorized_keys_line (TwTunnel     *tunnel,
                               TwPublicKey  *key,
                               GError      **error)
{
  g_autofree char *options = NULL;
  g_autofree char *key_line = NULL;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tw_setup_validate_tunnel (tunnel, key, error))
    return NULL;

  options = tw_setup_authorized_keys_options (tunnel, error);
  if (options == NULL)
    return NULL;

  key_line = tw_setup_key_line (key);
  if (*options == '\0')
    return g_steal_pointer (&key_line);
  return g_strdup_printf ("%s %s", options, key_line);
}
