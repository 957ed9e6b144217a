/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-wizard-page.h"

G_BEGIN_DECLS

#define TW_TYPE_KEY_PAGE (tw_key_page_get_type ())
G_DECLARE_FINAL_TYPE (TwKeyPage, tw_key_page, TW, KEY_PAGE, TwWizardPage)

/* "Service key": the service's public key. Writes the key, on one line, to the tunnel's service-key. */
gboolean     tw_key_page_get_complete (TwKeyPage  *self);
/* The parsed key, or NULL while the field holds no valid key */
TwPublicKey *tw_key_page_get_key      (TwKeyPage  *self);
/* Replaces the field's text, as a paste or an opened file would. */
void         tw_key_page_set_text     (TwKeyPage  *self,
                                       const char *text);

G_END_DECLS
