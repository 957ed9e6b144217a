# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the benchmark scripts (sourced, not run).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits up to 10 s for something to listen on 127.0.0.1:$1.
wait_port() {
  for _ in $(seq 200); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "$(basename "$0"): nothing listens on port $1" >&2; return 1
}

# With BENCH_RESULTS=FILE, each result is also appended there as one tab-separated line
# (name, ours, unit, peer, peer's value, better when: lower|higher|near) for
# tests/bench/run-all.sh.
bench_result() {
  if [ -n "${BENCH_RESULTS:-}" ]; then printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$BENCH_RESULTS"; fi
}
