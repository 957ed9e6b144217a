#!/usr/bin/env bash
# Source coverage of each parser by its fuzz corpus: builds the targets with
# clang's source-based coverage (no sanitizers) in their own build dir,
# replays the corpus run-fuzzers.sh grew (or the committed seeds), and prints
# llvm-cov's line and branch coverage of the files each target is about.
#
#   tests/fuzz/coverage.sh [TARGET…]
set -uo pipefail
cd "$(dirname "$0")/../.."

builddir=${COVERAGE_BUILDDIR:-_build-fuzz-cov}
corpora=${BUILDDIR:-_build-fuzz}/corpus

declare -A sources=(
  [fuzz-public-key]="src/core/tw-public-key.c src/core/tw-key-text.c src/core/tw-key-blob.c src/core/tw-randomart.c"
  [fuzz-key-blob]="src/core/tw-key-blob.c"
  [fuzz-banner]="src/core/checks/tw-check-banner.c"
  [fuzz-fingerprint]="src/core/tw-fingerprint.c"
  [fuzz-tunnel-file]="src/core/tw-tunnel-keyfile.c src/core/tw-tunnel.c"
  [fuzz-tls-negotiation]="src/core/tw-tls-negotiation.c src/core/tw-dest-protocol.c"
)

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" -Dfuzzing=true \
    -Dc_args="-fprofile-instr-generate -fcoverage-mapping" \
    -Dc_link_args="-fprofile-instr-generate -fcoverage-mapping" > /dev/null || exit 1
fi
ninja -C "$builddir" build.ninja > /dev/null || exit 1

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${!sources[@]}")
nice -n 10 meson compile -C "$builddir" -j 1 "${targets[@]}" > /dev/null || exit 1

export FUZZ_SKIP_KNOWN_BUGS=1
for name in $(printf '%s\n' "${targets[@]}" | sort); do
  corpus=$corpora/$name
  [ -d "$corpus" ] || corpus=tests/fuzz/corpus/$name
  profile=$builddir/$name.profraw
  LLVM_PROFILE_FILE=$profile nice -n 10 "$builddir/tests/fuzz/$name" -runs=0 "$corpus" \
    > /dev/null 2>&1
  llvm-profdata merge -sparse "$profile" -o "$builddir/$name.profdata"
  echo "== $name ($(find "$corpus" -type f | wc -l) inputs from $corpus)"
  wanted=" ${sources[$name]} "
  llvm-cov report "$builddir/tests/fuzz/$name" -instr-profile="$builddir/$name.profdata" |
    awk -v wanted="$wanted" '{ file = $1; sub(".*/src/", "src/", file) }
      index(wanted, " " file " ") { printf "  %-36s lines %7s  branches %7s\n", file, $10, $13 }'
done
