#!/usr/bin/env bash
# Benchmarks Rotor side by side with its peers (centrifuge 0.15, Socket.IO 4.8) in one interleaved run.
#   scripts/bench.sh                 every scenario S1-S11 and STORM, then docs/benchmarks.md and the plots
#   scripts/bench.sh S1 S6           only these scenarios (the report covers what ran)
#   scripts/bench.sh STORM           the reconnect storm (bench/storm.sh: its own node on Redis)
#   scripts/bench.sh jmh             JMH micro-benchmarks of the hot paths (Maven profile "jmh")
# Installs what it needs (peers from the shared bench kit, wrk and gnuplot via apt-get), builds the
# jar, starts Rotor fresh with bench/rotor-bench.json on a free port, warms the JIT, and pins every
# server to core 1 and every load generator to core 0 (taskset). Results: target/bench/<run>/.
# Environment: ROUNDS (S1 repetitions, default 3), S6_ROUNDS (default 2), ROTOR_BENCH_KIT (default ../shared/bench),
# BENCH_HOME (peers' install dir, default /tmp/rotor-peers), BENCH_NO_DOCS=1 (do not rewrite docs),
# BASELINE_JAR (another build of Rotor, e.g. the commit before a change: it runs as server "baseline"
# in S1, S2 and S6, interleaved with this build on the same core, and the run ends with this build's cost
# relative to it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
kit=$(cd "${ROTOR_BENCH_KIT:-../shared/bench}" && pwd)
export BENCH_HOME=${BENCH_HOME:-/tmp/rotor-peers}
rounds=${ROUNDS:-3}
api_key=bench-api-key
export ROTOR_BENCH_API_KEY=$api_key
SERVER_CPU=${SERVER_CPU:-1}
GEN_CPU=${GEN_CPU:-0}

scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(S1 S2 S3 S4 S5 S6 S7 S8 S9 S10 S11 STORM)
fi

if [ "${scenarios[0]}" = jmh ]; then
  mvn -B -ntp -q -Pjmh package -Dmaven.test.skip=true
  exec java -jar target/jmh/rotor-jmh.jar "${scenarios[@]:1}"
fi

# ---- install -------------------------------------------------------------------------------
apt_install() {
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  for attempt in 1 2 3 4 5 6; do  # another process may hold the dpkg lock: wait and retry
    if apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; then return 0; fi
    sleep 10
  done
  echo "bench.sh: cannot install ${missing[*]}" >&2
  exit 1
}
apt_install wrk:wrk gnuplot:gnuplot-nox nstat:iproute2 taskset:util-linux go:golang-go
if [ ! -x "$BENCH_HOME/cfbench" ] || [ ! -d "$BENCH_HOME/node_modules/socket.io" ]; then
  bash "$kit/peers.sh" install
fi
export NODE_PATH=$BENCH_HOME/node_modules
# bench/loadgen: the compiled generator (S2, S4/S5, STORM), standard library only.
export LOADGEN=$BENCH_HOME/loadgen
if [ ! -x "$LOADGEN" ] || [ -n "$(find bench/loadgen -newer "$LOADGEN" -type f -print -quit)" ]; then
  (cd bench/loadgen && GO111MODULE=off GOPATH="$BENCH_HOME/gopath" GOCACHE="$BENCH_HOME/gocache" go build -o "$LOADGEN" .)
fi

# ---- build and processes -------------------------------------------------------------------
jar=target/rotor.jar
if [ ! -f "$jar" ] || [ -n "$(find rotor/src pom.xml rotor/pom.xml rotor-server/pom.xml -newer "$jar" -type f -print -quit)" ]; then
  mvn -B -ntp -q package -Dmaven.test.skip=true
fi

run=target/bench/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$run"
results=$run/results.jsonl
: >"$results"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}

# free_port, wait_port, wait_health, cpu_ticks, redis_start: shared with the scenario hooks.
# shellcheck source=../bench/lib.sh
. bench/lib.sh
trap cleanup EXIT   # lib.sh sets its own trap for the hooks; this run's servers are ours to stop
# start_rotor PORT [extra env...]: Rotor through scripts/start.sh (its JVM flags), pinned; prints the PID.
start_rotor() {
  local port=$1; shift
  env "$@" ROTOR_HTTP_SERVER_PORT="$port" taskset -c "$SERVER_CPU" scripts/start.sh --config bench/rotor-bench.json \
    >"$run/rotor-$port.log" 2>&1 &
  echo $!
}
# start_baseline PORT: the BASELINE_JAR build with start.sh's JVM flags, pinned; prints the PID.
start_baseline() {
  ROTOR_HTTP_SERVER_PORT="$1" taskset -c "$SERVER_CPU" java ${ROTOR_JAVA_OPTS:--Xms256m -Xmx2g -Xmn96m -XX:+UseParallelGC} \
    -jar "$BASELINE_JAR" --config bench/rotor-bench.json >"$run/baseline-$1.log" 2>&1 &
  echo $!
}
start_peer() {
  taskset -c "$SERVER_CPU" bash "$kit/peers.sh" start "$1" "$2"
}
gen() { taskset -c "$GEN_CPU" "$@"; }

