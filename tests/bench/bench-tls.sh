#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Benchmark, not a test: the tls check (SSLRequest and the TLS handshake with PostgreSQL,
# inside the SSH tunnel) against `openssl s_client -starttls postgres` straight to the same
# server. Ours is the check's own duration_ms from `tunnel-check probe --json` (in process,
# through the tunnel that the earlier checks opened); openssl's is its wall time (a process
# start, a TCP connect, no tunnel). Medians over RUNS runs. Also the whole probe with TLS.
#
#   sudo tests/bench/bench-tls.sh [BUILD_DIR] [RUNS]
#
# Needs root (a throwaway sshd and PostgreSQL run as the postgres user), openssh-server,
# postgresql, openssl, python3.
set -euo pipefail
# shellcheck source=tests/bench/bench-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

BUILD=${1:-_build}
RUNS=${2:-20}
TOOL=$BUILD/src/tunnel-check
[ -x "$TOOL" ] || { echo "build first: $TOOL missing" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 2; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PG_BIN/initdb" ] || { echo "needs PostgreSQL (initdb)" >&2; exit 2; }

DIR=$(mktemp -d /tmp/tw-bench-tls-XXXXXX)
chmod 755 "$DIR"
SSHD_PID=
cleanup() {
  [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true
  [ -f "$DIR/pg/data/postmaster.pid" ] && \
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT


# PostgreSQL with TLS (a self-signed certificate for localhost), as in tests/rig/tw-test-db.c.
PG_PORT=$(free_port)
mkdir -m 700 "$DIR/pg"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=localhost -keyout "$DIR/pg/server.key" -out "$DIR/pg/server.crt" 2>/dev/null
chmod 600 "$DIR/pg/server.key"
chown -R postgres "$DIR/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$DIR/pg/data" -A trust -U postgres --no-sync >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -w -l "$DIR/pg/log" -o \
  "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR/pg -c ssl=on \
   -c ssl_cert_file=$DIR/pg/server.crt -c ssl_key_file=$DIR/pg/server.key -c fsync=off" start >/dev/null

# sshd, root logging in with a key (as bench-reverse.sh)
SSH_PORT=$(free_port)
ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$DIR/admin" -C bench
cp "$DIR/admin.pub" "$DIR/authorized_keys"; chmod 644 "$DIR/authorized_keys"
: > "$DIR/known_hosts"
cat > "$DIR/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $DIR/host_key
PidFile none
AuthorizedKeysFile $DIR/authorized_keys
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AllowTcpForwarding yes
MaxStartups 200:30:400
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -D -f "$DIR/sshd_config" -E "$DIR/sshd.log" &
SSHD_PID=$!
wait_port "$SSH_PORT"
wait_port "$PG_PORT"

PROBE=("$TOOL" probe --host 127.0.0.1 --port "$SSH_PORT" --user root --identity "$DIR/admin"
       --dest "127.0.0.1:$PG_PORT" --dest-kind postgres --require-tls --channels 1
       --known-hosts "$DIR/known_hosts" --json)

# Prints "tls_ms whole_ms" medians: the tls check's own duration and the whole run's wall time.
read -r TLS_MS WHOLE_MS < <(python3 - "$RUNS" "${PROBE[@]}" <<'PY'
import json, statistics, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
tls, whole = [], []
for _ in range(runs):
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    whole.append((time.perf_counter() - t) * 1000)
    check = next(c for c in json.loads(out)["checks"] if c["id"] == "tls")
    if check["status"] not in ("pass", "warn"):
        sys.exit(f"bench-tls: the tls check did not pass: {check['summary']}")
    tls.append(check["duration_ms"])
print(f"{statistics.median(tls):.2f} {statistics.median(whole):.2f}")
PY
)
OPENSSL_MS=$(python3 - "$RUNS" "$PG_PORT" <<'PY'
import statistics, subprocess, sys, time
runs, port = int(sys.argv[1]), sys.argv[2]
times = []
for _ in range(runs):
    t = time.perf_counter()
    r = subprocess.run(["openssl", "s_client", "-starttls", "postgres", "-connect", f"127.0.0.1:{port}",
                        "-brief"], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    times.append((time.perf_counter() - t) * 1000)
    if "Protocol version" not in r.stderr + r.stdout:
        sys.exit("bench-tls: openssl s_client did not complete a handshake")
print(f"{statistics.median(times):.2f}")
PY
)

echo "TLS to PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $RUNS runs, medians"
printf '%-46s %10s ms\n' "tls check (SSLRequest + handshake, in tunnel)" "$TLS_MS"
printf '%-46s %10s ms\n' "openssl s_client -starttls postgres (direct)" "$OPENSSL_MS"
printf '%-46s %10s\n' "ratio" "$(python3 -c "print(f'{$TLS_MS/$OPENSSL_MS:.2f}')")"
printf '%-46s %10s ms\n' "whole probe with TLS (tunnel-check, 1 channel)" "$WHOLE_MS"
bench_result "TLS handshake with PostgreSQL (tls check, inside the tunnel)" "$TLS_MS" ms \
  "openssl s_client -starttls postgres (direct)" "$OPENSSL_MS" lower
