#!/usr/bin/env bash
# Login tokens vs passwords after a server crash (docs/benchmarks.md, "Restart storm"):
# USERS clients log in, parley-server is killed with SIGKILL and started again, and
# parley-bench --shape restart reports the seconds until all USERS are logged in again.
#
# Usage: bench/parley/restart-storm.sh BUILD_DIR USERS TOKENS(1|0) HASH_ITERATIONS [TIMEOUT_S]
#   TOKENS 1: the clients log in with login tokens (PBKDF2 only at the first login);
#   TOKENS 0: with passwords, PBKDF2 at HASH_ITERATIONS for every re-login.
# The accounts are registered at HASH_ITERATIONS; TIMEOUT_S (default 120) bounds the
# re-login phase (the result then says how many made it).
set -euo pipefail

build=$1 users=$2 tokens=$3 iterations=$4 timeout=${5:-120}
server_bin="$build/bin/parley-server"
bench_bin="$build/bin/parley-bench"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

start_server() {
  "$server_bin" --headless --listen "127.0.0.1:$port" --db "sqlite:$work/parley.db" --data "$work" \
    --hash-iterations "$iterations" --max-connections-per-address 0 --registrations-per-hour 0 \
    --login-timeout 600 \
    >>"$work/server.log" 2>&1 &
  echo $! >"$work/server.pid"
  for _ in $(seq 1 1200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "server did not start" >&2
  return 1
}
stop_server() { kill "$(cat "$work/server.pid")" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop_server; rm -rf "$work"' EXIT

start_server
"$bench_bin" --shape register --port "$port" --users "$users" --concurrency 64 >&2

# The restart command runs inside parley-bench: SIGKILL, then the same server again.
cat >"$work/restart.sh" <<RESTART
kill -9 "\$(cat "$work/server.pid")"
sleep 0.2
$(declare -f start_server)
server_bin="$server_bin" port="$port" work="$work" iterations="$iterations"
start_server
RESTART

"$bench_bin" --shape restart --port "$port" --users "$users" --tokens "$tokens" \
  --setup-timeout "$timeout" --label "$([ "$tokens" = 1 ] && echo tokens || echo passwords)" \
  --restart-cmd "bash $work/restart.sh"
