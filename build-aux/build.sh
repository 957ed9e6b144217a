#!/usr/bin/env bash
# Configures (once) and builds the project in BUILDDIR (default: _build).
# Extra meson options for the first configuration come from MESON_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${BUILDDIR:-_build}
if [ ! -f "$builddir/build.ninja" ]; then
  # shellcheck disable=SC2086
  meson setup "$builddir" ${MESON_ARGS:-}
fi
meson compile -C "$builddir"
