/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tw-ssh-wire.h"

void
tw_ssh_reader_init (TwSshReader  *reader,
                    const guint8 *data,
                    gsize         len)
{
  reader->data = data;
  reader->left = len;
}

gboolean
tw_ssh_read_byte (TwSshReader *reader,
                  guint8      *out)
{
  if (reader->left < 1)
    return FALSE;
  *out = reader->data[0];
  reader->data++;
  reader->left--;
  return TRUE;
}

gboolean
tw_ssh_read_u32 (TwSshReader *reader,
                 guint32     *out)
{
  if (reader->left < 4)
    return FALSE;
  *out = ((guint32) reader->data[0] << 24) | ((guint32) reader->data[1] << 16) |
         ((guint32) reader->data[2] << 8) | reader->data[3];
  reader->data += 4;
  reader->left -= 4;
  return TRUE;
}

gboolean
tw_ssh_read_u64 (TwSshReader *reader,
                 guint64     *out)
{
  guint32 high, low;

  if (reader->left < 8)
    return FALSE;
  tw_ssh_read_u32 (reader, &high);
  tw_ssh_read_u32 (reader, &low);
  *out = ((guint64) high << 32) | low;
  return TRUE;
}

gboolean
tw_ssh_read_string (TwSshReader   *reader,
                    const guint8 **out,
                    gsize         *out_len)
{
  TwSshReader ahead = *reader;
  guint32 len;

  if (!tw_ssh_read_u32 (&ahead, &len) || len > ahead.left)
    return FALSE;
  *out = ahead.data;
  *out_len = len;
  reader->data = ahead.data + len;
  reader->left = ahead.left - len;
  return TRUE;
}

gboolean
tw_ssh_read_cstring (TwSshReader   *reader,
                     const guint8 **out,
                     gsize         *out_len)
{
  return tw_ssh_read_string (reader, out, out_len) && memchr (*out, '\0', *out_len) == NULL;
}

gboolean
tw_ssh_string_equals (const guint8 *data,
                      gsize         len,
                      const char   *expected)
{
  return len == strlen (expected) && memcmp (data, expected, len) == 0;
}

void
tw_ssh_put_byte (GByteArray *out,
                 guint8      value)
{
  g_byte_array_append (out, &value, 1);
}

void
tw_ssh_put_u32 (GByteArray *out,
                guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, bytes, 4);
}

void
tw_ssh_put_string (GByteArray *out,
                   const void *data,
                   gsize       len)
{
  tw_ssh_put_u32 (out, len);
  g_byte_array_append (out, data, len);
}

void
tw_ssh_put_cstring (GByteArray *out,
                    const char *text)
{
  tw_ssh_put_string (out, text, strlen (text));
}

void
tw_ssh_put_mpint (GByteArray   *out,
                  const guint8 *data,
                  gsize         len)
{
  while (len > 0 && data[0] == 0)
    {
      data++;
      len--;
    }
  if (len > 0 && (data[0] & 0x80) != 0)
    {
      tw_ssh_put_u32 (out, len + 1);
      tw_ssh_put_byte (out, 0);
      g_byte_array_append (out, data, len);
    }
  else
    tw_ssh_put_string (out, data, len);
}
