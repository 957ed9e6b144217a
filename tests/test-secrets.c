/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside tests/rig/keyring-session.sh: a private D-Bus session with a real
 * gnome-keyring, HOME and XDG_CONFIG_HOME in a throwaway directory.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tw-core.h"
#include "tw-secrets.h"
#include "tw-tunnel-store.h"

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
store_secret (const char   *tunnel_id,
              TwSecretKind  kind,
              const char   *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tw_secrets_store_async (tunnel_id, kind, "Tunnel Wizard test", secret, NULL, on_done, &result);
  g_assert_true (tw_secrets_store_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

static char *
lookup_secret (const char   *tunnel_id,
               TwSecretKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  tw_secrets_lookup_async (tunnel_id, kind, NULL, on_done, &result);
  secret = tw_secrets_lookup_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  return secret;
}

/* secret-tool, outside our process, is the oracle that the secret is really in the keyring. */
static char *
secret_tool_lookup (const char *tunnel_id,
                    const char *kind)
{
  const char *argv[] = { "secret-tool", "lookup", "xdg:schema", APP_ID ".Secret",
                         "tunnel", tunnel_id, "kind", kind, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  return out;
}

static gboolean
tree_contains (const char *path,
               const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (tree_contains (child, needle))
            return TRUE;
        }
      else if (g_file_get_contents (child, &contents, &length, NULL) &&
               g_strstr_len (contents, length, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
skip_without_keyring (void)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    return FALSE;
  g_test_skip ("needs tests/rig/keyring-session.sh");
  return TRUE;
}

/* A remembered password is in gnome-keyring, and a saved tunnel plus its draft contain no
 * trace of it under the config dir. */
static void
test_secrets_password_only_in_keyring (void)
{
  const char *password = "correct-horse-battery-4711";
  g_autoptr(TwTunnelStore) store = tw_tunnel_store_new (NULL);
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  g_autoptr(TwTunnelEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *outside = NULL;

  if (skip_without_keyring ())
    return;

  tw_tunnel_set_name (tunnel, "Keyring test");
  tw_tunnel_set_ssh_host (tunnel, "127.0.0.1");
  tw_tunnel_set_user (tunnel, "tunnel");
  entry = tw_tunnel_store_create_entry (store, tunnel);

  store_secret (tw_tunnel_entry_get_id (entry), TW_SECRET_PASSWORD, password);
  tw_tunnel_store_save_async (store, entry, NULL, on_done, &result);
  g_assert_true (tw_tunnel_store_save_finish (store, wait_for (&result), &error));
  g_clear_object (&result);
  tw_tunnel_store_save_draft_async (store, tunnel, NULL, NULL, on_done, &result);
  g_assert_true (tw_tunnel_store_save_draft_finish (store, wait_for (&result), &error));

  found = lookup_secret (tw_tunnel_entry_get_id (entry), TW_SECRET_PASSWORD);
  g_assert_cmpstr (found, ==, password);
  outside = secret_tool_lookup (tw_tunnel_entry_get_id (entry), "password");
  g_assert_cmpstr (outside, ==, password);

  g_assert_true (g_file_test (tw_tunnel_entry_get_path (entry), G_FILE_TEST_EXISTS));
  g_assert_false (tree_contains (g_get_user_config_dir (), password));
}

/* Secrets are kept apart by tunnel and kind, and clearing a tunnel removes all of its own. */
static void
test_secrets_clear (void)
{
  char *value;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_keyring ())
    return;

  store_secret ("tunnel-a", TW_SECRET_PASSWORD, "pw-a");
  store_secret ("tunnel-a", TW_SECRET_PASSPHRASE, "pp-a");
  store_secret ("tunnel-b", TW_SECRET_PASSWORD, "pw-b");

  value = lookup_secret ("tunnel-a", TW_SECRET_PASSPHRASE);
  g_assert_cmpstr (value, ==, "pp-a");
  secret_password_free (value);

  tw_secrets_clear_async ("tunnel-a", -1, NULL, on_done, &result);
  g_assert_true (tw_secrets_clear_finish (wait_for (&result), &error));
  g_assert_no_error (error);

  g_assert_null (lookup_secret ("tunnel-a", TW_SECRET_PASSWORD));
  g_assert_null (lookup_secret ("tunnel-a", TW_SECRET_PASSPHRASE));
  value = lookup_secret ("tunnel-b", TW_SECRET_PASSWORD);
  g_assert_cmpstr (value, ==, "pw-b");
  secret_password_free (value);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secrets/password-only-in-keyring", test_secrets_password_only_in_keyring);
  g_test_add_func ("/secrets/clear", test_secrets_clear);

  return g_test_run ();
}
