/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sshd_config lines a tunnel needs, all inside `Match User` so that nothing changes for
 * any other account. Suggested as a drop-in under /etc/ssh/sshd_config.d/: Debian and most
 * current distributions include that directory at the top of sshd_config, sshd keeps the first
 * value it reads (so the block wins over later global lines), and a Match block in an included
 * file ends with that file (checked with sshd -T on OpenSSH 9.2).
 */
#include "config.h"

#include "tw-setup-sshd.h"
#include "tw-setup-private.h"

gboolean
tw_setup_sshd_config_needed (TwTunnel    *tunnel,
                             TwPublicKey *key)
{
  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), FALSE);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), FALSE);

  return tw_public_key_is_rsa (key) || tw_tunnel_get_least_privilege (tunnel) ||
         tw_setup_needs_gateway_ports (tunnel);
}

char *
tw_setup_sshd_config_path (TwTunnel *tunnel)
{
  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);

  return g_strdup_printf ("/etc/ssh/sshd_config.d/50-tunnel-wizard-%s.conf",
                          tw_tunnel_get_user (tunnel) ? tw_tunnel_get_user (tunnel) : "user");
}

const char *
tw_setup_sshd_reload_command (void)
{
  return "sshd -t && systemctl reload ssh";
}

/* The body of the Match User block, indented. Windows has no /bin/false to force. */
void
tw_setup_append_match_body (GString     *text,
                            TwTunnel    *tunnel,
                            TwPublicKey *key,
                            gboolean     windows)
{
  /* Windows Server 2019 and 2022 ship OpenSSH 8.1, which only knows the older name; newer
   * releases still accept it as an alias. */
  if (tw_public_key_is_rsa (key) && windows)
    g_string_append (text,
      "    # RSA key: OpenSSH 8.8 and later refuse its SHA-1 \"ssh-rsa\" signatures unless\n"
      "    # allowed (the older name of PubkeyAcceptedAlgorithms, known to every release).\n"
      "    PubkeyAcceptedKeyTypes +ssh-rsa\n");
  else if (tw_public_key_is_rsa (key))
    g_string_append (text,
      "    # RSA key: OpenSSH 8.8 and later refuse its SHA-1 \"ssh-rsa\" signatures unless\n"
      "    # allowed (before OpenSSH 8.5 this option was PubkeyAcceptedKeyTypes). The seed's\n"
      "    # other line, HostKeyAlgorithms +ssh-rsa, cannot be set per user; add it at the top\n"
      "    # of sshd_config only if the service cannot agree on a host key.\n"
      "    PubkeyAcceptedAlgorithms +ssh-rsa\n");

  if (tw_setup_needs_gateway_ports (tunnel))
    g_string_append (text,
      "    # Other hosts connect to the tunnel's port: listen where this machine asks\n"
      "    # (without this, sshd quietly listens on the bastion's loopback only).\n"
      "    GatewayPorts clientspecified\n");

  if (tw_tunnel_get_least_privilege (tunnel) && tw_setup_is_reverse (tunnel))
    {
      g_autofree char *listen = tw_setup_listen_spec (tunnel);

      g_string_append_printf (text,
        "    # Reverse tunnel only: key login, listening on this one port, nothing else.\n"
        "    AuthenticationMethods publickey\n"
        "    AllowTcpForwarding remote\n"
        "    PermitListen %s\n"
        "    PermitOpen none\n"
        "    PermitTTY no\n"
        "    X11Forwarding no\n"
        "    AllowAgentForwarding no\n"
        "    AllowStreamLocalForwarding no\n"
        "%s"
        "    # Notice a vanished machine within 45 s: its session holds the port, which\n"
        "    # must be free again when the machine reconnects.\n"
        "    ClientAliveInterval 15\n"
        "    ClientAliveCountMax 3\n",
        listen, windows ? "" : "    ForceCommand /bin/false\n");
    }
  else if (tw_tunnel_get_least_privilege (tunnel))
    {
      g_autofree char *host_port = tw_setup_format_host_port (tw_tunnel_get_dest_host (tunnel),
                                                              tw_tunnel_get_dest_port (tunnel));

      g_string_append_printf (text,
        "    # Tunnel only: key login, forwarding to the destination, nothing else.\n"
        "    AuthenticationMethods publickey\n"
        "    AllowTcpForwarding local\n"
        "    PermitOpen %s\n"
        "    PermitListen none\n"
        "    PermitTTY no\n"
        "    X11Forwarding no\n"
        "    AllowAgentForwarding no\n"
        "    AllowStreamLocalForwarding no\n"
        "%s"
        "    # Drop tunnels whose client vanished without closing them.\n"
        "    ClientAliveInterval 30\n"
        "    ClientAliveCountMax 3\n",
        host_port, windows ? "" : "    ForceCommand /bin/false\n");
    }
}

