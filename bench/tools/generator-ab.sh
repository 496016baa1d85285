#!/usr/bin/env bash
# bench/tools/generator-ab.sh: two parley-bench binaries against the same servers, side by
# side, to see what a change to the generator does to the figures (docs/benchmarks.md,
# "Does the generator under-drive the servers?"). For every target and round it starts a
# fresh server and runs each binary in turn (A, B, A, B ...), 1,000 pairs at W=1 and W=16.
#
# Usage: bench/tools/generator-ab.sh BENCH_A BENCH_B [ROUNDS [SECONDS]]   (defaults 2 2)
# Env: AB_TARGETS ("parley mqtt nats"), AB_SERVER (parley-server, default build-bench's),
# AB_EXTRA (more parley-bench flags for B only, e.g. "--spin 1" or "--threads 2").
# Prints one line per phase with the 1-minute load average before it; rows whose
# other_cpu_pct is high were measured while other work shared the cores.
# Starts and stops only its own processes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
A=$1; B=$2; ROUNDS=${3:-2}; SECS=${4:-2}
SERVER=${AB_SERVER:-$ROOT/build-bench/bin/parley-server}
WORK=$(mktemp -d /dev/shm/parley-ab.XXXXXX)
ulimit -n "$(ulimit -Hn)"
pid=
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

port() { echo $(( 20000 + RANDOM % 30000 )); }
ready() { for _ in $(seq 200); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.05; done; return 1; }
parley() {  # parley DB: starts parley-server on DB, sets pid and PORT
  "$SERVER" --headless --listen 127.0.0.1:0 --db "sqlite:$1" --hash-iterations 1000 --rate 1000000000 \
    --burst 1000000000 --control-rate 1000000000 --control-burst 1000000000 --max-connections-per-address 0 \
    --registrations-per-hour 0 --stats-every 0 >"$WORK/server.log" 2>&1 &
  pid=$!
  ready "ready on port" "$WORK/server.log"
  PORT=$(sed -n 's/.*ready on port \([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
}
start() {  # start TARGET: sets pid, PORT, ARGS
  case $1 in
    parley) cp "$WORK/template.db" "$WORK/run.db"; parley "$WORK/run.db"; ARGS=(--target parley) ;;
    mqtt) PORT=$(port)
          printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\nmax_queued_messages 1000000\nset_tcp_nodelay true\n' \
            "$PORT" >"$WORK/m.conf"
          mosquitto -c "$WORK/m.conf" >"$WORK/server.log" 2>&1 & pid=$!; sleep 0.5; ARGS=(--target mqtt --qos 0) ;;
    nats) PORT=$(port); nats-server -a 127.0.0.1 -p "$PORT" >"$WORK/server.log" 2>&1 & pid=$!
          ready "Server is ready" "$WORK/server.log"; ARGS=(--target nats) ;;
  esac
}
stop() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; }

parley "$WORK/template.db"
"$A" --target parley --port "$PORT" --shape register --users 2000 --concurrency 16 >/dev/null
stop
for target in ${AB_TARGETS:-parley mqtt nats}; do
  for round in $(seq "$ROUNDS"); do
    for side in A B; do
      bin=$A; extra=()
      if [ "$side" = B ]; then bin=$B; read -r -a extra <<<"${AB_EXTRA:-}"; fi
      start "$target"
      load=$(cut -d' ' -f1 /proc/loadavg)
      "$bin" "${ARGS[@]}" --port "$PORT" --server-pid "$pid" --shape pairs --pairs 1000 --windows 1,16 \
        --seconds "$SECS" "${extra[@]}" 2>/dev/null | sed -n "s/^result /$side round=$round load=$load /p"
      stop
    done
  done
done
