/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The description of one tunnel: what the data service will be told and what
 * the checks connect to. Plain data; the store and the probe read it.
 */
#include "config.h"

#include "tw-tunnel.h"
#include "tw-credentials.h"
#include "tw-enums.h"
#include "tw-string-private.h"

struct _TwTunnel
{
  GObject parent_instance;

  char      *name;
  char      *ssh_host;
  guint      ssh_port;
  char      *user;
  char      *dest_host;
  guint      dest_port;
  TwDestKind dest_kind;
  gboolean   require_tls;
  char      *service_key;
  char      *pinned_fingerprint;
  GStrv      pinned_host_keys;
  char      *pinned_certificate_authority;
  GStrv      service_addresses;
  GStrv      unverified_checks;
  gboolean   least_privilege;
  /* Reverse mode: this machine logs in and asks the bastion to listen. */
  TwTunnelMode mode;
  char      *remote_address;
  guint      remote_port;
  guint      keepalive_interval;
  /* How the admin logs in for the checks through the tunnel; the password or passphrase
   * itself lives in the keyring only. */
  char      *login_user;
  TwCredentialsKind login_method;
  char      *login_identity_file;
};

G_DEFINE_FINAL_TYPE (TwTunnel, tw_tunnel, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SSH_HOST,
  PROP_SSH_PORT,
  PROP_USER,
  PROP_DEST_HOST,
  PROP_DEST_PORT,
  PROP_DEST_KIND,
  PROP_REQUIRE_TLS,
  PROP_SERVICE_KEY,
  PROP_PINNED_FINGERPRINT,
  PROP_PINNED_HOST_KEYS,
  PROP_PINNED_CERTIFICATE_AUTHORITY,
  PROP_SERVICE_ADDRESSES,
  PROP_UNVERIFIED_CHECKS,
  PROP_LEAST_PRIVILEGE,
  PROP_MODE,
  PROP_REMOTE_ADDRESS,
  PROP_REMOTE_PORT,
  PROP_KEEPALIVE_INTERVAL,
  PROP_LOGIN_USER,
  PROP_LOGIN_METHOD,
  PROP_LOGIN_IDENTITY_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tw_tunnel_finalize (GObject *object)
{
  TwTunnel *self = (TwTunnel *) object;

  g_free (self->name);
  g_free (self->ssh_host);
  g_free (self->user);
  g_free (self->dest_host);
  g_free (self->service_key);
  g_free (self->pinned_fingerprint);
  g_strfreev (self->pinned_host_keys);
  g_free (self->pinned_certificate_authority);
  g_strfreev (self->service_addresses);
  g_strfreev (self->unverified_checks);
  g_free (self->remote_address);
  g_free (self->login_user);
  g_free (self->login_identity_file);

  G_OBJECT_CLASS (tw_tunnel_parent_class)->finalize (object);
}

static void
tw_tunnel_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TwTunnel *self = TW_TUNNEL (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_SSH_HOST:
      g_value_set_string (value, self->ssh_host);
      break;

    case PROP_SSH_PORT:
      g_value_set_uint (value, self->ssh_port);
      break;

    case PROP_USER:
      g_value_set_string (value, self->user);
      break;

    case PROP_DEST_HOST:
      g_value_set_string (value, self->dest_host);
      break;

    case PROP_DEST_PORT:
      g_value_set_uint (value, self->dest_port);
      break;

    case PROP_DEST_KIND:
      g_value_set_enum (value, self->dest_kind);
      break;

    case PROP_REQUIRE_TLS:
      g_value_set_boolean (value, self->require_tls);
      break;

    case PROP_SERVICE_KEY:
      g_value_set_string (value, self->service_key);
      break;

    case PROP_PINNED_FINGERPRINT:
      g_value_set_string (value, self->pinned_fingerprint);
      break;

    case PROP_PINNED_HOST_KEYS:
      g_value_set_boxed (value, self->pinned_host_keys);
      break;

    case PROP_PINNED_CERTIFICATE_AUTHORITY:
      g_value_set_string (value, self->pinned_certificate_authority);
      break;

    case PROP_SERVICE_ADDRESSES:
      g_value_set_boxed (value, self->service_addresses);
      break;
    case PROP_UNVERIFIED_CHECKS:
      g_value_set_boxed (value, self->unverified_checks);
      break;

    case PROP_LEAST_PRIVILEGE:
      g_value_set_boolean (value, self->least_privilege);
      break;

    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_REMOTE_ADDRESS: g_value_set_string (value, self->remote_address); break;
    case PROP_REMOTE_PORT: g_value_set_uint (value, self->remote_port); break;
    case PROP_KEEPALIVE_INTERVAL: g_value_set_uint (value, self->keepalive_interval); break;
    case PROP_LOGIN_USER: g_value_set_string (value, self->login_user); break;
    case PROP_LOGIN_METHOD: g_value_set_enum (value, self->login_method); break;
    case PROP_LOGIN_IDENTITY_FILE: g_value_set_string (value, self->login_identity_file); break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_tunnel_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TwTunnel *self = TW_TUNNEL (object);

  switch (prop_id)
    {
    case PROP_NAME:
      tw_tunnel_set_name (self, g_value_get_string (value));
      break;

    case PROP_SSH_HOST:
      tw_tunnel_set_ssh_host (self, g_value_get_string (value));
      break;

    case PROP_SSH_PORT:
      tw_tunnel_set_ssh_port (self, g_value_get_uint (value));
      break;

    case PROP_USER:
      tw_tunnel_set_user (self, g_value_get_string (value));
      break;

    case PROP_DEST_HOST:
      tw_tunnel_set_dest_host (self, g_value_get_string (value));
      break;

    case PROP_DEST_PORT:
      tw_tunnel_set_dest_port (self, g_value_get_uint (value));
      break;

    case PROP_DEST_KIND:
      tw_tunnel_set_dest_kind (self, g_value_get_enum (value));
      break;

    case PROP_REQUIRE_TLS:
      tw_tunnel_set_require_tls (self, g_value_get_boolean (value));
      break;

    case PROP_SERVICE_KEY:
      tw_tunnel_set_service_key (self, g_value_get_string (value));
      break;

    case PROP_PINNED_FINGERPRINT:
      tw_tunnel_set_pinned_fingerprint (self, g_value_get_string (value));
      break;

    case PROP_PINNED_HOST_KEYS:
      tw_tunnel_set_pinned_host_keys (self, g_value_get_boxed (value));
      break;

    case PROP_PINNED_CERTIFICATE_AUTHORITY:
      tw_tunnel_set_pinned_certificate_authority (self, g_value_get_string (value));
      break;

    case PROP_SERVICE_ADDRESSES:
      tw_tunnel_set_service_addresses (self, g_value_get_boxed (value));
      break;
    case PROP_UNVERIFIED_CHECKS:
      tw_tunnel_set_unverified_checks (self, g_value_get_boxed (value));
      break;

    case PROP_LEAST_PRIVILEGE:
      tw_tunnel_set_least_privilege (self, g_value_get_boolean (value));
      break;

    case PROP_MODE: tw_tunnel_set_mode (self, g_value_get_enum (value)); break;
    case PROP_REMOTE_ADDRESS: tw_tunnel_set_remote_address (self, g_value_get_string (value)); break;
    case PROP_REMOTE_PORT: tw_tunnel_set_remote_port (self, g_value_get_uint (value)); break;
    case PROP_KEEPALIVE_INTERVAL: tw_tunnel_set_keepalive_interval (self, g_value_get_uint (value)); break;
    case PROP_LOGIN_USER: tw_tunnel_set_login_user (self, g_value_get_string (value)); break;
    case PROP_LOGIN_METHOD: tw_tunnel_set_login_method (self, g_value_get_enum (value)); break;
    case PROP_LOGIN_IDENTITY_FILE: tw_tunnel_set_login_identity_file (self, g_value_get_string (value)); break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_tunnel_class_init (TwTunnelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tw_tunnel_finalize;
  object_class->get_property = tw_tunnel_get_property;
  object_class->set_property = tw_tunnel_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SSH_HOST] = g_param_spec_string ("ssh-host", NULL, NULL, NULL, flags);
  properties[PROP_SSH_PORT] = g_param_spec_uint ("ssh-port", NULL, NULL, 0, 65535, 22, flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, flags);
  properties[PROP_DEST_HOST] = g_param_spec_string ("dest-host", NULL, NULL, NULL, flags);
  properties[PROP_DEST_PORT] = g_param_spec_uint ("dest-port", NULL, NULL, 0, 65535, 5432, flags);
  properties[PROP_DEST_KIND] = g_param_spec_enum ("dest-kind", NULL, NULL, TW_TYPE_DEST_KIND, TW_DEST_KIND_POSTGRES, flags);
  properties[PROP_REQUIRE_TLS] = g_param_spec_boolean ("require-tls", NULL, NULL, TRUE, flags);
  properties[PROP_SERVICE_KEY] = g_param_spec_string ("service-key", NULL, NULL, NULL, flags);
  properties[PROP_PINNED_FINGERPRINT] = g_param_spec_string ("pinned-fingerprint", NULL, NULL, NULL, flags);
  /* The addresses the service connects from, as the admin typed them (CIDRs or addresses). */
  properties[PROP_PINNED_HOST_KEYS] = g_param_spec_boxed ("pinned-host-keys", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_PINNED_CERTIFICATE_AUTHORITY] =
    g_param_spec_string ("pinned-certificate-authority", NULL, NULL, NULL, flags);
  properties[PROP_SERVICE_ADDRESSES] = g_param_spec_boxed ("service-addresses", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_UNVERIFIED_CHECKS] = g_param_spec_boxed ("unverified-checks", NULL, NULL, G_TYPE_STRV, flags);
  /* Restrict the tunnel user to forwarding to the destination (authorized_keys options and
   * an sshd Match block) instead of the seed's ordinary login account. */
  properties[PROP_LEAST_PRIVILEGE] = g_param_spec_boolean ("least-privilege", NULL, NULL, FALSE, flags);
  /* Files written before reverse mode existed have no "mode": they load as forward tunnels. */
  properties[PROP_MODE] = g_param_spec_enum ("mode", NULL, NULL, TW_TYPE_TUNNEL_MODE, TW_TUNNEL_MODE_FORWARD, flags);
  properties[PROP_REMOTE_ADDRESS] = g_param_spec_string ("remote-address", NULL, NULL, "localhost", flags);
  properties[PROP_REMOTE_PORT] = g_param_spec_uint ("remote-port", NULL, NULL, 1, 65535, 55432, flags);
  properties[PROP_KEEPALIVE_INTERVAL] = g_param_spec_uint ("keepalive-interval", NULL, NULL, 1, 3600, 5, flags);
  /* The admin's login for the checks through the tunnel, so that "Check again" and
   * tunnel-check probe --tunnel log in the same way (the secret from the keyring). */
  properties[PROP_LOGIN_USER] = g_param_spec_string ("login-user", NULL, NULL, NULL, flags);
  properties[PROP_LOGIN_METHOD] = g_param_spec_enum ("login-method", NULL, NULL, TW_TYPE_CREDENTIALS_KIND,
                                                     TW_CREDENTIALS_AGENT, flags);
  properties[PROP_LOGIN_IDENTITY_FILE] = g_param_spec_string ("login-identity-file", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_tunnel_init (TwTunnel *self)
{
  self->ssh_port = 22;
  self->dest_host = g_strdup ("localhost");
  self->dest_port = 5432;
  self->dest_kind = TW_DEST_KIND_POSTGRES;
  self->require_tls = TRUE;
  self->remote_address = g_strdup ("localhost");
  self->remote_port = 55432;
  self->keepalive_interval = 5;
}

TwTunnel *
tw_tunnel_new (void)
{
  return g_object_new (TW_TYPE_TUNNEL, NULL);
}

const char *
tw_tunnel_get_name (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return self->name;
}

void
tw_tunnel_set_name (TwTunnel   *self,
                    const char *name)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (tw_replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
tw_tunnel_get_ssh_host (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return self->ssh_host;
}

void
tw_tunnel_set_ssh_host (TwTunnel   *self,
                        const char *ssh_host)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (tw_replace_string (&self->ssh_host, ssh_host))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SSH_HOST]);
}

guint
tw_tunnel_get_ssh_port (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), 0);
  return self->ssh_port;
}

