/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `banner` check reading whatever the server's port sends first: an SSH
 * identification string, or some other protocol's first bytes to be named.
 * The fuzz input is the server's bytes, already waiting on one end of a
 * socketpair when the check runs on the other; the check's time budget is
 * zero, so it looks once and judges.
 *
 * The first input byte picks whether the server then closes its end (EOF
 * after the bytes) or keeps it open.
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "tw-probe-private.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

static GSocketConnection *
connection_from_fd (int fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, &error);

  g_assert_no_error (error);
  return g_socket_connection_factory_create_connection (socket);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  TwProbeContext *ctx;
  TwCheckOutcome out = { 0 };
  TwCheckStatus status;
  gboolean close_after;
  int fds[2];

  /* A socketpair's buffer takes this much without blocking the writer;
   * the check peeks at most 255 bytes anyway. */
  if (size < 1 || size > 4096)
    return -1;
  /* KNOWN BUG (corpus/fuzz-banner/crash-nul-in-banner): "SSH-" then a NUL
   * before the line break makes parse_banner() write through NULL. */
  if (fuzz_skip_known_bugs () && size > 5 && memcmp (data + 1, "SSH-", 4) == 0)
    {
      const uint8_t *nl = memchr (data + 1, '\n', MIN (size - 1, 255));

      if (nl != NULL && memchr (data + 1, 0, nl - (data + 1)) != NULL)
        return -1;
    }
  close_after = data[0] & 1;
  data++;
  size--;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  if (size > 0)
    g_assert_cmpint (write (fds[1], data, size), ==, (ssize_t) size);
  if (close_after)
    shutdown (fds[1], SHUT_WR);

  ctx = tw_probe_context_new (NULL);
  ctx->host = g_strdup ("bastion.example");
  ctx->port = 22;
  ctx->timeout_s = 0;
  ctx->connection = connection_from_fd (fds[0]);

  status = tw_check_banner_run (ctx, &out);

  g_assert_true (status == TW_CHECK_STATUS_PASS || status == TW_CHECK_STATUS_FAIL);
  g_assert_nonnull (out.summary);
  /* KNOWN BUG (corpus/fuzz-banner/crash-software-not-utf8): the server's
   * identification string goes into the summary, the detail and the report
   * as it came, whatever its bytes; labels and JSON need UTF-8. */
  if (!fuzz_skip_known_bugs ())
    {
      g_assert_true (g_utf8_validate (out.summary, -1, NULL));
      if (out.detail != NULL)
        g_assert_true (g_utf8_validate (out.detail, -1, NULL));
      if (ctx->banner != NULL)
        g_assert_true (g_utf8_validate (ctx->banner, -1, NULL));
      if (ctx->software != NULL)
        g_assert_true (g_utf8_validate (ctx->software, -1, NULL));
    }
  if (status == TW_CHECK_STATUS_PASS)
    {
      g_assert_true (g_str_has_prefix (ctx->banner, "SSH-"));
      g_assert_nonnull (ctx->software);
    }

  tw_check_outcome_clear (&out);
  tw_probe_context_free (ctx);
  close (fds[1]);
  return 0;
}
