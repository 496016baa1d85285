#!/usr/bin/env bash
# MariaDbPortsTest.sh SCRIPT FIXTURE-DIR
# scripts/mariadb-instance picks ports outside the kernel's ephemeral range
# (issue 14, finding 12: a port in it was taken by a self-connect during a
# restart), both when asked (pick-port) and for the running test fixture.
set -euo pipefail
script=$1 fixture=$2
read -r low high </proc/sys/net/ipv4/ip_local_port_range
outside() { [ "$1" -lt "$low" ] || [ "$1" -gt "$high" ]; }
scratch=$(mktemp -d)
trap 'rm -rf -- "$scratch"' EXIT
for _ in $(seq 1 200); do
  port=$("$script" pick-port "$scratch")
  outside "$port" || { echo "FAIL: picked port $port inside the ephemeral range $low-$high"; exit 1; }
  [ "$port" -ge 1024 ] || { echo "FAIL: picked privileged port $port"; exit 1; }
done
[ -f "$fixture/port" ] || { echo "FAIL: no running fixture in $fixture"; exit 1; }
port=$(cat "$fixture/port")
outside "$port" || { echo "FAIL: the fixture listens on $port, inside the ephemeral range $low-$high"; exit 1; }
echo "ok: 200 picks and the fixture's port $port are outside $low-$high"
