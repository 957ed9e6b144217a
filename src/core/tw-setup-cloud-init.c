/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The prepare step as #cloud-config user data, for a bastion built from an image. The same
 * decisions as the Linux script: a group and user of the tunnel's name, nologin with least
 * privilege, the password field "*" (key login works even where sshd runs without PAM, no
 * password can match), the authorized_keys line with its options.
 *
 * The sshd drop-in is written outside sshd_config.d first and only moved in by runcmd, which
 * checks the whole configuration with sshd -t and takes the file out again when sshd rejects
 * it: a reload (or the next boot) never meets a configuration sshd cannot read.
 * Values go through tw_setup_yaml_quote(); the drop-in is a literal block whose lines only
 * carry validated values.
 */
#include "config.h"

#include "tw-setup-authorized-keys.h"
#include "tw-setup-exports.h"
#include "tw-setup-private.h"
#include "tw-setup-sshd.h"

char *
tw_setup_cloud_init (TwTunnel     *tunnel,
                     TwPublicKey  *key,
                     GError      **error)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *line = NULL, *user = NULL, *key_value = NULL, *dropin = NULL;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  line = tw_setup_authorized_keys_line (tunnel, key, error);
  if (line == NULL)
    return NULL;

  user = tw_setup_yaml_quote (tw_tunnel_get_user (tunnel));
  key_value = tw_setup_yaml_quote (line);
  dropin = tw_setup_sshd_dropin (tunnel, key);
  text = g_string_new (NULL);

  g_string_append_printf (text,
    "#cloud-config\n"
    "# Tunnel Wizard: the SSH tunnel user %s on a new bastion.\n"
    "# Give this as user data when you create the server; cloud-init applies it on first boot.\n"
    "groups:\n"
    "  - %s\n"
    "users:\n"
    "  # Keep the image's own login user: a users list replaces it otherwise.\n"
    "  - default\n"
    "  - name: %s\n"
    "    gecos: SSH tunnel\n"
    "    primary_group: %s\n"
    "    no_user_group: true\n"
    "    shell: %s\n"
    "    # Key login only: \"*\" matches no password and, unlike a locked account, does not\n"
    "    # stop sshd from accepting the key where it runs without PAM.\n"
    "    lock_passwd: false\n"
    "    hashed_passwd: \"*\"\n"
    "    ssh_authorized_keys:\n"
    "      - %s\n",
    tw_tunnel_get_user (tunnel), user, user, user,
    tw_tunnel_get_least_privilege (tunnel) ? "/usr/sbin/nologin" : "/bin/bash",
    key_value);

  if (dropin != NULL)
    {
      g_autofree char *path = tw_setup_sshd_config_path (tunnel);
      g_autofree char *base = g_path_get_basename (path);

      g_string_append_printf (text,
        "write_files:\n"
        "  # Staged here; runcmd moves it into sshd_config.d once sshd -t accepts it.\n"
        "  - path: /run/tunnel-wizard/%s\n"
        "    owner: root:root\n"
        "    permissions: \"0644\"\n"
        "    content: |\n",
        base);
      tw_setup_append_indented (text, dropin, "      ");
      g_string_append_printf (text,
        "runcmd:\n"
        "  - |\n"
        "    set -e\n"
        "    mkdir -p /etc/ssh/sshd_config.d\n"
        "    install -m 644 -o root -g root /run/tunnel-wizard/%s %s\n"
        "    if ! /usr/sbin/sshd -t; then\n"
        "      rm -f %s\n"
        "      echo 'Tunnel Wizard: sshd rejected %s; it was removed again.' >&2\n"
        "      exit 1\n"
        "    fi\n"
        "    systemctl reload ssh 2>/dev/null || systemctl reload sshd\n",
        base, path, path, path);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
