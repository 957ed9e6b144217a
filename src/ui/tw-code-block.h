/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TW_TYPE_CODE_BLOCK (tw_code_block_get_type ())
G_DECLARE_FINAL_TYPE (TwCodeBlock, tw_code_block, TW, CODE_BLOCK, AdwBin)

/* A generated text (script, config lines) in monospace with a Copy button, or, when it could
 * not be generated, the reason instead. */
void        tw_code_block_set_text  (TwCodeBlock *self,
                                     const char  *text);
const char *tw_code_block_get_text  (TwCodeBlock *self);
void        tw_code_block_set_error (TwCodeBlock *self,
                                     const char  *message);

G_END_DECLS
