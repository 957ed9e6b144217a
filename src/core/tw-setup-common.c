/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checks and quoting shared by the instruction generators. Every value that goes into a
 * generated script passes through here first: what cannot be embedded safely is refused with a
 * plain-language error rather than escaped cleverly.
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "tw-setup-common.h"
#include "tw-setup-private.h"

G_DEFINE_QUARK (tw-setup-error-quark, tw_setup_error)

/* useradd's own rule on Debian (shadow's is_valid_user_name) without the trailing '$' of Samba
 * machine accounts: lower case, digits, '_' and '-', not starting with a digit or '-'. */
#define MAX_USER_LENGTH 32

gboolean
tw_setup_validate_user (const char  *user,
                        GError     **error)
{
  if (user == NULL || *user == '\0')
    {
      g_set_error_literal (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_USER,
                           _("Enter the name of the tunnel user."));
      return FALSE;
    }

  if (strlen (user) > MAX_USER_LENGTH)
    {
      g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_USER,
                   _("The user name is too long: at most %d characters."), MAX_USER_LENGTH);
      return FALSE;
    }

  for (const char *p = user; *p; p++)
    {
      gboolean ok = (*p >= 'a' && *p <= 'z') || *p == '_' ||
                    (p != user && ((*p >= '0' && *p <= '9') || *p == '-'));
      if (!ok)
        {
          g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_USER,
                       _("“%s” is not a valid user name: use lower-case letters, digits, “_” and “-”, starting with a letter."),
                       user);
          return FALSE;
        }
    }

  /* The service would get root's authorized_keys, and the script would unlock root. */
  if (g_str_equal (user, "root"))
    {
      g_set_error_literal (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_USER,
                           _("The tunnel user must not be root: use an account of its own, such as “fivetran”."));
      return FALSE;
    }

  return TRUE;
}

/* "[::1]" → "::1"; anything else unchanged. */
char *
tw_setup_bare_host (const char *host)
{
  size_t len = host ? strlen (host) : 0;

  if (len >= 2 && host[0] == '[' && host[len - 1] == ']')
    return g_strndup (host + 1, len - 2);
  return g_strdup (host);
}

gboolean
tw_setup_host_is_ipv6 (const char *host)
{
  g_autofree char *bare = tw_setup_bare_host (host);
  g_autoptr(GInetAddress) address = NULL;

  if (bare == NULL || strchr (bare, ':') == NULL || strchr (bare, '%') != NULL)
    return FALSE;
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
}

/* Host names (labels of letters, digits, '-' and '_'; the last for internal names) and IPv4
 * literals. No wildcard: permitopen takes the host literally, a '*' would widen it. */
static gboolean
is_host_name (const char *host)
{
  size_t len = strlen (host);
  size_t label = 0;

  if (len == 0 || len > 253)
    return FALSE;

  for (const char *p = host; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          if (label == 0 || label > 63)
            return FALSE;
          if (*p == '\0')
            return TRUE;
          label = 0;
          continue;
        }
      if (!g_ascii_isalnum (*p) && *p != '_' && !(*p == '-' && label > 0))
        return FALSE;
      label++;
    }
}

gboolean
tw_setup_validate_dest (const char  *host,
                        guint        port,
                        GError     **error)
{
  g_autofree char *bare = tw_setup_bare_host (host);

  if (bare == NULL || *bare == '\0')
    {
      g_set_error_literal (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_HOST,
                           _("Enter the destination host as the bastion sees it, such as “localhost”."));
      return FALSE;
    }

  /* Brackets only ever mean an IPv6 literal. */
  if ((strchr (bare, ':') || g_strcmp0 (bare, host) != 0) ? !tw_setup_host_is_ipv6 (bare) : !is_host_name (bare))
    {
      g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_HOST,
                   _("“%s” is not a host name or an IP address. Use the exact name or address the service will ask the bastion to connect to."),
                   host);
      return FALSE;
    }

  if (port == 0 || port > 65535)
    {
      g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_PORT,
                   _("The destination port must be between 1 and 65535, not %u."), port);
      return FALSE;
    }

  return TRUE;
}

