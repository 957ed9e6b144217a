/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The SSH wire encoding (RFC 4251 §5) that key blobs, certificates,
 * signatures and key-exchange packets share: big-endian integers and
 * length-prefixed strings. Reading never goes past the end of the buffer.
 */

typedef struct {
  const guint8 *data;
  gsize         left;
} TwSshReader;

void     tw_ssh_reader_init   (TwSshReader   *reader,
                               const guint8  *data,
                               gsize          len);
gboolean tw_ssh_read_byte     (TwSshReader   *reader,
                               guint8        *out);
gboolean tw_ssh_read_u32      (TwSshReader   *reader,
                               guint32       *out);
gboolean tw_ssh_read_u64      (TwSshReader   *reader,
                               guint64       *out);
gboolean tw_ssh_read_string   (TwSshReader   *reader,
                               const guint8 **out,
                               gsize         *out_len);
/* Like sshbuf_get_cstring(): a string that may not hide a NUL */
gboolean tw_ssh_read_cstring  (TwSshReader   *reader,
                               const guint8 **out,
                               gsize         *out_len);
/* A string, compared with @expected */
gboolean tw_ssh_string_equals (const guint8  *data,
                               gsize          len,
                               const char    *expected);

void     tw_ssh_put_byte      (GByteArray    *out,
                               guint8         value);
void     tw_ssh_put_u32       (GByteArray    *out,
                               guint32        value);
void     tw_ssh_put_string    (GByteArray    *out,
                               const void    *data,
                               gsize          len);
void     tw_ssh_put_cstring   (GByteArray    *out,
                               const char    *text);
/* The unsigned big-endian number @data as an mpint: no leading zero
 * bytes, and one zero byte in front when the top bit is set */
void     tw_ssh_put_mpint     (GByteArray    *out,
                               const guint8  *data,
                               gsize          len);

G_END_DECLS
