#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The generated Linux script run for real, then proven with a real sshd and the OpenSSH client.
# Started by test-setup-live as:  unshare -m --propagation private bash live-namespace.sh WORK SCENARIO
# so every mount below exists only in this private namespace and disappears with it: /etc is an
# overlay (or a copy), /home and /var/log are tmpfs; the machine's own files stay untouched.
#
# WORK holds: setup.sh (the generated script), expected-keys (the authorized_keys it should
# produce), blob, key (the private key), and for some scenarios dropin.conf (the generated
# sshd_config lines) and from-mismatch-line. Ports and names come from the environment:
# TW_USER, TW_SHELL, TW_SSH_PORT, TW_ALLOWED_PORT, TW_OTHER_PORT, TW_LOCAL_PORT; the scenario
# "reverse" (this machine asks the bastion to listen) also TW_REMOTE_ADDRESS, TW_REMOTE_PORT
# and TW_OTHER_REMOTE_PORT.
# Prints "ok - …" / "not ok - …" lines; exits 1 if any check failed.
set -u

work=$1
scenario=$2

. "$(dirname "$0")/namespace-lib.sh"

# --- A throwaway system -------------------------------------------------------------------
tw_private_system

if getent passwd "$TW_USER" >/dev/null; then
  echo "Bail out! $TW_USER already exists"
  exit 2
fi

# --- The script, twice --------------------------------------------------------------------
run_setup () { bash "$work/setup.sh" >>"$work/setup.log" 2>&1; }
mode_owner () { stat -c '%a %U %G' "$1"; }
blob=$(cat "$work/blob")
count_key () { grep -v '^[[:space:]]*#' "$keys" | grep -cF -- "$blob"; }

check "the script runs as root" run_setup
home=$(getent passwd "$TW_USER" | cut -d: -f6)
keys=$home/.ssh/authorized_keys
# A stand-in key left from a check (tunnel-check stand-in) goes on the next run.
printf '%s\n' 'expiry-time="20991231000000Z" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOVn0gcu1oKtPQQK9pxHp8ikVQi7D36v2GnlaIbpeBWK tunnel-wizard-stand-in' >>"$keys"
check "the script runs a second time" run_setup
check "the second run removed the stand-in key" \
  grep -q 'TW-STEP stand-in changed remove the stand-in key' "$work/setup.log"
check "and only it" test "$(grep -c . "$keys")" = 1
check "the user exists with home $home" test -n "$home" -a -d "$home"
group_exists () { getent group "$TW_USER" >/dev/null; }
check "the group exists" group_exists
check "the shell is $TW_SHELL" test "$(getent passwd "$TW_USER" | cut -d: -f7)" = "$TW_SHELL"
check "the account is unlocked for key login (password field *)" \
  test "$(getent shadow "$TW_USER" | cut -d: -f2)" = '*'
check "the key is in authorized_keys exactly once" test "$(count_key)" = 1
check "authorized_keys is exactly the generated line" cmp -s "$keys" "$work/expected-keys"
check "~/.ssh is 700 and the user's" test "$(mode_owner "$home/.ssh")" = "700 $TW_USER $TW_USER"
check "authorized_keys is 600 and the user's" test "$(mode_owner "$keys")" = "600 $TW_USER $TW_USER"

