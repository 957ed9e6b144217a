#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Benchmark of the probe engine on loopback (a script, not a test).
# Medians over RUNS (≥ 20) runs, printed as ratios (target ≤ 1.0):
#   1. the host-key probe (tunnel-check probe, SSH-port checks) vs ssh-keyscan -t ed25519
#   1b. the same, every host key of a three-key sshd, vs ssh-keyscan -t ed25519,ecdsa,rsa,
#      interleaved (target ≤ 0.5)
#   2. the full run (service-key, login, forward) vs the same work with ssh and ssh -W
#   3. cancel → callback latency (from the test suite's cancel cases)
#   4. a black hole with --timeout 2: time to the failure
# Needs root (a throwaway sshd and the twtest user of the test rig).
#
# Usage: tests/bench/bench-probe.sh [BUILD_DIR] [RUNS]
set -euo pipefail
# shellcheck source=tests/bench/bench-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

BUILD=${1:-_build}
RUNS=${2:-20}
TOOL=$BUILD/src/tunnel-check
[ -x "$TOOL" ] || { echo "build first: $TOOL missing" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 2; }
(( RUNS >= 20 )) || { echo "RUNS must be at least 20" >&2; exit 2; }

DIR=$(mktemp -d /run/tw-bench-XXXXXX)
chmod 755 "$DIR"
SSHD_PID=
PY_PID=
cleanup() {
  [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true
  [ -n "$PY_PID" ] && kill "$PY_PID" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

USER_NAME=twtest
id -u $USER_NAME >/dev/null 2>&1 || useradd -m -s /bin/sh $USER_NAME
usermod -p '*' $USER_NAME
mkdir -p /run/sshd "$DIR/keys"
ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_ed25519"
# A Debian sshd's three host keys: the probe collects them all
ssh-keygen -q -t ecdsa -N '' -f "$DIR/host_ecdsa"
ssh-keygen -q -t rsa -N '' -f "$DIR/host_rsa"
ssh-keygen -q -t ed25519 -N '' -f "$DIR/service"
ssh-keygen -q -t ed25519 -N '' -f "$DIR/admin"
cat "$DIR/service.pub" "$DIR/admin.pub" > "$DIR/keys/$USER_NAME"
chmod 644 "$DIR/keys/$USER_NAME"
: > "$DIR/known_hosts"

PORT=$(free_port)
cat > "$DIR/sshd_config" <<CFG
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/host_ed25519
HostKey $DIR/host_ecdsa
HostKey $DIR/host_rsa
PidFile $DIR/sshd.pid
AuthorizedKeysFile $DIR/keys/%u
UsePAM no
StrictModes no
PermitRootLogin no
MaxStartups 200:30:400
CFG
/usr/sbin/sshd -D -f "$DIR/sshd_config" -E "$DIR/sshd.log" &
SSHD_PID=$!

# A plain TCP destination that greets and closes, and a black hole
# (a listener whose accept queue is full drops SYNs), in one helper.
DEST_PORT=$(free_port)
HOLE_PORT=$(free_port)
python3 - "$DEST_PORT" "$HOLE_PORT" <<'PY' &
import socket, sys, threading
dest = socket.socket(); dest.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
dest.bind(("127.0.0.1", int(sys.argv[1]))); dest.listen(64)
hole = socket.socket(); hole.bind(("127.0.0.1", int(sys.argv[2]))); hole.listen(0)
filler = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
while True:
    c, _ = dest.accept()
    try:
        c.sendall(b"hello\n")
    finally:
        c.close()
PY
PY_PID=$!
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1',$PORT)).close()" 2>/dev/null && break
  sleep 0.02
done

SSH_OPTS=(-F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
          -o IdentitiesOnly=yes -o LogLevel=ERROR -p "$PORT")

# median_ms CMD… : runs CMD RUNS times, prints the median wall time in ms
median_ms() {
  python3 - "$RUNS" "$@" <<'PY'
import statistics, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(times):.2f}")
PY
}

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

# median_pair_ms "CMD A" "CMD B": runs A and B alternately RUNS times each (so that a busy
# moment of the machine hits both alike), prints both medians in ms
median_pair_ms() {
  python3 - "$RUNS" "$1" "$2" <<'PY'
import shlex, statistics, subprocess, sys, time
runs = int(sys.argv[1]); cmds = [shlex.split(sys.argv[2]), shlex.split(sys.argv[3])]
times = [[], []]
for _ in range(runs):
    for i, cmd in enumerate(cmds):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        times[i].append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(times[0]):.2f} {statistics.median(times[1]):.2f}")
PY
}

echo "tunnel-check probe benchmark — loopback, OpenSSH $(ssh -V 2>&1 | cut -d' ' -f1), $RUNS runs, medians"
echo

