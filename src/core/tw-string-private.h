/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Small string helpers the core objects share; private to src/core. */

/* Stores a copy of @value in @slot unless it holds that text already; TRUE when it changed,
 * for notify-only-on-change. g_set_str() arrived in GLib 2.76; the floor is 2.74. */
static inline gboolean
tw_replace_string (char       **slot,
                   const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

/* Overwrites a secret's memory, then frees it. NULL is fine. explicit_bzero: a plain
 * memset right before free() may be optimised away. */
static inline void
tw_wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

G_END_DECLS