if [ "$scenario" = plain ]; then
  # Loosened by hand: the script tightens everything back.
  chmod 0777 "$home"
  chmod 0775 "$home/.ssh"
  chmod 0666 "$keys"
  chown root:root "$keys"
  check "the script runs over loosened permissions" run_setup
  check "home is no longer writable by group or others" \
    test $((0$(stat -c %a "$home") & 022)) = 0
  check "a loosened ~/.ssh is 700 again" test "$(mode_owner "$home/.ssh")" = "700 $TW_USER $TW_USER"
  check "a loosened authorized_keys is 600 and the user's again" \
    test "$(mode_owner "$keys")" = "600 $TW_USER $TW_USER"

  # A 0600 directory hides the key from sshd: the owner gets x, nobody else anything.
  chmod 0600 "$home/.ssh"
  check "the script runs over a 600 ~/.ssh" run_setup
  check "a 600 ~/.ssh becomes 700" test "$(stat -c %a "$home/.ssh")" = 700

  # A symbolic link is refused: root would write where the user points it.
  mv "$home/.ssh" "$home/.ssh.real"
  ln -s /etc "$home/.ssh"
  check "a symlinked ~/.ssh makes the script fail" test "$(run_setup; echo $?)" != 0
  check "and nothing was written through the link" test ! -e /etc/authorized_keys
  rm "$home/.ssh"
  mv "$home/.ssh.real" "$home/.ssh"

  # Already there with other options and another comment, the file without a final newline,
  # and a commented-out copy: not added again, file unchanged.
  printf '# %s\nno-pty %s %s another-comment' "$(cat "$work/expected-keys")" \
    "$(cut -d' ' -f1 "$work/expected-keys")" "$blob" >"$keys"
  cp "$keys" "$work/keys-before"
  check "the script runs over a differently written copy" run_setup
  check "a copy with other options and comment counts: file unchanged" cmp -s "$keys" "$work/keys-before"
  check "and the script says the line differs from the generated one" \
    grep -q 'Its options or comment differ' "$work/setup.log"

  # Another key on a last line without a newline: ours goes on a line of its own.
  printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOtherKeyOth other' >"$keys"
  check "the script runs after another key" run_setup
  check "the other key stays on line 1" test "$(head -n 1 "$keys")" = \
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOtherKeyOth other'
  check "our key is line 2, whole" test "$(sed -n 2p "$keys")" = "$(cat "$work/expected-keys")"
  check "two lines in all" test "$(wc -l <"$keys")" = 2

  # Stricter than needed on purpose: kept.
  chmod 0500 "$home/.ssh"
  chmod 0400 "$keys"
  check "the script runs over strict modes" run_setup
  check "a 500 ~/.ssh stays 500" test "$(stat -c %a "$home/.ssh")" = 500
  check "a 400 authorized_keys stays 400" test "$(stat -c %a "$keys")" = 400
  check "still exactly one copy of the key" test "$(count_key)" = 1
fi

# --- A real sshd, StrictModes yes, default AuthorizedKeysFile -------------------------------
ssh-keygen -q -t ed25519 -N '' -C tw-live-host -f "$work/hostkey"
{
  # The generated drop-in comes first, where Debian's Include puts sshd_config.d.
  [ -f "$work/dropin.conf" ] && echo "Include $work/dropin.conf"
  cat <<EOF
Port $TW_SSH_PORT
ListenAddress 127.0.0.1
HostKey $work/hostkey
PidFile $work/sshd.pid
UsePAM no
StrictModes yes
PasswordAuthentication no
KbdInteractiveAuthentication no
LogLevel VERBOSE
EOF
} >"$work/sshd_config"
check "sshd -t accepts the configuration" /usr/sbin/sshd -t -f "$work/sshd_config"

/usr/sbin/sshd -D -f "$work/sshd_config" -E "$work/sshd.log" &
pids+=($!)
tw_start_destinations
tw_wait_ports "$TW_SSH_PORT" "$TW_ALLOWED_PORT" "$TW_OTHER_PORT"

tw_use_key "$work/key" "$TW_USER"
tw_command () { timeout 20 ssh "${ssh_opts[@]}" "$TW_USER@127.0.0.1" "$@" </dev/null 2>>"$work/ssh.log"; }

