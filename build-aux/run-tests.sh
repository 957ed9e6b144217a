#!/usr/bin/env bash
# Installs what the tests need, builds, and runs every test (in BUILDDIR,
# default _build) on a virtual display with a private D-Bus session.
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/install-deps.sh test
build-aux/build.sh

builddir=${BUILDDIR:-_build}
# A bus of our own, so that no test talks to the user's session; window tests
# get a display of their own too.
exec xvfb-run -a -s "-screen 0 1280x900x24" \
  dbus-run-session -- \
  meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
