#!/usr/bin/env bash
# The real parley-client process, from exec to its login window mapped on screen, under
# Xvfb with openbox (docs/benchmarks.md, "Desktop client"): RUNS fresh profiles, each
# started, timed until the window is visible (polled every 5 ms), its resident memory
# read from /proc, then ended. The server address is a closed port: the login window
# does not wait for one. Usage: bench/client/process-start.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
runs=${2:-5}
display=":97"
work_prefix=parley-process-start
# shellcheck source=../../tests/client-gui/widgets/xvfb-desktop.sh
. tests/client-gui/widgets/xvfb-desktop.sh
start_desktop
for run in $(seq 1 "$runs"); do
  started=$(date +%s%N)
  "$build/bin/parley-client" --profile "$work/profile-$run" --server 127.0.0.1:1 --user alice \
    >"$work/client-$run.log" 2>&1 &
  pid=$!
  until xdotool search --onlyvisible --name '^Parley — Log in$' >/dev/null 2>&1; do sleep 0.005; done
  shown=$(date +%s%N)
  sleep 0.5  # painted and settled
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  anon=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")
  echo "run $run: $(( (shown - started) / 1000000 )) ms to the login window; RSS $rss KiB ($anon KiB anonymous)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
