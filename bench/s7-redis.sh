#!/usr/bin/env bash
# S7 (called by scripts/bench.sh): HTTP publish with Redis history, pipelined wrk.
#   Rotor: engine.type=redis on a fresh redis-server, namespace "bench7" with history_size 100 and
#   history_ttl 300s, POST /api/publish to channel bench7:ch.
#   centrifuge 0.15: the kit's cfbench binary with -redis (its own fresh redis-server) -history 100.
#   peers.sh start has no Redis option, so the binary it built is started directly.
# Both are also measured without Redis (the run's main Rotor node and centrifuge peer, same wrk
# pipelining) so the cost of Redis shows as a ratio. 2 rounds interleaved; wrk -t1 -c64, 16
# requests pipelined per write (bench/pipeline.lua); servers on core SERVER_CPU, wrk on GEN_CPU.
# Records per server: req/s, server CPU per publish (/proc), Redis commands and Redis CPU per publish
# (INFO commandstats / redis-server's /proc delta), and Rotor's history top offset after the run.
# Usage: s7-redis.sh RUN RESULTS KIT   (env: BENCH_ROTOR_PORT/BENCH_ROTOR_PID, BENCH_CF_PORT/BENCH_CF_PID for the baseline)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=$1 RESULTS=$2 kit=$3
. bench/lib.sh
api_key=${ROTOR_BENCH_API_KEY:-bench-api-key}
depth=${S7_DEPTH:-16} dur=${S7_DURATION:-8s} conns=${S7_CONNECTIONS:-64}
rotor_body='{"channel":"bench7:ch","data":{"text":"hello world, this is a 100-byte-ish payload for publish api benchmarking purposes......"}}'
cf_body=$(sed -n "s/^wrk.body *= *'\(.*\)'$/\1/p" "$kit/post.lua")

# Rotor on Redis
rp=$(free_port); redis_start "$rp"; rotor_redis_pid=$REDIS_PID
cfg=$RUN/rotor-s7.json
node -e "const c=require('./bench/rotor-bench.json');
  c.engine={type:'redis',redis:{address:['127.0.0.1:$rp']}};
  c.channel.namespaces=[Object.assign({name:'bench7',history_size:100,history_ttl:'300s'},c.channel.without_namespace)];
  console.log(JSON.stringify(c,null,1))" >"$cfg"
port=$(free_port)
ROTOR_HTTP_SERVER_PORT=$port taskset -c "$SERVER_CPU" scripts/start.sh --config "$cfg" >"$RUN/rotor-s7.log" 2>&1 &
rotor=$!; hook_pids+=("$rotor")
wait_health "$port"

# centrifuge on Redis
cp=$(free_port); redis_start "$cp"; cf_redis_pid=$REDIS_PID
cport=$(free_port)
taskset -c "$SERVER_CPU" "${BENCH_HOME:-/tmp/rotor-peers}/cfbench" -addr "127.0.0.1:$cport" -redis "127.0.0.1:$cp" -history 100 \
  >"$RUN/cf-s7.log" 2>&1 &
cf=$!; hook_pids+=("$cf")
wait_port "$cport"