void
tw_tunnel_set_ssh_port (TwTunnel *self,
                        guint ssh_port)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (self->ssh_port == ssh_port)
    return;

  self->ssh_port = ssh_port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SSH_PORT]);
}

const char *
tw_tunnel_get_user (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return self->user;
}

void
tw_tunnel_set_user (TwTunnel   *self,
                    const char *user)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (tw_replace_string (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

const char *
tw_tunnel_get_dest_host (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return self->dest_host;
}

void
tw_tunnel_set_dest_host (TwTunnel   *self,
                         const char *dest_host)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (tw_replace_string (&self->dest_host, dest_host))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEST_HOST]);
}

guint
tw_tunnel_get_dest_port (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), 0);
  return self->dest_port;
}

void
tw_tunnel_set_dest_port (TwTunnel *self,
                         guint dest_port)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (self->dest_port == dest_port)
    return;

  self->dest_port = dest_port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEST_PORT]);
}

TwDestKind
tw_tunnel_get_dest_kind (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), 0);
  return self->dest_kind;
}

void
tw_tunnel_set_dest_kind (TwTunnel *self,
                         TwDestKind dest_kind)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (self->dest_kind == dest_kind)
    return;

  self->dest_kind = dest_kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEST_KIND]);
}

gboolean
tw_tunnel_get_require_tls (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), 0);
  return self->require_tls;
}

