/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-wizard-page.h"

G_BEGIN_DECLS

#define TW_TYPE_REVERSE_KEY_PAGE (tw_reverse_key_page_get_type ())
G_DECLARE_FINAL_TYPE (TwReverseKeyPage, tw_reverse_key_page, TW, REVERSE_KEY_PAGE, TwWizardPage)

/* Reverse mode, "Key pair": this machine's own key pair (ed25519). The public key goes to the
 * tunnel's service-key, so that the prepare, check and fingerprint steps of the forward mode
 * work unchanged; the private key waits in memory until the tunnel is saved, then goes to the
 * keyring only. Complete once the tunnel has a key pair's public half.
 * Action: "page.generate" (a new pair, replacing the one shown). */
/* The private half of a pair generated here and not saved yet, or NULL. For the keyring
 * only: never store or log it elsewhere. */
const char *tw_reverse_key_page_get_private_key (TwReverseKeyPage *self);

G_END_DECLS
