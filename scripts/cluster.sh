#!/usr/bin/env bash
# A local cluster on this machine: Redis (started when none answers; Debian's redis-server, and
# nats-server for --broker nats, are installed with apt-get when missing) and N Rotor nodes, HTTP on
# consecutive ports.
#   scripts/cluster.sh start [N] [--broker hazelcast|redis|nats] [--redis single|sentinel|cluster]
#                                   start N nodes (default 3) on ports BASE..BASE+N-1
#   scripts/cluster.sh stop         stop the nodes (and the Redis processes this script started)
#   scripts/cluster.sh status       show what runs
#   scripts/cluster.sh deps [--broker nats]
#                                   only install what start needs (apt-get, when a command is missing)
# --broker hazelcast (default): the nodes join a Hazelcast cluster and fan out over its event bus;
#   Redis keeps history and presence. --broker redis: engine.type redis only, as Centrifugo scales
#   out: the nodes fan out through Redis PUB/SUB and find each other through Redis. --broker nats:
#   as redis, with the fan-out through a nats-server started on CLUSTER_NATS_PORT (broker.type nats).
#   The NATS broker needs the Redis engine (history, presence and discovery stay there).
# --redis single (default): one redis-server on CLUSTER_REDIS_PORT. sentinel: a master on
#   CLUSTER_REDIS_PORT, a replica on the next port and three Sentinels on CLUSTER_SENTINEL_PORT and
#   the two after (redis-server --sentinel), master name "rotor". cluster: a Redis Cluster of three
#   masters and three replicas on CLUSTER_REDIS_CLUSTER_PORT and the five after (redis-cli --cluster create).
# Environment: CLUSTER_HTTP_PORT (BASE, default 8000), CLUSTER_REDIS_PORT (default 6379),
# CLUSTER_SENTINEL_PORT (default 26379), CLUSTER_REDIS_CLUSTER_PORT (default 7000), CLUSTER_NATS_PORT (default 4222),
# CLUSTER_HAZELCAST_PORT (the first node's Hazelcast member port, default 5701; the others follow),
# CLUSTER_CONFIG (node config, default conf/config.json), CLUSTER_DIR (pids and logs,
# default target/cluster), ROTOR_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${CLUSTER_HTTP_PORT:-8000}
redis_port=${CLUSTER_REDIS_PORT:-6379}
sentinel_port=${CLUSTER_SENTINEL_PORT:-26379}
redis_cluster_port=${CLUSTER_REDIS_CLUSTER_PORT:-7000}
nats_port=${CLUSTER_NATS_PORT:-4222}
config=${CLUSTER_CONFIG:-conf/config.json}
dir=${CLUSTER_DIR:-target/cluster}
# Absolute, so Redis (which changes its directory) and stop find the same files for a relative or an
# absolute CLUSTER_DIR.
mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
hz_base=${CLUSTER_HAZELCAST_PORT:-5701}
# What Hazelcast asks for to use its fast paths (otherwise it logs a warning at start).
hz_opens="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"

redis_up() {
  if command -v redis-cli >/dev/null 2>&1; then
    redis-cli -p "$redis_port" ping >/dev/null 2>&1
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null
  fi
}

node_pids() {
  for f in "$dir"/node-*.pid; do
    [ -e "$f" ] && echo "$f"
  done
  return 0
}

ping_port() {
  redis-cli -p "$1" ping >/dev/null 2>&1
}

# Starts a redis-server on port $1 (name $2) with further arguments, pid and log in $dir.
start_redis() {
  local port=$1 name=$2
  shift 2
  mkdir -p "$dir/$name"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$dir/redis-$name.pid" --logfile "$dir/redis-$name.log" --dir "$dir/$name" "$@"
  for _ in $(seq 1 50); do ping_port "$port" && break; sleep 0.1; done
  ping_port "$port" || { echo "cluster.sh: redis $name did not start (see $dir/redis-$name.log)" >&2; exit 1; }
}

# Installs with apt-get what start needs and the machine lacks: a fresh machine has no Redis
# (Debian's, as the test scripts install it; curl: the readiness checks), nor nats-server for --broker nats.
deps() {
  source scripts/ensure-packages.sh
  ensure_packages curl:curl redis-server:redis-server redis-cli:redis-tools
  if [ "${1:-}" = nats ]; then
    ensure_packages nats-server:nats-server
  fi
}

