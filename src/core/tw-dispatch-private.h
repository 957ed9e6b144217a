/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs @func(@data) on @context's own thread, in the order of the calls, then @destroy(@data).
 * Not g_main_context_invoke(): when @context is the global default and nobody iterates it at
 * that moment, invoke() runs the callback right away on the calling worker thread, where GTK
 * must not be touched. An idle source never does. */
void tw_dispatch_to_context (GMainContext   *context,
                             const char     *name,
                             GSourceFunc     func,
                             gpointer        data,
                             GDestroyNotify  destroy);

G_END_DECLS
