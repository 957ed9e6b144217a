/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks, in the order they run and appear (docs/ARCHITECTURE.md has the table). A check
 * is a file in checks/ and one line here; see tw-probe-private.h.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tw-probe-private.h"

static const TwCheckInfo checks[] = {
  { "resolve",          N_("Name resolution"),            tw_check_resolve_run,          NULL },
  { "connect",          N_("TCP connection"),             tw_check_connect_run,          "resolve" },
  { "banner",           N_("SSH banner"),                 tw_check_banner_run,           "connect" },
  { "kex",              N_("Key exchange"),               tw_check_kex_run,              "banner" },
  { "host-key",         N_("Host key"),                   tw_check_host_key_run,         "kex" },
  { "auth-methods",     N_("Authentication methods"),     tw_check_auth_methods_run,     "host-key" },
  { "service-key",      N_("Service key accepted"),       tw_check_service_key_run,      "auth-methods" },
  { "service-key-sha1", N_("Service key with SHA-1"),     tw_check_service_key_sha1_run, "service-key" },
  { "login",            N_("Your login"),                 tw_check_login_run,            "host-key",
    tw_check_login_stands_alone },
  { "forward",          N_("Forward to the destination"), tw_check_forward_run,          "login" },
  { "tls",              N_("TLS with the destination"),   tw_check_tls_run,              "forward" },
  { "channels",         N_("Several connections at once"), tw_check_channels_run,        "forward" },
  { "connections",      N_("Several SSH logins at once"), tw_check_connections_run,      "login" },
};

const TwCheckInfo *
tw_probe_get_check_table (guint *n_checks)
{
  *n_checks = G_N_ELEMENTS (checks);
  return checks;
}

const TwCheckInfo *
tw_probe_find_check (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (checks); i++)
    if (g_str_equal (checks[i].id, id))
      return &checks[i];
  return NULL;
}

static const char * const all_ids[] = {
  "resolve", "connect", "banner", "kex", "host-key", "auth-methods", "service-key",
  "service-key-sha1", "login", "forward", "tls", "channels", "connections", NULL
};

/* all_ids + 0 … + 8 and + 8 … are the window's two steps. */
static const char * const ssh_port_ids[] = {
  "resolve", "connect", "banner", "kex", "host-key", "auth-methods", "service-key",
  "service-key-sha1", NULL
};

static const char * const tunnel_ids[] = {
  "login", "forward", "tls", "channels", "connections", NULL
};

const char * const *
tw_probe_get_all_check_ids (void)
{
  return all_ids;
}

const char * const *
tw_probe_get_ssh_port_check_ids (void)
{
  return ssh_port_ids;
}

const char * const *
tw_probe_get_tunnel_check_ids (void)
{
  return tunnel_ids;
}

const char *
tw_probe_get_check_title (const char *id)
{
  const TwCheckInfo *info = tw_probe_find_check (id);

  return info ? _(info->title) : NULL;
}
