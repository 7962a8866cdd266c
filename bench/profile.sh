#!/usr/bin/env bash
# Where a node's CPU goes in one scenario: starts Rotor with Java Flight Recorder (pinned to core 1,
# start.sh's JVM flags), warms it, records while the compiled generator (core 0) drives the
# scenario, and prints the hottest frames of the Java and native samples (bench/jfr-top.js): by self
# time, by layer, and the Rotor methods on the stack. Shares, not times: on a busy machine read them
# beside a CPU figure of the same run (the generator's JSON line).
#   bench/profile.sh connect      10,000 clients connect + subscribe, each on its own channel (S4)
#   bench/profile.sh fanout       1000 subscribers x 100 publications/s, one frame per delivery (S2)
# Needs a built target/rotor.jar and bench/loadgen built by scripts/bench.sh ($LOADGEN).
# Output: target/bench/profile-<scenario>-<time>/ (the .jfr file and the tables).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?connect or fanout}
# shellcheck source=lib.sh
. bench/lib.sh
LOADGEN=${LOADGEN:-${BENCH_HOME:-/tmp/rotor-peers}/loadgen}
[ -x "$LOADGEN" ] || { echo "profile.sh: build bench/loadgen first (scripts/bench.sh S2 does)" >&2; exit 1; }
out=target/bench/profile-$scenario-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
# The JDK's "profile" settings with a 1 ms sampling period (10 and 20 ms give a few hundred samples).
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
sed -e 's|<setting name="period" control="method-sampling-java-interval">[^<]*<|<setting name="period" control="method-sampling-java-interval">1 ms<|' \
    -e 's|<setting name="period" control="method-sampling-native-interval">[^<]*<|<setting name="period" control="method-sampling-native-interval">1 ms<|' \
    "$java_home/lib/jfr/profile.jfc" >"$out/sampling.jfc"
port=$(free_port)
ROTOR_HTTP_SERVER_PORT=$port ROTOR_JAVA_OPTS="-Xms256m -Xmx2g -Xmn96m -XX:+UseParallelGC \
  -XX:StartFlightRecording=settings=profile,filename=$out/warmup.jfr" \
  taskset -c "${SERVER_CPU:-1}" scripts/start.sh --config bench/rotor-bench.json >"$out/node.log" 2>&1 &
node_pid=$!
trap 'kill $node_pid 2>/dev/null || true' EXIT
wait_port "$port"
java_pid=$(pgrep -P "$node_pid" java || echo "$node_pid")
gen() { taskset -c "${GEN_CPU:-0}" "$LOADGEN" "$@" --port="$port" --pid="$java_pid"; }
drive() {
  case "$scenario" in
    connect) gen connect --target=cf2 --clients=10000 ;;
    fanout) gen fanout --target=cf2 --subs=1000 --msgs=600 --rate=100 ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
}
drive >/dev/null  # warm-up: the JIT compiles the path before the recording that counts
jcmd "$java_pid" JFR.stop name=1 >/dev/null 2>&1 || true
jcmd "$java_pid" JFR.start name=run settings="$(pwd)/$out/sampling.jfc" >/dev/null
drive | tee "$out/loadgen.json"
jcmd "$java_pid" JFR.dump name=run filename="$(pwd)/$out/run.jfr" >/dev/null
jfr print --stack-depth 64 --events jdk.ExecutionSample,jdk.NativeMethodSample "$out/run.jfr" >"$out/samples.txt"
node bench/jfr-top.js "$out/samples.txt" | tee "$out/top.txt"