/* The network a CIDR with host bits set was probably meant to be, for the error message. */
static char *
suggest_network (const char *text)
{
  g_autofree char *address_text = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GInetAddress) network = NULL;
  g_autofree char *network_text = NULL;
  const char *slash = strchr (text, '/');
  guint8 bytes[16];
  guint64 length;
  gsize size;

  if (slash == NULL || !g_ascii_string_to_unsigned (slash + 1, 10, 0, 128, &length, NULL))
    return NULL;
  address_text = g_strndup (text, slash - text);
  address = g_inet_address_new_from_string (address_text);
  if (address == NULL)
    return NULL;
  size = g_inet_address_get_native_size (address);
  if (length > size * 8)
    return NULL;
  memcpy (bytes, g_inet_address_to_bytes (address), size);
  for (gsize i = 0; i < size; i++)
    {
      guint keep = length >= (i + 1) * 8 ? 8 : (length > i * 8 ? length - i * 8 : 0);
      bytes[i] &= (guint8) (0xff00 >> keep);
    }
  network = g_inet_address_new_from_bytes (bytes, g_inet_address_get_family (address));
  network_text = g_inet_address_to_string (network);
  return g_strdup_printf ("%s/%u", network_text, (guint) length);
}

GStrv
tw_setup_split_addresses (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", ", \t\r\n;", -1);

  for (guint i = 0; parts[i]; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

GStrv
tw_setup_normalize_addresses (const char * const  *addresses,
                              GError             **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; addresses && addresses[i]; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (addresses[i]));
      g_autoptr(GInetAddressMask) mask = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *address = NULL;
      g_autofree char *cidr = NULL;

      if (*text == '\0')
        continue;

      mask = g_inet_address_mask_new_from_string (text, &local_error);
      if (mask == NULL)
        {
          g_autofree char *network = suggest_network (text);

          if (network != NULL && g_strcmp0 (network, text) != 0)
            g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_ADDRESS,
                         _("“%s” has bits set after the prefix length. Did you mean %s?"),
                         text, network);
          else
            g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_ADDRESS,
                         _("“%s” is not an IP address or a CIDR block such as 203.0.113.0/24."),
                         text);
          return NULL;
        }

      /* GLib prints a full-length mask as a bare address; sshd's from= and the AWS CLI both
       * take ADDRESS/LENGTH, and one spelling everywhere is easier to compare. */
      address = g_inet_address_to_string (g_inet_address_mask_get_address (mask));
      cidr = g_strdup_printf ("%s/%u", address, g_inet_address_mask_get_length (mask));
      g_strv_builder_add (builder, cidr);
    }

  return g_strv_builder_end (builder);
}

gboolean
tw_setup_address_is_ipv6 (const char *cidr)
{
  return strchr (cidr, ':') != NULL;
}

char *
tw_setup_shell_quote (const char *text)
{
  GString *quoted = g_string_new ("'");

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '\'')
        g_string_append (quoted, "'\\''");
      else
        g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '\'');
  return g_string_free (quoted, FALSE);
}

/* PowerShell also ends a single-quoted string at the typographic quotes U+2018–U+201B; doubling
 * a quote character of any of these kinds stands for that one character. */
char *
tw_setup_powershell_quote (const char *text)
{
  GString *quoted = g_string_new ("'");

  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gsize len = g_utf8_next_char (p) - p;

      if (c == '\'' || (c >= 0x2018 && c <= 0x201b))
        g_string_append_len (quoted, p, len);
      g_string_append_len (quoted, p, len);
    }
  g_string_append_c (quoted, '\'');
  return g_string_free (quoted, FALSE);
}

char *
tw_setup_format_host_port (const char *host,
                           guint       port)
{
  g_autofree char *bare = tw_setup_bare_host (host);

  if (tw_setup_host_is_ipv6 (bare))
    return g_strdup_printf ("[%s]:%u", bare, port);
  return g_strdup_printf ("%s:%u", bare, port);
}

static gboolean
only_chars (const char *text,
            const char *allowed)
{
  return text != NULL && *text != '\0' && strspn (text, allowed) == strlen (text);
}

