/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The seed's Linux steps as one idempotent bash script (group, user, ~/.ssh 0700,
 * authorized_keys 0600, owner, the key on one line), written so that running it twice changes
 * nothing and running it on a hand-made setup repairs what sshd's StrictModes would reject.
 *
 * Decisions, and why:
 * - Shell: the seed makes an ordinary user with /bin/bash. With least privilege the key is
 *   `restrict`ed and the sshd Match block forces /bin/false, so the account never needs a shell
 *   and gets /usr/sbin/nologin: a session that slips through still ends at once. Forwarding
 *   (`ssh -N -L`, direct-tcpip) never runs the shell, and nologin is executable, which is all
 *   sshd asks of it. An existing user's shell and groups are left alone: the admin may rely
 *   on them; the group is only made for a new user.
 * - Locked accounts: useradd writes "!" (RHEL "!!"), and sshd without PAM refuses a locked
 *   account even for keys. Only those exact values become "*" (no password can match); a real
 *   password hash, locked or not, is the admin's choice and stays.
 * - Permissions are only tightened: group and others lose every bit. The owner gets only what
 *   sshd needs (search ~/.ssh, read the file): the owner could add it themselves, so nothing is
 *   loosened for anyone else, and a 0600 ~/.ssh, which hides the key from sshd, gets its x bit.
 *   A stricter mode chosen on purpose (0500, 0400) stays.
 * - Symbolic links at ~/.ssh or authorized_keys are refused: root must not write or chmod
 *   wherever a user's link points.
 * - The key is compared on its base64 blob, so a copy with other options or another comment
 *   counts as present and is not duplicated; commented-out lines do not count.
 * - The script's text is not translated: it runs on a server whose locale we do not know.
 */
#include "config.h"

#include "tw-setup-linux.h"
#include "tw-setup-authorized-keys.h"
#include "tw-setup-sshd.h"
#include "tw-setup-private.h"
#include "tw-stand-in.h"

static void
append_assignment (GString    *script,
                   const char *name,
                   const char *value)
{
  g_autofree char *quoted = tw_setup_shell_quote (value);

  g_string_append_printf (script, "%s=%s\n", name, quoted);
}