void
tw_tunnel_set_require_tls (TwTunnel *self,
                           gboolean require_tls)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  require_tls = !!require_tls;

  if (self->require_tls == require_tls)
    return;

  self->require_tls = require_tls;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUIRE_TLS]);
}

const char *
tw_tunnel_get_service_key (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return self->service_key;
}

void
tw_tunnel_set_service_key (TwTunnel   *self,
                           const char *service_key)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (tw_replace_string (&self->service_key, service_key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_KEY]);
}

const char *
tw_tunnel_get_pinned_fingerprint (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return self->pinned_fingerprint;
}

void
tw_tunnel_set_pinned_fingerprint (TwTunnel   *self,
                                  const char *pinned_fingerprint)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (tw_replace_string (&self->pinned_fingerprint, pinned_fingerprint))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED_FINGERPRINT]);
}

/* NULL and an empty array mean the same: no addresses. */
static gboolean
strv_equal (const char * const *a,
            const char * const *b)
{
  guint len_a = a ? g_strv_length ((GStrv) a) : 0;
  guint len_b = b ? g_strv_length ((GStrv) b) : 0;

  if (len_a != len_b)
    return FALSE;
  for (guint i = 0; i < len_a; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

/**
 * tw_tunnel_get_service_addresses:
 *
 * Returns: (transfer none) (nullable): the service's addresses, or %NULL when none were given
 */
const char * const *
tw_tunnel_get_service_addresses (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return (const char * const *) self->service_addresses;
}

void
tw_tunnel_set_service_addresses (TwTunnel           *self,
                                 const char * const *addresses)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (strv_equal ((const char * const *) self->service_addresses, addresses))
    return;

  g_strfreev (self->service_addresses);
  self->service_addresses = (addresses && addresses[0]) ? g_strdupv ((GStrv) addresses) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_ADDRESSES]);
}

