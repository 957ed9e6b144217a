/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

G_BEGIN_DECLS

/* libFuzzer's entry points; declared here because the project builds
 * with -Wmissing-prototypes. */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      const char *domain = NULL, *message = "";

      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
            domain = fields[i].value;
          else if (g_str_equal (fields[i].key, "MESSAGE"))
            message = fields[i].value;
        }
      /* GLib 2.74's own: g_key_file_get_string() on a value with several
       * bad escapes sets its GError twice. Harmless, and not ours. */
      if (g_strcmp0 (domain, "GLib") == 0 &&
          g_str_has_prefix (message, "GError set over the top"))
        return G_LOG_WRITER_HANDLED;

      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      /* GLib would stop on a breakpoint trap, which libFuzzer does not
       * catch: abort, so that it keeps the input. */
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

/* A critical or a warning is a bug the fuzzer found, not noise; debug
 * messages are dropped, they only slow the fuzzer down. */
static inline void
fuzz_make_warnings_fatal (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* Known bugs, reported and waiting for a fix in another file, make the
 * targets stop at once on their reproducers (corpus/TARGET/crash-*): that
 * is what CI should show. FUZZ_SKIP_KNOWN_BUGS=1 lets a target step over
 * them to look for new ones. */
static inline gboolean
fuzz_skip_known_bugs (void)
{
  static int skip = -1;

  if (skip < 0)
    skip = g_strcmp0 (g_getenv ("FUZZ_SKIP_KNOWN_BUGS"), "1") == 0;
  return skip;
}

/* The input as a C string, as a paste or a file read would give it. */
static inline char *
fuzz_strndup (const uint8_t *data,
              size_t         size)
{
  return g_strndup ((const char *) data, size);
}

G_END_DECLS
