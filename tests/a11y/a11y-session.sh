#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the AT-SPI test (tests/a11y/test-a11y-wizard.py) the way a screen reader
# sees the app: a private D-Bus session with its own accessibility bus, the
# toolkit-accessibility setting on, and the built app started from the build
# tree. The test suite's environment turns accessibility off (NO_AT_BRIDGE,
# GTK_A11Y=none) for speed; this script turns it back on for this one test.
# The variables are set *before* dbus-run-session because bus-activated
# services (the a11y bus launcher, gnome-keyring) inherit the bus daemon's
# environment, not ours.
#
# usage: a11y-session.sh BUILD_ROOT SOURCE_ROOT
set -eu

build=$1
source=$2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tw-a11y-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -m 0700 "$tmp/home" "$tmp/data" "$tmp/runtime" "$tmp/config" "$tmp/cache"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime"
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
export TW_A11Y_TMP="$tmp"
unset NO_AT_BRIDGE GTK_A11Y
# The memory backend would forget toolkit-accessibility before the a11y bus
# launcher reads it: use the ordinary (keyfile or dconf) backend in the private home.
unset GSETTINGS_BACKEND
export GSETTINGS_SCHEMA_DIR="$build/data"
# fatal-warnings would turn a harmless AT-SPI warning into a crash of the app under test.
unset G_DEBUG

if ! /usr/bin/python3 -c 'import pyatspi' 2>/dev/null; then
  echo "1..0 # SKIP python3-pyatspi is not installed"
  exit 0
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "1..0 # SKIP no display (run under xvfb-run)"
  exit 0
fi

# The bus and the services it starts (the AT-SPI registry prints a greeting) write to
# stderr; only the test's TAP goes to stdout, through fd 3.
exec 3>&1 1>&2
exec dbus-run-session -- sh -c '
  gsettings set org.gnome.desktop.interface toolkit-accessibility true
  printf %s PASS | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  daemon=$!
  status=0
  /usr/bin/python3 "$0/tests/a11y/test-a11y-wizard.py" "$1" >&3 || status=$?
  kill $daemon 2>/dev/null || true
  wait $daemon 2>/dev/null || true
  exit $status
' "$source" "$build"