# record SCENARIO SERVER JSON: one result line, tagged. A loadgen row says whether its generator
# stayed under 60 % of its core (gen_valid): above it the row measures the generator too.
record() {
  local line
  line=$(printf '%s\n' "$3" | grep '^{' | tail -1 || true)
  if [ -z "$line" ]; then
    echo "  $1 $2: no result ($(printf '%s' "$3" | tail -1))" >&2
    return 0
  fi
  printf '{"scenario":"%s","server":"%s",%s\n' "$1" "$2" "${line#\{}" >>"$results"
  printf '  %-4s %-10s %s\n' "$1" "$2" "$line"
  case "$line" in
    *'"gen_valid":false'*) echo "  ^ INVALID: the generator used over 60 % of its core ($(printf '%s' "$line" | grep -o '"gen_cpu_pct_[a-z]*":[0-9.]*'))" ;;
    *'"gen_valid":true'*) echo "  ^ valid: generator $(printf '%s' "$line" | grep -o '"gen_cpu_pct_[a-z]*":[0-9.]*') % of its core (< 60 %)" ;;
  esac
}

wants() { local s; for s in "${scenarios[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
jar_has() { unzip -Z1 "$jar" 2>/dev/null | grep -Ec "$1" >/dev/null; }  # grep -q would SIGPIPE unzip (pipefail)

rotor_port=$(free_port)
grpc_port=$(free_port)
rotor_pid=$(start_rotor "$rotor_port" ROTOR_GRPC_API_ENABLED=true ROTOR_GRPC_API_ADDRESS=127.0.0.1 \
  ROTOR_GRPC_API_PORT="$grpc_port" ROTOR_GRPC_API_KEY=$api_key)
pids+=("$rotor_pid")
cf_port=$(free_port)
cf_pid=$(start_peer centrifuge "$cf_port")
pids+=("$cf_pid")
sio_port=$(free_port)
sio_pid=$(start_peer sio "$sio_port")
pids+=("$sio_pid")
wait_port "$rotor_port" && wait_port "$cf_port" && wait_port "$sio_port" || exit 1
java_pid=$(pgrep -P "$rotor_pid" java || echo "$rotor_pid")  # start.sh execs java: normally the same PID

# Each server: name, fanout.js target, port, pid.
servers=("rotor cf2 $rotor_port $java_pid" "centrifuge cf1 $cf_port $cf_pid" "socketio sioraw $sio_port $sio_pid")
if [ -n "${BASELINE_JAR:-}" ]; then
  base_port=$(free_port)
  base_pid=$(start_baseline "$base_port")
  pids+=("$base_pid")
  wait_port "$base_port" || exit 1
  servers=("baseline cf2 $base_port $base_pid" "${servers[@]}")
fi

fanout() {  # fanout TARGET PORT PID ARGS...
  local t=$1 p=$2 pid=$3; shift 3
  gen node "$kit/fanout.js" --target="$t" --port="$p" --pid="$pid" "$@" 2>&1 || true
}

cat >"$run/machine.txt" <<EOF
date: $(date -u +%Y-%m-%dT%H:%M:%SZ)
commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- rotor/src pom.xml rotor/pom.xml rotor-server/pom.xml scripts bench || echo "+dirty")
cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)
kernel: $(uname -r)
java: $(java -version 2>&1 | head -1)
node: $(node --version)
load before run: $(cut -d' ' -f1-3 /proc/loadavg)
EOF
cat "$run/machine.txt"

echo "== JIT warm-up"
for s in "${servers[@]}"; do
  read -r name t p pid <<<"$s"
  fanout "$t" "$p" "$pid" --subs=500 --msgs=500 >/dev/null
