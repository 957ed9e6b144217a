# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by the live setup scripts (live-, ansible- and apply-namespace.sh), which run inside
# `unshare -m --propagation private`: TAP lines, a throwaway system, and the OpenSSH client as
# the oracle. Expects $work (the test's folder).

failures=0
pids=()

ok () { echo "ok - $*"; }
not_ok () { echo "not ok - $*"; failures=$((failures + 1)); }
check () {
  local description=$1
  shift
  if "$@"; then ok "$description"; else not_ok "$description"; fi
}

# Background processes go in pids; a script may define tw_cleanup_hook for more.
cleanup () {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  if declare -F tw_cleanup_hook >/dev/null; then
    tw_cleanup_hook
  fi
  wait 2>/dev/null
}
trap cleanup EXIT

# tw_private_system [DIR…]: /etc becomes an overlay (or a copy), /home, /var/log (useradd
# resets lastlog/faillog there), /var/mail and each DIR a tmpfs; all of it exists only in this
# namespace and vanishes with it.
tw_private_system () {
  local dir
  mkdir -p "$work/ns"
  mount -t tmpfs -o mode=0700 tw-scratch "$work/ns" || exit 2
  mkdir "$work/ns/upper" "$work/ns/overlay-work"
  if mount -t overlay overlay \
       -o "lowerdir=/etc,upperdir=$work/ns/upper,workdir=$work/ns/overlay-work" /etc 2>/dev/null; then
    echo "# /etc is an overlay"
  else
    cp -a /etc "$work/ns/etc" && mount --bind "$work/ns/etc" /etc || exit 2
    echo "# /etc is a copy (no overlayfs here)"
  fi
  for dir in /home /var/log "$@"; do
    mount -t tmpfs -o mode=0755 tw-tmp "$dir" || exit 2
  done
  if [ -d /var/mail ] && [ ! -L /var/mail ]; then
    mount -t tmpfs -o mode=2775 tw-mail /var/mail || exit 2
  fi
  mkdir -p /run/sshd
}

# The destination (TW_ALLOWED_PORT) and another port (TW_OTHER_PORT), each saying which it is.
tw_start_destinations () {
  socat TCP-LISTEN:"$TW_ALLOWED_PORT",bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo allowed-port' &
  pids+=($!)
  socat TCP-LISTEN:"$TW_OTHER_PORT",bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo other-port' &
  pids+=($!)
}

listening () { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port () {
  local i
  for i in $(seq 100); do
    listening "$1" && return 0
    sleep 0.05
  done
  return 1
}
# tw_wait_ports PORT…: bail out when one of them does not come up
tw_wait_ports () {
  local port
  for port in "$@"; do
    wait_port "$port" || { echo "Bail out! nothing listens on $port"; exit 2; }
  done
}

# tw_use_key PRIVATE_KEY USER: what tw_forward logs in with
tw_use_key () {
  ssh_opts=(-F /dev/null -i "$1" -o IdentitiesOnly=yes -o BatchMode=yes
            -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
            -o ConnectTimeout=10 -p "$TW_SSH_PORT")
  ssh_user=$2
}
# tw_forward HOST:PORT [ssh options]: what comes back through ssh -W
tw_forward () {
  local target=$1
  shift
  timeout 20 ssh "${ssh_opts[@]}" "$@" -W "$target" "$ssh_user@127.0.0.1" </dev/null 2>>"$work/ssh.log"
}

# tw_show_logs NAME…: $work/NAME.log as TAP comments
tw_show_logs () {
  local log
  for log in "$@"; do
    echo "# $log:"; sed 's/^/#   /' "$work/$log.log" 2>/dev/null
  done
}

# tw_admin_accounts ADMIN [ACCOUNT…]: ADMIN and each ACCOUNT get a login shell and the password
# $sudo_password; they and root log in with $work/admin-key (kept outside their homes); only
# ADMIN may use sudo, with that password.
tw_admin_accounts () {
  local account
  mkdir -p /etc/ssh/tw-admin-keys /etc/sudoers.d
  for account in "$@"; do
    useradd --create-home --shell /bin/bash "$account"
    printf '%s:%s\n' "$account" "$sudo_password" | chpasswd
  done
  for account in root "$@"; do
    cp "$work/admin-key.pub" "/etc/ssh/tw-admin-keys/$account"
  done
  chmod 0644 /etc/ssh/tw-admin-keys/*
  echo "$1 ALL=(ALL:ALL) ALL" >"/etc/sudoers.d/$1"
  chmod 0440 "/etc/sudoers.d/$1"
}

# Debian's sshd_config layout: the drop-in folder first; StrictModes on; the admins' keys from
# /etc/ssh/tw-admin-keys; the host key $work/hostkey on TW_SSH_PORT.
tw_write_sshd_config () {
  cat >/etc/ssh/sshd_config <<CONFIG
Include /etc/ssh/sshd_config.d/*.conf
Port $TW_SSH_PORT
ListenAddress 127.0.0.1
HostKey $work/hostkey
UsePAM no
StrictModes yes
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/tw-admin-keys/%u
LogLevel VERBOSE
CONFIG
}

# contains_password FILE: whether the NUL-separated FILE (/proc/PID/cmdline or environ) holds
# $sudo_password, with builtins only ([[ ]], read): a grep for it would put it on a command line
# itself.
contains_password () {
  local item
  while IFS= read -r -d '' item || [ -n "$item" ]; do
    [[ $item == *"$sudo_password"* ]] && return 0
  done 2>/dev/null <"$1"
  return 1
}
