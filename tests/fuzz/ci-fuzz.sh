#!/usr/bin/env bash
# CI: every libFuzzer target for SECONDS each (default 60), after replaying
# its seed corpus, in a clang ASan+UBSan+LeakSanitizer build of its own.
# Prints one table and exits 1 on any crash, leak, hang or UB. The
# integrator calls it from .ci/run.
#
#   tests/fuzz/ci-fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}

build-aux/install-deps.sh fuzz

export BUILDDIR=${BUILDDIR:-_build-fuzz-ci}
# A fresh corpus dir each run: CI judges today's code from the committed
# seeds (every crash-* among them must be fixed), not from yesterday's finds.
rm -rf "$BUILDDIR/corpus" "$BUILDDIR/artifacts"
exec tests/fuzz/run-fuzzers.sh "$seconds"
