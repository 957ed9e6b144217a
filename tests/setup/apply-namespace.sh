#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `tunnel-check setup --apply` against a real sshd (StrictModes yes) in a private mount
# namespace: /etc is an overlay (or a copy), /home, /root, /run and /var/log are tmpfs, so the
# machine's own files stay untouched. Started by test-setup-apply-live as
#   unshare -m --propagation private bash apply-namespace.sh WORK
# with the sudo password on standard input (never in an environment or on a command line, so
# that the scan below can look for it everywhere). Ports from the environment: TW_SSH_PORT,
# TW_ALLOWED_PORT, TW_OTHER_PORT; TUNNEL_CHECK is the program under test.
# Prints "ok - …" / "not ok - …" lines; exits 1 if any check failed.
set -u

work=$1
IFS= read -r sudo_password
tunnel_user=tw-live-test
admin=tw-live-admin
nosudo=tw-live-nosudo
dropin=/etc/ssh/sshd_config.d/50-tunnel-wizard-$tunnel_user.conf

. "$(dirname "$0")/namespace-lib.sh"
# /run is this namespace's own tmpfs: the pid file is the test's sshd, never the machine's.
tw_cleanup_hook () { [ -s /run/sshd.pid ] && kill "$(cat /run/sshd.pid)" 2>/dev/null; }

