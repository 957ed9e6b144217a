#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command in a private D-Bus session with a real, unlocked gnome-keyring
# whose files live in a throwaway home. The variables are set *before*
# dbus-run-session because bus-activated services inherit the bus daemon's
# environment, not ours.
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tw-keyring-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -m 0700 "$tmp/home" "$tmp/data" "$tmp/runtime" "$tmp/config"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime"
export XDG_CONFIG_HOME="$tmp/config"

dbus-run-session -- sh -c '
  # Without --unlock the login keyring is locked and storing needs a prompt that
  # cannot show here. --foreground keeps the daemon our child so we can end it.
  printf %s PASS | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  daemon=$!
  i=0
  until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
          --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then echo "gnome-keyring did not start" >&2; kill $daemon; exit 1; fi
    sleep 0.05
  done
  status=0
  "$@" || status=$?
  kill $daemon 2>/dev/null || true
  wait $daemon 2>/dev/null || true
  exit $status
' sh "$@"
