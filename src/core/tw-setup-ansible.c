/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The prepare step as an Ansible playbook for the hosts of the inventory group "bastion":
 * the same user, group, shell and key as the Linux script. The password field becomes "*"
 * only when the user is created (update_password: on_create): an existing account's password
 * is the admin's. The key goes in with ansible.posix.authorized_key, its restrictions in
 * key_options, so a second run changes nothing. The sshd drop-in is copied with
 * `validate: sshd -t -f %s` (the file on its own must parse), and the reload handler checks
 * the whole configuration with sshd -t again before it reloads.
 *
 * Ansible renders "{{", "{%" and "{#" in any string as Jinja; the values that come from the
 * admin or the service (user, key with its comment, options) are tagged !unsafe so that they
 * are taken literally.
 */
#include "config.h"

#include "tw-setup-exports.h"
#include "tw-setup-private.h"
#include "tw-setup-sshd.h"

char *
tw_setup_ansible (TwTunnel     *tunnel,
                  TwPublicKey  *key,
                  GError      **error)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *options = NULL, *key_line = NULL, *dropin = NULL;
  g_autofree char *user = NULL, *key_value = NULL, *options_value = NULL;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tw_setup_validate_tunnel (tunnel, key, error))
    return NULL;
  options = tw_setup_authorized_keys_options (tunnel, error);
  if (options == NULL)
    return NULL;

  key_line = tw_setup_key_line (key);
  user = tw_setup_yaml_quote (tw_tunnel_get_user (tunnel));
  key_value = tw_setup_yaml_quote (key_line);
  options_value = tw_setup_yaml_quote (options);
  dropin = tw_setup_sshd_dropin (tunnel, key);
  text = g_string_new (NULL);

  g_string_append_printf (text,
    "---\n"
    "# Tunnel Wizard: the SSH tunnel user %s.\n"
    "# Run against the bastion, e.g.: ansible-playbook -i 'HOST,' -e tw_hosts=all tunnel.yml\n"
    "# Needs the ansible.posix collection (in the ansible package, or: ansible-galaxy\n"
    "# collection install ansible.posix).\n"
    "- name: Prepare the bastion for the SSH tunnel\n"
    "  hosts: \"{{ tw_hosts | default('bastion') }}\"\n"
    "  become: true\n"
    "  vars:\n"
    "    tw_user: !unsafe %s\n"
    "  tasks:\n"
    "    - name: Group of the tunnel user\n"
    "      ansible.builtin.group:\n"
    "        name: \"{{ tw_user }}\"\n"
    "    - name: Tunnel user\n"
    "      ansible.builtin.user:\n"
    "        name: \"{{ tw_user }}\"\n"
    "        group: \"{{ tw_user }}\"\n"
    "        comment: SSH tunnel\n"
    "        shell: %s\n"
    "        create_home: true\n"
    "        # Key login only: no password can match \"*\", and sshd accepts the key even\n"
    "        # without PAM (it refuses locked accounts there).\n"
    "        password: \"*\"\n"
    "        update_password: on_create\n"
    "    - name: The service's key\n"
    "      ansible.posix.authorized_key:\n"
    "        user: \"{{ tw_user }}\"\n"
    "        key: !unsafe %s\n",
    tw_tunnel_get_user (tunnel), user,
    tw_tunnel_get_least_privilege (tunnel) ? "/usr/sbin/nologin" : "/bin/bash",
    key_value);
  if (*options != '\0')
    g_string_append_printf (text, "        key_options: !unsafe %s\n", options_value);

  if (dropin != NULL)
    {
      g_autofree char *path = tw_setup_sshd_config_path (tunnel);

      g_string_append_printf (text,
        "    - name: sshd settings for the tunnel user\n"
        "      ansible.builtin.copy:\n"
        "        dest: %s\n"
        "        owner: root\n"
        "        group: root\n"
        "        mode: \"0644\"\n"
        "        validate: /usr/sbin/sshd -t -f %%s\n"
        "        content: |\n",
        path);
      tw_setup_append_indented (text, dropin, "          ");
      g_string_append (text,
        "      notify: Reload sshd\n"
        "  handlers:\n"
        "    - name: Check the whole sshd configuration\n"
        "      ansible.builtin.command: /usr/sbin/sshd -t\n"
        "      changed_when: false\n"
        "      listen: Reload sshd\n"
        "    - name: Reload sshd without dropping sessions\n"
        "      ansible.builtin.service:\n"
        "        name: \"{{ 'sshd' if ansible_facts['os_family'] == 'RedHat' else 'ssh' }}\"\n"
        "        state: reloaded\n"
        "      listen: Reload sshd\n"
        "      # --skip-tags reload: leave the reload to you.\n"
        "      tags: [reload]\n");
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
