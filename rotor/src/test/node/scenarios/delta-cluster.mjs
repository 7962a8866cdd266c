// Fossil delta across a cluster: one centrifuge-js client (JSON or Protobuf build, ROTOR_BUILD) on
// each node of ROTOR_PORTS subscribes with delta: 'fossil'; the HTTP API publishes versions of a
// document through the nodes in turn with delta: true. Every client decodes every version with
// the SDK's own fossil decoder, and after the first publication they arrive as patches.
import { Centrifuge as JsonCentrifuge } from 'centrifuge';
import { Centrifuge as PbCentrifuge } from 'centrifuge/build/protobuf';
import WebSocket from 'ws';
import { API_KEY, assert, once, run, until, userToken } from '../lib.mjs';

const build = process.env.ROTOR_BUILD || 'json';
const Centrifuge = build === 'protobuf' ? PbCentrifuge : JsonCentrifuge;
const ports = process.env.ROTOR_PORTS.split(',').map(Number);
const dec = new TextDecoder();
const value = (data) => (build === 'protobuf' ? JSON.parse(dec.decode(data)) : data);
const channel = `delta:cluster-${build}-${process.pid}`;
const M = 12;

function doc(version) {
  const items = [];
  for (let i = 0; i < 30; i++) items.push({ id: i, name: `item number ${i}`, state: 'ok' });
  return { version, items };
}

async function publish(port, data) {
  const r = await fetch(`http://127.0.0.1:${port}/api/publish`, {
    method: 'POST', headers: { 'X-API-Key': API_KEY }, body: JSON.stringify({ channel, data, delta: true }),
  });
  const body = await r.json();
  assert.ok(!body.error, JSON.stringify(body));
}

run(`delta cluster ${build}`, async () => {
  const subs = [];
  for (const port of ports) {
    const c = new Centrifuge(`ws://127.0.0.1:${port}/connection/websocket`, {
      websocket: WebSocket, token: userToken(`u-${port}`), minReconnectDelay: 100, maxReconnectDelay: 500,
    });
    const s = c.newSubscription(channel, { delta: 'fossil' });
    const got = [];
    s.on('publication', (p) => got.push(value(p.data)));
    s.subscribe();
    c.connect();
    await once(s, 'subscribed', 15000);
    subs.push({ c, s, got });
  }
  for (let v = 1; v <= M; v++) {
    await publish(ports[v % ports.length], doc(v));
  }
  for (const { s, got } of subs) {
    await until(() => got.length === M, `${M} publications`, 20000);
    got.forEach((d, i) => assert.deepEqual(d, doc(i + 1), `version ${i + 1}`));
    const st = s.deltaStats();
    console.log('deltaStats', JSON.stringify(st));
    assert.equal(st.numFullPayloads, 1, 'the first payload full');
    assert.equal(st.numDeltaPayloads, M - 1, 'the others patches, whichever node published them');
  }
  subs.forEach(({ c }) => c.disconnect());
});
