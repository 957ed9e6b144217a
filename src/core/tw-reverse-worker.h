/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to TwReverseTunnel: the worker thread that runs sessions one after
 * another, with back-off between them, until the tunnel is stopped or fails
 * for good. Not a GObject.
 */
#pragma once

#include "tw-reverse-tunnel-private.h"

G_BEGIN_DECLS

/* Takes the reference on @self that the thread drops when it ends; copies
 * the configuration, so the setters never race the thread. */
GThread *tw_reverse_worker_start (TwReverseTunnel *self);

G_END_DECLS
