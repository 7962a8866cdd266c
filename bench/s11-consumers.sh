#!/usr/bin/env bash
# S11 (called by scripts/bench.sh): consumer throughput. One Rotor node (bench/rotor-bench.json plus
# a consumer) drains N publish commands, without subscribers:
#   S11pg: a throwaway PostgreSQL cluster (initdb on a free port), an outbox table in
#     Centrifugo's layout, 4 partitions, partition_select_limit 100; N rows inserted in one statement,
#     timed until the table is empty.
#   S11rs: a fresh redis-server, N entries (method + payload fields) added by one Lua
#     call, timed until the consumer group has no lag and nothing pending.
# Records rows (entries) per second and the node's CPU per row (/proc). Usage: s11-consumers.sh RUN RESULTS
# Env: S11_ROWS (default 20000).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=$1 RESULTS=$2
. bench/lib.sh
rows=${S11_ROWS:-20000}
body='{"channel":"bench11","data":{"text":"hello world, this is a 100-byte-ish payload for publish api benchmarking purposes......"}}'

# ---- PostgreSQL ------------------------------------------------------------------------------
bin=$(dirname "$(readlink -f "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | sort | tail -1)")")
pgdir=$(mktemp -d /tmp/rotor-s11-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pgdir"; as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups); fi
"${as_pg[@]}" "$bin/initdb" -D "$pgdir/data" -U rotor --auth=trust -E UTF8 --no-sync >"$RUN/s11-initdb.log" 2>&1
pgport=$(free_port)
taskset -c "$SERVER_CPU" "${as_pg[@]}" "$bin/postgres" -D "$pgdir/data" -p "$pgport" -h 127.0.0.1 -k "$pgdir" \
  -c fsync=off -c synchronous_commit=off >"$RUN/s11-postgres.log" 2>&1 &
hook_pids+=("$!")
for _ in $(seq 1 150); do "$bin/pg_isready" -q -h 127.0.0.1 -p "$pgport" && break; sleep 0.2; done
psql() { "$bin/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U rotor -d postgres "$@"; }
psql -c "CREATE TABLE outbox (id BIGSERIAL PRIMARY KEY, method text NOT NULL, payload JSONB NOT NULL,
  partition INTEGER NOT NULL default 0, created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)"

rp=$(free_port); redis_start "$rp"

consumers='[{"name":"bench-pg","enabled":true,"type":"postgresql","postgresql":{"dsn":"postgres://rotor@127.0.0.1:'$pgport'/postgres",
 "outbox_table_name":"outbox","num_partitions":4,"partition_poll_interval":"50ms"}},
 {"name":"bench-rs","enabled":true,"type":"redis_stream","redis_stream":{"address":["127.0.0.1:'$rp'"],"streams":["bench11"],
 "consumer_group":"rotor"}}]'
port=$(free_port)
ROTOR_CONSUMERS=$consumers ROTOR_HTTP_SERVER_PORT=$port taskset -c "$SERVER_CPU" scripts/start.sh \
  --config bench/rotor-bench.json >"$RUN/rotor-s11.log" 2>&1 &
hook_pids+=("$!")
wait_health "$port"
pid=$(ss -ltnpH "sport = :$port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)

now_ms() { date +%s%3N; }
result() {  # result SCENARIO N T0 T1 C0 C1
  record_line "$(awk -v sc="$1" -v n="$2" -v t0="$3" -v t1="$4" -v c0="$5" -v c1="$6" 'BEGIN {
    printf "{\"scenario\":\"%s\",\"server\":\"rotor\",\"rows\":%d,\"seconds\":%.2f,\"rows_per_s\":%d,\"server_cpu_us_per_row\":%.1f}",
      sc, n, (t1-t0)/1000, n*1000/(t1-t0), (c1-c0)*10000/n }')"
}

# The JIT's first use of each path is not what is measured: a small warm-up of both.
psql -c "INSERT INTO outbox (method, payload, partition) SELECT 'publish', '$body'::jsonb, g % 4 FROM generate_series(1, 2000) g"
redis-cli -p "$rp" eval "for i=1,tonumber(ARGV[1]) do redis.call('xadd', KEYS[1], '*', 'method', 'publish', 'payload', ARGV[2]) end" 1 bench11 2000 "$body" >/dev/null
for _ in $(seq 1 600); do [ "$(psql -tA -c 'SELECT count(*) FROM outbox')" = 0 ] && break; sleep 0.1; done

c0=$(cpu_ticks "$pid"); t0=$(now_ms)
psql -c "INSERT INTO outbox (method, payload, partition) SELECT 'publish', '$body'::jsonb, g % 4 FROM generate_series(1, $rows) g"
for _ in $(seq 1 6000); do [ "$(psql -tA -c 'SELECT count(*) FROM outbox')" = 0 ] && break; sleep 0.05; done
t1=$(now_ms); c1=$(cpu_ticks "$pid")
result S11pg "$rows" "$t0" "$t1" "$c0" "$c1"

lag() { redis-cli -p "$rp" xinfo groups bench11 | tr -d '\r' | awk '/^(pending|lag)$/ {getline v; s+=v} END {print s+0}'; }
for _ in $(seq 1 600); do [ "$(lag)" = 0 ] && break; sleep 0.1; done
c0=$(cpu_ticks "$pid"); t0=$(now_ms)
redis-cli -p "$rp" eval "for i=1,tonumber(ARGV[1]) do redis.call('xadd', KEYS[1], '*', 'method', 'publish', 'payload', ARGV[2]) end" 1 bench11 "$rows" "$body" >/dev/null
for _ in $(seq 1 6000); do [ "$(lag)" = 0 ] && break; sleep 0.05; done
t1=$(now_ms); c1=$(cpu_ticks "$pid")
result S11rs "$rows" "$t0" "$t1" "$c0" "$c1"
rm -rf "$pgdir"