# 1. Host key: our SSH-port probe (resolve … host-key, auth-methods) vs ssh-keyscan
OURS=$(median_ms "$TOOL" probe --host 127.0.0.1 --port "$PORT" --user $USER_NAME \
         --known-hosts "$DIR/known_hosts" --json)
KEYSCAN=$(median_ms ssh-keyscan -t ed25519 -p "$PORT" 127.0.0.1)
printf '1. host-key probe      %8.2f ms   ssh-keyscan -t ed25519  %8.2f ms   ratio %s\n' \
  "$OURS" "$KEYSCAN" "$(ratio "$OURS" "$KEYSCAN")"
bench_result "host-key probe (tunnel-check probe, SSH-port checks)" "$OURS" ms "ssh-keyscan -t ed25519" "$KEYSCAN" lower

# 1b. Every host key: the same probe (it asks for each key type) vs ssh-keyscan of all three
#     types, alternated run by run
read -r ALL_OURS ALL_KEYSCAN < <(median_pair_ms \
  "$TOOL probe --host 127.0.0.1 --port $PORT --user $USER_NAME --known-hosts $DIR/known_hosts --json" \
  "ssh-keyscan -t ed25519,ecdsa,rsa -p $PORT 127.0.0.1")
N_KEYS=$("$TOOL" probe --host 127.0.0.1 --port "$PORT" --user $USER_NAME --known-hosts "$DIR/known_hosts" --json \
         | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["host_keys"]))' || echo "?")
printf '1b. every host key (%s) %6.2f ms   ssh-keyscan -t ed25519,ecdsa,rsa %6.2f ms   ratio %s (target 0.5)\n' \
  "$N_KEYS" "$ALL_OURS" "$ALL_KEYSCAN" "$(ratio "$ALL_OURS" "$ALL_KEYSCAN")"
bench_result "every host key (SSH-port checks, 3 keys), interleaved" "$ALL_OURS" ms \
  "ssh-keyscan -t ed25519,ecdsa,rsa" "$ALL_KEYSCAN" lower

# 2. Full run: service-key query + admin login + forward, vs ssh (key) + ssh -W
FULL=$(median_ms "$TOOL" probe --host 127.0.0.1 --port "$PORT" --user $USER_NAME \
         --service-key "$DIR/service.pub" --identity "$DIR/admin" \
         --dest "127.0.0.1:$DEST_PORT" --dest-kind tcp --known-hosts "$DIR/known_hosts" --json)
SSH_LOGIN=$(median_ms ssh "${SSH_OPTS[@]}" -i "$DIR/service" $USER_NAME@127.0.0.1 true)
SSH_W=$(median_ms ssh "${SSH_OPTS[@]}" -i "$DIR/admin" -W "127.0.0.1:$DEST_PORT" $USER_NAME@127.0.0.1)
BASE=$(python3 -c "print($SSH_LOGIN + $SSH_W)")
printf '2. full run            %8.2f ms   ssh + ssh -W            %8.2f ms   ratio %s\n' \
  "$FULL" "$BASE" "$(ratio "$FULL" "$BASE")"
bench_result "full probe: service-key, login, forward" "$FULL" ms "ssh (key login) + ssh -W" "$BASE" lower
echo "   (TLS to PostgreSQL is the tls check's part: add openssl s_client -starttls postgres there)"

# 3. Cancel → callback, from the test suite's cancel cases (each prints its latency)
CANCEL=$(for _ in $(seq "$RUNS"); do
           for t in /probe/cancel/kex /probe/cancel/connect; do
             "$BUILD/tests/test-probe-connect" -p "$t" 2>&1 | sed -n 's/.*callback: \([0-9.]*\) ms.*/\1/p'
           done
         done | python3 -c 'import statistics,sys; v=[float(x) for x in sys.stdin]; print(f"{statistics.median(v):.2f}")')
printf '3. cancel → callback   %8.2f ms   target 100 ms           ratio %s\n' "$CANCEL" "$(ratio "$CANCEL" 100)"
bench_result "cancel → callback" "$CANCEL" ms "target" 100 lower

# 4. Black hole, --timeout 2: time to the failure (fewer runs: 2 s each)
HOLE=$(RUNS=$RUNS median_ms "$TOOL" probe --host 127.0.0.1 --port "$HOLE_PORT" --user $USER_NAME \
         --timeout 2 --json)
printf '4. black hole, 2 s     %8.2f ms   target 2000 ms          ratio %s\n' "$HOLE" "$(ratio "$HOLE" 2000)"
bench_result "black hole, --timeout 2: time to the failure" "$HOLE" ms "the timeout" 2000 near
