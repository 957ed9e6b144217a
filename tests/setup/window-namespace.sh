#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The server side of test-window-setup-apply: a throwaway system in a private mount namespace
# (/etc an overlay or a copy; /home, /root, /run, /var/log tmpfs) with a real sshd (StrictModes
# yes, Debian's drop-in layout), root and a sudo admin with a password, the destination ports.
# Started as
#   unshare -m --propagation private bash window-namespace.sh WORK
# with the sudo password as the first line on standard input. Writes the admin's key, the
# service key and the host key to WORK, prints "ready FINGERPRINT" and serves until standard
# input closes; the window under test logs in over loopback, so what it changes lands here.
# Ports from the environment: TW_SSH_PORT, TW_ALLOWED_PORT, TW_OTHER_PORT.
set -u

work=$1
IFS= read -r sudo_password
admin=tw-live-admin

. "$(dirname "$0")/namespace-lib.sh"
tw_cleanup_hook () { [ -s /run/sshd.pid ] && kill "$(cat /run/sshd.pid)" 2>/dev/null; }

tw_private_system /root /run
chmod 0700 /root
mkdir -p /run/sshd /etc/ssh/sshd_config.d /etc/sudoers.d
rm -f /etc/ssh/sshd_config.d/* /etc/sudoers.d/*

ssh-keygen -q -t ed25519 -N '' -C tw-admin -f "$work/admin-key"
ssh-keygen -q -t ed25519 -N '' -C tw-service -f "$work/service-key"
ssh-keygen -q -t ed25519 -N '' -C tw-live-host -f "$work/hostkey"
tw_admin_accounts "$admin"
tw_write_sshd_config
/usr/sbin/sshd -t || { echo "Bail out! sshd -t refused the test configuration"; exit 2; }
# An absolute path: sshd re-executes itself on SIGHUP (the reload).
/usr/sbin/sshd -f /etc/ssh/sshd_config -E "$work/sshd.log"
tw_start_destinations
tw_wait_ports "$TW_SSH_PORT" "$TW_ALLOWED_PORT" "$TW_OTHER_PORT"

# Meanwhile every process's command line and environment are searched for the sudo password.
scan () {
  local p
  while [ ! -e "$work/stop-scan" ]; do
    for p in /proc/[0-9]*; do
      if contains_password "$p/cmdline" || contains_password "$p/environ"; then
        echo "process ${p#/proc/}: $(tr '\0' ' ' <"$p/cmdline")" >>"$work/leaks"
      fi
    done
    echo x >>"$work/scans"
  done
}
scan &
scanner=$!
pids+=($scanner)

echo "ready $(ssh-keygen -lf "$work/hostkey.pub" | cut -d' ' -f2)"
# Serve until the test closes standard input; the namespace goes with the last process.
cat >/dev/null

touch "$work/stop-scan"
wait "$scanner"
echo "# $(wc -l <"$work/scans") scans of every process"
check "the password was looked for in every process meanwhile" test "$(wc -l <"$work/scans")" -ge 2
check "no process had the sudo password on its command line or in its environment" test ! -e "$work/leaks"
[ -e "$work/leaks" ] && sed 's/^/# leak: /' "$work/leaks"
in_files () { grep -rlsF -f <(printf '%s\n' "$sudo_password") "$@"; }
check "the sudo password is in no file under /etc, /home, /root, /run, /var/log" \
  test -z "$(in_files /etc /home /root /run /var/log)"
check "nor in the server's log" test -z "$(in_files "$work/sshd.log")"
[ "$failures" -eq 0 ]
