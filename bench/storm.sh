#!/usr/bin/env bash
# STORM hook of scripts/bench.sh: the reconnect storm of docs/reliability.md case 8 as a benchmark.
# A node of its own on a throw-away Redis (history survives the restart), 10,000 loadgen clients on
# 100 recoverable channels, 50 publications/s through the HTTP API; the node is restarted with
# SIGTERM once all are in, and loadgen reports how long after the node was ready again every client
# was back and recovered, the 503s, the node's event-loop lag during the storm, and loss.
# Two admissions, interleaved: adaptive (client.connection_admission_lag, STORM_ADMISSION_LAG, default 50ms) and the fixed
# client.connection_rate_limit 300/s the torture test used. Args: RUN RESULTS.
set -euo pipefail
RUN=$1
RESULTS=$2
# shellcheck source=lib.sh
. bench/lib.sh
clients=${STORM_CLIENTS:-10000}

storm_once() {  # storm_once NAME CLIENT_JSON
  local name=$1 client=$2 rport port cfg pidfile
  rport=$(free_port)
  redis_start "$rport"
  port=$(free_port)
  cfg=$RUN/storm-$name.json
  pidfile=$RUN/storm-$name.pid
  cat >"$cfg" <<JSON
{
  "http_server": {"address": "127.0.0.1", "port": $port},
  "http_api": {"key": "storm-api-key"},
  "prometheus": {"enabled": true},
  "engine": {"type": "redis", "redis": {"address": ["127.0.0.1:$rport"]}},
  "client": $client,
  "channel": {"namespaces": [{"name": "storm", "history_size": 1000, "history_ttl": "600s", "force_recovery": true,
    "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true}]}
}
JSON
  local start="taskset -c $SERVER_CPU scripts/start.sh --config $cfg >>$RUN/storm-$name-node.log 2>&1 & echo \$! >$pidfile"
  bash -c "$start"
  wait_health "$port"
  # The restart: SIGTERM (clients are told 3001), wait for the process to end, start it again.
  local restart="p=\$(cat $pidfile); kill -TERM \$p; while kill -0 \$p 2>/dev/null; do sleep 0.1; done; $start"
  local out
  out=$(taskset -c "$GEN_CPU" "$LOADGEN" storm --port="$port" --pid-file="$pidfile" --clients="$clients" \
    --channels=100 --prefix=storm: --rate=50 --conc=1000 --apikey=storm-api-key --restart="$restart" \
    --deadline=180s 2>"$RUN/storm-$name-gen.log" || true)
  kill "$(cat "$pidfile")" 2>/dev/null || true
  kill "$REDIS_PID" 2>/dev/null || true
  local line
  line=$(printf '%s\n' "$out" | grep '^{' | tail -1 || true)
  if [ -z "$line" ]; then
    echo "  STORM $name: no result ($(tail -1 "$RUN/storm-$name-gen.log"))"
    return 0
  fi
  record_line "{\"scenario\":\"STORM\",\"server\":\"rotor\",\"admission\":\"$name\",${line#\{}"
}

storm_once adaptive "{\"allow_anonymous_connect_without_token\": true, \"connection_admission_lag\": \"${STORM_ADMISSION_LAG:-50ms}\"}"
storm_once rate300 '{"allow_anonymous_connect_without_token": true, "connection_rate_limit": 300}'
