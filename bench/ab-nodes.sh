#!/usr/bin/env bash
# Interleaved A/B of Rotor nodes at one frame per message (S2's shape: 1000 subscribers x 100
# publications/s, 400 publications), e.g. two builds or two I/O transports of one build:
#   bench/ab-nodes.sh ROUNDS NAME=JAR[:io_transport] NAME=JAR[:io_transport] ...
#   bench/ab-nodes.sh 6 epoll=target/rotor.jar:epoll uring=target/rotor.jar:io_uring
# Every node is pinned to core 1, loadgen (built by scripts/bench.sh, LOADGEN) to core 0; after a
# warm-up each round runs every node once, in a rotating order. Prints one JSON line per run, then
# CPU per outbound frame per node and its ratio to the first node, paired by round (the median).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1; shift
LOADGEN=${LOADGEN:-${BENCH_HOME:-/tmp/rotor-peers}/loadgen}
[ -x "$LOADGEN" ] || { echo "no loadgen at $LOADGEN: run scripts/bench.sh S2 once, or set LOADGEN" >&2; exit 2; }
. bench/lib.sh
out=$(mktemp -d)
names=(); ports=(); pids=()
for v in "$@"; do
  name=${v%%=*}; rest=${v#*=}; jar=${rest%%:*}; io=auto
  [[ $rest == *:* ]] && io=${rest#*:}
  p=$(free_port)
  sed "s/\"port\": 0/\"port\": $p, \"io_transport\": \"$io\"/" bench/rotor-bench.json >"$out/$name.json"
  taskset -c "$SERVER_CPU" java -Xms256m -Xmx2g -Xmn96m -XX:+UseParallelGC -jar "$jar" --config "$out/$name.json" >"$out/$name.log" 2>&1 &
  names+=("$name"); ports+=("$p"); pids+=("$!"); hook_pids+=("$!")
done
for p in "${ports[@]}"; do wait_health "$p"; done
for i in "${!names[@]}"; do  # warm-up: the JIT of every node
  taskset -c "$GEN_CPU" "$LOADGEN" fanout --port="${ports[$i]}" --pid="${pids[$i]}" --subs=1000 --msgs=1000 --rate=1000 >/dev/null 2>&1 || true
done
n=${#names[@]}
for r in $(seq "$rounds"); do
  for k in $(seq 0 $((n - 1))); do
    i=$(((k + r) % n))
    line=$(taskset -c "$GEN_CPU" "$LOADGEN" fanout --port="${ports[$i]}" --pid="${pids[$i]}" --subs=1000 --msgs=400 --rate=100 2>&1 | grep '^{' | tail -1)
    echo "{\"round\":$r,\"node\":\"${names[$i]}\",\"r\":$line}" | tee -a "$out/runs.jsonl"
  done
done
node -e '
const L = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const names = [...new Set(L.map(x => x.node))], first = process.argv[2];
const med = a => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const rounds = {};
for (const x of L) (rounds[x.round] ??= {})[x.node] = x.r.server_cpu_us_per_frame;
for (const n of names) {
  const f = L.filter(x => x.node === n).map(x => x.r.server_cpu_us_per_frame);
  const ratios = Object.values(rounds).filter(o => o[n] && o[first]).map(o => o[n] / o[first]);
  console.log(`${n}: CPU per frame ${f.join(" ")} us (median ${med(f)}), / ${first} paired median ${med(ratios).toFixed(2)}`);
}' "$out/runs.jsonl" "${names[0]}"