# Brings the chosen Redis topology up; prints the engine.redis keys as environment assignments.
start_topology() {
  case "$1" in
    single)
      if ping_port "$redis_port"; then
        echo "redis on 127.0.0.1:$redis_port (already running)" >&2
      else
        start_redis "$redis_port" single
        echo "redis on 127.0.0.1:$redis_port (started)" >&2
      fi
      engine_env=(ROTOR_ENGINE_REDIS_ADDRESS="[\"127.0.0.1:$redis_port\"]")
      ;;
    sentinel)
      start_redis "$redis_port" master
      start_redis "$((redis_port + 1))" replica --replicaof 127.0.0.1 "$redis_port"
      local sentinels=""
      for i in 0 1 2; do
        local sp=$((sentinel_port + i))
        mkdir -p "$dir/sentinel-$i"
        printf 'port %s\nbind 127.0.0.1\ndir %s\nsentinel monitor rotor 127.0.0.1 %s 2\nsentinel down-after-milliseconds rotor 5000\nsentinel failover-timeout rotor 10000\n' \
          "$sp" "$dir/sentinel-$i" "$redis_port" >"$dir/sentinel-$i/sentinel.conf"
        redis-server "$dir/sentinel-$i/sentinel.conf" --sentinel --daemonize yes \
          --pidfile "$dir/redis-sentinel-$i.pid" --logfile "$dir/redis-sentinel-$i.log"
        for _ in $(seq 1 50); do ping_port "$sp" && break; sleep 0.1; done
        sentinels+="${sentinels:+,}127.0.0.1:$sp"
      done
      echo "redis master :$redis_port, replica :$((redis_port + 1)), sentinels $sentinels (master name rotor)" >&2
      engine_env=(ROTOR_ENGINE_REDIS_SENTINEL_ADDRESS="[\"$sentinels\"]" ROTOR_ENGINE_REDIS_SENTINEL_MASTER_NAME=rotor)
      ;;
    cluster)
      local seeds="" args=()
      for i in 0 1 2 3 4 5; do
        local cp=$((redis_cluster_port + i))
        start_redis "$cp" "cluster-$i" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000
        args+=("127.0.0.1:$cp")
        seeds+="${seeds:+,}127.0.0.1:$cp"
      done
      redis-cli --cluster create "${args[@]}" --cluster-replicas 1 --cluster-yes >"$dir/redis-cluster-create.log" 2>&1 \
        || { echo "cluster.sh: redis-cli --cluster create failed (see $dir/redis-cluster-create.log)" >&2; exit 1; }
      for _ in $(seq 1 100); do redis-cli -p "$redis_cluster_port" cluster info | grep -q cluster_state:ok && break; sleep 0.1; done
      echo "redis cluster on 127.0.0.1:$redis_cluster_port-$((redis_cluster_port + 5)) (3 masters, 3 replicas)" >&2
      engine_env=(ROTOR_ENGINE_REDIS_CLUSTER_ADDRESS="[\"$seeds\"]")
      ;;
  esac
}