done
fanout cf2 "$rotor_port" "$java_pid" --subs=1000 --msgs=1000 >/dev/null
if [ -n "${BASELINE_JAR:-}" ]; then
  fanout cf2 "$base_port" "$base_pid" --subs=1000 --msgs=1000 >/dev/null
  gen wrk -t1 -c32 -d3s -s bench/publish.lua "http://127.0.0.1:$base_port/api/publish" >/dev/null
fi
gen node bench/gen.js --target=cf2 --port="$rotor_port" --pid="$java_pid" --apikey=$api_key --clients=3000 --pubs=5000 >/dev/null
gen wrk -t1 -c32 -d3s -s bench/publish.lua "http://127.0.0.1:$rotor_port/api/publish" >/dev/null

if wants S1; then
  echo "== S1 fan-out: 1000 subscribers x 1000 messages of 100 B, $rounds rounds interleaved"
  for r in $(seq 1 "$rounds"); do
    for s in "${servers[@]}"; do
      read -r name t p pid <<<"$s"
      record S1 "$name" "$(fanout "$t" "$p" "$pid" --subs=1000 --msgs=1000)"
    done
  done
  echo "== S1 sweep: subscriber count"
  for n in 100 500 2000; do
    for s in "${servers[@]}"; do
      read -r name t p pid <<<"$s"
      record S1sweep "$name" "$(fanout "$t" "$p" "$pid" --subs="$n" --msgs=300)"
    done
  done
fi

