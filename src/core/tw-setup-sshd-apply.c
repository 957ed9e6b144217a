/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bash script that puts the sshd_config lines of tw-setup-sshd.c in place without locking
 * anyone out, for people and for the wizard alike (which runs it byte for byte):
 * - the lines go in a drop-in of their own when sshd_config includes sshd_config.d (Debian 12,
 *   Ubuntu), else in a marked block at the very end of sshd_config; no other line changes;
 * - the old file is kept as a backup and the new one replaces it in one rename;
 * - sshd -t checks the result first; a refusal puts the old file back and shows sshd's words;
 * - before the reload a revert is armed (restore and reload after 120 s, as a systemd timer or
 *   a background job in a session of its own), which only `--confirm` cancels: whoever applies
 *   it opens a new ssh login first, and if that fails the server goes back on its own;
 * - reload (SIGHUP, what systemctl reload does), never restart: open sessions stay.
 * `--dry-run` prints the diff and the steps without changing anything.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tw-setup-sshd-apply.h"
#include "tw-setup-sshd.h"
#include "tw-setup-private.h"

#define LINES_END "TW_SSHD_LINES_END"

char *
tw_setup_sshd_apply_script_for_lines (TwTunnel    *tunnel,
                                      const char  *lines,
                                      GError     **error)
{
  g_autoptr(GString) script = NULL;
  g_autofree char *user = NULL;
  g_auto(GStrv) split = NULL;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (lines != NULL, NULL);

  if (!tw_setup_validate_user (tw_tunnel_get_user (tunnel), error))
    return NULL;

  /* The lines travel in a quoted here-document: only its end marker could break out. */
  split = g_strsplit (lines, "\n", -1);
  for (guint i = 0; split[i]; i++)
    if (g_str_equal (g_strchomp (split[i]), LINES_END) || strchr (split[i], '\r') != NULL)
      {
        g_set_error_literal (error, TW_SETUP_ERROR, TW_SETUP_ERROR_INVALID_KEY,
                             _("The sshd_config lines cannot be written into a script."));
        return NULL;
      }

  user = tw_setup_shell_quote (tw_tunnel_get_user (tunnel));
  script = g_string_new (NULL);
  g_string_append_printf (script,
    "#!/bin/bash\n"
    "# Tunnel Wizard: put the sshd settings for the tunnel user in place, safely.\n"
    "# See the change first: sudo bash sshd-tunnel.sh --dry-run\n"
    "# Apply: sudo bash sshd-tunnel.sh  (checks with sshd -t, then reloads sshd; the previous\n"
    "# settings come back by themselves after 120 s unless you confirm). Then log in again in a\n"
    "# NEW terminal, and if that works: sudo bash sshd-tunnel.sh --confirm\n"
    "set -eu\n"
    "umask 077\n"
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
    "\n"
    "tw_user=%s\n"
    "IFS= read -r -d '' tw_lines <<'" LINES_END "' || true\n"
    "%s%s"
    LINES_END "\n",
    user, lines, g_str_has_suffix (lines, "\n") || *lines == '\0' ? "" : "\n");

  g_string_append (script,
    TW_SETUP_SH_REQUIRE_ROOT
    "\n"
    "tw_mode=apply\n"
    "tw_revert_after=120\n"
    "while [ $# -gt 0 ]; do\n"
    "  case $1 in\n"
    "    --dry-run) tw_mode=dry-run ;;\n"
    "    --confirm) tw_mode=confirm ;;\n"
    "    --revert-after)\n"
    "      tw_revert_after=${2:-}\n"
    "      shift\n"
    "      ;;\n"
    "    *)\n"
    "      echo \"Unknown option: $1 (use --dry-run, --confirm or --revert-after SECONDS)\" >&2\n"
    "      exit 2\n"
    "      ;;\n"
    "  esac\n"
    "  shift\n"
    "done\n"
    "case $tw_revert_after in\n"
    "  '' | *[!0-9]*)\n"
    "    echo '--revert-after takes a number of seconds.' >&2\n"
    "    exit 2\n"
    "    ;;\n"
    "esac\n"
    "\n"
    "# One line per step for Tunnel Wizard: TW-STEP <step> <ok|changed|would-change|failed> <what>\n"
    "tw_step () {\n"
    "  printf 'TW-STEP %s %s %s\\n' \"$1\" \"$2\" \"$3\"\n"
    "}\n"
    "\n"
    "tw_config=/etc/ssh/sshd_config\n"
    "tw_dropin=/etc/ssh/sshd_config.d/50-tunnel-wizard-$tw_user.conf\n"
    "tw_begin=\"# BEGIN Tunnel Wizard: sshd settings for $tw_user\"\n"
    "tw_end=\"# END Tunnel Wizard: sshd settings for $tw_user\"\n"
    "tw_unit=tunnel-wizard-revert-$tw_user\n"
    "tw_revert_script=/run/$tw_unit.sh\n"
    "tw_revert_pid=/run/$tw_unit.pid\n"
    "\n"
    "# Debian 12 and Ubuntu include sshd_config.d at the top of sshd_config: a file of our own\n"
    "# there changes no other line. Elsewhere the lines go in a marked block at the very end.\n"
    "if grep -Eiq '^[[:space:]]*Include[[:space:]]+(/etc/ssh/)?sshd_config\\.d/\\*\\.conf([[:space:]]|$)' \"$tw_config\"; then\n"
    "  tw_target=$tw_dropin\n"
    "else\n"
    "  tw_target=$tw_config\n"
    "fi\n"
    "tw_backup=$tw_target.tunnel-wizard.bak\n"
    "\n"
    "# Reload, not restart: sessions that are open stay open.\n"
    "tw_reload () {\n"
    "  local pid_file\n"
    "  if [ -d /run/systemd/system ] &&\n"
    "     { systemctl reload ssh 2>/dev/null || systemctl reload sshd 2>/dev/null; }; then\n"
    "    return 0\n"
    "  fi\n"
    "  pid_file=$(sshd -T 2>/dev/null | awk '$1 == \"pidfile\" { print $2 }')\n"
    "  if [ -z \"$pid_file\" ]; then\n"
    "    pid_file=/run/sshd.pid\n"
    "  fi\n"
    "  if [ -s \"$pid_file\" ]; then\n"
    "    kill -HUP \"$(cat \"$pid_file\")\"\n"
    "  else\n"
    "    echo 'Found no running sshd to reload (no systemd unit ssh or sshd, no pid file).' >&2\n"
    "    return 1\n"
    "  fi\n"
    "}\n"
    "\n"
    "# Puts the file from before back, in one rename (or removes ours if there was none).\n"
    "tw_restore () {\n"
    "  if [ -e \"$tw_backup\" ]; then\n"
    "    cp -p \"$tw_backup\" \"$tw_target.tunnel-wizard.restore\" &&\n"
    "    mv -f \"$tw_target.tunnel-wizard.restore\" \"$tw_target\"\n"
    "  else\n"
    "    rm -f \"$tw_target\"\n"
    "  fi\n"
    "}\n"
    "\n"
    "tw_cancel_revert () {\n"
    "  if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null; then\n"
    "    systemctl stop \"$tw_unit.timer\" 2>/dev/null || true\n"
    "  elif [ -s \"$tw_revert_pid\" ]; then\n"
    "    kill -- \"-$(cat \"$tw_revert_pid\")\" 2>/dev/null || true\n"
    "  fi\n"
    "  rm -f \"$tw_revert_pid\" \"$tw_revert_script\"\n"
    "}\n"
    "\n"
    "# The revert runs on its own, even when this connection is gone: a systemd timer, or else a\n"
    "# background job in a session of its own.\n"
    "tw_arm_revert () {\n"
    "  tw_cancel_revert\n"
    "  {\n"
    "    echo '#!/bin/bash'\n"
    "    echo '# Tunnel Wizard: puts the sshd settings from before back and reloads sshd.'\n"
    "    echo \"PATH=$PATH\"\n"
    "    declare -p tw_target tw_backup\n"
    "    declare -f tw_restore tw_reload\n"
    "    echo 'tw_restore && tw_reload'\n"
    "    printf 'rm -f %q %q\\n' \"$tw_revert_pid\" \"$tw_revert_script\"\n"
    "  } >\"$tw_revert_script\"\n"
    "  if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null; then\n"
    "    systemd-run --quiet --unit=\"$tw_unit\" --on-active=\"$tw_revert_after\" /bin/bash \"$tw_revert_script\"\n"
    "  else\n"
    "    setsid nohup bash -c 'sleep \"$1\" && exec bash \"$2\"' tunnel-wizard-revert \\\n"
    "      \"$tw_revert_after\" \"$tw_revert_script\" </dev/null >/dev/null 2>&1 &\n"
    "    echo $! >\"$tw_revert_pid\"\n"
    "  fi\n"
    "}\n"
    "\n"
    "if [ \"$tw_mode\" = confirm ]; then\n"
    "  if [ -e \"$tw_revert_script\" ]; then\n"
    "    tw_cancel_revert\n"
    "    tw_step sshd-confirm changed \"kept the new settings in $tw_target; the revert is cancelled\"\n"
    "  else\n"
    "    tw_step sshd-confirm ok \"no revert was waiting\"\n"
    "  fi\n"
    "  exit 0\n"
    "fi\n"
    "\n"
    "# The file as it should be, next to it, so that it replaces the old one in one rename.\n"
    "tw_new=$(mktemp \"$tw_target.tunnel-wizard.XXXXXX\")\n"
    "trap 'rm -f \"$tw_new\"' EXIT\n"
    "if [ \"$tw_target\" = \"$tw_dropin\" ]; then\n"
    "  printf '%s' \"$tw_lines\" >\"$tw_new\"\n"
    "else\n"
    "  # Every line as it is, except an earlier block of ours, which the new one replaces.\n"
    "  awk -v begin=\"$tw_begin\" -v end=\"$tw_end\" '\n"
    "    $0 == begin { skip = 1 }\n"
    "    !skip { print }\n"
    "    $0 == end { skip = 0 }' \"$tw_config\" >\"$tw_new\"\n"
    "  printf '%s\\n%s%s\\n' \"$tw_begin\" \"$tw_lines\" \"$tw_end\" >>\"$tw_new\"\n"
    "fi\n"
    "\n"
    "if [ -e \"$tw_target\" ] && cmp -s \"$tw_new\" \"$tw_target\"; then\n"
    "  tw_step sshd-config ok \"$tw_target already has these settings\"\n"
    "  exit 0\n"
    "fi\n"
    "\n"
    "echo \"Changes to $tw_target:\"\n"
    "if [ -e \"$tw_target\" ]; then\n"
    "  tw_old=$tw_target\n"
    "else\n"
    "  tw_old=/dev/null\n"
    "fi\n"
    "if command -v diff >/dev/null; then\n"
    "  diff -u --label \"$tw_target (now)\" --label \"$tw_target (new)\" \"$tw_old\" \"$tw_new\" || true\n"
    "else\n"
    "  sed 's/^/+/' \"$tw_new\"\n"
    "fi\n"
    "\n"
    "if [ \"$tw_mode\" = dry-run ]; then\n"
    "  tw_step sshd-config would-change \"would write $tw_target (backup: $tw_backup)\"\n"
    "  tw_step sshd-check would-change \"would check the configuration with sshd -t\"\n"
    "  tw_step sshd-revert would-change \"would arm a revert in $tw_revert_after s, cancelled once a new login works\"\n"
    "  tw_step sshd-reload would-change \"would reload sshd (open sessions stay)\"\n"
    "  exit 0\n"
    "fi\n"
    "\n"
    "rm -f \"$tw_backup\"\n"
    "if [ -e \"$tw_target\" ]; then\n"
    "  cp -p \"$tw_target\" \"$tw_backup\"\n"
    "  chmod --reference=\"$tw_target\" \"$tw_new\"\n"
    "else\n"
    "  chmod 644 \"$tw_new\"\n"
    "fi\n"
    "chown root:root \"$tw_new\"\n"
    "mv -f \"$tw_new\" \"$tw_target\"\n"
    "tw_step sshd-config changed \"wrote $tw_target (backup: $tw_backup)\"\n"
    "\n"
    "if ! tw_check=$(sshd -t 2>&1); then\n"
    "  tw_restore\n"
    "  tw_step sshd-check failed \"sshd -t refused the new settings; the previous file is back\"\n"
    "  printf '%s\\n' \"$tw_check\" >&2\n"
    "  exit 1\n"
    "fi\n"
    "tw_step sshd-check ok \"sshd -t accepts the configuration\"\n"
    "\n"
    "tw_arm_revert\n"
    "tw_step sshd-revert changed \"armed: the previous settings come back in $tw_revert_after s unless confirmed (run this script with --confirm once a new login works)\"\n"
    "\n"
    "if ! tw_reload; then\n"
    "  tw_restore\n"
    "  tw_cancel_revert\n"
    "  tw_step sshd-reload failed \"sshd could not be reloaded; the previous file is back\"\n"
    "  exit 1\n"
    "fi\n"
    "tw_step sshd-reload changed \"reloaded sshd (open sessions stay)\"\n"
  );

  return g_string_free (g_steal_pointer (&script), FALSE);
}

char *
tw_setup_sshd_apply_script (TwTunnel     *tunnel,
                            TwPublicKey  *key,
                            GError      **error)
{
  g_autofree char *lines = NULL;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);

  lines = tw_setup_sshd_config (tunnel, key, error);
  if (lines == NULL)
    return NULL;
  return tw_setup_sshd_apply_script_for_lines (tunnel, lines, error);
}
