// Rough server CPU per delivered message, per transport: N centrifuge-js clients over one transport
// subscribe to a channel, the HTTP API publishes M messages (in batches), and the server process's
// CPU time (utime+stime from /proc) over the publish phase is divided by the deliveries.
// Started by scripts/bench-transports.sh.
//   node bench/transports.mjs --port=8000 --pid=<server pid> --transport=sse --subs=200 --msgs=500
import fs from 'node:fs';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import SockJS from 'sockjs-client';
import { EventSource } from 'eventsource';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const port = +args.port;
const pid = +args.pid;
const [transport, sub] = args.transport.split(':');
const N = +(args.subs || 200);
const M = +(args.msgs || 500);
const apiKey = args.key || 'change-me-api-key';
const http = `http://127.0.0.1:${port}`;
const channel = `bench-${transport}-${sub || ''}-${process.pid}`;

function cpuMs() {
  const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (+st[11] + +st[12]) * 10;
}

async function api(method, params) {
  const r = await fetch(`${http}/api/${method}`, { method: 'POST', headers: { 'X-API-Key': apiKey }, body: JSON.stringify(params) });
  if (r.status !== 200) throw new Error(`api ${r.status}`);
  return r.json();
}

const endpoint = { websocket: `ws://127.0.0.1:${port}/connection/websocket`, http_stream: `${http}/connection/http_stream`,
  sse: `${http}/connection/sse`, sockjs: `${http}/connection/sockjs` }[transport];
let delivered = 0;
const clients = [];
for (let i = 0; i < N; i++) {
  const c = new Centrifuge([{ transport, endpoint }], {
    websocket: WebSocket, sockjs: SockJS, eventsource: EventSource, emulationEndpoint: `${http}/emulation`,
    sockjsOptions: sub ? { transports: [sub] } : {}, timeout: 30000,
  });
  const s = c.newSubscription(channel);
  s.on('publication', () => { delivered++; });
  const ready = new Promise((r) => s.once('subscribed', r));
  s.subscribe();
  c.connect();
  clients.push([c, ready]);
  if (i % 20 === 19) await Promise.all(clients.slice(-20).map(([, r]) => r));
}
await Promise.all(clients.map(([, r]) => r));
await new Promise((r) => setTimeout(r, 1000));

const cpu0 = cpuMs();
const t0 = Date.now();
const payload = { text: 'x'.repeat(60) };
for (let m = 0; m < M; m += 10) {
  const commands = [];
  for (let k = m; k < Math.min(M, m + 10); k++) commands.push({ publish: { channel, data: { n: k, ...payload } } });
  const r = await api('batch', { commands });
  if (r.error) throw new Error(JSON.stringify(r.error));
  // Keep the backlog bounded so slow clients measure the server, not queue growth.
  const wait = Date.now() + 30000;
  while (delivered < N * Math.max(0, m - 50) && Date.now() < wait) await new Promise((res) => setTimeout(res, 1));
}
const deadline = Date.now() + 120000;
while (delivered < N * M && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
const cpu = cpuMs() - cpu0;
const secs = (Date.now() - t0) / 1000;
console.log(JSON.stringify({ transport: args.transport, subs: N, msgs: M, delivered, seconds: secs,
  serverCpuMs: cpu, cpuUsPerDelivery: +(cpu * 1000 / delivered).toFixed(2) }));
clients.forEach(([c]) => c.disconnect());
process.exit(delivered === N * M ? 0 : 1);
