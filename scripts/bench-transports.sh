#!/usr/bin/env bash
# Rough server CPU per delivered message for each transport (see rotor/src/test/node/bench/transports.mjs).
# Starts one node on a free port with every transport enabled, warms the JIT up with one WebSocket
# round (not printed), then runs ROUNDS rounds, each over every transport in turn; prints one JSON
# line per measurement. The node is pinned to core SERVER_CPU and the generator to GEN_CPU when set.
#   scripts/bench-transports.sh [subs] [msgs]
# Environment: ROUNDS (default 2), TRANSPORTS (default: websocket sockjs:websocket
# sockjs:xhr-streaming http_stream sse), TRANSPORT_CONFIG (node config, default conf/config.json; it
# must enable sockjs, http_stream and sse), TRANSPORT_API_KEY (its http_api.key, default the one of
# conf/config.json), TRANSPORT_LOG (node log, default target/bench-node.log), SERVER_CPU, GEN_CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
subs=${1:-200}
msgs=${2:-500}
rounds=${ROUNDS:-2}
transports=${TRANSPORTS:-websocket sockjs:websocket sockjs:xhr-streaming http_stream sse}
config=${TRANSPORT_CONFIG:-conf/config.json}
key=${TRANSPORT_API_KEY:-change-me-api-key}
log=${TRANSPORT_LOG:-target/bench-node.log}
pin_server=(); [ -n "${SERVER_CPU:-}" ] && pin_server=(taskset -c "$SERVER_CPU")
pin_gen=(); [ -n "${GEN_CPU:-}" ] && pin_gen=(taskset -c "$GEN_CPU")
[ -d rotor/src/test/node/node_modules ] || (cd rotor/src/test/node && npm ci --no-audit --no-fund --loglevel=error)
jar=target/rotor.jar
if [ ! -f "$jar" ] || [ -n "$(find rotor/src pom.xml rotor/pom.xml rotor-server/pom.xml -newer "$jar" -type f -print -quit)" ]; then
  mvn -B -q -DskipTests -Dmaven.test.skip=true package
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ROTOR_HTTP_SERVER_PORT=$port ROTOR_HTTP_SERVER_ADDRESS=127.0.0.1 ROTOR_CLIENT_QUEUE_MAX_SIZE=10485760 \
  "${pin_server[@]}" java -Xms256m -XX:+UseParallelGC -jar "$jar" --config "$config" > "$log" 2>&1 &
node_pid=$!
trap 'kill $node_pid' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
one() {  # one TRANSPORT: one measurement; a run that lost messages still prints its line (delivered < subs*msgs)
  (cd rotor/src/test/node && "${pin_gen[@]}" node bench/transports.mjs --port="$port" --pid="$node_pid" --key="$key" \
    --transport="$1" --subs="$subs" --msgs="$msgs") || true
}
one websocket >/dev/null  # JIT warm-up: its numbers are not comparable
for _ in $(seq 1 "$rounds"); do
  for t in $transports; do one "$t"; done
done