const char * const *
tw_tunnel_get_pinned_host_keys (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return (const char * const *) self->pinned_host_keys;
}

void
tw_tunnel_set_pinned_host_keys (TwTunnel           *self,
                                const char * const *pins)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (strv_equal ((const char * const *) self->pinned_host_keys, pins))
    return;

  g_strfreev (self->pinned_host_keys);
  self->pinned_host_keys = (pins && pins[0]) ? g_strdupv ((GStrv) pins) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED_HOST_KEYS]);
}

const char *
tw_tunnel_get_pinned_certificate_authority (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return self->pinned_certificate_authority;
}

void
tw_tunnel_set_pinned_certificate_authority (TwTunnel   *self,
                                            const char *pin)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (pin != NULL && pin[0] == '\0')
    pin = NULL;
  if (tw_replace_string (&self->pinned_certificate_authority, pin))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED_CERTIFICATE_AUTHORITY]);
}

GStrv
tw_tunnel_dup_pins (TwTunnel *self)
{
  const char *single[] = { self->pinned_fingerprint, NULL };

  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);

  if (self->pinned_host_keys != NULL)
    return g_strdupv (self->pinned_host_keys);
  if (self->pinned_fingerprint != NULL && self->pinned_fingerprint[0] != '\0')
    return g_strdupv ((GStrv) single);
  return NULL;
}

gboolean
tw_tunnel_get_least_privilege (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), FALSE);
  return self->least_privilege;
}

void
tw_tunnel_set_least_privilege (TwTunnel *self,
                               gboolean  least_privilege)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  least_privilege = !!least_privilege;

  if (self->least_privilege == least_privilege)
    return;

  self->least_privilege = least_privilege;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEAST_PRIVILEGE]);
}

/* The reverse mode's settings: plain values, no rules between them. */
#define SIMPLE_SETTER(type, name, prop, assign, same) \
void \
tw_tunnel_set_##name (TwTunnel *self, type value) \
{ \
  g_return_if_fail (TW_IS_TUNNEL (self)); \
  if (same) \
    return; \
  assign; \
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
}

SIMPLE_SETTER (TwTunnelMode, mode, PROP_MODE, self->mode = value, self->mode == value)
SIMPLE_SETTER (guint, remote_port, PROP_REMOTE_PORT, self->remote_port = value, self->remote_port == value)
SIMPLE_SETTER (guint, keepalive_interval, PROP_KEEPALIVE_INTERVAL,
               self->keepalive_interval = value, self->keepalive_interval == value)
SIMPLE_SETTER (const char *, remote_address, PROP_REMOTE_ADDRESS,
               tw_replace_string (&self->remote_address, value),
               g_strcmp0 (self->remote_address, value) == 0)
