# Helpers shared by the scenario hooks bench/s7-redis.sh, s8-cluster.sh and s9-transports.sh (sourced).
# They run from the repository root, started by scripts/bench.sh with RUN (target/bench/<run>) set.
SERVER_CPU=${SERVER_CPU:-1}
GEN_CPU=${GEN_CPU:-0}
hook_pids=()
trap 'for p in "${hook_pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
wait_port() {
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "  nothing listens on $1" >&2
  return 1
}
wait_health() {  # wait_health PORT: Rotor answers /health (cluster nodes listen before they joined)
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "  Rotor on $1 did not become healthy" >&2
  return 1
}
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }  # utime+stime in 1/100 s

# redis_start PORT: a throw-away redis-server (no persistence) pinned with the servers; sets REDIS_PID.
redis_start() {
  command -v redis-server >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
  taskset -c "$SERVER_CPU" redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no \
    >"$RUN/redis-$1.log" 2>&1 &
  REDIS_PID=$!
  hook_pids+=("$REDIS_PID")
  wait_port "$1"
}
# redis_calls PORT: "cmd calls" per line from INFO commandstats (commands run by Lua scripts included).
redis_calls() {
  redis-cli -p "$1" info commandstats | tr -d '\r' | sed -n 's/^cmdstat_\([^:]*\):calls=\([0-9]*\),.*/\1 \2/p'
}
# redis_delta_json BEFORE AFTER N: {"total":x,"per_cmd":{"xadd":1,...}} per one of N operations,
# without the INFO calls of the measurement itself.
redis_delta_json() {
  awk -v n="$3" 'FNR==NR {b[$1]=$2; next} {d=$2-b[$1]; if ($1 != "info" && d > 0) {t+=d; s=s sep "\"" $1 "\":" sprintf("%.2f", d/n); sep=","}}
    END {printf "{\"total\":%.2f,\"per_cmd\":{%s}}", (n > 0 ? t/n : 0), s}' <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# record_line JSON: append one result line to RESULTS and show it like scripts/bench.sh does.
record_line() {
  printf '%s\n' "$1" >>"$RESULTS"
  local sc server rest
  sc=$(printf '%s' "$1" | sed -n 's/.*"scenario":"\([^"]*\)".*/\1/p')
  server=$(printf '%s' "$1" | sed -n 's/.*"server":"\([^"]*\)".*/\1/p')
  rest=$(printf '%s' "$1" | sed 's/"scenario":"[^"]*",//; s/"server":"[^"]*",//')
  printf '  %-4s %-10s %s\n' "$sc" "$server" "$rest"
}