# --- A throwaway system -------------------------------------------------------------------
tw_private_system /root /run
chmod 0700 /root
mkdir -p /run/sshd /etc/ssh/sshd_config.d /etc/sudoers.d
rm -f /etc/ssh/sshd_config.d/* /etc/sudoers.d/*

# --- Accounts: root, an admin who may sudo (with a password), one who may not ---------------
ssh-keygen -q -t ed25519 -N '' -C tw-admin -f "$work/admin-key"
ssh-keygen -q -t rsa -b 2048 -N '' -C tw-service -f "$work/service-key"
ssh-keygen -q -t ed25519 -N '' -C tw-live-host -f "$work/hostkey"
tw_admin_accounts "$admin" "$nosudo"
tw_write_sshd_config
check "sshd -t accepts the test configuration" /usr/sbin/sshd -t
# An absolute path: sshd re-executes itself on SIGHUP (the reload).
/usr/sbin/sshd -f /etc/ssh/sshd_config -E "$work/sshd.log"
tw_start_destinations
tw_wait_ports "$TW_SSH_PORT" "$TW_ALLOWED_PORT" "$TW_OTHER_PORT"

fingerprint=$(ssh-keygen -lf "$work/hostkey.pub" | cut -d' ' -f2)
: >"$work/empty-known-hosts"
run=0
# tunnel_check LOGIN [options]: setup --apply as LOGIN; output in $work/out.N, exit in $status
tunnel_check () {
  local login=$1
  shift
  run=$((run + 1))
  out=$work/out.$run
  timeout 120 "$TUNNEL_CHECK" setup --service-key "$work/service-key.pub" --user "$tunnel_user" \
    --dest "127.0.0.1:$TW_ALLOWED_PORT" --least-privilege --from 127.0.0.1 \
    --apply --host 127.0.0.1 --port "$TW_SSH_PORT" --login-user "$login" \
    --identity "$work/admin-key" "$@" </dev/null >"$out" 2>&1
  status=$?
  sed "s/^/# [$run] /" "$out"
}
said () { grep -qF -- "$1" "$out"; }
# step_said STATUS STEP: the human output has that step line
step_said () { grep -qE -- "^$1 +$2 " "$out"; }

# --- 1. An unconfirmed host key: nothing is sent ---------------------------------------------
tunnel_check root --known-hosts "$work/empty-known-hosts"
check "an unknown host key stops it (exit 1)" test "$status" = 1
check "and the message shows the fingerprint" said "$fingerprint"
check "no login was even tried" test "$(grep -c 'Accepted\|Failed\|Postponed' "$work/sshd.log")" = 0
tunnel_check root --expect-fingerprint SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
check "a different expected fingerprint stops it (exit 1)" test "$status" = 1
check "still no login tried" test "$(grep -c 'Accepted\|Failed\|Postponed' "$work/sshd.log")" = 0

# --- 2. The dry run changes nothing -----------------------------------------------------------
tunnel_check root --expect-fingerprint "$fingerprint" --dry-run
check "the dry run as root succeeds" test "$status" = 0
check "the dry run says the user would be created" step_said "would change" user
check "the dry run shows the sshd_config diff" said "+Match User $tunnel_user"
no_user () { ! getent passwd "$tunnel_user" >/dev/null; }
check "after the dry run there is no user" no_user
check "and no drop-in" test ! -e "$dropin"

# --- 3. Apply as a sudo user with a password, the password looked for everywhere meanwhile ----
# contains_password (namespace-lib.sh) uses builtins only: a grep would show the password.
scan () {
  local p pid
  while [ ! -e "$work/stop-scan" ]; do
    for p in /proc/[0-9]*; do
      pid=${p#/proc/}
      if contains_password "$p/cmdline"; then
        echo "cmdline of $pid: $(tr '\0' ' ' <"$p/cmdline")" >>"$work/leaks"
      fi
      # tunnel-check gets it in its environment and wipes it: checked below, once it runs.
      if [ "$pid" != "$(cat "$work/tc.pid" 2>/dev/null)" ] && contains_password "$p/environ"; then
        echo "environ of $pid: $(tr '\0' ' ' <"$p/cmdline")" >>"$work/leaks"
      fi
    done
    echo x >>"$work/scans"
  done
}
run=$((run + 1))
out=$work/out.$run
# No timeout(1) in between: it would keep the variable in its own environment.
TW_SUDO_PASSWORD=$sudo_password "$TUNNEL_CHECK" setup --service-key "$work/service-key.pub" \
  --user "$tunnel_user" --dest "127.0.0.1:$TW_ALLOWED_PORT" --least-privilege --from 127.0.0.1 \
  --apply --host 127.0.0.1 --port "$TW_SSH_PORT" --login-user "$admin" --identity "$work/admin-key" \
  --expect-fingerprint "$fingerprint" --sudo-password-env TW_SUDO_PASSWORD --revert-after 4 \
  </dev/null >"$out" 2>&1 &
tc=$!
echo "$tc" >"$work/tc.pid"
scan &
scanner=$!
pids+=($scanner)
for i in $(seq 200); do
  grep -q '^ok  *login' "$out" && break
  sleep 0.05
done
check "tunnel-check's own environment no longer holds the sudo password once it runs" \
  eval '! contains_password /proc/$tc/environ'
wait "$tc"
status=$?
touch "$work/stop-scan"
wait "$scanner"
sed "s/^/# [$run] /" "$out"
check "apply as a sudo user with a password succeeds (exit 0)" test "$status" = 0
echo "# $(wc -l <"$work/scans") scans of every process while it ran"
# One whole pass over every process while it ran at least (a loaded machine manages no more).
check "the password was looked for in every process while it ran" test "$(wc -l <"$work/scans")" -ge 1
check "no process had the password on its command line or in its environment" test ! -e "$work/leaks"
[ -e "$work/leaks" ] && sed 's/^/# leak: /' "$work/leaks"
check "the user was created" step_said changed user
check "the key was added" step_said changed key
check "sshd was reloaded" step_said changed sshd-reload
check "a new login worked and kept the change" step_said changed sshd-confirm
check "the drop-in is there" test -f "$dropin"
check "sshd really reloaded (SIGHUP)" grep -q 'Received SIGHUP' "$work/sshd.log"
sleep 5
check "the confirmed change outlives the revert delay" test -f "$dropin"
check "no revert is left waiting" test ! -e "/run/tunnel-wizard-revert-$tunnel_user.pid"

# --- 4. The service's key works with the OpenSSH client ---------------------------------------
tw_use_key "$work/service-key" "$tunnel_user"
check "ssh -W with the service key forwards to the destination" \
  test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT")" = allowed-port
check "a client limited to ssh-rsa (SHA-1) signatures gets in: the applied RSA line" \
  test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT" -o PubkeyAcceptedAlgorithms=ssh-rsa)" = allowed-port
check "a forward to another port is refused (least privilege applied)" \
  test "$(tw_forward "127.0.0.1:$TW_OTHER_PORT")" != other-port

# --- 5. Twice: nothing changes --------------------------------------------------------------
cp -a "$dropin" "$work/dropin-applied"
keys=$(getent passwd "$tunnel_user" | cut -d: -f6)/.ssh/authorized_keys
cp -a "$keys" "$work/keys-applied"
tunnel_check root --expect-fingerprint "$fingerprint" --dry-run
check "the second dry run succeeds" test "$status" = 0
check "the second dry run says nothing would change" said "Dry run: nothing would change"
tunnel_check root --expect-fingerprint "$fingerprint" --revert-after 4
check "applying again as root succeeds" test "$status" = 0
check "and says there was nothing to do" said "Nothing to do"
check "no step changed anything" test "$(grep -c '^changed\|^would change' "$out")" = 0
check "authorized_keys is as it was" cmp -s "$keys" "$work/keys-applied"
check "the drop-in is as it was" cmp -s "$dropin" "$work/dropin-applied"

# --- 6. sudo refusing, each in its own words ------------------------------------------------
TW_SUDO_PASSWORD=wrong-$sudo_password tunnel_check "$admin" --expect-fingerprint "$fingerprint" \
  --sudo-password-env TW_SUDO_PASSWORD
check "a wrong sudo password fails (exit 1)" test "$status" = 1
check "and says sudo refused the password" said "sudo refused the password"
TW_SUDO_PASSWORD=$sudo_password tunnel_check "$nosudo" --expect-fingerprint "$fingerprint" \
  --sudo-password-env TW_SUDO_PASSWORD
check "a user without sudo fails (exit 1)" test "$status" = 1
check "and says the user may not use sudo" said "may not use sudo"
tunnel_check "$admin" --expect-fingerprint "$fingerprint"
check "sudo asking for a password nobody gave fails (exit 1)" test "$status" = 1
check "and says sudo asks for the password" said "asks for the password"

# --- 7. A broken line: sshd -t refuses it, the old file comes back --------------------------
{ cat "$dropin"; echo 'NoSuchOption yes'; } >"$work/broken.conf"
tunnel_check root --expect-fingerprint "$fingerprint" --sshd-lines "$work/broken.conf" --revert-after 4
check "a broken sshd_config line fails (exit 1)" test "$status" = 1
check "sshd's own message is shown" said "NoSuchOption"
check "the previous drop-in is back" cmp -s "$dropin" "$work/dropin-applied"
check "sshd was not reloaded for it" test "$(grep -c 'Received SIGHUP' "$work/sshd.log")" = 1

# --- 8. A change that locks the admin out: the armed revert undoes it -----------------------
{ echo "AllowUsers $tunnel_user"; cat "$dropin"; } >"$work/lockout.conf"
tunnel_check root --expect-fingerprint "$fingerprint" --sshd-lines "$work/lockout.conf" --revert-after 3
check "a change that locks the admin out fails (exit 1)" test "$status" = 1
check "and says it was rolled back" said "rolled back"
check "the new login was refused at first" step_said FAILED sshd-login
check "the previous drop-in is back" cmp -s "$dropin" "$work/dropin-applied"
admin_login () {
  timeout 20 ssh -F /dev/null -i "$work/admin-key" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    -p "$TW_SSH_PORT" "$1@127.0.0.1" id -un </dev/null 2>>"$work/ssh.log"
}
check "root logs in again with the OpenSSH client" test "$(admin_login root)" = root
check "so does the sudo admin" test "$(admin_login "$admin")" = "$admin"

# --- 9. Cancelled while it waits: the server still reverts on its own ------------------------
run=$((run + 1))
out=$work/out.$run
"$TUNNEL_CHECK" setup --service-key "$work/service-key.pub" --user "$tunnel_user" \
  --dest "127.0.0.1:$TW_ALLOWED_PORT" --least-privilege --from 127.0.0.1 \
  --apply --host 127.0.0.1 --port "$TW_SSH_PORT" --login-user root --identity "$work/admin-key" \
  --expect-fingerprint "$fingerprint" --sshd-lines "$work/lockout.conf" --revert-after 6 \
  </dev/null >"$out" 2>&1 &
tc=$!
for i in $(seq 400); do
  step_said FAILED sshd-login && break
  sleep 0.05
done
kill -INT "$tc"
cancelled_at=$(date +%s%N)
wait "$tc"
status=$?
took_ms=$((($(date +%s%N) - cancelled_at) / 1000000))
sed "s/^/# [$run] /" "$out"
echo "# cancelled in $took_ms ms"
check "Ctrl+C while waiting for the revert ends the run (exit 1)" test "$status" = 1
check "within a second" test "$took_ms" -lt 1000
check "and says the server reverts by itself" said "the server reverts its sshd settings by itself"
sleep 7
check "the armed revert put the previous drop-in back without the client" cmp -s "$dropin" "$work/dropin-applied"
check "and root logs in again" test "$(admin_login root)" = root

# --- 10. No Include line: a marked block at the end of sshd_config, nothing else touched ------
sed -i '/^Include /d' /etc/ssh/sshd_config
rm -f "$dropin" "$dropin.tunnel-wizard.bak"
cp -a /etc/ssh/sshd_config "$work/main-before"
tunnel_check root --expect-fingerprint "$fingerprint" --revert-after 4
check "applying with no sshd_config.d Include succeeds" test "$status" = 0
check "the lines went in a marked block in sshd_config" \
  grep -qx "# BEGIN Tunnel Wizard: sshd settings for $tunnel_user" /etc/ssh/sshd_config
check "every line before it is as it was" \
  cmp -s "$work/main-before" <(head -n "$(wc -l <"$work/main-before")" /etc/ssh/sshd_config)
check "the previous sshd_config is kept as a backup" cmp -s "$work/main-before" /etc/ssh/sshd_config.tunnel-wizard.bak
check "no drop-in was written" test ! -e "$dropin"
check "the service key still forwards" test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT")" = allowed-port
tunnel_check root --expect-fingerprint "$fingerprint" --revert-after 4
check "applying the block again changes nothing" said "Nothing to do"

# --- 12. The bastion forbids forwarding: --allow-forwarding is the fix ------------------------
# Only the global rule speaks: no least-privilege block (which allows its one forward) any more.
sed -i "/^# BEGIN Tunnel Wizard: sshd settings for $tunnel_user\$/,/^# END Tunnel Wizard: sshd settings for $tunnel_user\$/d" \
  /etc/ssh/sshd_config
sed -i '1i AllowTcpForwarding no' /etc/ssh/sshd_config
check "sshd -t accepts the forbidding configuration" /usr/sbin/sshd -t
kill -HUP "$(cat /run/sshd.pid)"
sleep 1
tw_wait_ports "$TW_SSH_PORT"
check "the service key's forward is refused now (the fix has something to fix)" \
  test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT")" != allowed-port
forward_fix () {
  run=$((run + 1))
  out=$work/out.$run
  timeout 120 "$TUNNEL_CHECK" setup --service-key "$work/service-key.pub" --user "$tunnel_user" \
    --dest "127.0.0.1:$TW_ALLOWED_PORT" --from 127.0.0.1 \
    --apply --host 127.0.0.1 --port "$TW_SSH_PORT" --login-user root --identity "$work/admin-key" \
    --expect-fingerprint "$fingerprint" --revert-after 4 "$@" </dev/null >"$out" 2>&1
  status=$?
  sed "s/^/# [$run] /" "$out"
}
forward_fix --allow-forwarding --dry-run
check "the dry run of the fix succeeds" test "$status" = 0
check "and shows the lines that allow forwarding" said "+    AllowTcpForwarding local"
forward_fix --allow-forwarding
check "applying the fix succeeds" test "$status" = 0
check "a new login worked and kept it" step_said changed sshd-confirm
check "the block lets the tunnel user forward" grep -qx "    AllowTcpForwarding local" /etc/ssh/sshd_config
check "the global rule is untouched" grep -qx "AllowTcpForwarding no" /etc/ssh/sshd_config
check "ssh -W with the service key forwards again" \
  test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT")" = allowed-port
forward_fix --allow-forwarding
check "the fix again changes nothing" said "Nothing to do"

# --- 11. The sudo password is in no file and no report ----------------------------------------
in_files () { grep -rlsF -f <(printf '%s\n' "$sudo_password") "$@"; }
check "the sudo password is in no file under /etc, /home, /root, /run, /var/log" \
  test -z "$(in_files /etc /home /root /run /var/log)"
check "nor in any output, log or report of the run" test -z "$(in_files "$work")"

if [ "$failures" -gt 0 ]; then
  tw_show_logs sshd ssh
  exit 1
fi
exit 0