char *
tw_setup_linux_script (TwTunnel     *tunnel,
                       TwPublicKey  *key,
                       GError      **error)
{
  g_autoptr(GString) script = NULL;
  g_autofree char *line = NULL;
  const char *user;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  line = tw_setup_authorized_keys_line (tunnel, key, error);
  if (line == NULL)
    return NULL;

  user = tw_tunnel_get_user (tunnel);
  script = g_string_new (NULL);

  g_string_append (script,
    "#!/bin/bash\n"
    "# Tunnel Wizard: prepare this server for the SSH tunnel user.\n"
    "# Run as root on the bastion, e.g. sudo bash prepare-tunnel.sh\n"
    "# To see what it would change first: sudo bash prepare-tunnel.sh --dry-run\n"
    "# Safe to run again: the key is added once, permissions are only tightened.\n"
    "set -eu\n"
    "umask 077\n"
    "\n");
  append_assignment (script, "tw_user", user);
  append_assignment (script, "tw_group", user);
  append_assignment (script, "tw_shell",
                     tw_tunnel_get_least_privilege (tunnel) ? "/usr/sbin/nologin" : "/bin/bash");
  append_assignment (script, "tw_key_blob", tw_public_key_get_base64 (key));
  append_assignment (script, "tw_key_line", line);

  g_string_append (script,
    TW_SETUP_SH_REQUIRE_ROOT
    "\n"
    "# With --dry-run nothing changes: each step only says what it would do.\n"
    "tw_dry_run=0\n"
    "if [ \"${1:-}\" = --dry-run ]; then\n"
    "  tw_dry_run=1\n"
    "fi\n"
    "# One line per step for Tunnel Wizard: TW-STEP <step> <ok|changed|would-change|failed> <what>\n"
    "tw_step () {\n"
    "  printf 'TW-STEP %s %s %s\\n' \"$1\" \"$2\" \"$3\"\n"
    "}\n"
    "# tw_change STEP TASK COMMAND...: runs COMMAND (a dry run only reports TASK, e.g. \"create group X\").\n"
    "tw_change () {\n"
    "  local step=$1 what=$2\n"
    "  shift 2\n"
    "  if [ \"$tw_dry_run\" = 1 ]; then\n"
    "    tw_step \"$step\" would-change \"$what\"\n"
    "  elif \"$@\"; then\n"
    "    tw_step \"$step\" changed \"$what\"\n"
    "  else\n"
    "    tw_step \"$step\" failed \"$what\"\n"
    "    exit 1\n"
    "  fi\n"
    "}\n"
    "# The mode in octal, for $(( )): 0700\n"
    "tw_mode () {\n"
    "  stat -c %a \"$1\"\n"
    "}\n"
    "\n"
    "# 1. Group and user, if missing. The account logs in with the key only.\n"
    "tw_new_user=0\n"
    "if getent passwd \"$tw_user\" >/dev/null; then\n"
    "  tw_step group ok \"user $tw_user exists; its groups are left as they are\"\n"
    "  tw_step user ok \"user $tw_user exists\"\n"
    "else\n"
    "  tw_new_user=1\n"
    "  if getent group \"$tw_group\" >/dev/null; then\n"
    "    tw_step group ok \"group $tw_group exists\"\n"
    "  else\n"
    "    tw_change group \"create group $tw_group\" groupadd \"$tw_group\"\n"
    "  fi\n"
    "  tw_change user \"create user $tw_user (shell $tw_shell)\" \\\n"
    "    useradd --create-home --gid \"$tw_group\" --shell \"$tw_shell\" \"$tw_user\"\n"
    "fi\n"
    "# useradd leaves the account locked (\"!\"), and sshd refuses locked accounts when it\n"
    "# does not use PAM. \"*\" unlocks it without allowing any password.\n"
    "tw_password=$(getent shadow \"$tw_user\" | cut -d: -f2)\n"
    "if [ \"$tw_password\" = '!' ] || [ \"$tw_password\" = '!!' ] ||\n"
    "   { [ \"$tw_new_user\" = 1 ] && [ \"$tw_dry_run\" = 1 ]; }; then\n"
    "  tw_change unlock \"unlock $tw_user for key login (no password can match)\" \\\n"
    "    usermod -p '*' \"$tw_user\"\n"
    "else\n"
    "  tw_step unlock ok \"$tw_user is not locked\"\n"
    "fi\n"
    "\n"
    "if [ \"$tw_new_user\" = 1 ] && [ \"$tw_dry_run\" = 1 ]; then\n"
    "  # Where useradd would put the home directory.\n"
    "  tw_home=\"$(useradd -D | sed -n 's/^HOME=//p')/$tw_user\"\n"
    "  tw_owner=\"$tw_user:$tw_group\"\n"
    "else\n"
    "  tw_home=$(getent passwd \"$tw_user\" | cut -d: -f6)\n"
    "  tw_owner=\"$tw_user:$(id -gn \"$tw_user\")\"\n"
    "fi\n"
    "if [ -z \"$tw_home\" ] || [ \"$tw_home\" = / ]; then\n"
    "  tw_step home failed \"$tw_user has no home directory of its own\"\n"
    "  echo \"$tw_user has no home directory of its own.\" >&2\n"
    "  exit 1\n"
    "fi\n"
    "tw_make_home () {\n"
    "  mkdir -p \"$tw_home\" && chown \"$tw_owner\" \"$tw_home\"\n"
    "}\n"
    "if [ -d \"$tw_home\" ]; then\n"
    "  tw_step home ok \"$tw_home exists\"\n"
    "elif [ \"$tw_new_user\" = 1 ] && [ \"$tw_dry_run\" = 1 ]; then\n"
    "  tw_step home would-change \"useradd would create $tw_home\"\n"
    "else\n"
    "  tw_change home \"create $tw_home\" tw_make_home\n"
    "fi\n"
    "\n"
    "# 2. ~/.ssh (0700) and authorized_keys (0600), owned by the user.\n"
    "tw_ssh_dir=\"$tw_home/.ssh\"\n"
    "tw_keys=\"$tw_ssh_dir/authorized_keys\"\n"
    "for tw_path in \"$tw_ssh_dir\" \"$tw_keys\"; do\n"
    "  if [ -L \"$tw_path\" ]; then\n"
    "    tw_step ssh-dir failed \"$tw_path is a symbolic link\"\n"
    "    echo \"$tw_path is a symbolic link; fix it by hand, then run this again.\" >&2\n"
    "    exit 1\n"
    "  fi\n"
    "done\n"
    "if [ -d \"$tw_ssh_dir\" ]; then\n"
    "  tw_step ssh-dir ok \"$tw_ssh_dir exists\"\n"
    "else\n"
    "  tw_change ssh-dir \"create $tw_ssh_dir\" mkdir -m 700 \"$tw_ssh_dir\"\n"
    "fi\n"
    "if [ -e \"$tw_keys\" ]; then\n"
    "  tw_step keys-file ok \"$tw_keys exists\"\n"
    "else\n"
    "  tw_change keys-file \"create $tw_keys\" install -m 600 /dev/null \"$tw_keys\"\n"
    "fi\n"
    "\n"
    "# 3. Owner and modes. sshd (StrictModes) ignores the key when the home directory is\n"
    "# writable by others. Only tighten: group and others lose every bit, the owner gets only\n"
    "# what sshd needs.\n"
    "tw_fix_modes () {\n"
    "  chmod go-w \"$tw_home\" &&\n"
    "  chown \"$tw_owner\" \"$tw_ssh_dir\" \"$tw_keys\" &&\n"
    "  chmod u+x,go-rwx \"$tw_ssh_dir\" &&\n"
    "  chmod u+r,go-rwx \"$tw_keys\"\n"
    "}\n"
    "tw_wrong=\n"
    "if [ -d \"$tw_home\" ] && (( 0$(tw_mode \"$tw_home\") & 022 )); then\n"
    "  tw_wrong=\"$tw_wrong $tw_home is writable by group or others;\"\n"
    "fi\n"
    "for tw_path in \"$tw_ssh_dir\" \"$tw_keys\"; do\n"
    "  if [ -e \"$tw_path\" ] && [ \"$(stat -c %U:%G \"$tw_path\")\" != \"$tw_owner\" ]; then\n"
    "    tw_wrong=\"$tw_wrong $tw_path is not owned by $tw_owner;\"\n"
    "  fi\n"
    "done\n"
    "if [ -d \"$tw_ssh_dir\" ] && (( (0$(tw_mode \"$tw_ssh_dir\") & 0177) != 0100 )); then\n"
    "  tw_wrong=\"$tw_wrong $tw_ssh_dir is not 0700;\"\n"
    "fi\n"
    "if [ -e \"$tw_keys\" ] && (( (0$(tw_mode \"$tw_keys\") & 0477) != 0400 )); then\n"
    "  tw_wrong=\"$tw_wrong $tw_keys is not 0600;\"\n"
    "fi\n"
    "if [ ! -d \"$tw_ssh_dir\" ] || [ ! -e \"$tw_keys\" ]; then\n"
    "  tw_wrong=\"$tw_wrong new files get their owner $tw_owner;\"\n"
    "fi\n"
    "if [ -n \"$tw_wrong\" ]; then\n"
    "  tw_change modes \"set owner and modes:$tw_wrong\" tw_fix_modes\n"
    "else\n"
    "  tw_step modes ok \"owner and modes are right\"\n"
    "fi\n"
    "\n"
    "# 4. The key, on one line, once (compared on the base64 blob, not the whole line). The\n"
    "# new file replaces the old one in one rename: never half written.\n"
    "tw_add_key () {\n"
    "  local tmp\n"
    "  tmp=$(mktemp \"$tw_ssh_dir/.authorized_keys.XXXXXX\") || return 1\n"
    "  cat \"$tw_keys\" >\"$tmp\" &&\n"
    "  # A last line without a newline would swallow the key.\n"
    "  if [ -s \"$tw_keys\" ] && [ -n \"$(tail -c 1 \"$tw_keys\")\" ]; then echo >>\"$tmp\"; fi &&\n"
    "  printf '%s\\n' \"$tw_key_line\" >>\"$tmp\" &&\n"
    "  chown --reference=\"$tw_keys\" \"$tmp\" &&\n"
    "  chmod --reference=\"$tw_keys\" \"$tmp\" &&\n"
    "  mv -f \"$tmp\" \"$tw_keys\" || { rm -f \"$tmp\"; return 1; }\n"
    "}\n"
    "if [ -e \"$tw_keys\" ] && awk -v blob=\"$tw_key_blob\" '\n"
    "    !/^[[:space:]]*#/ { for (i = 1; i <= NF; i++) if ($i == blob) found = 1 }\n"
    "    END { exit !found }' \"$tw_keys\"; then\n"
    "  tw_step key ok \"the key is already in $tw_keys; left as it is\"\n"
    "  if ! grep -qxF -- \"$tw_key_line\" \"$tw_keys\"; then\n"
    "    echo \"Its options or comment differ from these; edit that line if they should change:\"\n"
    "    printf '  %s\\n' \"$tw_key_line\"\n"
    "  fi\n"
    "else\n"
    "  tw_change key \"add the key to $tw_keys\" tw_add_key\n"
    "fi\n"
    "\n"
    "# 5. A stand-in key Tunnel Wizard added to test the forward as this user goes (it expires\n"
    "# within the hour anyway).\n"
    "tw_drop_stand_in () {\n"
    "  local tmp\n"
    "  tmp=$(mktemp \"$tw_ssh_dir/.authorized_keys.XXXXXX\") || return 1\n"
    "  { grep -vF ' " TW_STAND_IN_MARKER "' \"$tw_keys\" >\"$tmp\"; [ $? -le 1 ]; } &&\n"
    "  chown --reference=\"$tw_keys\" \"$tmp\" &&\n"
    "  chmod --reference=\"$tw_keys\" \"$tmp\" &&\n"
    "  mv -f \"$tmp\" \"$tw_keys\" || { rm -f \"$tmp\"; return 1; }\n"
    "}\n"
    "if [ -e \"$tw_keys\" ] && grep -qF ' " TW_STAND_IN_MARKER "' \"$tw_keys\"; then\n"
    "  tw_change stand-in \"remove the stand-in key from $tw_keys\" tw_drop_stand_in\n"
    "fi\n"
    "if [ \"$tw_dry_run\" = 0 ]; then\n"
    "  ls -ld \"$tw_home\" \"$tw_ssh_dir\" \"$tw_keys\"\n"
    "fi\n");

  if (tw_setup_sshd_config_needed (tunnel, key))
    {
      g_autofree char *path = tw_setup_sshd_config_path (tunnel);

      g_string_append_printf (script,
        "echo 'Next: put the sshd_config lines from Tunnel Wizard in %s, then run: %s'\n",
        path, tw_setup_sshd_reload_command ());
    }

  return g_string_free (g_steal_pointer (&script), FALSE);
}
