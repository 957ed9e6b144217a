/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Servers that misbehave on purpose, in a thread of the test, on 127.0.0.1
 * and a random port: what a probe must survive and name.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TW_BAD_SILENT,               /* accepts, never says a word */
  TW_BAD_HTTP,                 /* answers anything with "HTTP/1.1 400 Bad Request" */
  TW_BAD_CLOSE_AFTER_BANNER,   /* a valid SSH banner, then closes */
  TW_BAD_ENDLESS_BANNER,       /* "SSH-2.0-" and then never a line break */
  TW_BAD_RESET_MID_KEX,        /* banner, reads the client's KEXINIT, then RST */
  TW_BAD_DRIP,                 /* the SSH banner, one byte a second */
  TW_BAD_STALL_KEX,            /* the SSH banner, then silence during the key exchange */
  TW_BAD_MYSQL,                /* a MySQL protocol-10 greeting, as MariaDB sends first */
  TW_BAD_POSTGRES,             /* waits; answers an SSLRequest with 'N' as PostgreSQL does */
  TW_BAD_TLS,                  /* answers anything with a TLS alert */
  TW_BAD_GREETING,             /* a plain TCP service: "hello\n", then closes */
  TW_BAD_BLACK_HOLE,           /* a full accept queue: SYNs are dropped, connect times out */
} TwBadKind;

typedef struct _TwTestBadserver TwTestBadserver;

TwTestBadserver *tw_test_badserver_new      (TwBadKind        kind);
guint            tw_test_badserver_get_port (TwTestBadserver *server);
/* Connections accepted so far */
guint            tw_test_badserver_get_hits (TwTestBadserver *server);
void             tw_test_badserver_free     (TwTestBadserver *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwTestBadserver, tw_test_badserver_free)

G_END_DECLS
