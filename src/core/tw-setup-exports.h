/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/* The infrastructure-as-code exports of the prepare step, one generator each (the shape of
 * TwSetupRenderFunc). Each returns (transfer full) the text, or %NULL with @error set
 * (TW_SETUP_ERROR) when a value cannot be written safely. */

/* #cloud-config: the user, its key, the sshd drop-in checked with sshd -t before a reload */
char *tw_setup_cloud_init       (TwTunnel     *tunnel,
                                 TwPublicKey  *key,
                                 GError      **error);
/* An Ansible playbook doing the same with ansible.builtin.user, ansible.posix.authorized_key
 * and a validated copy of the drop-in with a reload handler */
char *tw_setup_ansible          (TwTunnel     *tunnel,
                                 TwPublicKey  *key,
                                 GError      **error);
/* Terraform firewall rules that let the service's addresses reach the SSH port */
char *tw_setup_terraform_aws    (TwTunnel     *tunnel,
                                 TwPublicKey  *key,
                                 GError      **error);
char *tw_setup_terraform_gcp    (TwTunnel     *tunnel,
                                 TwPublicKey  *key,
                                 GError      **error);
char *tw_setup_terraform_azure  (TwTunnel     *tunnel,
                                 TwPublicKey  *key,
                                 GError      **error);
/* The same rules as gcloud and az commands */
char *tw_setup_gcloud_commands  (TwTunnel     *tunnel,
                                 TwPublicKey  *key,
                                 GError      **error);
char *tw_setup_az_commands      (TwTunnel     *tunnel,
                                 TwPublicKey  *key,
                                 GError      **error);

G_END_DECLS
