/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "drunken bishop" picture that ssh-keygen -lv and ssh -o VisualHostKey
 * draw. The admin compares it with the one the server prints, so it has to
 * match OpenSSH's output byte for byte: same field, same symbols, same
 * frame, same centring of the labels.
 */
#include "config.h"

#include <string.h>

#include "tw-randomart.h"

/* OpenSSH's field: odd sizes so that the walk starts in the exact middle. */
#define FIELD_WIDTH  17
#define FIELD_HEIGHT 9

/* Symbols for how often a cell was visited; the last two mark the start and
 * the end of the walk. */
static const char symbols[] = " .o+=*BOX@%&#/^SE";
#define SYMBOL_START (G_N_ELEMENTS (symbols) - 3)
#define SYMBOL_END   (G_N_ELEMENTS (symbols) - 2)

/* A label in brackets, centred with the extra dash on the right. OpenSSH
 * formats it into a buffer one byte wider than the frame: a label that
 * overflows by exactly one character is cut, a longer "TYPE BITS" title
 * falls back to "[TYPE]". */
static void
append_border (GString    *out,
               const char *label)
{
  g_autofree char *bracketed = g_strdup_printf ("[%s]", label);
  gsize len = strlen (bracketed);
  gsize i;

  if (len > FIELD_WIDTH && strrchr (label, ' ') != NULL)
    {
      g_free (bracketed);
      bracketed = g_strdup_printf ("[%.*s]", (int) (strrchr (label, ' ') - label), label);
      len = strlen (bracketed);
    }
  if (len > FIELD_WIDTH - 1)
    len = FIELD_WIDTH - 1;

  g_string_append_c (out, '+');
  for (i = 0; i < (FIELD_WIDTH - len) / 2; i++)
    g_string_append_c (out, '-');
  g_string_append_len (out, bracketed, len);
  for (i += len; i < FIELD_WIDTH; i++)
    g_string_append_c (out, '-');
  g_string_append_c (out, '+');
}

char *
tw_randomart_draw (const guint8 *digest,
                   gsize         digest_len,
                   const char   *title,
                   const char   *hash_name)
{
  guint8 field[FIELD_WIDTH][FIELD_HEIGHT] = { { 0 } };
  int x = FIELD_WIDTH / 2;
  int y = FIELD_HEIGHT / 2;
  GString *out;

  g_return_val_if_fail (digest != NULL || digest_len == 0, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (hash_name != NULL, NULL);

  /* Each byte is four moves of two bits, lowest bits first: bit 0 picks
   * left or right, bit 1 up or down. Walls stop the move on that axis. */
  for (gsize i = 0; i < digest_len; i++)
    {
      guint input = digest[i];

      for (guint step = 0; step < 4; step++)
        {
          x += (input & 0x1) ? 1 : -1;
          y += (input & 0x2) ? 1 : -1;
          x = CLAMP (x, 0, FIELD_WIDTH - 1);
          y = CLAMP (y, 0, FIELD_HEIGHT - 1);

          /* Counts saturate below the start and end markers. */
          if (field[x][y] < SYMBOL_START - 1)
            field[x][y]++;
          input >>= 2;
        }
    }

  field[FIELD_WIDTH / 2][FIELD_HEIGHT / 2] = SYMBOL_START;
  field[x][y] = SYMBOL_END;

  out = g_string_sized_new ((FIELD_WIDTH + 3) * (FIELD_HEIGHT + 2));

  append_border (out, title);
  g_string_append_c (out, '\n');

  for (int row = 0; row < FIELD_HEIGHT; row++)
    {
      g_string_append_c (out, '|');
      for (int col = 0; col < FIELD_WIDTH; col++)
        g_string_append_c (out, symbols[field[col][row]]);
      g_string_append (out, "|\n");
    }

  append_border (out, hash_name);

  return g_string_free (out, FALSE);
}
