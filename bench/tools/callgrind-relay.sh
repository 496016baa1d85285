#!/usr/bin/env bash
# bench/tools/callgrind-relay.sh: user-space instructions of parley-server per relayed CHAT,
# counted by callgrind (deterministic, unlike wall-clock rates on a shared machine).
#
# Usage: bench/tools/callgrind-relay.sh [WINDOW [PAIRS [SECONDS [THREADS]]]]   (defaults 16 100 6 2)
# Env: CG_BUILD (build-bench), CG_SERVER (the server binary, default from CG_BUILD), CG_WORK (a scratch dir on tmpfs, kept between runs so the
# registered accounts are reused), CG_TOP (functions listed, 25).
# Prints Ir total, CHATs handled (calls of Session::handleChat) and Ir per message, then the
# top functions (self). Starts and stops only its own processes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=${1:-16}; PAIRS=${2:-100}; SECS=${3:-6}; THREADS=${4:-2}
BIN=${CG_BUILD:-$ROOT/build-bench}/bin
SERVER=${CG_SERVER:-$BIN/parley-server}   # e.g. a baseline build to compare with
WORK=${CG_WORK:-/dev/shm/parley-cg}
mkdir -p "$WORK"
ulimit -n "$(ulimit -Hn)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_server() {  # start_server DB [WRAPPER...]: sets PID, PORT
  local db=$1; shift
  local log=$WORK/server-$RANDOM.log
  "$@" "$SERVER" --headless --plaintext --listen 127.0.0.1:0 --db "sqlite:$db" --threads "$THREADS" \
    --hash-iterations 1000 --rate 1000000000 --burst 1000000000 --control-rate 1000000000 \
    --control-burst 1000000000 --max-connections-per-address 0 \
    --registrations-per-hour 0 --stats-every 0 >"$log" 2>&1 &
  PID=$!; pids+=("$PID")
  for _ in $(seq 1200); do grep -q "ready on port" "$log" && break; sleep 0.1; done
  PORT=$(sed -n 's/.*ready on port \([0-9]*\).*/\1/p' "$log" | head -1)
}

if [ ! -s "$WORK/template.db" ]; then
  start_server "$WORK/template.db"
  "$BIN/parley-bench" --target parley --port "$PORT" --shape register --users "${CG_USERS:-2000}" --concurrency 16 >/dev/null
  kill -TERM "$PID"; wait "$PID" || true
  rm -f "$WORK/template.db-wal" "$WORK/template.db-shm"
fi
cp "$WORK/template.db" "$WORK/run.db"
out=$WORK/callgrind.out
rm -f "$out"
start_server "$WORK/run.db" valgrind --tool=callgrind --callgrind-out-file="$out" --instr-atstart=no
"$BIN/parley-bench" --target parley --port "$PORT" --shape pairs --pairs "$PAIRS" --windows "$W" \
  --warmup 2 --seconds $((SECS + 6)) --setup-timeout 600 >"$WORK/bench.out" 2>"$WORK/bench.err" &
bench=$!; pids+=("$bench")
for _ in $(seq 6000); do grep -qs "setup took" "$WORK/bench.err" && break; sleep 0.1; done
sleep 3
callgrind_control -i on "$PID" >/dev/null
sleep "$SECS"
callgrind_control -i off "$PID" >/dev/null
wait "$bench" || echo "parley-bench failed: $(tail -2 "$WORK/bench.err")" >&2
grep -o 'msgs_per_s=[0-9]* .*lost=[0-9]* duplicated=[0-9]* reordered=[0-9]*' "$WORK/bench.out" | \
  sed 's/server_cpu.*lost/lost/' >&2 || true
kill -TERM "$PID"; wait "$PID" || true
python3 - "$out" "${CG_TOP:-25}" <<'PY'
import re, sys, subprocess
path, top = sys.argv[1], int(sys.argv[2])
names, calls, total = {}, 0, 0
cfn = None
for line in open(path, errors='replace'):
    m = re.match(r'(c?fn)=\((\d+)\)(?: (.*))?', line)
    if m:
        if m.group(3): names[m.group(2)] = m.group(3)
        if m.group(1) == 'cfn': cfn = names.get(m.group(2), '')
        continue
    if line.startswith('calls=') and cfn and cfn.startswith('parley::server::Session::handleChat('):
        calls += int(line.split()[0][6:])
    if line.startswith('summary:') or line.startswith('totals:'):
        total = int(line.split()[1])
print(f"Ir {total:,}  CHATs {calls:,}  Ir/msg {total / max(calls, 1):,.0f}")
ann = subprocess.run(['callgrind_annotate', '--inclusive=no', path], capture_output=True, text=True).stdout
n = 0
for l in ann.splitlines():
    if re.match(r'^ *[0-9,]+ \( *[0-9.]+%\)', l) and n < top:
        l = re.sub(r'\[/[^]]*/([^/]+)\]$', r'[\1]', l); l = re.sub(r'\./[^:]*:|\?\?\?:', '', l)
        print(l[:170] if calls == 0 else f"{int(l.split()[0].replace(',', '')) / calls:8.0f}/msg {l[:160]}"); n += 1
PY
