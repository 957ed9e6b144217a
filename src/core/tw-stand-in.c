/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tw-setup-common.h"
#include "tw-setup-private.h"
#include "tw-stand-in.h"

TwKeypair *
tw_stand_in_generate (GError **error)
{
  return tw_keypair_generate (TW_STAND_IN_MARKER, error);
}

char *
tw_stand_in_authorized_line (TwTunnel   *tunnel,
                             TwKeypair  *keypair,
                             GDateTime  *now,
                             GError    **error)
{
  g_autoptr(GDateTime) expiry = NULL;
  g_autofree char *options = NULL;
  g_autofree char *when = NULL;
  g_auto(GStrv) parts = NULL;

  if (!tw_setup_validate_tunnel (tunnel, NULL, error))
    return NULL;

  /* sshd reads YYYYMMDDHHMM[SS]Z as UTC, without Z as its own time zone */
  expiry = g_date_time_add_hours (now, 1);
  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (expiry);

    when = g_date_time_format (utc, "%Y%m%d%H%M%SZ");
  }
  options = tw_setup_restrict_options (tunnel);
  parts = g_strsplit (tw_keypair_get_public_key (keypair), " ", 3);
  g_return_val_if_fail (parts[0] != NULL && parts[1] != NULL, NULL);

  return g_strdup_printf ("%s%sexpiry-time=\"%s\" %s %s " TW_STAND_IN_MARKER,
                          options, *options ? "," : "", when, parts[0], parts[1]);
}

/* The tunnel user's authorized_keys, found on the bastion (not ours to guess) */
static char *
keys_file_assignment (TwTunnel  *tunnel,
                      GError   **error)
{
  g_autofree char *user = NULL;

  if (!tw_setup_validate_user (tw_tunnel_get_user (tunnel), error))
    return NULL;
  user = tw_setup_shell_quote (tw_tunnel_get_user (tunnel));
  return g_strdup_printf ("tw_keys=\"$(getent passwd %s | cut -d: -f6)/.ssh/authorized_keys\"", user);
}

char *
tw_stand_in_install_command (TwTunnel   *tunnel,
                             const char *line,
                             GError    **error)
{
  g_autofree char *assignment = keys_file_assignment (tunnel, error);
  g_autofree char *quoted = NULL;

  if (assignment == NULL)
    return NULL;
  quoted = tw_setup_shell_quote (line);
  /* Appending keeps the file's owner and mode; a last line without a newline
   * would swallow the key. */
  return g_strdup_printf ("%s &&\n{ [ -z \"$(tail -c 1 \"$tw_keys\")\" ] || echo >>\"$tw_keys\"; } &&\n"
                          "printf '%%s\\n' %s >>\"$tw_keys\"", assignment, quoted);
}

char *
tw_stand_in_remove_command (TwTunnel  *tunnel,
                            GError   **error)
{
  g_autofree char *assignment = keys_file_assignment (tunnel, error);

  if (assignment == NULL)
    return NULL;
  /* A new file with the same owner and mode replaces the old one in one rename. */
  return g_strdup_printf ("%s &&\ntw_tmp=$(mktemp \"$tw_keys.XXXXXX\") &&\n"
                          "{ grep -vF ' " TW_STAND_IN_MARKER "' \"$tw_keys\" >\"$tw_tmp\"; [ $? -le 1 ]; } &&\n"
                          "chown --reference=\"$tw_keys\" \"$tw_tmp\" && chmod --reference=\"$tw_keys\" \"$tw_tmp\" &&\n"
                          "mv -f \"$tw_tmp\" \"$tw_keys\"", assignment);
}
