#!/usr/bin/env bash
# S10 (called by scripts/bench.sh): fossil delta compression on vs off. 1000 raw WebSocket clients
# (JSON) on one channel, the API publishes S10_MSGS (200) versions of a ~2 KB JSON document with one
# changing field; per delivery: bytes on the wire and server CPU (/proc), delta off then on, S10_ROUNDS
# (2) rounds interleaved, on one fresh node (rotor/src/test/node/bench/delta.mjs). One result line per mode
# and round. Usage: s10-delta.sh RUN RESULTS KIT
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=$1 RESULTS=$2
. bench/lib.sh
api_key=${ROTOR_BENCH_API_KEY:-bench-api-key}
cfg=$RUN/rotor-s10.json
node -e "const c=require('./bench/rotor-bench.json');
  c.channel.namespaces=[Object.assign({name:'bench10',history_size:10,history_ttl:'300s',force_recovery:true,
    allowed_delta_types:['fossil']},c.channel.without_namespace)];
  console.log(JSON.stringify(c,null,1))" >"$cfg"
port=$(free_port)
ROTOR_HTTP_SERVER_PORT=$port taskset -c "$SERVER_CPU" scripts/start.sh --config "$cfg" >"$RUN/rotor-s10.log" 2>&1 &
rotor=$!; hook_pids+=("$rotor")
wait_health "$port"
pid=$(pgrep -P "$rotor" java || echo "$rotor")  # start.sh execs java: normally the same PID
gen() { (cd rotor/src/test/node && taskset -c "$GEN_CPU" node bench/delta.mjs --port="$port" --pid="$pid" --key="$api_key" "$@"); }
gen --delta=0 --subs=200 --msgs=50 >/dev/null   # JIT warm-up, both paths
gen --delta=1 --subs=200 --msgs=50 >/dev/null
for round in $(seq 1 "${S10_ROUNDS:-2}"); do
  for d in 0 1; do
    line=$(gen --delta=$d --subs="${S10_SUBS:-1000}" --msgs="${S10_MSGS:-200}" | grep '^{' | tail -1)
    record_line "{\"scenario\":\"S10\",\"server\":\"rotor\",\"round\":$round,${line#\{}"
  done
done
