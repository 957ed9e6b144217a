#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan, UBSan and LeakSanitizer in
# their own build dir and runs each for SECONDS, one after the other (the
# machine is shared: nice, one process). Prints, per target, the executions,
# libFuzzer's coverage (cov: edges, ft: features) and the corpus size
# (units libFuzzer keeps).
#
#   tests/fuzz/run-fuzzers.sh SECONDS [TARGET…]
#
# The committed seeds in tests/fuzz/corpus/TARGET are copied into
# BUILDDIR/corpus/TARGET, which grows across runs; a crash leaves its input
# in BUILDDIR/artifacts/TARGET/ and makes the script exit 1. To keep a crash
# as a regression seed, copy its input into tests/fuzz/corpus/TARGET/.
set -uo pipefail

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [TARGET…]" >&2
  exit 2
fi
seconds=$1
shift

cd "$(dirname "$0")/../.."
source_root=$PWD
builddir=${BUILDDIR:-_build-fuzz}

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" -Dfuzzing=true -Dwerror=true \
    -Db_sanitize=address,undefined -Db_lundef=false || exit 1
fi
# Regenerate first if a meson.build changed, so that new targets are known.
ninja -C "$builddir" build.ninja > /dev/null || exit 1

# Only the fuzz targets: the rest of the tree is built and tested by CI
# with gcc, and clang's warnings there are not this script's business.
built=$(meson introspect "$builddir" --targets |
  python3 -c 'import json,sys; print(" ".join(t["name"] for t in json.load(sys.stdin) if t["name"].startswith("fuzz-")))')
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for seeds in tests/fuzz/corpus/*/; do
    name=$(basename "$seeds")
    [[ " $built " == *" $name "* ]] && targets+=("$name")
  done
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "no fuzz targets" >&2
  exit 1
fi
nice -n 10 meson compile -C "$builddir" -j 1 "${targets[@]}" || exit 1

# Leak detection is on by default; a target may turn it off for itself in
# __asan_default_options (fuzz-tls-negotiation.c says why), which the
# environment would override.
export ASAN_OPTIONS="abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="print_suppressions=0:suppressions=$source_root/tests/lsan.supp"

status=0
summary=()
for name in "${targets[@]}"; do
  exe=$builddir/tests/fuzz/$name
  corpus=$builddir/corpus/$name
  artifacts=$builddir/artifacts/$name
  log=$builddir/fuzz-$name.log
  mkdir -p "$corpus" "$artifacts"
  cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
  dict=()
  [ -f "tests/fuzz/$name.dict" ] && dict=("-dict=tests/fuzz/$name.dict")

  echo "== $name: $seconds s"
  # -timeout: an input that takes 10 s is a hang worth a report;
  # -max_len: bigger than any seed, small enough to stay quick.
  nice -n 10 "$exe" "$corpus" "${dict[@]}" \
    -max_total_time="$seconds" -timeout=10 -max_len=16384 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" > "$log" 2>&1
  rc=$?

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  units=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<< "$last")
  if [ $rc -ne 0 ]; then
    status=1
    result="CRASH (exit $rc, see $log and $artifacts/)"
    grep -E 'ERROR: |runtime error|SUMMARY|ERROR \*\*|Test unit written' "$log" | head -5
  else
    result="ok"
  fi
  line=$(printf '%-22s %10s execs %7s/s  cov %5s  ft %6s  corpus %5s  %s' \
    "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${units:-?}" "$result")
  echo "$line"
  summary+=("$line")
done

echo
echo "== summary ($seconds s each)"
printf '%s\n' "${summary[@]}"
exit $status