char *
tw_setup_sshd_config (TwTunnel     *tunnel,
                      TwPublicKey  *key,
                      GError      **error)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *path = NULL;
  const char *user;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tw_setup_validate_tunnel (tunnel, key, error))
    return NULL;

  user = tw_tunnel_get_user (tunnel);
  text = g_string_new (NULL);

  if (!tw_setup_sshd_config_needed (tunnel, key))
    {
      g_string_append_printf (text,
        "# Tunnel Wizard: sshd needs no changes for the tunnel user %s.\n"
        "# It only has to allow TCP forwarding: AllowTcpForwarding yes (the default).\n",
        user);
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  path = tw_setup_sshd_config_path (tunnel);
  g_string_append_printf (text,
    "# Tunnel Wizard: sshd settings for the tunnel user %s.\n"
    "# Save as %s (read by the Include line at the\n"
    "# top of sshd_config), or append to the very end of /etc/ssh/sshd_config.\n"
    "# Then check and reload (on RHEL and Fedora the service is sshd):\n"
    "#   %s\n"
    "Match User %s\n",
    user, path, tw_setup_sshd_reload_command (), user);

  tw_setup_append_match_body (text, tunnel, key, FALSE);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
tw_setup_sshd_dropin (TwTunnel    *tunnel,
                      TwPublicKey *key)
{
  GString *text;
  const char *user = tw_tunnel_get_user (tunnel);

  if (!tw_setup_sshd_config_needed (tunnel, key))
    return NULL;

  text = g_string_new (NULL);
  g_string_append_printf (text,
    "# Tunnel Wizard: sshd settings for the tunnel user %s.\n"
    "Match User %s\n",
    user, user);
  tw_setup_append_match_body (text, tunnel, key, FALSE);
  return g_string_free (text, FALSE);
}

char *
tw_setup_sshd_dropin_allowing_forward (TwTunnel    *tunnel,
                                       TwPublicKey *key)
{
  GString *text = g_string_new (NULL);
  const char *user = tw_tunnel_get_user (tunnel);

  g_string_append_printf (text,
    "# Tunnel Wizard: sshd settings for the tunnel user %s.\n"
    "Match User %s\n",
    user, user);
  tw_setup_append_match_body (text, tunnel, key, FALSE);
  /* With least privilege the block already allows the one forward; else the account forwards
   * whatever the rest of sshd_config says (sshd keeps the first value it reads, and the
   * drop-in folder comes first). */
  if (!tw_tunnel_get_least_privilege (tunnel) && tw_setup_is_reverse (tunnel))
    g_string_append (text,
      "    # The machine inside listens through this account, whatever the rest of sshd_config says.\n"
      "    DisableForwarding no\n"
      "    AllowTcpForwarding remote\n"
      "    PermitListen any\n");
  else if (!tw_tunnel_get_least_privilege (tunnel))
    g_string_append (text,
      "    # The service forwards through this account, whatever the rest of sshd_config says.\n"
      "    DisableForwarding no\n"
      "    AllowTcpForwarding local\n"
      "    PermitOpen any\n");
  return g_string_free (text, FALSE);
}