finish () {
  echo "# setup.log:"; sed 's/^/#   /' "$work/setup.log"
  if [ "$failures" -gt 0 ]; then
    echo "# sshd.log:"; sed 's/^/#   /' "$work/sshd.log"
    echo "# ssh.log:"; sed 's/^/#   /' "$work/ssh.log" 2>/dev/null
    echo "# engine.log:"; sed 's/^/#   /' "$work/engine.log" 2>/dev/null
    exit 1
  fi
  exit 0
}

# --- Reverse: the bastion listens for this machine (ssh -R) --------------------------------
if [ "$scenario" = reverse ]; then
  # What the client asks for is what permitlisten names; sshd binds "localhost" to loopback.
  connect_to=$TW_REMOTE_ADDRESS
  [ "$connect_to" = localhost ] && connect_to=127.0.0.1
  # tw_remote LISTEN_ADDRESS:PORT: ssh -N -R in the background, to the destination
  tw_remote () {
    timeout 30 ssh "${ssh_opts[@]}" -N -o ExitOnForwardFailure=yes \
      -R "$1:127.0.0.1:$TW_ALLOWED_PORT" "$TW_USER@127.0.0.1" </dev/null 2>>"$work/ssh.log" &
  }
  through_remote () {
    local i out
    for i in $(seq 100); do
      out=$(socat -T 5 - "TCP:$connect_to:$TW_REMOTE_PORT" </dev/null 2>/dev/null) && [ "$out" = allowed-port ] && return 0
      sleep 0.05
    done
    return 1
  }
  # Refused: ExitOnForwardFailure makes ssh give up at once (255); allowed, it would stay.
  remote_refused () {
    timeout 20 ssh "${ssh_opts[@]}" -N -o ExitOnForwardFailure=yes \
      -R "$1:127.0.0.1:$TW_ALLOWED_PORT" "$TW_USER@127.0.0.1" </dev/null 2>>"$work/ssh.log"
    test $? = 255
  }

  tw_remote "$TW_REMOTE_ADDRESS:$TW_REMOTE_PORT"
  remote_forward=$!
  pids+=($remote_forward)
  check "ssh -N -R: the permitted port on $connect_to leads back to the destination" through_remote
  kill "$remote_forward" 2>/dev/null
  port_closed () {
    local i
    for i in $(seq 100); do
      (exec 3<>"/dev/tcp/$connect_to/$TW_REMOTE_PORT") 2>/dev/null || return 0
      sleep 0.05
    done
    return 1
  }

  # The app's own engine (libssh), as the wizard and tunnel-check reverse run it.
  if [ -n "${TUNNEL_CHECK:-}" ] && [ -x "$TUNNEL_CHECK" ]; then
    port_closed
    fingerprint=$(ssh-keygen -lf "$work/hostkey.pub" | cut -d' ' -f2)
    timeout 30 "$TUNNEL_CHECK" reverse --host 127.0.0.1 --port "$TW_SSH_PORT" --user "$TW_USER" \
      --remote-port "$TW_REMOTE_PORT" --bind "$TW_REMOTE_ADDRESS" --to "127.0.0.1:$TW_ALLOWED_PORT" \
      --identity "$work/key" --expect-fingerprint "$fingerprint" </dev/null >>"$work/engine.log" 2>&1 &
    engine=$!
    pids+=($engine)
    check "tunnel-check reverse: the permitted port on $connect_to leads back to the destination" through_remote
    kill "$engine" 2>/dev/null
    wait "$engine" 2>/dev/null
  fi

  check "ssh -R on another port is refused" remote_refused "$TW_REMOTE_ADDRESS:$TW_OTHER_REMOTE_PORT"
  check "the refusal is sshd's (the listen request was denied)" \
    grep -qE "remote forward to host $TW_REMOTE_ADDRESS port $TW_OTHER_REMOTE_PORT, but the request was denied" "$work/sshd.log"
  if [ "$TW_REMOTE_ADDRESS" = localhost ]; then
    check "the same port as 127.0.0.1 is refused: the listen host is compared literally" \
      remote_refused "127.0.0.1:$TW_REMOTE_PORT"
  fi

  check "ssh -W (a local forward) is refused" \
    test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT"; echo "exit $?")" != "allowed-port
