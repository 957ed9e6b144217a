/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-public-key.h"
#include "tw-tunnel.h"

G_BEGIN_DECLS

#define TW_SETUP_ERROR (tw_setup_error_quark ())

/**
 * TwSetupError:
 * @TW_SETUP_ERROR_INVALID_USER: the tunnel user is not a valid Unix user name, or is root
 * @TW_SETUP_ERROR_INVALID_HOST: the destination host is empty or has characters that cannot be
 *   embedded safely (only host names and IPv4/IPv6 literals are accepted)
 * @TW_SETUP_ERROR_INVALID_PORT: the destination port is 0 or above 65535
 * @TW_SETUP_ERROR_INVALID_ADDRESS: a service address is not an IPv4/IPv6 address or CIDR block
 * @TW_SETUP_ERROR_INVALID_KEY: the key's type, base64 or comment cannot be embedded safely
 * @TW_SETUP_ERROR_INVALID_GROUP_ID: the AWS security group id is not of the form sg-…
 *
 * Why an instruction could not be generated. Every value that ends up inside a script is
 * checked first, so a generated script never needs escaping beyond single quotes.
 */
typedef enum {
  TW_SETUP_ERROR_INVALID_USER,
  TW_SETUP_ERROR_INVALID_HOST,
  TW_SETUP_ERROR_INVALID_PORT,
  TW_SETUP_ERROR_INVALID_ADDRESS,
  TW_SETUP_ERROR_INVALID_KEY,
  TW_SETUP_ERROR_INVALID_GROUP_ID,
} TwSetupError;

GQuark     tw_setup_error_quark            (void);

/* Checks used by every generator; also handy for live validation in a form. */
gboolean   tw_setup_validate_user          (const char          *user,
                                            GError             **error);
gboolean   tw_setup_validate_dest          (const char          *host,
                                            guint                port,
                                            GError             **error);
/* Splits what an admin types or pastes into one field (commas, spaces, new lines) into
 * entries for the service-addresses property; no validation. */
GStrv      tw_setup_split_addresses        (const char          *text);
/* Each entry an IPv4/IPv6 address or CIDR block; returns them as "ADDRESS/LENGTH"
 * (GLib's canonical spelling), in the order given. NULL or empty input gives an empty array. */
GStrv      tw_setup_normalize_addresses    (const char * const  *addresses,
                                            GError             **error);

/* Quoting helpers shared by the generators. */
/* 'text' for POSIX shells: a ' inside becomes '\'' */
char      *tw_setup_shell_quote            (const char          *text);
/* 'text' for PowerShell: a ' (and its typographic cousins) inside is doubled */
char      *tw_setup_powershell_quote       (const char          *text);
/* "text" for YAML 1.1 (PyYAML, cloud-init, Ansible): escapes for '"', '\\', line breaks and
 * controls; any UTF-8 text reads back unchanged */
char      *tw_setup_yaml_quote             (const char          *text);
/* "text" for Terraform's HCL: also "${" and "%{" are written so that they stay literal */
char      *tw_setup_hcl_quote              (const char          *text);
/* "HOST:PORT" as permitopen/PermitOpen want it: an IPv6 literal in brackets */
char      *tw_setup_format_host_port       (const char          *host,
                                            guint                port);
/* Whether @host (brackets allowed around it) is an IPv6 literal */
gboolean   tw_setup_host_is_ipv6           (const char          *host);

G_END_DECLS
