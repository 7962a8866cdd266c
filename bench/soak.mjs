// Steady mixed load for scripts/soak.sh: CLIENTS raw protocol-v2 WebSocket clients subscribed to
// CHANNELS recoverable channels, RATE publications/s through the HTTP API, and churn: CHURN clients
// per second disconnect and reconnect with recovery. Counts gaps (offset jumps) and prints a line
// per 10 s. Runs until killed.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// 'ws' comes from the test packages (rotor/src/test/node, installed by scripts/test.sh and soak.sh).
const require = createRequire(fileURLToPath(new URL('../rotor/src/test/node/package.json', import.meta.url)));
const WebSocket = require('ws');

const port = Number(process.env.PORT);
const clients = Number(process.env.CLIENTS || 500);
const channels = Number(process.env.CHANNELS || 20);
const rate = Number(process.env.RATE || 200);
const churn = Number(process.env.CHURN || 5);
const apiKey = process.env.API_KEY;
let received = 0, gaps = 0, reconnects = 0, published = 0, publishErrors = 0;

function client(i, state) {
  const ch = `soak:c${i % channels}`;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/connection/websocket`);
  state.ws = ws;
  ws.on('open', () => {
    const sub = { channel: ch };
    if (state.epoch) Object.assign(sub, { recover: true, offset: state.offset, epoch: state.epoch });
    ws.send(JSON.stringify({ id: 1, connect: { name: 'soak' } }) + '\n' + JSON.stringify({ id: 2, subscribe: sub }));
  });
  ws.on('message', (data) => {
    for (const line of data.toString().split('\n')) {
      if (line === '{}') { ws.send('{}'); continue; }
      const m = JSON.parse(line);
      if (m.id === 2 && m.subscribe) {
        state.epoch = m.subscribe.epoch;
        if (!state.offset || !m.subscribe.recovered) state.offset = m.subscribe.offset;
        for (const p of m.subscribe.publications || []) take(state, p);
      } else if (m.push && m.push.pub) {
        take(state, m.push.pub);
      }
    }
  });
  ws.on('error', () => {});
  ws.on('close', () => { if (!state.stopping) setTimeout(() => client(i, state), 1000); });
}

function take(state, p) {
  received++;
  if (p.offset !== state.offset + 1) gaps++;
  state.offset = p.offset;
}

const states = [];
for (let i = 0; i < clients; i++) { states.push({}); setTimeout(() => client(i, states[i]), i * 5); }

setInterval(() => {
  for (let k = 0; k < churn; k++) {
    const s = states[Math.floor(Math.random() * states.length)];
    if (s.ws && s.ws.readyState === WebSocket.OPEN) { reconnects++; s.ws.close(); }
  }
}, 1000);

let n = 0;
setInterval(async () => {
  const batch = Math.max(1, Math.round(rate / 10));
  for (let k = 0; k < batch; k++) {
    const ch = `soak:c${n++ % channels}`;
    fetch(`http://127.0.0.1:${port}/api/publish`, {
      method: 'POST', headers: { 'X-API-Key': apiKey },
      body: JSON.stringify({ channel: ch, data: { n, pad: 'x'.repeat(200) } }),
    }).then((r) => { if (r.ok) published++; else publishErrors++; }, () => publishErrors++);
  }
}, 100);

setInterval(() => {
  console.log(`soak: published ${published} (errors ${publishErrors}), received ${received}, gaps ${gaps}, reconnects ${reconnects}`);
}, 10000);