start() {
  local n=3 broker=hazelcast topology=single
  if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then n=$1; shift; fi
  while [ $# -gt 0 ]; do
    case "$1" in
      --broker) broker=${2:-}; shift 2 || true ;;
      --redis) topology=${2:-}; shift 2 || true ;;
      *) echo "cluster.sh: unknown argument $1" >&2; exit 2 ;;
    esac
  done
  [ "$n" -ge 1 ] 2>/dev/null || { echo "cluster.sh: N must be a positive number" >&2; exit 2; }
  case "$broker" in
    hazelcast|redis|nats) ;;
    *) echo "cluster.sh: --broker must be hazelcast, redis or nats, got '$broker'" >&2; exit 2 ;;
  esac
  case "$topology" in
    single|sentinel|cluster) ;;
    *) echo "cluster.sh: --redis must be single, sentinel or cluster, got '$topology'" >&2; exit 2 ;;
  esac
  if [ -n "$(node_pids)" ]; then
    echo "cluster.sh: nodes already running (scripts/cluster.sh status); stop them first" >&2
    exit 1
  fi
  mkdir -p "$dir"
  deps "$broker"
  engine_env=()
  start_topology "$topology"
  broker_env=()
  if [ "$broker" = nats ]; then
    nats=$(command -v nats-server || echo /usr/sbin/nats-server)
    "$nats" -a 127.0.0.1 -p "$nats_port" >"$dir/nats.log" 2>&1 &
    echo $! >"$dir/redis-nats.pid"   # stopped with the Redis processes
    for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break; sleep 0.1; done
    echo "nats-server on 127.0.0.1:$nats_port (started)"
    broker_env=(ROTOR_BROKER_ENABLED=true ROTOR_BROKER_TYPE=nats ROTOR_BROKER_NATS_URL="nats://127.0.0.1:$nats_port")
  fi
  jar=target/rotor.jar
  if [ ! -f "$jar" ] || [ -n "$(find rotor/src pom.xml rotor/pom.xml rotor-server/pom.xml -newer "$jar" -type f -print -quit)" ]; then
    mvn -B -ntp -q package -Dmaven.test.skip=true
  fi
  members=""
  for i in $(seq 0 $((n - 1))); do
    members+="${members:+ }127.0.0.1:$((hz_base + i))"
  done
  for i in $(seq 0 $((n - 1))); do
    port=$((base + i))
    cluster_env=()
    if [ "$broker" = hazelcast ]; then
      cluster_env=(ROTOR_CLUSTER_ENABLED=true ROTOR_CLUSTER_PORT=$((hz_base + i)) ROTOR_CLUSTER_MEMBERS="$members")  # space-separated, as Centrifugo lists in the environment
    fi
    env ROTOR_HTTP_SERVER_PORT=$port ROTOR_ENGINE_TYPE=redis "${engine_env[@]}" "${cluster_env[@]}" "${broker_env[@]}" \
      nohup java ${ROTOR_JAVA_OPTS:--Xms128m -Xmx512m} $hz_opens -jar "$jar" --config "$config" \
      >"$dir/node-$port.log" 2>&1 &
    echo $! >"$dir/node-$port.pid"
    echo "node on :$port starting ($broker broker; log $dir/node-$port.log)"
  done
  for i in $(seq 0 $((n - 1))); do
    port=$((base + i))
    for _ in $(seq 1 600); do
      curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
      kill -0 "$(cat "$dir/node-$port.pid")" 2>/dev/null || { echo "cluster.sh: node :$port exited (see $dir/node-$port.log)" >&2; exit 1; }
      sleep 0.2
    done
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 || { echo "cluster.sh: node :$port did not come up" >&2; exit 1; }
    echo "node on :$port up"
  done
}

stop() {
  for f in $(node_pids); do
    pid=$(cat "$f")
    if kill "$pid" 2>/dev/null; then   # SIGTERM: clients are told to reconnect, the node leaves the cluster
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      echo "stopped node $(basename "$f" .pid)"
    fi
    rm -f "$f"
  done
  for f in "$dir"/redis*.pid; do
    [ -e "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null && echo "stopped $(basename "$f" .pid) (started by this script)"
    rm -f "$f"
  done
  rm -rf "$dir"/cluster-* "$dir"/sentinel-* "$dir"/master "$dir"/replica "$dir"/single
}

status() {
  if redis_up; then echo "redis on 127.0.0.1:$redis_port: up"; else echo "redis on 127.0.0.1:$redis_port: down"; fi
  local any=""
  for f in $(node_pids); do
    any=1
    pid=$(cat "$f")
    port=${f##*node-}; port=${port%.pid}
    if kill -0 "$pid" 2>/dev/null; then
      echo "node :$port (pid $pid): up"
    else
      echo "node :$port (pid $pid): dead"
    fi
  done
  [ -n "$any" ] || echo "no nodes started by this script"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  deps)
    shift
    case "${1:-} ${2:-}" in
      " "|"--broker hazelcast"|"--broker redis") deps ;;
      "--broker nats") deps nats ;;
      *) echo "cluster.sh: deps takes only --broker hazelcast|redis|nats" >&2; exit 2 ;;
    esac ;;
  *) echo "usage: scripts/cluster.sh start [N] [--broker hazelcast|redis|nats] [--redis single|sentinel|cluster] | stop | status | deps [--broker ...]" >&2; exit 2 ;;
esac
