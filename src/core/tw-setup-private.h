/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-setup-common.h"

G_BEGIN_DECLS

/* Internal to the tw-setup-* generators. */
char     *tw_setup_bare_host        (const char   *host);
gboolean  tw_setup_address_is_ipv6  (const char   *cidr);
gboolean  tw_setup_validate_key     (TwPublicKey  *key,
                                     GError      **error);
/* User, destination and (when @key is not NULL) key, in that order */
gboolean  tw_setup_validate_tunnel  (TwTunnel     *tunnel,
                                     TwPublicKey  *key,
                                     GError      **error);
/* "TYPE BASE64[ COMMENT]", from the validated parts */
char     *tw_setup_key_line         (TwPublicKey  *key);
/* The settings inside the tunnel user's Match block (RSA, least privilege), indented */
void      tw_setup_append_match_body (GString     *text,
                                      TwTunnel    *tunnel,
                                      TwPublicKey *key,
                                      gboolean     windows);

G_END_DECLS
