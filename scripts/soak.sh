#!/usr/bin/env bash
# Soak (not CI): one node on the Redis engine under a steady mixed load (bench/soak.mjs: subscribers
# on recoverable channels, publications through the HTTP API, reconnects with recovery) for
# SOAK_MINUTES (default 30). Every SAMPLE_SECONDS (default 10) it records the node's used heap
# (jstat), its live heap after a forced full collection, live threads and open file descriptors
# (/proc), then plots the curves with gnuplot (target/soak/soak.png, and as text on the terminal).
# A leak shows as a rising curve; the script fails when the last third's averages exceed the
# middle third's by more than SOAK_TOLERANCE percent (default 30) for threads or fds, or the live
# heap's floor grows past it (and by more than 16 MB), or the node logs an error or a warning.
#   SOAK_MINUTES=3 scripts/soak.sh
# Environment: CLIENTS (500), CHANNELS (20), RATE (200 publications/s), CHURN (5 reconnects/s).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${SOAK_MINUTES:-30}
sample=${SAMPLE_SECONDS:-10}
tolerance=${SOAK_TOLERANCE:-30}
out=target/soak
mkdir -p "$out"
command -v gnuplot >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox; }
command -v redis-server >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
(cd rotor/src/test/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
[ -f target/rotor.jar ] && [ -z "$(find rotor/src pom.xml rotor/pom.xml rotor-server/pom.xml -newer target/rotor.jar -type f -print -quit)" ] \
  || mvn -B -ntp -q package -Dmaven.test.skip=true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); port=$(free_port)
api_key=soak-$RANDOM$RANDOM
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$out/redis.log" 2>&1 &
redis_pid=$!
cat >"$out/config.json" <<JSON
{"http_server": {"address": "127.0.0.1", "port": $port},
 "client": {"allow_anonymous_connect_without_token": true},
 "http_api": {"key": "$api_key"},
 "engine": {"type": "redis", "redis": {"address": ["127.0.0.1:$redis_port"]}},
 "channel": {"namespaces": [{"name": "soak", "history_size": 1000, "history_ttl": "300s",
   "force_recovery": true, "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true}]}}
JSON
java -Xms128m -Xmx512m -XX:+UseParallelGC -jar target/rotor.jar --config "$out/config.json" >"$out/node.log" 2>&1 &
node_pid=$!
load_pid=""
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  kill "$node_pid" "$redis_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/ready" >/dev/null || { echo "soak: node did not start" >&2; cat "$out/node.log" >&2; exit 1; }

PORT=$port API_KEY=$api_key node bench/soak.mjs >"$out/load.log" 2>&1 &
load_pid=$!
echo "soak: node $node_pid on :$port, load $load_pid, $minutes min, sample every $sample s"
echo "seconds heap_mb live_mb threads fds" >"$out/samples.dat"
start=$(date +%s)
end=$((start + minutes * 60))
while [ "$(date +%s)" -lt "$end" ]; do
  sleep "$sample"
  kill -0 "$node_pid" 2>/dev/null || { echo "soak: the node died" >&2; tail -50 "$out/node.log" >&2; exit 1; }
  # jstat -gc: S0U S1U EU OU are columns 3 4 6 8. Used heap is a sawtooth, and the old generation
  # only grows by promotion until a full collection, which a 512 MB heap may not need for half an
  # hour: so after reading the used heap, a full collection (jcmd GC.run, a pause of tens of ms
  # every sample) leaves in the old generation only what is live. That is the curve a leak raises.
  used=$(jstat -gc "$node_pid" | awk 'NR==2 {printf "%.1f", ($3+$4+$6+$8)/1024}')
  jcmd "$node_pid" GC.run >/dev/null
  heap="$used $(jstat -gc "$node_pid" | awk 'NR==2 {printf "%.1f", $8/1024}')"
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$node_pid/status")
  fds=$(ls "/proc/$node_pid/fd" | wc -l)
  echo "$(( $(date +%s) - start )) $heap $threads $fds" | tee -a "$out/samples.dat"
done
tail -1 "$out/load.log"

plot='set key outside; set xlabel "seconds"; set y2tics;
plot "'$out'/samples.dat" using 1:2 with lines title "heap MB", "" using 1:3 with lines title "live heap MB (after full GC)", "" using 1:4 with lines title "threads" axes x1y2, "" using 1:5 with lines title "fds" axes x1y2'
gnuplot -e "set terminal png size 1000,500; set output '$out/soak.png'; $plot"
gnuplot -e "set terminal dumb 100 30; $plot"
echo "soak: plot in $out/soak.png"

# Flat or not: the middle third (after warm-up) against the last third; for the heap, the
# smallest live set of each third.
awk -v tol="$tolerance" 'NR>1 {o[NR]=$3; t[NR]=$4; f[NR]=$5; n=NR}
  END {
    k=int((n-1)/3); if (k<1) {print "soak: too few samples to judge"; exit 0}
    for (i=2+k;i<2+2*k;i++) {ta+=t[i]; fa+=f[i]; if (ha==""||o[i]<ha) ha=o[i]}
    for (i=n-k+1;i<=n;i++) {tb+=t[i]; fb+=f[i]; if (hb==""||o[i]<hb) hb=o[i]}
    ta/=k; tb/=k; fa/=k; fb/=k;
    printf "soak: threads %.0f -> %.0f, fds %.0f -> %.0f, live heap floor %.1f -> %.1f MB\n", ta, tb, fa, fb, ha, hb;
    bad = (tb > ta*(1+tol/100)) || (fb > fa*(1+tol/100)) || (hb > ha*(1+tol/100) && hb-ha > 16);
    if (bad) {print "soak: a curve is not flat"; exit 1}
    print "soak: flat"
  }' "$out/samples.dat"

# A flat curve with exceptions in the log is not a clean run (the first 30-minute run found one).
errors=$(grep -c -E '^[0-9:.]+ (ERROR|WARN) ' "$out/node.log" || true)
echo "soak: $errors error/warning lines in the node's log ($out/node.log)"
[ "$errors" -eq 0 ] || { grep -m 5 -A 3 -E '^[0-9:.]+ (ERROR|WARN) ' "$out/node.log"; exit 1; }
