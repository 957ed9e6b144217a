/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libssh/libssh.h>

G_BEGIN_DECLS

#define TW_TYPE_CHANNEL_STREAM (tw_channel_stream_get_type ())
G_DECLARE_FINAL_TYPE (TwChannelStream, tw_channel_stream, TW, CHANNEL_STREAM, GIOStream)

/*
 * A GIOStream over an open ssh_channel, so that GIO (TLS included) can talk
 * through the tunnel. The stream is one end of a socketpair; the other end
 * is moved to and from the channel by tw_channel_stream_pump() in the thread
 * that owns the libssh session (libssh sessions are not thread-safe), while
 * the stream itself is read and written by the "work" that the pump runs in
 * a thread of its own.
 *
 * The stream does not own @channel: close and free it in the session's
 * thread after the pump has returned.
 */
TwChannelStream *tw_channel_stream_new         (ssh_channel       channel,
                                                GError          **error);
ssh_channel      tw_channel_stream_get_channel (TwChannelStream  *self);
/* The work's end as a socket, for a caller that needs a file descriptor
 * (another libssh session through this channel) rather than GIO streams. */
GSocket         *tw_channel_stream_get_socket  (TwChannelStream  *self);

/*
 * Runs @work (@work_data) in a new thread and, in the calling thread,
 * moves bytes between each of @streams and its channel until @work returns.
 * Every channel must belong to @session. Sleeps in poll() between bytes.
 *
 * When @timeout_ms passes or @cancellable is cancelled, the streams are shut
 * down, so that blocking reads and writes in @work fail at once; the pump
 * still waits for @work to return, then fails with G_IO_ERROR_TIMED_OUT or
 * G_IO_ERROR_CANCELLED. A broken SSH session fails with G_IO_ERROR_BROKEN_PIPE
 * (also after @work has returned). @work's return value is not used: pass
 * results through @work_data. 0 = no timeout.
 */
gboolean         tw_channel_stream_pump        (ssh_session       session,
                                                TwChannelStream **streams,
                                                guint             n_streams,
                                                GThreadFunc       work,
                                                gpointer          work_data,
                                                guint             timeout_ms,
                                                GCancellable     *cancellable,
                                                GError          **error);

G_END_DECLS
