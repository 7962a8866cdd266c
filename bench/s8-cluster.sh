#!/usr/bin/env bash
# S8 (called by scripts/bench.sh): three Rotor nodes on this machine, one Vert.x cluster (Hazelcast,
# TCP-IP join on free ports, a cluster name of its own), engine.type=redis on a fresh redis-server,
# prometheus.enabled for the event-bus meters. Every server on core SERVER_CPU, the generator
# (bench/cluster.js) on GEN_CPU. Subscribers are spread round-robin over the nodes; publications go
# through the nodes' HTTP APIs in turn. Two channels: bench8:ch (namespace with history_size 100,
# history_ttl 300s: a Redis append per publication) and bench8 (no history). Records per channel:
# delivered vs expected, out-of-order deliveries, cluster CPU per publish and per delivery,
# event-bus messages and Redis commands per publish.
# Once per topology (S8_TOPOLOGIES, default "hazelcast redis nats"): hazelcast is the cluster above;
# redis is the Redis broker (engine.type=redis without a cluster block: fan-out through Redis
# PUB/SUB, no event bus between nodes); nats is the NATS broker (broker.type=nats on a fresh
# nats-server with its monitoring port, whose /varz in_msgs/out_msgs count the messages; history and
# discovery stay in Redis). Each result line carries "topology" and broker_msgs_per_publish: remote
# event-bus messages (hazelcast), Redis PUBLISH commands (redis), messages into NATS (nats).
# Usage: s8-cluster.sh RUN RESULTS KIT    (env: S8_SUBS, S8_MSGS, S8_TOPOLOGIES)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=$1 RESULTS=$2
. bench/lib.sh
export NODE_PATH=${NODE_PATH:-${BENCH_HOME:-/tmp/rotor-peers}/node_modules}
api_key=${ROTOR_BENCH_API_KEY:-bench-api-key}
subs=${S8_SUBS:-300} msgs=${S8_MSGS:-1000}
# What Hazelcast asks for to use its fast paths (as in scripts/cluster.sh).
hz_opens="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"

for topology in ${S8_TOPOLOGIES:-hazelcast redis nats}; do
rp=$(free_port); redis_start "$rp"
nats_args=() broker=""
if [ "$topology" = nats ]; then
  np=$(free_port) nm=$(free_port)
  taskset -c "$SERVER_CPU" "$(command -v nats-server || echo /usr/sbin/nats-server)" -a 127.0.0.1 -p "$np" -m "$nm" \
    >"$RUN/nats-s8.log" 2>&1 &
  NATS_PID=$!; hook_pids+=("$NATS_PID")
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$nm") 2>/dev/null && break; sleep 0.1; done
  nats_args=(--nats="$nm")
  broker="c.broker={enabled:true,type:'nats',nats:{url:'nats://127.0.0.1:$np'}};"
fi
hz=(); http=(); nodes=()
for i in 0 1 2; do hz+=("$(free_port)"); http+=("$(free_port)"); done
members=$(printf '"127.0.0.1:%s",' "${hz[@]}"); members="[${members%,}]"
for i in 0 1 2; do
  cfg=$RUN/rotor-s8-$topology-$i.json
  cluster="c.cluster={enabled:true,name:'rotor-bench-$$',host:'127.0.0.1',port:${hz[$i]},members:$members,event_bus_port:0};"
  [ "$topology" != hazelcast ] && cluster=""
  node -e "const c=require('./bench/rotor-bench.json');
    c.engine={type:'redis',redis:{address:['127.0.0.1:$rp']}};
    c.channel.namespaces=[Object.assign({name:'bench8',history_size:100,history_ttl:'300s'},c.channel.without_namespace)];
    $cluster $broker
    c.prometheus={enabled:true};
    console.log(JSON.stringify(c,null,1))" >"$cfg"
  ROTOR_HTTP_SERVER_PORT=${http[$i]} ROTOR_JAVA_OPTS="-Xms128m -Xmx512m -Xmn64m -XX:+UseParallelGC $hz_opens" \
    taskset -c "$SERVER_CPU" scripts/start.sh --config "$cfg" >"$RUN/rotor-s8-$topology-$i.log" 2>&1 &
  nodes+=($!); hook_pids+=($!)
done
for i in 0 1 2; do wait_health "${http[$i]}"; done
# every node sees three members before anything is measured
for _ in $(seq 1 150); do
  n=$(curl -fsS -H "X-API-Key: $api_key" -d '{}' "http://127.0.0.1:${http[0]}/api/info" | grep -o '"uid"' | wc -l || true)
  [ "$n" -ge 3 ] && break
  sleep 0.2
done
echo "  $topology: 3 nodes up (HTTP ${http[*]}), members seen by the first: $n"

ports=$(IFS=,; echo "${http[*]}"); pids=$(IFS=,; echo "${nodes[*]}")
gen8() { taskset -c "$GEN_CPU" node bench/cluster.js --ports="$ports" --pids="$pids" --redis="$rp" --apikey="$api_key" "${nats_args[@]}" "$@"; }
echo "  warm-up (not recorded)"
gen8 --channel=bench8:warm --subs=60 --msgs=2000 >/dev/null
gen8 --channel=bench8warm --subs=60 --msgs=2000 >/dev/null
for ch in bench8:ch bench8; do
  out=$(gen8 --channel="$ch" --subs="$subs" --msgs="$msgs" 2>&1 || true)
  line=$(printf '%s\n' "$out" | grep '^{' | tail -1 || true)
  if [ -z "$line" ]; then echo "  S8 $topology $ch: no result: $out" >&2; continue; fi
  history=false; [ "$ch" = bench8:ch ] && history=true
  record_line "{\"scenario\":\"S8\",\"server\":\"rotor\",\"topology\":\"$topology\",\"history\":$history,${line#\{}"
done
for p in "${nodes[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${nodes[@]}"; do wait "$p" 2>/dev/null || true; done
kill "$REDIS_PID" 2>/dev/null || true
[ "$topology" = nats ] && { kill "$NATS_PID" 2>/dev/null || true; }
done
