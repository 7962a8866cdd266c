#!/usr/bin/env bash
# S9 (called by scripts/bench.sh): server CPU per delivery over SockJS (websocket, xhr-streaming)
# and the emulation transports (http_stream, sse) relative to the raw WebSocket, same node, same run.
# Runs scripts/bench-transports.sh (centrifuge-js clients from Node, src/test/node/bench/transports.mjs)
# with bench/rotor-bench.json plus those transports enabled, node on core SERVER_CPU, generator on
# GEN_CPU, S9_ROUNDS rounds (default 2) interleaving the transports, S9_SUBS x S9_MSGS (200 x 500).
# Records one line per transport: median CPU per delivery over the rounds and its ratio to websocket.
# Usage: s9-transports.sh RUN RESULTS KIT
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=$1 RESULTS=$2
. bench/lib.sh
cfg=$RUN/rotor-s9.json
node -e "const c=require('./bench/rotor-bench.json');
  Object.assign(c,{sockjs:{enabled:true},http_stream:{enabled:true},sse:{enabled:true}});
  console.log(JSON.stringify(c,null,1))" >"$cfg"
raw=$RUN/s9-raw.jsonl
SERVER_CPU=$SERVER_CPU GEN_CPU=$GEN_CPU ROUNDS=${S9_ROUNDS:-2} TRANSPORT_CONFIG=$cfg \
  TRANSPORT_API_KEY=${ROTOR_BENCH_API_KEY:-bench-api-key} TRANSPORT_LOG=$RUN/rotor-s9.log \
  scripts/bench-transports.sh "${S9_SUBS:-200}" "${S9_MSGS:-500}" | grep '^{' >"$raw" || true
node -e "
  const rows = require('fs').readFileSync('$raw', 'utf8').split('\n').filter(Boolean).map(JSON.parse);
  const med = (v) => { v = [...v].sort((a, b) => a - b); const h = v.length >> 1; return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2; };
  const by = {};
  for (const r of rows) (by[r.transport] ||= []).push(r);
  if (!by.websocket) { console.error('  S9: no websocket figure, no ratios'); process.exit(1); }
  const ws = med(by.websocket.map((r) => r.cpuUsPerDelivery));
  for (const [t, rs] of Object.entries(by)) {
    const cpu = med(rs.map((r) => r.cpuUsPerDelivery));
    console.log(JSON.stringify({ scenario: 'S9', server: 'rotor', transport: t, subs: rs[0].subs, msgs: rs[0].msgs,
      cpu_us_per_delivery: +cpu.toFixed(2), cpu_ratio_to_ws: +(cpu / ws).toFixed(2),
      rounds_cpu_us: rs.map((r) => r.cpuUsPerDelivery), delivered: rs.reduce((a, r) => a + r.delivered, 0),
      expected: rs.reduce((a, r) => a + r.subs * r.msgs, 0) }));
  }" | while read -r line; do record_line "$line"; done
