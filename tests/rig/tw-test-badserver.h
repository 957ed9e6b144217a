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
  /* The hostile peers (tests/test-hostile*.c) */
  TW_BAD_ENDLESS_LINES,        /* text lines forever, never one that starts with "SSH-" */
  TW_BAD_NUL_BANNER,           /* "SSH-2.0-Open\0SSH_9.2\r\n": a NUL inside the banner */
  TW_BAD_HUGE_LINE,            /* "SSH-2.0-" and 1 MiB more, no line break, then holds */
  TW_BAD_PARTIAL_BANNER_EOF,   /* "SSH-2.0-" and then EOF */
  TW_BAD_RESET_AFTER_BANNER,   /* a valid banner, then RST at once (SO_LINGER 0) */
  TW_BAD_PG_LIE_LONGER,        /* PostgreSQL: 'N' to SSLRequest, then a message whose length
                                * says 1000 bytes but 8 come, then holds */
  TW_BAD_PG_LIE_HUGE,          /* … a message length of 2 GiB */
  TW_BAD_PG_LIE_NEGATIVE,      /* … a length of -16 (0xfffffff0) */
  TW_BAD_PG_NOTICE_FLOOD,      /* … well-formed 60 KiB NoticeResponses, endlessly */
  TW_BAD_MYSQL_LIE_HUGE,       /* a MySQL greeting whose length says 16 MiB */
  TW_BAD_FLOOD,                /* writes bytes endlessly from the first moment, never reads */
} TwBadKind;

typedef struct _TwTestBadserver TwTestBadserver;

TwTestBadserver *tw_test_badserver_new      (TwBadKind        kind);
guint            tw_test_badserver_get_port (TwTestBadserver *server);
/* Connections accepted so far */
guint            tw_test_badserver_get_hits (TwTestBadserver *server);
/* Bytes sent to all clients so far (the floods: how far back-pressure let them go) */
guint64          tw_test_badserver_get_bytes_sent (TwTestBadserver *server);
/* Connections whose handler has ended (the client went, or the server closed) */
guint            tw_test_badserver_get_finished (TwTestBadserver *server);
void             tw_test_badserver_free     (TwTestBadserver *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwTestBadserver, tw_test_badserver_free)

G_END_DECLS
