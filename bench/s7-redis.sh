#!/usr/bin/env bash
# S7 hook (called by scripts/bench.sh when the jar has a Redis engine): publish with Redis history,
# Rotor (engine.type=redis, Centrifugo v6 key names) against centrifuge 0.15 with its Redis broker,
# each on its own fresh Redis, wrk on core 0, servers on core 1.   Usage: s7-redis.sh RUN RESULTS KIT
set -euo pipefail
run=$1 results=$2 kit=$3
command -v redis-server >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
pids=(); trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
redis_on() { redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no >"$run/redis-$1.log" 2>&1 & pids+=($!); }
wait_port() { for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; return 1; }
rp=$(free_port); redis_on "$rp"
cfg=$run/rotor-redis.json
node -e "const c=require('./bench/rotor-bench.json'); c.engine={type:'redis',redis:{address:'redis://127.0.0.1:$rp'}};
  Object.assign(c.channel.without_namespace,{history_size:100,history_ttl:'300s'}); console.log(JSON.stringify(c,null,1))" >"$cfg"
port=$(free_port)
ROTOR_HTTP_SERVER_PORT=$port taskset -c "${SERVER_CPU:-1}" scripts/start.sh --config "$cfg" >"$run/rotor-redis.log" 2>&1 & pids+=($!)
rotor=$!
wait_port "$port"
taskset -c "${GEN_CPU:-0}" wrk -t1 -c64 -d3s -s bench/publish.lua "http://127.0.0.1:$port/api/publish" >/dev/null  # warm-up
wrk_line() { taskset -c "${GEN_CPU:-0}" wrk "$@" | awk '/Requests\/sec/ {r=$2} /Non-2xx/ {b=$NF} END {printf "\"req_per_s\":%d,\"non2xx\":%d}\n", r, b+0}'; }
echo "{\"scenario\":\"S7\",\"server\":\"rotor\",$(wrk_line -t1 -c64 -d8s -s bench/publish.lua "http://127.0.0.1:$port/api/publish")" | tee -a "$results"
rp2=$(free_port); redis_on "$rp2"; wait_port "$rp2"
cp=$(free_port)
taskset -c "${SERVER_CPU:-1}" "${BENCH_HOME:-/tmp/rotor-peers}/cfbench" -addr "127.0.0.1:$cp" -redis "127.0.0.1:$rp2" -history 100 >"$run/cf-redis.log" 2>&1 & pids+=($!)
wait_port "$cp"
echo "{\"scenario\":\"S7\",\"server\":\"centrifuge\",$(wrk_line -t1 -c64 -d8s -s "$kit/post.lua" "http://127.0.0.1:$cp/api/publish?channel=bench7")" | tee -a "$results"