if wants S2; then
  echo "== S2 paced latency (loadgen): 1000 subscribers, publishes/s 100 (target, 4 s) then 300 and 1000 (plot)"
  for rate_msgs in 100:400 300:600 1000:1000; do  # Socket.IO needs ~30 s for the last one
    rate=${rate_msgs%:*}
    for s in "${servers[@]}"; do
      read -r name t p pid <<<"$s"
      record S2 "$name" "$(gen "$LOADGEN" fanout --target="$t" --port="$p" --pid="$pid" --subs=1000 \
        --msgs="${rate_msgs#*:}" --rate="$rate" 2>&1 || true)"
    done
  done
fi

if wants S3; then
  echo "== S3: 10000 clients each on its own channel, then an HTTP publish loop over them (bench/gen.js)"
  for s in "${servers[@]}"; do
    read -r name t p pid <<<"$s"
    record S3 "$name" "$(gen node bench/gen.js --target="$t" --port="$p" --pid="$pid" \
      --apikey=$api_key --clients=10000 --conc=1000 --pubs=20000 --idle=0 2>&1 || true)"
    sleep 2  # closed connections leave the server
  done
fi

if wants S4 || wants S5; then
  echo "== S4/S5 (loadgen): 10000 clients connect + subscribe each to its own channel, 1000 in flight; memory when idle"
  for s in "${servers[@]}"; do
    read -r name t p pid <<<"$s"
    jvm=(); [ "$name" = rotor ] && jvm=(--jvm)
    record S4 "$name" "$(gen "$LOADGEN" connect --target="$t" --port="$p" --pid="$pid" "${jvm[@]}" \
      --clients=10000 --conc=1000 2>&1 || true)"
    sleep 2
  done
  # Rotor's cost per connection by node size: 1,000 then 19,000 (the per-process file limit is
  # 20,000: one generator process holds 19,000 sockets, the node 19,000 plus its own files).
  for n in 1000 19000; do
    record S4n rotor "$(gen "$LOADGEN" connect --target=cf2 --port="$rotor_port" --pid="$java_pid" --jvm \
      --clients="$n" --conc=1000 2>&1 || true)"
    sleep 3
  done
fi

# wrk_json NAME PID ARGS...: wrk on core 0, plus the server's CPU per request from /proc.
wrk_json() {
  local pid=$1; shift
  local c0 c1 out
  c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  out=$(gen wrk "$@" 2>&1 || true)
  c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  printf '%s\n' "$out" | awk -v c0="$c0" -v c1="$c1" '
    /Requests\/sec/ {rps=$2}
    /Non-2xx/ {bad=$NF}
    /requests in/ {n=$1}
    /^ +Latency/ {lat=$2}
    END {printf "{\"req_per_s\":%d,\"requests\":%d,\"non2xx\":%d,\"latency_avg\":\"%s\",\"server_cpu_us_per_req\":%.1f}\n",
         rps, n, bad+0, lat, (n > 0 ? (c1-c0)*10000/n : 0)}'
}

# grpc_json PID: bench/GrpcPublishLoad.java (64 calls in flight, 8 s, the S6 body) on core 0, plus
# the server's CPU per request from /proc, the same fields as wrk_json.
grpc_json() {
  local pid=$1 c0 c1 out
  c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  out=$(gen java -cp "$jar" bench/GrpcPublishLoad.java "$grpc_port" "$api_key" 64 8 2>/dev/null | grep '^{' || true)
  c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  printf '%s\n' "$out" | awk -v c0="$c0" -v c1="$c1" -F'[:,]' '
    /^\{/ {n=$4; printf "%s,\"server_cpu_us_per_req\":%.1f}\n", substr($0, 1, length($0)-1), (n > 0 ? (c1-c0)*10000/n : 0)}'
}

if wants S6; then
  echo "== S6 HTTP publish API, no subscribers: wrk -t1 -c64 -d8s; the same publish over the gRPC API (S6g)"
  for r in $(seq 1 "${S6_ROUNDS:-2}"); do
    if [ -n "${BASELINE_JAR:-}" ]; then
      record S6 baseline "$(wrk_json "$base_pid" -t1 -c64 -d8s -s bench/publish.lua "http://127.0.0.1:$base_port/api/publish")"
    fi
    record S6 rotor "$(wrk_json "$java_pid" -t1 -c64 -d8s -s bench/publish.lua "http://127.0.0.1:$rotor_port/api/publish")"
    record S6g rotor "$(grpc_json "$java_pid")"
    record S6 centrifuge "$(wrk_json "$cf_pid" -t1 -c64 -d8s -s "$kit/post.lua" "http://127.0.0.1:$cf_port/api/publish?channel=bench6")"
    record S6 socketio "$(wrk_json "$sio_pid" -t1 -c64 -d8s -s "$kit/post.lua" "http://127.0.0.1:$sio_port/publish?channel=bench6")"
  done
fi

# ---- S7-S9: hooks in bench/ (they start their own servers; S7 also measures the main ones as a baseline)
export SERVER_CPU GEN_CPU BENCH_ROTOR_PORT=$rotor_port BENCH_ROTOR_PID=$java_pid BENCH_CF_PORT=$cf_port BENCH_CF_PID=$cf_pid
if wants S7; then
  echo "== S7 publish with Redis history"
  if jar_has 'io/rotor/.*[Rr]edis.*\.class'; then
    bash bench/s7-redis.sh "$run" "$results" "$kit" || echo "  S7 failed (see $run)"
  else
    echo "  S7 not available: needs engine.type=redis (the cluster issue)"
    echo '{"scenario":"S7","server":"rotor","not_available":"needs engine.type=redis"}' >>"$results"
  fi
fi
if wants S8; then
  echo "== S8 three nodes on one machine"
  if jar_has 'io/rotor/cluster/.*\.class'; then
    bash bench/s8-cluster.sh "$run" "$results" "$kit" || echo "  S8 failed (see $run)"
  else
    echo "  S8 not available: needs cluster (the cluster issue)"
    echo '{"scenario":"S8","server":"rotor","not_available":"needs cluster"}' >>"$results"
  fi
fi
if wants S10; then
  echo "== S10 fossil delta compression on vs off: 1000 subscribers, 2 KB JSON document, one changing field"
  bash bench/s10-delta.sh "$run" "$results" "$kit" || echo "  S10 failed (see $run)"
fi

if wants S9; then
  echo "== S9 SockJS and emulation"
  if jar_has 'io/rotor/transport/(sockjs|emulation)/.*\.class'; then
    bash bench/s9-transports.sh "$run" "$results" "$kit" || echo "  S9 failed (see $run)"
  else
    echo "  S9 not available: needs the SockJS / emulation transports (the transports issue)"
    echo '{"scenario":"S9","server":"rotor","not_available":"needs sockjs/emulation transports"}' >>"$results"
  fi
fi

if wants S11; then
  echo "== S11 consumers: PostgreSQL outbox and Redis Streams drained by one node"
  bash bench/s11-consumers.sh "$run" "$results" || echo "  S11 failed (see $run)"
fi

if wants STORM; then
  echo "== STORM reconnect storm: 10,000 clients on 100 recoverable channels, node restarted (bench/storm.sh)"
  bash bench/storm.sh "$run" "$results" || echo "  STORM failed (see $run)"
fi

echo "load after run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$run/machine.txt"
echo "== report"
docs_args=()
[ "${BENCH_NO_DOCS:-0}" = 1 ] || docs_args=(--docs=docs/benchmarks.md --plots=docs/bench)
node bench/report.js --run="$run" "${docs_args[@]}"
if [ -n "${BASELINE_JAR:-}" ]; then
  node bench/baseline.js "$results"
fi
