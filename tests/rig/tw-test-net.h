/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loopback helpers every rig part shares: a free port, waiting until
 * something listens, and an echo server with a checked round trip.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A port on 127.0.0.1 that nothing listens on (right now): the kernel's
 * choice, so tests running in parallel do not collide. */
guint        tw_test_free_port               (void);

/* TRUE once a TCP connect to 127.0.0.1:@port succeeds, FALSE after
 * @timeout_ms, or at once when @pid (if > 0) has exited. */
gboolean     tw_test_wait_for_port           (guint        port,
                                              GPid         pid,
                                              guint        timeout_ms);

/* An echo server on 127.0.0.1 served from its own threads, so a test can
 * block in a client call without starving it. */
typedef struct _TwTestEcho TwTestEcho;

TwTestEcho  *tw_test_echo_start              (void);
guint        tw_test_echo_get_port           (TwTestEcho  *echo);
void         tw_test_echo_stop               (TwTestEcho  *echo);

/* Sends @size bytes of pseudo-random data (from @seed) to 127.0.0.1:@port
 * and reads the echo at the same time; TRUE when both SHA-256 agree. */
gboolean     tw_test_echo_roundtrip          (guint        port,
                                              gsize        size,
                                              guint32      seed,
                                              GError     **error);

G_END_DECLS
