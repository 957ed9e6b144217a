/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: the numbers behind build-aux/benchmark.sh. Under Xvfb, in the
 * keyring session, as root (the rig's sshd):
 *   - launch to the window's first frame (from main(), in-process);
 *   - the longest main-loop stall while the SSH checks run against a real sshd
 *     on loopback (a 1 ms ticker on the main context; the target is 16 ms),
 *     with the main thread's CPU time within that stall: a stall much longer
 *     than its CPU time is the machine's load (the thread was not running),
 *     not the window's work;
 *   - peak RSS (getrusage).
 * Prints one line of JSON.
 */
#include "config.h"

#include <sys/resource.h>
#include <time.h>

#include "tw-ssh-check-page.h"
#include "tw-test-sshd.h"
#include "tw-window.h"

static gint64 started_us;
static gint64 first_frame_us;
static gint64 last_tick_us;
static gint64 last_tick_cpu_us;
static gint64 longest_stall_us;
static gint64 longest_stall_cpu_us;
static guint ticks;
static gboolean settled;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (first_frame_us == 0)
    first_frame_us = g_get_monotonic_time ();
}

static void
on_realize (GtkWidget *widget)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint", G_CALLBACK (on_after_paint), NULL);
}

static gboolean
on_tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (last_tick_us != 0 && now - last_tick_us > longest_stall_us)
    {
      longest_stall_us = now - last_tick_us;
      longest_stall_cpu_us = cpu - last_tick_cpu_us;
    }
  last_tick_us = now;
  last_tick_cpu_us = cpu;
  ticks++;
  return G_SOURCE_CONTINUE;
}

static void
iterate_until (gboolean (*done) (gpointer), gpointer data, int seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
painted (gpointer data)
{
  return first_frame_us != 0;
}

static gboolean
loaded (gpointer data)
{
  return tw_window_get_loaded (data);
}

static gboolean
checked (gpointer data)
{
  return tw_tunnel_entry_get_last_verdict (data) != NULL;
}

static gboolean
on_settled (gpointer data)
{
  settled = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
warmed_up (gpointer data)
{
  return ticks >= 50 && settled;
}

static gint64 click_us;

static void
click_check_again (gpointer data)
{
  gint64 start = g_get_monotonic_time ();

  gtk_widget_activate_action (GTK_WIDGET (data), "win.check-again", "s", "bench");
  click_us = g_get_monotonic_time () - start;
}

static void
bench_window (void)
{
  g_autoptr(TwApplication) app = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *public_key = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "tunnel-wizard", "tunnels", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.tunnel", NULL);
  g_autoptr(GError) error = NULL;
  TwTestSshd *sshd;
  TwTunnelEntry *entry;
  TwWindow *window;
  struct rusage usage;
  gint64 run_started;
  guint tick_id;

  if (!tw_test_sshd_can_run ())
    return;

  sshd = tw_test_sshd_start (NULL);
  identity = tw_test_sshd_make_key (sshd, "ed25519", NULL);
  public_key = tw_test_sshd_read_public_key (identity);
  tw_test_sshd_set_authorized_keys (sshd, public_key);
  g_mkdir_with_parents (dir, 0700);
  contents = g_strdup_printf ("[Tunnel]\nname=Bench\nssh-host=127.0.0.1\nssh-port=%u\nuser=%s\n"
                              "service-key=%s\n", tw_test_sshd_get_port (sshd), TW_TEST_USER,
                              g_strstrip (public_key));
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  app = tw_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = tw_window_new (app);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until (painted, NULL, 10);
  iterate_until (loaded, window, 10);

  entry = tw_tunnel_store_find (tw_window_get_store (window), "bench");
  g_assert_nonnull (entry);

  /* The ticker runs first; the click comes from the main loop, as a real click would, so that
   * the work the click itself does counts as a stall too. Before it, the window settles: an
   * admin clicks seconds after the window shows, not within its first frames, so the work the
   * app leaves for idle time (lower than any priority it uses) is done, as it would be. */
  tick_id = g_timeout_add (1, on_tick, NULL);
  g_idle_add_full (G_PRIORITY_LOW + 100, on_settled, NULL, NULL);
  iterate_until (warmed_up, NULL, 10);
  /* Only the run counts: the gap that holds the click starts at the last tick before it. */
  longest_stall_us = longest_stall_cpu_us = 0;
  ticks = 0;
  run_started = g_get_monotonic_time ();
  g_idle_add_once (click_check_again, window);
  iterate_until (checked, entry, 60);
  g_source_remove (tick_id);

  getrusage (RUSAGE_SELF, &usage);
  g_print ("{\"first_frame_ms\":%.1f,\"check_run_ms\":%.1f,\"verdict\":\"%s\",\"ticks\":%u,"
           "\"longest_stall_ms\":%.1f,\"longest_stall_cpu_ms\":%.1f,\"click_handler_ms\":%.1f,"
           "\"peak_rss_kib\":%ld}\n",
           (first_frame_us - started_us) / 1000.0,
           (g_get_monotonic_time () - run_started) / 1000.0,
           tw_tunnel_entry_get_last_verdict (entry) ? tw_tunnel_entry_get_last_verdict (entry) : "none",
           ticks, longest_stall_us / 1000.0, longest_stall_cpu_us / 1000.0, click_us / 1000.0,
           usage.ru_maxrss);

  gtk_window_destroy (GTK_WINDOW (window));
  tw_test_sshd_stop (sshd);
}

int
main (int   argc,
      char *argv[])
{
  started_us = g_get_monotonic_time ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/bench/window", bench_window);
  return g_test_run ();
}