exit 0"
  check "the refusal is sshd's (AllowTcpForwarding remote)" \
    grep -qF "refused local port forward" "$work/sshd.log"
  timeout 20 ssh "${ssh_opts[@]}" -N -o ExitOnForwardFailure=yes \
    -L "127.0.0.1:$TW_LOCAL_PORT:127.0.0.1:$TW_ALLOWED_PORT" "$TW_USER@127.0.0.1" </dev/null 2>>"$work/ssh.log" &
  local_forward=$!
  pids+=($local_forward)
  nothing_through_local () {
    wait_port "$TW_LOCAL_PORT" || return 1
    test "$(socat -T 5 - "TCP:127.0.0.1:$TW_LOCAL_PORT" </dev/null 2>/dev/null)" != allowed-port
  }
  check "ssh -N -L: nothing reaches the destination" nothing_through_local
  kill "$local_forward" 2>/dev/null
  check "a command does not run" test "$(tw_command echo reached; echo "exit $?")" != "reached
exit 0"
  finish
fi

check "ssh -W forwards to the destination port" \
  test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT")" = allowed-port

# ssh -N -L, the way a tunnel is usually held open
timeout 20 ssh "${ssh_opts[@]}" -N -o ExitOnForwardFailure=yes \
  -L "127.0.0.1:$TW_LOCAL_PORT:127.0.0.1:$TW_ALLOWED_PORT" "$TW_USER@127.0.0.1" </dev/null 2>>"$work/ssh.log" &
local_forward=$!
pids+=($local_forward)
through_local () {
  local i out
  for i in $(seq 100); do
    out=$(socat -T 5 - "TCP:127.0.0.1:$TW_LOCAL_PORT" </dev/null 2>/dev/null) && [ "$out" = allowed-port ] && return 0
    sleep 0.05
  done
  return 1
}
check "ssh -N -L forwards a local port to the destination" through_local
kill "$local_forward" 2>/dev/null

if [ "$scenario" = plain ]; then
  check "the user logs in and runs a command" test "$(tw_command id -un)" = "$TW_USER"
  check "ssh -W to another port also works (no restriction asked for)" \
    test "$(tw_forward "127.0.0.1:$TW_OTHER_PORT")" = other-port
else
  check "a forward to another port is refused" \
    test "$(tw_forward "127.0.0.1:$TW_OTHER_PORT"; echo "exit $?")" != "other-port
exit 0"
  check "the refusal is sshd's (the request was denied)" \
    grep -qF "to connect to host 127.0.0.1 port $TW_OTHER_PORT, but the request was denied" "$work/sshd.log"
  check "the same port by another name (localhost) is refused: permitopen is literal" \
    test "$(tw_forward "localhost:$TW_ALLOWED_PORT"; echo "exit $?")" != "allowed-port
exit 0"
  check "a command does not run" test "$(tw_command echo reached; echo "exit $?")" != "reached
exit 0"
  if [ -f "$work/dropin.conf" ] && grep -q 'ssh-rsa' "$work/dropin.conf"; then
    check "a client limited to ssh-rsa (SHA-1) signatures gets in: the drop-in's RSA line" \
      test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT" -o PubkeyAcceptedAlgorithms=ssh-rsa)" = allowed-port
  fi
  if [ -f "$work/from-mismatch-line" ]; then
    cp "$work/from-mismatch-line" "$keys"
    check "with from= naming other addresses, the key is refused" \
      test "$(tw_forward "127.0.0.1:$TW_ALLOWED_PORT"; echo "exit $?")" != "allowed-port
exit 0"
    check "the refusal is from= (not from a permitted host)" \
      grep -q 'with correct key but not from a permitted host' "$work/sshd.log"
  fi
fi

finish
