#!/usr/bin/env bash
# Rough server CPU per delivered message for each transport (see bench/transports.mjs). Starts one
# node on a free port with every transport enabled, runs the generator per transport, prints JSON.
#   scripts/bench-transports.sh [subs] [msgs]
set -euo pipefail
cd "$(dirname "$0")/.."
subs=${1:-200}
msgs=${2:-500}
[ -d src/test/node/node_modules ] || (cd src/test/node && npm ci --no-audit --no-fund --loglevel=error)
mvn -B -q -DskipTests -Dmaven.test.skip=true package
jar=target/rotor.jar
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ROTOR_HTTP_SERVER_PORT=$port ROTOR_HTTP_SERVER_ADDRESS=127.0.0.1 ROTOR_CLIENT_QUEUE_MAX_SIZE=10485760 \
  java -Xms256m -XX:+UseParallelGC -jar "$jar" --config conf/config.json > target/bench-node.log 2>&1 &
node_pid=$!
trap 'kill $node_pid' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
# The first round warms the JIT up; its numbers are not comparable.
for t in websocket websocket sockjs:websocket sockjs:xhr-streaming http_stream sse websocket sockjs:websocket sockjs:xhr-streaming http_stream sse; do
  (cd src/test/node && node bench/transports.mjs --port="$port" --pid="$node_pid" --transport="$t" \
    --subs="$subs" --msgs="$msgs")
done
