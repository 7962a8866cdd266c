// Turns one bench run (target/bench/<run>/results.jsonl + machine.txt) into the table of figures
// with Rotor's ratio to each peer and the targets of issue 3, prints it, and with --docs/--plots
// rewrites the generated part of docs/benchmarks.md and draws the PNG plots with gnuplot.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const run = args.run;
const rows = fs.readFileSync(path.join(run, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const machine = fs.readFileSync(path.join(run, 'machine.txt'), 'utf8').trim();
for (const r of rows) {
  if (r.scenario === 'STORM') r.loss_count = (r.clients_behind || 0) + (r.gaps || 0) + (r.unrecovered || 0);
}
const PEERS = ['centrifuge', 'socketio'];
const SERVERS = ['rotor', ...PEERS];

const median = (xs) => { const v = xs.filter((x) => typeof x === 'number' && !isNaN(x)).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : undefined; };
const pick = (scenario, server, field, filter = () => true) =>
  median(rows.filter((r) => r.scenario === scenario && r.server === server && filter(r)).map((r) => +r[field]));

// Each metric: how to read it, lower or higher is better, and the target when the issue sets one.
const metrics = [
  { id: 'S1', name: 'S1 fan-out 1000 subs x 1000 msgs: server CPU per delivery', unit: 'µs', sc: 'S1', field: 'server_cpu_us_per_delivery', lower: true,
    target: (v, p) => v <= 0.9 * 1.2 && (p.centrifuge === undefined || p.centrifuge / v >= 2),
    targetText: 'no worse than 0.90 µs (±20 % noise), ≥ 2× centrifuge' },
  { id: 'S1', name: 'S1 delivered messages per second', unit: '/s', sc: 'S1', field: 'delivered_per_s', lower: false },
  { id: 'S1', name: 'S1 frames per message (generator side)', unit: '', sc: 'S1', field: 'frames_per_msg', lower: true },
  { id: 'S1', name: 'S1 generator CPU', unit: 'ms', sc: 'S1', field: 'client_cpu_ms', lower: true },
  { id: 'S2', name: 'S2 paced 1000 subs x 100 pub/s: server CPU per delivery', unit: 'µs', sc: 'S2', field: 'server_cpu_us_per_delivery', lower: true, filter: (r) => r.rate === 100,
    target: (v, p) => v <= 4 && (p.centrifuge === undefined || p.centrifuge / v >= 2), targetText: '≤ 4 µs and ≥ 2× centrifuge' },
  { id: 'S2', name: 'S2 server CPU per outbound frame', unit: 'µs', sc: 'S2', field: 'server_cpu_us_per_frame', lower: true, filter: (r) => r.rate === 100,
    target: (v) => v <= 3, targetText: '≤ 3 µs' },
  { id: 'S2', name: 'S2 frames per message (generator side)', unit: '', sc: 'S2', field: 'frames_per_msg', lower: true, filter: (r) => r.rate === 100 },
  { id: 'S2', name: 'S2 latency p99', unit: 'ms', sc: 'S2', field: 'lat_p99_ms', lower: true, filter: (r) => r.rate === 100,
    target: (v, p, r) => v <= 15 && r.s2valid, targetText: '≤ 15 ms, generator < 60 % of its core' },
  { id: 'S2', name: 'S2 latency p50', unit: 'ms', sc: 'S2', field: 'lat_p50_ms', lower: true, filter: (r) => r.rate === 100 },
  { id: 'S2', name: 'S2 generator CPU share of its core (loadgen)', unit: '%', sc: 'S2', field: 'gen_cpu_pct_publish', lower: true, filter: (r) => r.rate === 100 },
  { id: 'S3', name: 'S3 10,000 personal channels: server CPU per HTTP publish', unit: 'µs', sc: 'S3', field: 'server_cpu_us_per_publish', lower: true,
    target: (v, p) => p.centrifuge === undefined || v <= p.centrifuge, targetText: '≤ centrifuge' },
  { id: 'S3', name: 'S3 publishes per second (generator-bound)', unit: '/s', sc: 'S3', field: 'publishes_per_s', lower: false },
  { id: 'S4', name: 'S4 connect storm 10,000 clients (loadgen): total time', unit: 'ms', sc: 'S4', field: 'connect_all_ms', lower: true,
    target: (v, p, r) => v <= 1000 && r.drops === 0 && r.s4valid, targetText: '≤ 1000 ms, 0 listen drops, generator < 60 %' },
  { id: 'S4', name: 'S4 generator CPU share of its core (loadgen)', unit: '%', sc: 'S4', field: 'gen_cpu_pct_connect', lower: true },
  { id: 'S4', name: 'S4 listen drops (TcpExtListenDrops, whole machine)', unit: '', sc: 'S4', field: 'listen_drops', lower: true },
  { id: 'S4', name: 'S4 server CPU per connect + subscribe', unit: 'µs', sc: 'S4', field: 'server_cpu_us_per_connect', lower: true },
  { id: 'S5', name: 'S5 RSS per idle connection with one subscription', unit: 'KB', sc: 'S4', field: 'rss_kb_per_conn', lower: true,
    target: (v) => v <= 12, targetText: '≤ 12 KB' },
  { id: 'S5', name: 'S5 heap after full GC per idle connection (JVM only), 10,000', unit: 'KB', sc: 'S4', field: 'heap_kb_per_conn', lower: true },
  { id: 'S5', name: 'S5 heap after full GC per idle connection, 19,000 connections', unit: 'KB', sc: 'S4n', field: 'heap_kb_per_conn', lower: true, filter: (r) => r.clients === 19000,
    target: (v) => v <= 8, targetText: '≤ 8 KB' },
  { id: 'S5', name: 'S5 server CPU per connect + subscribe at 1,000 connections', unit: 'µs', sc: 'S4n', field: 'server_cpu_us_per_connect', lower: true, filter: (r) => r.clients === 1000 },
  { id: 'S5', name: 'S5 server CPU per connect + subscribe at 19,000 connections', unit: 'µs', sc: 'S4n', field: 'server_cpu_us_per_connect', lower: true, filter: (r) => r.clients === 19000,
    target: (v, p, r) => r.cpu1k !== undefined && v <= 1.1 * r.cpu1k, targetText: 'within 10 % of the 1,000 figure' },
  { id: 'S6', name: 'S6 HTTP publish API, no subscribers (wrk)', unit: 'req/s', sc: 'S6', field: 'req_per_s', lower: false,
    target: (v) => v >= 60000, targetText: '≥ 60k req/s' },
  { id: 'S6', name: 'S6 server CPU per request', unit: 'µs', sc: 'S6', field: 'server_cpu_us_per_req', lower: true,
    target: (v) => v <= 12.5 * 1.2, targetText: 'no worse than 12.5 µs (±20 % noise)' },
  { id: 'S6', name: 'S6g the same publish over the gRPC API (64 calls in flight)', unit: 'req/s', sc: 'S6g', field: 'req_per_s', lower: false },
  { id: 'S6', name: 'S6g server CPU per gRPC request', unit: 'µs', sc: 'S6g', field: 'server_cpu_us_per_req', lower: true },
  { id: 'S11', name: 'S11 PostgreSQL outbox consumer, one node', unit: 'rows/s', sc: 'S11pg', field: 'rows_per_s', lower: false,
    target: (v) => v >= 1000, targetText: '≥ 1,000 rows/s' },
  { id: 'S11', name: 'S11 PostgreSQL outbox consumer: node CPU per row', unit: 'µs', sc: 'S11pg', field: 'server_cpu_us_per_row', lower: true },
  { id: 'S11', name: 'S11 Redis Streams consumer, one node', unit: 'entries/s', sc: 'S11rs', field: 'rows_per_s', lower: false,
    target: (v) => v >= 1000, targetText: '≥ 1,000 entries/s' },
  { id: 'S11', name: 'S11 Redis Streams consumer: node CPU per entry', unit: 'µs', sc: 'S11rs', field: 'server_cpu_us_per_row', lower: true },
  { id: 'S7', name: 'S7 publish with Redis history (wrk)', unit: 'req/s', sc: 'S7', field: 'req_per_s', lower: false,
    target: (v) => v >= 30000, targetText: '≥ 30k req/s' },
  { id: 'S7', name: 'S7 server CPU per publish with Redis history', unit: 'µs', sc: 'S7', field: 'server_cpu_us_per_req', lower: true },
  { id: 'S7', name: 'S7 Redis commands per publish (INFO commandstats)', unit: '', sc: 'S7', field: 'redis_cmds_per_req', lower: true },
  { id: 'S7', name: 'S7 same wrk without Redis (memory engine, no history)', unit: 'req/s', sc: 'S7mem', field: 'req_per_s', lower: false },
  // S8 once per topology (bench/s8-cluster.sh tags each line; lines without a topology are Hazelcast runs).
  ...['hazelcast', 'redis', 'nats'].flatMap((t) => {
    const of = (r) => (r.topology || 'hazelcast') === t;
    return [
      { id: 'S8', name: `S8 ${t}, history: broker messages per publish`, unit: '', sc: 'S8', field: 'broker_msgs_per_publish', lower: true, filter: (r) => of(r) && r.history },
      { id: 'S8', name: `S8 ${t}, history: Redis commands per publish`, unit: '', sc: 'S8', field: 'redis_cmds_per_publish', lower: true, filter: (r) => of(r) && r.history },
      { id: 'S8', name: `S8 ${t}, history: cluster CPU per delivery`, unit: 'µs', sc: 'S8', field: 'cluster_cpu_us_per_delivery', lower: true, filter: (r) => of(r) && r.history },
      { id: 'S8', name: `S8 ${t}, no history: broker messages per publish`, unit: '', sc: 'S8', field: 'broker_msgs_per_publish', lower: true, filter: (r) => of(r) && !r.history },
      { id: 'S8', name: `S8 ${t}: delivered / expected (the lower of both channels)`, unit: '', sc: 'S8', field: 'delivered_ratio', lower: false, filter: of,
        min: true, target: (v) => v === 1, targetText: '1 (no loss)' },
    ];
  }),
  { id: 'STORM', name: 'STORM adaptive admission: all clients back and recovered after the node is ready', unit: 's', sc: 'STORM', field: 'back_after_ready_s', lower: true, filter: (r) => r.admission === 'adaptive',
    target: (v, p, r) => v <= 15 && r.stormLoss === 0, targetText: '≤ 15 s, 0 loss' },
  { id: 'STORM', name: 'STORM adaptive: event-loop lag p99 (bucket bound)', unit: 'ms', sc: 'STORM', field: 'lag_p99_le_ms', lower: true, filter: (r) => r.admission === 'adaptive',
    target: (v) => v <= 100, targetText: '≤ 100 ms' },
  { id: 'STORM', name: 'STORM adaptive: upgrades answered 503', unit: '', sc: 'STORM', field: 'shed_503', lower: true, filter: (r) => r.admission === 'adaptive' },
  { id: 'STORM', name: 'STORM fixed 300/s: all back and recovered after the node is ready', unit: 's', sc: 'STORM', field: 'back_after_ready_s', lower: true, filter: (r) => r.admission === 'rate300' },
  { id: 'STORM', name: 'STORM fixed 300/s: event-loop lag p99 (bucket bound)', unit: 'ms', sc: 'STORM', field: 'lag_p99_le_ms', lower: true, filter: (r) => r.admission === 'rate300' },
  { id: 'STORM', name: 'STORM clients behind, gaps or unrecovered (both runs)', unit: '', sc: 'STORM', field: 'loss_count', lower: true, sum: true,
    target: (v) => v === 0, targetText: '0 acknowledged loss' },
  ...['sockjs:websocket', 'sockjs:xhr-streaming', 'http_stream', 'sse'].map((t) => (
    { id: 'S9', name: `S9 CPU per delivery, ${t} / raw WebSocket`, unit: '×', sc: 'S9', field: 'cpu_ratio_to_ws', lower: true, filter: (r) => r.transport === t })),
  { id: 'S9', name: 'S9 CPU per delivery over raw WebSocket (the 1×)', unit: 'µs', sc: 'S9', field: 'cpu_us_per_delivery', lower: true, filter: (r) => r.transport === 'websocket' },
];

const fmt = (v) => v === undefined ? '—' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(+(+v).toFixed(2));
const lines = [];
lines.push('| scenario | Rotor | centrifuge 0.15 | Socket.IO 4.8 | Rotor vs centrifuge | Rotor vs Socket.IO | target | met |');
lines.push('|---|---|---|---|---|---|---|---|');
const summary = [];
const ran = new Set(rows.map((r) => r.scenario === 'S4' || r.scenario === 'S4n' ? ['S4', 'S5'] : [r.scenario.replace(/sweep|g$|pg$|rs$/, '')]).flat());
for (const m of metrics) {
  if (!ran.has(m.id)) continue;
  const na = rows.find((r) => r.scenario === m.sc && r.not_available);
  if (na) {
    lines.push(`| ${m.name} | not available: ${na.not_available} | | | | | ${m.targetText || ''} | — |`);
    continue;
  }
  const mine = rows.filter((r) => r.scenario === m.sc && r.server === 'rotor' && (m.filter || (() => true))(r));
  const v = m.sum ? mine.reduce((a, r) => a + (+r[m.field] || 0), 0)
    : m.min ? (mine.length ? Math.min(...mine.map((r) => +r[m.field])) : undefined)
      : pick(m.sc, 'rotor', m.field, m.filter);
  if (v === undefined) continue;
  const p = {}; for (const peer of PEERS) p[peer] = pick(m.sc, peer, m.field, m.filter);
  // A ratio > 1 always means Rotor is better by that factor.
  const ratio = (peer) => p[peer] === undefined || !v || !p[peer] ? '—'
    : (m.lower ? p[peer] / v : v / p[peer]).toFixed(2) + '×';
  let met = '';
  const ctx = { drops: pick('S4', 'rotor', 'listen_drops'), cpu1k: pick('S4n', 'rotor', 'server_cpu_us_per_connect', (r) => r.clients === 1000),
    s2valid: rows.some((r) => r.scenario === 'S2' && r.server === 'rotor' && r.rate === 100 && r.gen_valid),
    s4valid: rows.some((r) => r.scenario === 'S4' && r.server === 'rotor' && r.gen_valid),
    stormLoss: rows.filter((r) => r.scenario === 'STORM').reduce((a, r) => a + r.loss_count, 0) };
  if (m.target) met = m.target(v, p, ctx) ? 'yes' : '**no**';
  lines.push(`| ${m.name} | ${fmt(v)} ${m.unit} | ${fmt(p.centrifuge)} | ${fmt(p.socketio)} | ${ratio('centrifuge')} | ${ratio('socketio')} | ${m.targetText || ''} | ${met} |`);
  summary.push({ name: m.name, rotor: v, ...p, met });
}
const table = lines.join('\n');
console.log(table);
console.log('(ratio > 1: Rotor better by that factor; medians over the rounds of the run)');

// ---- plots -------------------------------------------------------------------------------
const plots = [];
function plot(file, script, datas) {
  const dir = args.plots;
  for (const [name, text] of Object.entries(datas)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, file.replace('.png', '.gp')), script);
  try {
    execFileSync('gnuplot', [file.replace('.png', '.gp')], { cwd: dir, stdio: 'inherit' });
    plots.push(file);
  } catch (e) { console.error('gnuplot failed for', file, e.message); }
}
const label = { rotor: 'Rotor', centrifuge: 'centrifuge 0.15', socketio: 'Socket.IO 4.8' };
const style = 'set terminal pngcairo size 900,540 font "DejaVu Sans,11"\nset grid\nset key top left\n';
if (args.plots && rows.some((r) => r.scenario.startsWith('S1'))) {
  fs.mkdirSync(args.plots, { recursive: true });
  const d = {};
  for (const s of SERVERS) {
    const pts = [];
    for (const n of [100, 500, 1000, 2000]) {
      const f = (field) => n === 1000 ? pick('S1', s, field) : pick('S1sweep', s, field, (r) => r.subs === n);
      const cpu = f('server_cpu_us_per_delivery'); const rate = f('delivered_per_s');
      if (cpu !== undefined) pts.push(`${n} ${rate} ${cpu}`);
    }
    d[`s1-${s}.dat`] = pts.join('\n') + '\n';
  }
  const series = (col) => SERVERS.map((s) => `"s1-${s}.dat" using 1:${col} with linespoints lw 2 pt 7 title "${label[s]}"`).join(', ');
  plot('s1-deliveries.png', `${style}set output "s1-deliveries.png"\nset title "S1 fan-out: delivered messages per second (server on one core)"\n`
    + `set xlabel "subscribers on one channel"\nset ylabel "delivered msg/s"\nset logscale x\nset format y "%.0s%c"\nplot ${series(2)}\n`, d);
  plot('s1-cpu.png', `${style}set output "s1-cpu.png"\nset title "S1 fan-out: server CPU per delivered message (lower is better)"\n`
    + `set xlabel "subscribers on one channel"\nset ylabel "µs CPU per delivery"\nset logscale xy\nplot ${series(3)}\n`, {});
}
if (args.plots && rows.some((r) => r.scenario === 'S2')) {
  fs.mkdirSync(args.plots, { recursive: true });
  const d = {};
  for (const s of SERVERS) {
    d[`s2-${s}.dat`] = rows.filter((r) => r.scenario === 'S2' && r.server === s)
      .sort((a, b) => a.rate - b.rate).map((r) => `${r.rate} ${r.lat_p50_ms} ${r.lat_p99_ms}`).join('\n') + '\n';
  }
  const series = SERVERS.map((s, i) => `"s2-${s}.dat" using 1:3 with linespoints lw 2 pt 7 lc ${i + 1} title "${label[s]} p99", `
    + `"s2-${s}.dat" using 1:2 with linespoints lw 1 dt 2 pt 6 lc ${i + 1} title "${label[s]} p50"`).join(', ');
  plot('s2-latency.png', `${style}set output "s2-latency.png"\nset title "S2 paced publishing to 1000 subscribers: latency percentiles"\n`
    + `set xlabel "publishes per second"\nset ylabel "ms from publish to delivery"\nset logscale xy\nset arrow from graph 0, first 25 to graph 1, first 25 nohead dt 3\n`
    + `set label "S2 target p99 25 ms" at graph 0.02, first 30\nplot ${series}\n`, d);
}

// ---- docs --------------------------------------------------------------------------------
if (args.docs) {
  const begin = '<!-- results:begin (generated by scripts/bench.sh; edit outside the markers) -->';
  const end = '<!-- results:end -->';
  const body = [begin, '', '```', machine, '```', '', table, '',
    'Ratio > 1 means Rotor is better by that factor (lower CPU, latency, memory or time; higher rate). '
    + 'Figures are medians over the rounds of one run; the peers ran interleaved with Rotor in that run.', '',
    ...plots.map((p) => `![${p}](bench/${p})`), '', end].join('\n');
  let doc = fs.existsSync(args.docs) ? fs.readFileSync(args.docs, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  const replace = (text, from, to, with_) => {
    const a = text.indexOf(from), b = text.indexOf(to);
    return a >= 0 && b > a ? text.slice(0, a) + with_ + text.slice(b + to.length) : text + '\n' + with_ + '\n';
  };
  const early = (l) => !/^\| S[789] /.test(l);
  const late = (l) => /^\| S[789] /.test(l);
  if (['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].some((s) => ran.has(s))) {
    doc = replace(doc, begin, end, body.replace(table, lines.filter(early).join('\n')));
  }
  if (['S7', 'S8', 'S9'].some((s) => ran.has(s))) {
    // S7-S9 have a block of their own (section "S7-S9" of the page), so a run of only those rows
    // leaves the S1-S6 table as it was.
    const b7 = '<!-- s7-s9:begin (generated by scripts/bench.sh S7 S8 S9) -->', e7 = '<!-- s7-s9:end -->';
    doc = replace(doc, b7, e7, [b7, '', '```', machine, '```', '', ...lines.slice(0, 2), ...lines.filter(late), '',
      'Ratio columns: only S7 has a peer (centrifuge 0.15 on its own Redis). Raw lines: '
      + '`target/bench/<run>/results.jsonl` (copied to `docs/bench/results-s7-s9.jsonl`).', '', e7].join('\n'));
    if (args.plots) {
      fs.mkdirSync(args.plots, { recursive: true });
      fs.writeFileSync(path.join(args.plots, 'results-s7-s9.jsonl'),
        rows.filter((r) => /^S[789]/.test(r.scenario)).map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
  }
  fs.writeFileSync(args.docs, doc);
  if (['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].some((s) => ran.has(s))) {
    fs.copyFileSync(path.join(run, 'results.jsonl'), path.join(args.plots || path.dirname(args.docs), 'results.jsonl'));
  }
  console.log(`wrote ${args.docs}`);
}