SIMPLE_SETTER (const char *, login_user, PROP_LOGIN_USER,
               tw_replace_string (&self->login_user, value && *value ? value : NULL),
               g_strcmp0 (self->login_user, value && *value ? value : NULL) == 0)
SIMPLE_SETTER (const char *, login_identity_file, PROP_LOGIN_IDENTITY_FILE,
               tw_replace_string (&self->login_identity_file, value && *value ? value : NULL),
               g_strcmp0 (self->login_identity_file, value && *value ? value : NULL) == 0)
/* The stand-in key is never saved: it is the service's secret. */
SIMPLE_SETTER (TwCredentialsKind, login_method, PROP_LOGIN_METHOD,
               self->login_method = value,
               self->login_method == value || value > TW_CREDENTIALS_PASSWORD)
#undef SIMPLE_SETTER

#define SIMPLE_GETTER(type, name, fallback) \
type \
tw_tunnel_get_##name (TwTunnel *self) \
{ \
  g_return_val_if_fail (TW_IS_TUNNEL (self), fallback); \
  return self->name; \
}

SIMPLE_GETTER (TwTunnelMode, mode, TW_TUNNEL_MODE_FORWARD)
SIMPLE_GETTER (const char *, remote_address, NULL)
SIMPLE_GETTER (guint, remote_port, 0)
SIMPLE_GETTER (guint, keepalive_interval, 0)
SIMPLE_GETTER (const char *, login_user, NULL)
SIMPLE_GETTER (TwCredentialsKind, login_method, TW_CREDENTIALS_AGENT)
SIMPLE_GETTER (const char *, login_identity_file, NULL)
#undef SIMPLE_GETTER

/* The agent as the tunnel user is also what a tunnel never set up for these checks says:
 * only a login the admin chose counts. */
gboolean
tw_tunnel_has_saved_login (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), FALSE);
  return self->login_user != NULL || self->login_method != TW_CREDENTIALS_AGENT;
}

static const struct {
  TwDestKind kind;
  const char *name;
  guint default_port;
} dest_kinds[] = {
  { TW_DEST_KIND_POSTGRES, "postgres", 5432 },
  { TW_DEST_KIND_MYSQL, "mysql", 3306 },
  { TW_DEST_KIND_TLS, "tls", 443 },
  { TW_DEST_KIND_TCP, "tcp", 0 },
};

/**
 * tw_dest_kind_to_string:
 *
 * Returns: the name the command line and saved tunnels use for @kind
 */
const char *
tw_dest_kind_to_string (TwDestKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (dest_kinds); i++)
    if (dest_kinds[i].kind == kind)
      return dest_kinds[i].name;
  g_return_val_if_reached ("tcp");
}

gboolean
tw_dest_kind_from_string (const char *text,
                          TwDestKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; text && i < G_N_ELEMENTS (dest_kinds); i++)
    if (g_ascii_strcasecmp (text, dest_kinds[i].name) == 0)
      {
        *kind = dest_kinds[i].kind;
        return TRUE;
      }
  /* The form of the data services says "MariaDB" as often as "MySQL". */
  if (text && g_ascii_strcasecmp (text, "mariadb") == 0)
    {
      *kind = TW_DEST_KIND_MYSQL;
      return TRUE;
    }
  return FALSE;
}

/**
 * tw_dest_kind_default_port:
 *
 * Returns: the port the destination usually listens on, or 0 when there is none
 */
guint
tw_dest_kind_default_port (TwDestKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (dest_kinds); i++)
    if (dest_kinds[i].kind == kind)
      return dest_kinds[i].default_port;
  return 0;
}

/**
 * tw_tunnel_get_unverified_checks:
 *
 * The check ids that failed from the admin's computer when the admin went on without
 * them (a bastion firewalled to the service's addresses), for the summary and the saved
 * tunnel; %NULL when every check ran and passed.
 */
const char * const *
tw_tunnel_get_unverified_checks (TwTunnel *self)
{
  g_return_val_if_fail (TW_IS_TUNNEL (self), NULL);
  return (const char * const *) self->unverified_checks;
}

void
tw_tunnel_set_unverified_checks (TwTunnel           *self,
                                 const char * const *ids)
{
  g_return_if_fail (TW_IS_TUNNEL (self));

  if (strv_equal ((const char * const *) self->unverified_checks, ids))
    return;
  g_strfreev (self->unverified_checks);
  self->unverified_checks = (ids && ids[0]) ? g_strdupv ((GStrv) ids) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNVERIFIED_CHECKS]);
}
