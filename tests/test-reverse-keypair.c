/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This machine's own key pair: generated with libssh, checked with
 * ssh-keygen as the oracle.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tw-core.h"

static char *
ssh_keygen (const char *flag,
            const char *path)
{
  const char *argv[] = { "ssh-keygen", flag, path, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return g_strchomp (out);
}

/* The public line and fingerprint are what ssh-keygen says of the same key,
 * and the exported private key is one ssh-keygen can read. */
static void
test_keypair_generate (void)
{
  g_autoptr(TwKeypair) keypair = NULL;
  g_autoptr(TwKeypair) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tw-keypair-XXXXXX", NULL);
  g_autofree char *pub_path = g_build_filename (dir, "key.pub", NULL);
  g_autofree char *priv_path = g_build_filename (dir, "key", NULL);
  g_autofree char *listed = NULL;
  g_autofree char *derived = NULL;
  g_autofree char *expected = NULL;
  char *private_key;

  keypair = tw_keypair_generate ("reverse@test", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (tw_keypair_get_public_key (keypair), "ssh-ed25519 AAAA"));
  g_assert_true (g_str_has_suffix (tw_keypair_get_public_key (keypair), " reverse@test"));
  g_assert_null (strchr (tw_keypair_get_public_key (keypair), '\n'));

  g_file_set_contents (pub_path, tw_keypair_get_public_key (keypair), -1, &error);
  g_assert_no_error (error);
  listed = ssh_keygen ("-lf", pub_path);
  expected = g_strdup_printf ("256 %s reverse@test (ED25519)", tw_keypair_get_fingerprint (keypair));
  g_assert_cmpstr (listed, ==, expected);

  private_key = tw_keypair_export_private (keypair);
  g_file_set_contents_full (priv_path, private_key, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  derived = ssh_keygen ("-yf", priv_path);
  g_assert_true (g_str_has_prefix (tw_keypair_get_public_key (keypair), derived));

  again = tw_keypair_new_from_private (private_key, "reverse@test", &error);
  tw_keypair_free_secret (private_key);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_keypair_get_public_key (again), ==, tw_keypair_get_public_key (keypair));

  g_unlink (pub_path);
  g_unlink (priv_path);
  g_rmdir (dir);
  g_assert_finalize_object (g_steal_pointer (&keypair));
  g_assert_finalize_object (g_steal_pointer (&again));
}

static void
test_keypair_rejects_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwKeypair) keypair = tw_keypair_new_from_private ("not a key", NULL, &error);

  g_assert_null (keypair);
  g_assert_error (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_INVALID);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* The private key goes into the Secret Service and comes back the same. Runs
 * where a session bus with an unlocked keyring exists (CI's keyring job). */
static void
test_keypair_keyring_roundtrip (void)
{
  g_autoptr(TwKeypair) keypair = tw_keypair_generate (NULL, NULL);
  g_autoptr(TwKeypair) found = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) looked_up = NULL;
  g_autoptr(GAsyncResult) deleted = NULL;
  g_autoptr(GAsyncResult) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwKeypair) none = NULL;
  g_autofree char *id = g_strdup_printf ("test-%u", g_random_int ());

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL || g_getenv ("TW_TEST_KEYRING") == NULL)
    {
      g_test_skip ("needs a session bus with an unlocked keyring (set TW_TEST_KEYRING=1)");
      return;
    }

  tw_keypair_store_async (keypair, id, "Tunnel Wizard test key", NULL, on_done, &stored);
  tw_keypair_store_finish (keypair, wait_result (&stored), &error);
  g_assert_no_error (error);

  tw_keypair_lookup_async (id, NULL, on_done, &looked_up);
  found = tw_keypair_lookup_finish (wait_result (&looked_up), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_keypair_get_fingerprint (found), ==, tw_keypair_get_fingerprint (keypair));

  tw_keypair_delete_async (id, NULL, on_done, &deleted);
  tw_keypair_delete_finish (wait_result (&deleted), &error);
  g_assert_no_error (error);

  tw_keypair_lookup_async (id, NULL, on_done, &missing);
  none = tw_keypair_lookup_finish (wait_result (&missing), &error);
  g_assert_null (none);
  g_assert_error (error, TW_KEYPAIR_ERROR, TW_KEYPAIR_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reverse-keypair/generate", test_keypair_generate);
  g_test_add_func ("/reverse-keypair/rejects-garbage", test_keypair_rejects_garbage);
  g_test_add_func ("/reverse-keypair/keyring-roundtrip", test_keypair_keyring_roundtrip);

  return g_test_run ();
}
