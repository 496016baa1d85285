#!/usr/bin/env bash
# Runs parley-echo-bench over the configurations in docs/benchmarks.md and prints the
# markdown table rows. Usage: bench/echo/run-matrix.sh [build-dir] [seconds]
set -euo pipefail

build=${1:-build}
seconds=${2:-5}
bench="$build/bin/parley-echo-bench"

echo "| backend | connections | message | round trips/s | MiB/s each way | p50 µs | p99 µs | p99.9 µs |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for connections in 1 100 1000; do
  for size in 64 16384; do
    if [ "$connections" = 1000 ] && [ "$size" = 16384 ]; then continue; fi
    for backend in epoll poco; do
      out=$("$bench" --backend "$backend" --connections "$connections" --seconds "$seconds" --size "$size" | tail -1)
      field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$out"; }
      printf '| %s | %s | %s B | %s | %s | %s | %s | %s |\n' "$backend" "$connections" "$size" \
        "$(field round_trips_per_s)" "$(field echo_MiB_per_s)" "$(field p50)" "$(field p99)" "$(field p999)"
    done
  done
done

echo
for backend in epoll poco; do
  "$bench" --backend "$backend" --idle 5000
done
