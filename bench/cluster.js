// S8 generator: subscribers spread round-robin over the nodes of a cluster (Centrifugo protocol v2
// JSON over WebSocket, one `ws` client each), publishes through every node's HTTP API in turn, and
// the cost of one publication across the cluster: the nodes' CPU (from /proc), event-bus messages
// (Vert.x's vertx_eventbus_* meters at /metrics, prometheus.enabled) and Redis commands
// (INFO commandstats), and with --nats=MONITOR_PORT the messages into and out of nats-server
// (/varz in_msgs, out_msgs). Checks that every subscriber got every publication, in offset order.
//   node bench/cluster.js --ports=a,b,c --pids=x,y,z --redis=PORT [--nats=PORT] --apikey=K --channel=ns:ch --subs=300 --msgs=1000
// Loopback only; every wait is bounded. Prints one JSON line.
'use strict';
const fs = require('fs');
const http = require('http');
const { execFileSync } = require('child_process');
const WebSocket = require('ws');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const PORTS = args.ports.split(',').map(Number);
const PIDS = (args.pids || '').split(',').filter(Boolean).map(Number);
const N = +(args.subs || 300), M = +(args.msgs || 1000), CONC = +(args.conc || 16);
const CH = args.channel || 'bench8:ch';
const agent = new http.Agent({ keepAlive: true, maxSockets: CONC });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cpuMs = (pid) => { const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (+st[11] + +st[12]) * 10; };
const clusterCpuMs = () => PIDS.reduce((a, p) => a + cpuMs(p), 0);
const genCpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function request(port, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent, headers }, (res) => {
      let text = ''; res.setEncoding('utf8'); res.on('data', (d) => { text += d; });
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${path}: HTTP ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
// Sum of every vertx_eventbus_* sample by meter name and side (local/remote), over all nodes.
async function busCounters() {
  const sum = {};
  for (const port of PORTS) {
    for (const line of (await request(port, '/metrics')).split('\n')) {
      const m = line.match(/^(vertx_eventbus_[a-z_]+?)(?:_total)?\{([^}]*)\} ([0-9.eE+-]+)$/);
      if (!m) continue;
      const side = (m[2].match(/side="([^"]+)"/) || [])[1];
      const key = side ? `${m[1]}{${side}}` : m[1];
      sum[key] = (sum[key] || 0) + +m[3];
    }
  }
  return sum;
}
/** nats-server's message counters (monitoring endpoint), or {} without --nats. */
function natsCounts() {
  if (!args.nats) return Promise.resolve({});
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: +args.nats, path: '/varz' }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => { const v = JSON.parse(body); resolve({ in_msgs: v.in_msgs, out_msgs: v.out_msgs }); });
    }).on('error', reject);
  });
}

function redisCalls() {
  if (!args.redis) return {};
  const out = execFileSync('redis-cli', ['-p', args.redis, 'info', 'commandstats'], { encoding: 'utf8' });
  const r = {};
  for (const m of out.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) if (m[1] !== 'info') r[m[1]] = +m[2];
  return r;
}
const perPub = (a, b) => Object.fromEntries(Object.keys(b).map((k) => [k, +(((b[k] - (a[k] || 0)) / M).toFixed(2))]).filter(([, v]) => v > 0));

