/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tw-core.h"

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;
  (*count)++;
}

/* A new tunnel starts as the service's form does: port 22, PostgreSQL on the
 * bastion itself, TLS required. */
static void
test_tunnel_defaults (void)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();

  g_assert_cmpuint (tw_tunnel_get_ssh_port (tunnel), ==, 22);
  g_assert_cmpstr (tw_tunnel_get_dest_host (tunnel), ==, "localhost");
  g_assert_cmpuint (tw_tunnel_get_dest_port (tunnel), ==, 5432);
  g_assert_cmpint (tw_tunnel_get_dest_kind (tunnel), ==, TW_DEST_KIND_POSTGRES);
  g_assert_true (tw_tunnel_get_require_tls (tunnel));
  g_assert_null (tw_tunnel_get_pinned_fingerprint (tunnel));

  g_assert_finalize_object (g_steal_pointer (&tunnel));
}

/* Views bind to the tunnel, so a notification must mean a real change. */
static void
test_tunnel_notifies_only_on_change (void)
{
  g_autoptr(TwTunnel) tunnel = tw_tunnel_new ();
  guint count = 0;

  g_signal_connect (tunnel, "notify", G_CALLBACK (on_notify), &count);

  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  tw_tunnel_set_ssh_host (tunnel, "bastion.example.com");
  g_assert_cmpuint (count, ==, 1);

  tw_tunnel_set_ssh_port (tunnel, 2222);
  tw_tunnel_set_ssh_port (tunnel, 2222);
  g_assert_cmpuint (count, ==, 2);

  tw_tunnel_set_require_tls (tunnel, FALSE);
  tw_tunnel_set_require_tls (tunnel, FALSE);
  g_assert_cmpuint (count, ==, 3);

  g_object_set (tunnel, "dest-kind", TW_DEST_KIND_MYSQL, NULL);
  g_assert_cmpint (tw_tunnel_get_dest_kind (tunnel), ==, TW_DEST_KIND_MYSQL);
  g_assert_cmpuint (count, ==, 4);

  g_assert_finalize_object (g_steal_pointer (&tunnel));
}

static void
test_dest_kind_names (void)
{
  TwDestKind kind = TW_DEST_KIND_TCP;

  g_assert_true (tw_dest_kind_from_string ("postgres", &kind));
  g_assert_cmpint (kind, ==, TW_DEST_KIND_POSTGRES);
  g_assert_true (tw_dest_kind_from_string ("MariaDB", &kind));
  g_assert_cmpint (kind, ==, TW_DEST_KIND_MYSQL);
  g_assert_false (tw_dest_kind_from_string ("oracle", &kind));
  g_assert_cmpint (kind, ==, TW_DEST_KIND_MYSQL);
  g_assert_cmpstr (tw_dest_kind_to_string (TW_DEST_KIND_TLS), ==, "tls");
  g_assert_cmpuint (tw_dest_kind_default_port (TW_DEST_KIND_MYSQL), ==, 3306);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tunnel/defaults", test_tunnel_defaults);
  g_test_add_func ("/tunnel/notifies-only-on-change", test_tunnel_notifies_only_on_change);
  g_test_add_func ("/tunnel/dest-kind-names", test_dest_kind_names);

  return g_test_run ();
}
