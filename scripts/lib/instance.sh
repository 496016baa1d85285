# Shell functions shared by the private test servers (scripts/mariadb-instance,
# scripts/nats-instance): a pid that is really alive, free loopback ports below the
# kernel's ephemeral range, random secrets. Sourced; the caller defines die().
#
# Why below the ephemeral range (ip_local_port_range, 10000 up to its start, at most
# 32767): a port inside it may be taken at any moment by an outgoing connection, even
# by a client's connect to that very port (a TCP self-connect), which made a restart
# fail with "Address already in use".

# kill -0 also succeeds for a zombie, which lingers where nobody reaps the detached
# server quickly (e.g. a container whose init does not); a zombie is not running.
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  case "$state" in Z*) return 1 ;; *) return 0 ;; esac
}

# A successful connect means someone listens there.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# "LOW HIGH" of the ports start picks from: below the ephemeral range.
port_range() {
  local ephemeral_low=32768 ephemeral_high=60999 low=10000 high
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r ephemeral_low ephemeral_high </proc/sys/net/ipv4/ip_local_port_range
  fi
  high=$((ephemeral_low - 1))
  [ "$high" -le 32767 ] || high=32767
  if [ "$high" -lt $((low + 1000)) ]; then
    # The ephemeral range starts low: take the ports above it instead.
    low=$((ephemeral_high + 1))
    high=65535
    [ "$high" -ge $((low + 1000)) ] \
      || die "the ephemeral port range $ephemeral_low-$ephemeral_high leaves no ports for a server"
  fi
  echo "$low $high"
}

random_port() {
  local low high
  read -r low high < <(port_range)
  echo $(( low + (RANDOM * 32768 + RANDOM) % (high - low + 1) ))
}

random_secret() {
  head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