# measure SCENARIO SERVER PID REDIS_PORT REDIS_PID HTTP_PORT PATH BODY KEY: one pipelined wrk run,
# one result line (none when WARMUP=1).
measure() {
  local sc=$1 name=$2 pid=$3 rport=$4 rpid=$5 hport=$6 path=$7 body=$8 key=$9
  local c0 c1 r0=0 r1=0 s0="" s1="" out line n redis='{"total":0,"per_cmd":{}}'
  [ "$rport" = - ] || { s0=$(redis_calls "$rport"); r0=$(cpu_ticks "$rpid"); }
  c0=$(cpu_ticks "$pid")
  out=$(BENCH_PATH=$path BENCH_BODY=$body BENCH_API_KEY=$key BENCH_DEPTH=$depth \
    taskset -c "$GEN_CPU" wrk -t1 -c"$conns" -d"$dur" -s bench/pipeline.lua "http://127.0.0.1:$hport" 2>&1 || true)
  c1=$(cpu_ticks "$pid")
  [ "$rport" = - ] || { s1=$(redis_calls "$rport"); r1=$(cpu_ticks "$rpid"); }
  n=$(printf '%s\n' "$out" | awk '/requests in/ {print $1}')
  n=${n:-0}
  [ "$rport" = - ] || redis=$(redis_delta_json "$s0" "$s1" "$n")
  line=$(printf '%s\n' "$out" | awk -v c0="$c0" -v c1="$c1" -v r0="$r0" -v r1="$r1" -v d="$depth" '
    /Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$NF} /requests in/ {n=$1} /^ +Latency/ {lat=$2}
    /Socket errors/ {err=$0; gsub(/.*errors: /, "", err)}
    END {printf "\"req_per_s\":%d,\"requests\":%d,\"non2xx\":%d,\"pipeline\":%d,\"latency_avg\":\"%s\",\"socket_errors\":\"%s\",\"server_cpu_us_per_req\":%.2f,\"redis_cpu_us_per_req\":%.2f",
         rps, n, bad+0, d, lat, err, (n > 0 ? (c1-c0)*10000/n : 0), (n > 0 ? (r1-r0)*10000/n : 0)}')
  [ "${WARMUP:-0}" = 1 ] && return 0
  record_line "{\"scenario\":\"$sc\",\"server\":\"$name\",$line,\"redis_cmds_per_req\":$(printf '%s' "$redis" | sed 's/.*"total":\([0-9.]*\).*/\1/'),\"redis\":$redis}"
}
rotor_s7() { measure S7 rotor "$rotor" "$rp" "$rotor_redis_pid" "$port" /api/publish "$rotor_body" "$api_key"; }
cf_s7() { measure S7 centrifuge "$cf" "$cp" "$cf_redis_pid" "$cport" "/api/publish?channel=bench7" "$cf_body" ""; }

# CPU ticks of a JVM's JIT compiler threads.
jit_ticks() {
  local t n=0
  for t in /proc/"$1"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ Compiler*|C2\ Compiler*) n=$((n + $(sed 's/.*) //' "$t/stat" | awk '{print $12+$13}'))) ;;
    esac
  done
  echo "$n"
}

# The Redis node is a fresh JVM: its first tens of seconds go to compiling (on an idle machine C2
# took ~45 % of the node's CPU in the first measured 8 s, ~70 µs per publish instead of ~25 µs
# warm; on a loaded one the measured rounds were all warm-up: ~500 µs and ~1k req/s). Warm it
# until its compilers used under 10 % of its CPU in a 3-s round (at most S7_WARMUP_ROUNDS).
echo "  warm-up (3 s rounds until the Rotor node's JIT is quiet, not recorded)"
for i in $(seq 1 "${S7_WARMUP_ROUNDS:-12}"); do
  j0=$(jit_ticks "$rotor"); c0=$(cpu_ticks "$rotor")
  WARMUP=1 dur=3s rotor_s7
  j1=$(jit_ticks "$rotor"); c1=$(cpu_ticks "$rotor")
  echo "  warm-up round $i: JIT $((j1 - j0)) of $((c1 - c0)) CPU ticks"
  [ $(((j1 - j0) * 10)) -lt $((c1 - c0)) ] && break
done
WARMUP=1 dur=3s cf_s7
for round in 1 2; do
  rotor_s7
  cf_s7
  if [ -n "${BENCH_ROTOR_PORT:-}" ]; then
    measure S7mem rotor "$BENCH_ROTOR_PID" - - "$BENCH_ROTOR_PORT" /api/publish "${rotor_body/bench7:ch/bench6}" "$api_key"
  fi
  if [ -n "${BENCH_CF_PORT:-}" ]; then
    measure S7mem centrifuge "$BENCH_CF_PID" - - "$BENCH_CF_PORT" "/api/publish?channel=bench6" "$cf_body" ""
  fi
done
# Rotor kept the history: the stream's top offset counts every accepted publish (warm-up included).
top=$(curl -fsS -H "X-API-Key: $api_key" -d '{"channel":"bench7:ch","limit":0}' "http://127.0.0.1:$port/api/history" || echo '{}')
echo "  Rotor history of bench7:ch after the run: $top"
record_line "{\"scenario\":\"S7check\",\"server\":\"rotor\",\"history\":$(printf '%s' "$top" | grep '^{' || echo '{}')}"