async function main() {
  const subs = [];
  for (let i = 0; i < N; i++) {
    const port = PORTS[i % PORTS.length];
    const s = { port, offsets: [], outOfOrder: 0, unsubscribed: 0, disconnected: 0, closed: false };
    s.ready = new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/connection/websocket`);
      s.ws = ws;
      ws.on('open', () => ws.send(`{"id":1,"connect":{"name":"bench8"}}\n{"id":2,"subscribe":{"channel":"${CH}"}}`));
      ws.on('message', (data) => {
        for (const text of data.toString().split('\n')) {
          if (!text) continue;
          if (text === '{}') { ws.send('{}'); continue; }
          const f = JSON.parse(text);
          if (f.id === 2) (f.error ? reject(new Error(JSON.stringify(f.error))) : resolve());
          // Rotor answers a gap (a publication its node missed) with unsubscribe 2500: this raw
          // client does not resubscribe, so that subscriber's missing publications count as lost.
          if (f.push && f.push.unsubscribe) s.unsubscribed++;
          if (f.push && f.push.disconnect) s.disconnected++;
          const pub = f.push && f.push.pub;
          if (pub) {
            if (s.offsets.length && pub.offset !== undefined && pub.offset <= s.offsets[s.offsets.length - 1]) s.outOfOrder++;
            s.offsets.push(pub.offset);
          }
        }
      });
      ws.on('error', reject);
      ws.on('close', () => { s.closed = true; });
    });
    subs.push(s);
    if (i % 50 === 49) await Promise.all(subs.slice(-50).map((x) => x.ready));
  }
  await Promise.all(subs.map((s) => s.ready));
  await sleep(500); // interest registrations reach the channel's owner

  const bus0 = await busCounters(); const redis0 = redisCalls(); const nats0 = await natsCounts(); const cpu0 = clusterCpuMs(); const gen0 = genCpuMs();
  const t0 = Date.now();
  let next = 0, failed = 0;
  const body = (n) => JSON.stringify({ channel: CH, data: { n, text: 'x'.repeat(60) } });
  async function worker() {
    while (next < M) {
      const n = next++;
      try { await request(PORTS[n % PORTS.length], '/api/publish', body(n), { 'X-API-Key': args.apikey || '' }); } catch (e) { failed++; }
    }
  }
  await Promise.all(Array.from({ length: CONC }, worker));
  const published = Date.now() - t0;
  const expected = N * (M - failed);
  const delivered = () => subs.reduce((a, s) => a + s.offsets.length, 0);
  const deadline = Date.now() + 60000;
  while (delivered() < expected && Date.now() < deadline) await sleep(20);
  const all = Date.now() - t0;
  await sleep(300); // late duplicates would show
  const cpu = clusterCpuMs() - cpu0; const gen = genCpuMs() - gen0;
  const redis1 = redisCalls(); const bus1 = await busCounters(); const nats1 = await natsCounts();
  const bus = perPub(bus0, bus1);
  const redis = perPub(redis0, redis1);
  const nats = perPub(nats0, nats1);
  const perNode = PORTS.map((p) => subs.filter((s) => s.port === p).length);
  const sumOf = (o, re) => +Object.entries(o).filter(([k]) => re.test(k)).reduce((a, [, v]) => a + v, 0).toFixed(2);
  console.log(JSON.stringify({
    nodes: PORTS.length, subs: N, subs_per_node: perNode, msgs: M, channel: CH, publish_failed: failed,
    delivered: delivered(), expected, lost: Math.max(0, expected - delivered()),
    delivered_ratio: +(delivered() / Math.max(1, expected)).toFixed(4),
    out_of_order: subs.reduce((a, s) => a + s.outOfOrder, 0),
    subs_incomplete: subs.filter((s) => s.offsets.length < M - failed).length,
    unsubscribe_pushes: subs.reduce((a, s) => a + s.unsubscribed, 0),
    disconnect_pushes: subs.reduce((a, s) => a + s.disconnected, 0),
    closed_early: subs.filter((s) => s.closed).length,
    publish_ms: published, all_delivered_ms: all,
    cluster_cpu_us_per_publish: +(cpu * 1000 / M).toFixed(1), cluster_cpu_us_per_delivery: +(cpu * 1000 / Math.max(1, delivered())).toFixed(2),
    gen_cpu_ms: Math.round(gen),
    bus_msgs_per_publish: sumOf(bus, /^vertx_eventbus_sent\{remote\}$/) || sumOf(bus, /^vertx_eventbus_sent/),
    bus: bus,
    redis_cmds_per_publish: sumOf(redis, /./), redis: redis,
    nats: nats,
    // What carries a publication between nodes: remote event-bus messages, Redis PUBLISH or NATS messages in.
    broker_msgs_per_publish: args.nats ? (nats.in_msgs || 0)
      : sumOf(bus, /^vertx_eventbus_sent\{remote\}$/) || (redis.publish || 0),
  }));
  subs.forEach((s) => s.ws.close());
  agent.destroy();
}
main().catch((e) => { console.error(e); process.exit(1); });
