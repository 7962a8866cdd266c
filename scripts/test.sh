#!/usr/bin/env bash
# Runs every default test: installs what the tests need (Node packages of the end-to-end drivers),
# then the Maven build with unit, integration and end-to-end tests. Long fault/soak tests are
# tagged "slow" and run from scripts/test-slow.sh instead.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/install-test-deps.sh

mvn -B -ntp verify "$@"

# The library artifact (what embedding applications depend on): Rotor's own classes only, with no
# dependency shaded in and no logging configuration; the standalone server is target/rotor.jar.
library=$(ls rotor/target/rotor-[0-9]*.jar | grep -v -- '-sources\|-javadoc' | head -1)
foreign=$(jar tf "$library" | grep -E '\.class$' | grep -v '^io/rotor/' | head -3 || true)
logging=$(jar tf "$library" | grep -E '^logback' || true)
if [ -n "$foreign" ] || [ -n "$logging" ]; then
  echo "library jar $library holds what it must not: $foreign $logging" >&2
  exit 1
fi
echo "library jar $library: io.rotor classes only, no logback configuration"

# The README's cluster command, for real: scripts/cluster.sh starts Redis and three nodes of a
# Hazelcast cluster from target/rotor.jar (free ports, its own directory), the nodes must see each
# other, and stop must leave nothing running (its Redis included).
. bench/lib.sh
check_dir=$(mktemp -d)
check_env=(CLUSTER_DIR="$check_dir" CLUSTER_HTTP_PORT="$(free_port)" CLUSTER_REDIS_PORT="$(free_port)"
  CLUSTER_HAZELCAST_PORT="$(free_port)")
env "${check_env[@]}" bash scripts/cluster.sh start 3 >"$check_dir/start.log" 2>&1 \
  || { cat "$check_dir/start.log" >&2; env "${check_env[@]}" bash scripts/cluster.sh stop >/dev/null 2>&1; exit 1; }
first=$(grep -o 'node on :[0-9]* up' "$check_dir/start.log" | head -1 | grep -o '[0-9]*')
key=$(node -e 'console.log(require("./conf/config.json").http_api.key)')
nodes=$( (curl -fsS -X POST -H "X-API-Key: $key" "http://127.0.0.1:$first/api/info" || true) | grep -o '"uid"' | wc -l)
redis_pid=$(cat "$check_dir"/redis-single.pid 2>/dev/null || echo none)
env "${check_env[@]}" bash scripts/cluster.sh stop >/dev/null
left=$(cat "$check_dir"/*.pid 2>/dev/null || true)
rm -rf "$check_dir"
if [ "$nodes" != 3 ]; then
  echo "scripts/cluster.sh start 3: the first node sees $nodes nodes, not 3" >&2
  exit 1
fi
if [ "$redis_pid" = none ] || [ -n "$left" ]; then
  echo "scripts/cluster.sh: Redis pid file missing ($redis_pid) or pid files left after stop: $left" >&2
  exit 1
fi
for _ in $(seq 1 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$redis_pid" 2>/dev/null; then
  echo "scripts/cluster.sh stop left its Redis (pid $redis_pid) running" >&2
  kill "$redis_pid"
  exit 1
fi
echo "scripts/cluster.sh start 3: three nodes of one cluster came up and stopped"
