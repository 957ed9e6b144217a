/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A saved tunnel's key file (tunnels/ID.tunnel, and the wizard's
 * draft.tunnel) as the store loads it: GKeyFile, then the [Tunnel] group
 * into a TwTunnel, then the [Last check] group. The files are the admin's
 * own, but anything may have edited or damaged them. Beyond memory safety:
 * a tunnel that loads saves to a file that loads back to the same tunnel,
 * or a save would lose it.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tw-tunnel-entry.h"
#include "tw-tunnel-keyfile.h"
#include "tw-tunnel-store.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

/* KNOWN BUG (corpus/fuzz-tunnel-file/crash-bad-escape-in-number): for a
 * number with a bad escape ("ssh-port=22\\0") g_key_file_get_string() returns
 * a string *and* an error; read_property() then hands the set error to
 * g_ascii_string_to_signed(), a critical. */
static gboolean
hits_known_bug (GKeyFile *key_file)
{
  static const char * const numbers[] = { "ssh-port", "dest-port" };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_key_file_get_string (key_file, "Tunnel", numbers[i], &error);

      if (text != NULL && error != NULL)
        return TRUE;
    }
  return FALSE;
}

static char *
save (TwTunnel *tunnel)
{
  g_autoptr(GKeyFile) key_file = tw_tunnel_to_key_file (tunnel);

  return g_key_file_to_data (key_file, NULL, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GKeyFile) reloaded = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TwTunnel) tunnel = NULL;
  g_autoptr(TwTunnel) again = NULL;
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autoptr(GDateTime) checked = NULL;
  g_autofree char *verdict = NULL;
  g_autofree char *checked_text = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;

  if (size > 16 * 1024)
    return -1;

  /* As g_key_file_load_from_file() reads it: the bytes, NULs and all. */
  if (!g_key_file_load_from_data (key_file, (const char *) data, size, G_KEY_FILE_NONE, &error))
    return 0;

  if (fuzz_skip_known_bugs () && hits_known_bug (key_file))
    return -1;

  tunnel = tw_tunnel_from_key_file (key_file, &error);
  if (tunnel == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  /* The store's load_entry() */
  verdict = g_key_file_get_string (key_file, "Last check", "verdict", NULL);
  checked_text = g_key_file_get_string (key_file, "Last check", "checked", NULL);
  if (checked_text != NULL)
    checked = g_date_time_new_from_iso8601 (checked_text, NULL);
  entry = tw_tunnel_entry_new ("fuzz", "/nonexistent/fuzz.tunnel", tunnel);
  tw_tunnel_entry_set_last_result (entry, verdict, checked);
  (void) tw_tunnel_entry_get_last_verdict (entry);
  (void) tw_tunnel_entry_get_last_checked (entry);
  (void) tw_tunnel_get_name (tunnel);

  /* Save, load, save: the second file is the first. */
  saved = save (tunnel);
  if (!g_key_file_load_from_data (reloaded, saved, -1, G_KEY_FILE_NONE, &error))
    g_error ("a saved tunnel is not a key file: %s\n%s", error->message, saved);
  again = tw_tunnel_from_key_file (reloaded, &error);
  if (again == NULL)
    g_error ("a saved tunnel does not load: %s\n%s", error->message, saved);
  saved_again = save (again);
  g_assert_cmpstr (saved_again, ==, saved);

  return 0;
}
