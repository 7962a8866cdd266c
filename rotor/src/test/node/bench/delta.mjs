// Delta compression on the wire: N raw WebSocket clients (JSON protocol) subscribe to one channel
// with or without delta: "fossil", the HTTP API publishes M versions of a ~2 KB JSON document in
// which one field changes (delta: true), and we count the bytes the clients receive and the
// server's CPU time (/proc utime+stime) over the publish phase, per delivery. Started by bench/s10-delta.sh.
//   node bench/delta.mjs --port=8000 --pid=<server pid> --key=<api key> --delta=1 --subs=1000 --msgs=200
import fs from 'node:fs';
import WebSocket from 'ws';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const port = +args.port;
const pid = +args.pid;
const N = +(args.subs || 1000);
const M = +(args.msgs || 200);
const delta = args.delta === '1';
const channel = `bench10:doc-${delta ? 'delta' : 'full'}-${process.pid}`;

function cpuMs() {
  const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (+st[11] + +st[12]) * 10;
}

function doc(version) {
  const items = [];
  for (let i = 0; i < 31; i++) items.push({ id: i, title: `Item number ${i}`, status: 'active', score: i * 7 });
  return { version, updated_by: 'bench', items };
}

let bytes = 0;
let delivered = 0;
const sockets = [];
await new Promise((resolve, reject) => {
  let subscribed = 0;
  for (let i = 0; i < N; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/connection/websocket`);
    sockets.push(ws);
    let ready = false;
    ws.on('open', () => ws.send(`{"id":1,"connect":{}}\n{"id":2,"subscribe":{"channel":"${channel}"${delta ? ',"delta":"fossil"' : ''}}}`));
    ws.on('message', (data) => {
      const text = data.toString();
      if (!ready) {
        if (text.includes('"id":2')) {
          ready = true;
          if (++subscribed === N) resolve();
        }
        return;
      }
      bytes += data.length;
      for (const line of text.split('\n')) if (line.includes('"pub"')) delivered++;
    });
    ws.on('error', reject);
  }
});

const size = JSON.stringify(doc(1)).length;
const cpu0 = cpuMs();
const t0 = Date.now();
for (let v = 1; v <= M; v++) {
  const r = await fetch(`http://127.0.0.1:${port}/api/publish`, {
    method: 'POST', headers: { 'X-API-Key': args.key },
    body: JSON.stringify({ channel, data: doc(v), delta: true }),
  });
  if (r.status !== 200) throw new Error(`publish ${r.status}`);
}
const deadline = Date.now() + 60000;
while (delivered < N * M && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const cpu = cpuMs() - cpu0;
for (const ws of sockets) ws.terminate();
console.log(JSON.stringify({
  delta, subs: N, msgs: M, doc_bytes: size, delivered, expected: N * M,
  wire_bytes_per_delivery: +(bytes / Math.max(1, delivered)).toFixed(1),
  cpu_us_per_delivery: +((cpu * 1000) / Math.max(1, delivered)).toFixed(2), seconds: (Date.now() - t0) / 1000,
}));
process.exit(0);
