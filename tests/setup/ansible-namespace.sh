#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The generated Ansible playbook run for real (ansible-playbook -c local), then proven with a
# real sshd and the OpenSSH client logging in with the service's key.
# Started by test-setup-ansible-live as:
#   unshare -m --propagation private bash ansible-namespace.sh WORK
# /etc is an overlay (or a copy), /home and /var/log are tmpfs: all of it vanishes with the
# namespace. WORK holds play.yml, key (the service's private key), blob (its base64) and
# expected-line (the authorized_keys line of the Linux script).
# Environment: TW_USER, TW_SSH_PORT, TW_ALLOWED_PORT, TW_OTHER_PORT.
# Prints "ok - …" / "not ok - …" lines; exits 1 if any check failed.
set -u

work=$1

. "$(dirname "$0")/namespace-lib.sh"

tw_private_system

if getent passwd "$TW_USER" >/dev/null; then
  echo "Bail out! $TW_USER already exists"
  exit 2
fi

# Ansible's own scratch files stay in WORK; the reload is left out (no systemd here): the
# test starts its own sshd on the result instead.
export ANSIBLE_LOCAL_TEMP=$work/ansible-local ANSIBLE_REMOTE_TEMP=$work/ansible-remote
printf '[defaults]\n' >"$work/ansible.cfg"
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_CONFIG=$work/ansible.cfg HOME=$work
run_play () {
  ansible-playbook -c local -i 'localhost,' -e tw_hosts=all --skip-tags reload \
    "$work/play.yml" >"$work/ansible-$1.log" 2>&1
}
check "ansible-playbook -c local runs" run_play 1
check "a second run runs" run_play 2
check "and changes nothing" grep -qE 'localhost +: ok=[0-9]+ +changed=0 ' "$work/ansible-2.log"

home=$(getent passwd "$TW_USER" | cut -d: -f6)
keys=$home/.ssh/authorized_keys
blob=$(cat "$work/blob")
check "the user exists with home $home" test -n "$home" -a -d "$home"
check "the shell is nologin" test "$(getent passwd "$TW_USER" | cut -d: -f7)" = /usr/sbin/nologin
check "the password field is *" test "$(getent shadow "$TW_USER" | cut -d: -f2)" = '*'
check "the key is in authorized_keys once" test "$(grep -cF -- "$blob" "$keys")" = 1
check "with its options" grep -qF "restrict,port-forwarding,permitopen=\"127.0.0.1:$TW_ALLOWED_PORT\"" "$keys"
check "the line is the generated authorized_keys line, comment and all" \
  grep -qxF -- "$(cat "$work/expected-line")" "$keys"
dropin=/etc/ssh/sshd_config.d/50-tunnel-wizard-$TW_USER.conf
check "the drop-in is in place" test -f "$dropin"

ssh-keygen -q -t ed25519 -N '' -C tw-live-host -f "$work/hostkey"
cat >"$work/sshd_config" <<EOF2
Include $dropin
Port $TW_SSH_PORT
ListenAddress 127.0.0.1
HostKey $work/hostkey
PidFile $work/sshd.pid
UsePAM no
StrictModes yes
PasswordAuthentication no
KbdInteractiveAuthentication no
LogLevel VERBOSE
EOF2
check "sshd -t accepts the configuration with the drop-in" /usr/sbin/sshd -t -f "$work/sshd_config"
/usr/sbin/sshd -D -f "$work/sshd_config" -E "$work/sshd.log" &
pids+=($!)
tw_start_destinations
tw_wait_ports "$TW_SSH_PORT" "$TW_ALLOWED_PORT" "$TW_OTHER_PORT"

tw_use_key "$work/key" "$TW_USER"
check "the service's key logs in and ssh -W reaches the destination" \
  test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT")" = allowed-port
check "a forward to another port is refused" \
  test "$(tw_forward "127.0.0.1:$TW_OTHER_PORT"; echo "exit $?")" != "other-port
exit 0"
check "the refusal is sshd's" \
  grep -qF "to connect to host 127.0.0.1 port $TW_OTHER_PORT, but the request was denied" "$work/sshd.log"

if [ "$failures" -gt 0 ]; then
  tw_show_logs ansible-1 ansible-2 sshd ssh
  exit 1
fi
exit 0
