/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-core.h"

G_BEGIN_DECLS

/* A card with @key's type, size and file on the server, its fingerprint (selectable) and
 * its picture in an expander; @matched adds that the pasted fingerprint is this key's. */
GtkWidget *tw_key_card_new (TwPublicKey *key,
                            gboolean     matched);

G_END_DECLS
