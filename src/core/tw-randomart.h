/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * tw_randomart_draw:
 * @digest: the fingerprint's raw digest (32 bytes for SHA256)
 * @title: the key's label and size as ssh-keygen puts them in the top frame, e.g. "ED25519 256"
 * @hash_name: "SHA256" (bottom frame)
 *
 * Draws the "drunken bishop" picture exactly as ssh-keygen -lv does.
 * Lines are joined by "\n", with no trailing newline.
 *
 * Returns: (transfer full): the picture
 */
char *tw_randomart_draw (const guint8 *digest,
                         gsize         digest_len,
                         const char   *title,
                         const char   *hash_name);

G_END_DECLS