gboolean
tw_setup_validate_key (TwPublicKey  *key,
                       GError      **error)
{
  const char *comment;

  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), FALSE);

  comment = tw_public_key_get_comment (key);

  /* The parser guarantees all of this; checking again keeps the scripts safe on their own. */
  if (!only_chars (tw_public_key_get_key_type (key),
                   "abcdefghijklmnopqrstuvwxyz0123456789@.-") ||
      !only_chars (tw_public_key_get_base64 (key),
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="))
    {
      g_set_error_literal (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_KEY,
                           _("The key has characters that cannot be written into a script."));
      return FALSE;
    }

  if (comment != NULL)
    {
      if (!g_utf8_validate (comment, -1, NULL))
        goto bad_comment;
      /* A tab is harmless everywhere the line goes; a line break would split it. */
      for (const char *p = comment; *p; p++)
        if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
          goto bad_comment;
    }

  return TRUE;

bad_comment:
  g_set_error_literal (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_KEY,
                       _("The key's comment has control characters or is not valid text; remove the comment and try again."));
  return FALSE;
}

char *
tw_setup_key_line (TwPublicKey *key)
{
  const char *comment = tw_public_key_get_comment (key);

  if (comment != NULL && *comment != '\0')
    return g_strdup_printf ("%s %s %s", tw_public_key_get_key_type (key),
                            tw_public_key_get_base64 (key), comment);
  return g_strdup_printf ("%s %s", tw_public_key_get_key_type (key),
                          tw_public_key_get_base64 (key));
}

gboolean
tw_setup_is_reverse (TwTunnel *tunnel)
{
  return tw_tunnel_get_mode (tunnel) == TW_TUNNEL_MODE_REVERSE;
}

/* What the client asks sshd to listen on, as the tunnel stores it. No address at all (libssh
 * sends "") is every interface to sshd, like "*". */
static const char *
listen_address (TwTunnel *tunnel)
{
  const char *address = tw_tunnel_get_remote_address (tunnel);

  return address == NULL || *address == '\0' ? "*" : address;
}

/* sshd compares the listen host the client sends with permitlisten/PermitListen as a
 * pattern, without looking names up: "localhost" and "127.0.0.1" are different requests
 * (sshd(8), OpenSSH 9.2). So the spec carries the address exactly as the engine sends it. */
char *
tw_setup_listen_spec (TwTunnel *tunnel)
{
  return tw_setup_format_host_port (listen_address (tunnel), tw_tunnel_get_remote_port (tunnel));
}

/* With GatewayPorts no (the default) sshd binds every remote forward to loopback, whatever
 * the client asked for; any other address needs "clientspecified". */
gboolean
tw_setup_needs_gateway_ports (TwTunnel *tunnel)
{
  g_autofree char *bare = NULL;

  if (!tw_setup_is_reverse (tunnel))
    return FALSE;
  bare = tw_setup_bare_host (listen_address (tunnel));
  return !g_str_equal (bare, "localhost") && !g_str_equal (bare, "127.0.0.1") &&
         !g_str_equal (bare, "::1");
}

static gboolean
validate_listen (TwTunnel  *tunnel,
                 GError   **error)
{
  const char *address = listen_address (tunnel);
  guint port = tw_tunnel_get_remote_port (tunnel);
  g_autoptr(GError) local_error = NULL;

  if (port == 0 || port > 65535)
    {
      g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_PORT,
                   _("The port on the bastion must be between 1 and 65535, not %u."), port);
      return FALSE;
    }

  /* Same rules as a destination: a host name or an address, nothing to escape. */
  if (!g_str_equal (address, "*") && !tw_setup_validate_dest (address, port, &local_error))
    {
      g_set_error (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_HOST,
                   _("“%s” is not an address the bastion can listen on: use “localhost”, “*” or an IP address of the bastion."),
                   address);
      return FALSE;
    }
  return TRUE;
}

gboolean
tw_setup_validate_tunnel (TwTunnel     *tunnel,
                          TwPublicKey  *key,
                          GError      **error)
{
  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), FALSE);

  if (!tw_setup_validate_user (tw_tunnel_get_user (tunnel), error))
    return FALSE;
  /* A reverse tunnel's destination is this machine's business; the bastion only listens. */
  if (tw_setup_is_reverse (tunnel) ? !validate_listen (tunnel, error)
                                   : !tw_setup_validate_dest (tw_tunnel_get_dest_host (tunnel),
                                                              tw_tunnel_get_dest_port (tunnel), error))
    return FALSE;
  return key == NULL || tw_setup_validate_key (key, error);
}
