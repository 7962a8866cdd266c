#!/usr/bin/env bash
# A local cluster on this machine: Redis (started when none answers; Debian's redis-server is
# installed with apt-get when missing) and N Rotor nodes joined by Hazelcast, HTTP on consecutive ports.
#   scripts/cluster.sh start [N]    start N nodes (default 3) on ports BASE..BASE+N-1
#   scripts/cluster.sh stop         stop the nodes (and the Redis this script started)
#   scripts/cluster.sh status       show what runs
# Environment: CLUSTER_HTTP_PORT (BASE, default 8000), CLUSTER_REDIS_PORT (default 6379),
# CLUSTER_CONFIG (node config, default conf/config.json), CLUSTER_DIR (pids and logs,
# default target/cluster), ROTOR_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${CLUSTER_HTTP_PORT:-8000}
redis_port=${CLUSTER_REDIS_PORT:-6379}
config=${CLUSTER_CONFIG:-conf/config.json}
dir=${CLUSTER_DIR:-target/cluster}
hz_base=5701
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

start() {
  local n=${1:-3}
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || { echo "cluster.sh: N must be a positive number" >&2; exit 2; }
  if [ -n "$(node_pids)" ]; then
    echo "cluster.sh: nodes already running (scripts/cluster.sh status); stop them first" >&2
    exit 1
  fi
  mkdir -p "$dir"
  source scripts/ensure-packages.sh
  ensure_packages curl:curl   # the readiness checks below
  if ! redis_up; then
    # A fresh machine has no Redis: install Debian's, as the test scripts do.
    ensure_packages redis-server:redis-server
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --pidfile "$PWD/$dir/redis.pid" --logfile "$PWD/$dir/redis.log" --dir "$PWD/$dir"
    for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
    redis_up || { echo "cluster.sh: Redis did not start (see $dir/redis.log)" >&2; exit 1; }
    echo "redis on 127.0.0.1:$redis_port (started)"
  else
    echo "redis on 127.0.0.1:$redis_port (already running)"
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
    ROTOR_HTTP_SERVER_PORT=$port \
    ROTOR_ENGINE_TYPE=redis \
    ROTOR_ENGINE_REDIS_ADDRESS="127.0.0.1:$redis_port" \
    ROTOR_CLUSTER_ENABLED=true \
    ROTOR_CLUSTER_PORT=$((hz_base + i)) \
    ROTOR_CLUSTER_MEMBERS="$members" \
      nohup java ${ROTOR_JAVA_OPTS:--Xms128m -Xmx512m} $hz_opens -jar "$jar" --config "$config" \
      >"$dir/node-$port.log" 2>&1 &
    echo $! >"$dir/node-$port.pid"
    echo "node on :$port starting (log $dir/node-$port.log)"
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
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null && echo "stopped redis (started by this script)"
    rm -f "$dir/redis.pid"
  fi
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
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: scripts/cluster.sh start [N] | stop | status" >&2; exit 2 ;;
esac
