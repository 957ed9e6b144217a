/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The destination's side of the `tls` and `channels` checks: PostgreSQL's
 * answer to the SSLRequest and to the StartupMessage, MySQL's greeting and
 * error packets, then whatever the TLS handshake reads. The fuzz input is
 * everything the server sends, served from a GMemoryInputStream; what the
 * client writes goes to a GMemoryOutputStream. The end of the input is the
 * server closing the connection.
 *
 * The first input byte picks the destination kind, whether clear text is
 * allowed (Require TLS off), whether PostgreSQL's startup is completed, and
 * whether the clear-text-only path (a second connection) is taken.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tw-tls-negotiation.h"

static const TwDestKind kinds[] = {
  TW_DEST_KIND_POSTGRES, TW_DEST_KIND_MYSQL, TW_DEST_KIND_TLS, TW_DEST_KIND_TCP,
};

const char *__asan_default_options (void);

/* No LeakSanitizer here: LLVM 14's crashes ("Tracer caught signal 11")
 * scanning the dynamic TLS of the thread glib-networking runs the handshake
 * in, and without that scan (use_tls=0) GLib's per-thread data looks
 * leaked. ASan and UBSan stay on; the tls tests cover leaks under gcc's
 * LeakSanitizer. */
const char *
__asan_default_options (void)
{
  return "detect_leaks=0";
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

/* Everything here ends in a label, the JSON report or the Markdown one.
 *
 * KNOWN BUG (corpus/fuzz-tls-negotiation/crash-mysql-error-not-utf8): the
 * server's own text (MySQL's error message and version, PostgreSQL's error
 * fields) goes into messages as it came, whatever its encoding. */
static void
assert_text (const char *text)
{
  if (fuzz_skip_known_bugs ())
    return;
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    g_error ("not UTF-8: %s", text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TwTlsNegotiation) negotiation = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GIOStream) out_stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *flags = NULL;
  gboolean allow_clear_text, clear_text_only, ok;
  guint8 mode;

  if (size < 1 || size > 64 * 1024)
    return -1;
  mode = data[0];
  data++;
  size--;
  allow_clear_text = (mode >> 2) & 1;
  clear_text_only = (mode >> 4) & 1;

  input = g_memory_input_stream_new_from_data (data, size, NULL);
  output = g_memory_output_stream_new_resizable ();
  stream = g_simple_io_stream_new (input, output);

  negotiation = tw_tls_negotiation_new (kinds[mode & 3], "db.internal.example", 5432);
  tw_tls_negotiation_set_complete_startup (negotiation, !((mode >> 3) & 1));

  if (clear_text_only)
    ok = tw_tls_negotiation_run_clear_text (negotiation, stream, NULL, &error);
  else
    ok = tw_tls_negotiation_run (negotiation, stream, allow_clear_text, &out_stream, NULL, &error);

  if (ok)
    {
      g_assert_null (error);
      if (!clear_text_only)
        g_assert_nonnull (out_stream);
    }
  else
    {
      g_assert_nonnull (error);
      assert_text (error->message);
    }

  assert_text (tw_tls_negotiation_get_server_answer (negotiation));
  assert_text (tw_tls_negotiation_get_protocol (negotiation));
  assert_text (tw_tls_negotiation_get_subject (negotiation));
  assert_text (tw_tls_negotiation_get_issuer (negotiation));
  (void) tw_tls_negotiation_get_sha256 (negotiation);
  description = tw_tls_negotiation_describe (negotiation);
  assert_text (description);
  flags = tw_tls_certificate_flags_to_string (tw_tls_negotiation_get_certificate_errors (negotiation));
  assert_text (flags);

  if (out_stream != NULL)
    g_io_stream_close (out_stream, NULL, NULL);
  return 0;
}
