#!/usr/bin/env bash
# Installs what is missing, builds, and starts Tunnel Wizard from the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/install-deps.sh app
build-aux/build.sh

builddir=${BUILDDIR:-_build}
export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: starting Tunnel Wizard on a virtual one (xvfb-run)." >&2
  build-aux/install-deps.sh test >/dev/null
  exec xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- "$builddir/src/tunnel-wizard" "$@"
fi
exec "$builddir/src/tunnel-wizard" "$@"
