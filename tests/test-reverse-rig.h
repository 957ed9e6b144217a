/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reverse tunnel tests' rig: a real OpenSSH sshd on 127.0.0.1 that can be
 * killed, frozen and restarted on the same port, and a local echo server.
 * (To be folded into the shared tests/rig/tw-test-sshd once it exists.)
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char         *dir;
  guint         port;
  char         *host_key[2];         /* two host keys: [0] normally, [1] to swap in */
  char         *host_fingerprint[2];
  guint         host_key_index;
  char         *extra_config;        /* lines put first: sshd keeps the first value */
  GSubprocess  *sshd;
} RevSshd;

RevSshd  *rev_sshd_new                (const char *authorized_key);
gboolean  rev_sshd_start              (RevSshd    *sshd);
void      rev_sshd_kill               (RevSshd    *sshd);
void      rev_sshd_signal_sessions    (RevSshd    *sshd,
                                       int         signum);
void      rev_sshd_free               (RevSshd    *sshd);

guint     rev_free_port               (void);
gboolean  rev_wait_for_port           (guint       port,
                                       guint       timeout_ms);

/* An echo server on 127.0.0.1 served from its own threads. */
typedef struct _RevEcho RevEcho;
RevEcho  *rev_echo_start              (void);
guint     rev_echo_get_port           (RevEcho    *echo);
void      rev_echo_stop               (RevEcho    *echo);

/* Sends @size bytes of pseudo-random data (from @seed) to 127.0.0.1:@port and
 * reads the echo at the same time; returns whether both SHA-256 agree. */
gboolean  rev_echo_roundtrip          (guint       port,
                                       gsize       size,
                                       guint32     seed,
                                       GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RevSshd, rev_sshd_free)

G_END_DECLS
