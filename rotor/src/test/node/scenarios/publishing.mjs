// Centrifugo v6 publish features as a centrifuge-js 5.8 client sees them: a retried publish with
// the same idempotency_key is delivered once; an older version is not delivered; b64data arrives
// as the JSON it encodes; an RPC on a node with no RPC proxy is 108 not available; the personal
// channel subscribes every connection of a user, and single_connection closes the older one (3504).
// JSON or Protobuf build (ROTOR_BUILD).
import { Centrifuge as JsonCentrifuge } from 'centrifuge';
import { Centrifuge as PbCentrifuge } from 'centrifuge/build/protobuf';
import WebSocket from 'ws';
import { WS_URL, assert, api, once, run, until, userToken } from '../lib.mjs';

const build = process.env.ROTOR_BUILD || 'json';
const Centrifuge = build === 'protobuf' ? PbCentrifuge : JsonCentrifuge;
const value = (data) => (build === 'protobuf' ? JSON.parse(new TextDecoder().decode(data)) : data);
const payload = (v) => (build === 'protobuf' ? new TextEncoder().encode(JSON.stringify(v)) : v);
const client = (opts) => new Centrifuge(WS_URL, {
  websocket: WebSocket, minReconnectDelay: 100, maxReconnectDelay: 500, ...opts,
});

run(`publishing ${build}`, async () => {
  const c = client({ token: userToken('alice') });
  const personal = [];
  c.on('publication', (ctx) => personal.push(ctx));
  const serverSubscribed = once(c, 'subscribed');
  c.connect();
  await once(c, 'connected');
  assert.equal((await serverSubscribed).channel, 'user:#alice', 'the personal channel');

  const sub = c.newSubscription('news');
  const got = [];
  sub.on('publication', (ctx) => got.push(value(ctx.data)));
  sub.subscribe();
  await once(sub, 'subscribed');

  const first = await api('publish', { channel: 'news', data: { n: 1 }, idempotency_key: 'order-1' });
  const retry = await api('publish', { channel: 'news', data: { n: 1 }, idempotency_key: 'order-1' });
  assert.deepEqual(retry, first, 'the retry answers the first result');
  await api('publish', { channel: 'news', data: { n: 2 }, version: 5 });
  await api('publish', { channel: 'news', data: { n: 3 }, version: 4 });
  await api('publish', { channel: 'news', b64data: Buffer.from('{"n":4}').toString('base64') });
  await until(() => got.length >= 3, 'three publications');
  await api('publish', { channel: 'news', data: { n: 5 } });
  await until(() => got.length >= 4, 'the last publication');
  assert.deepEqual(got.map((d) => d.n), [1, 2, 4, 5]);

  await assert.rejects(c.rpc('anything', payload({})), (e) => e.code === 108, 'RPC without any RPC proxy: 108');

  await api('publish', { channel: 'user:#alice', data: { to: 'alice' } });
  await until(() => personal.length === 1, 'a personal publication');
  assert.equal(personal[0].channel, 'user:#alice');
  assert.deepEqual(value(personal[0].data), { to: 'alice' });

  // single_connection: a second connection of alice closes the first one with 3504.
  const closed = once(c, 'disconnected', 10000);
  const c2 = client({ token: userToken('alice') });
  c2.connect();
  await once(c2, 'connected');
  assert.equal((await closed).code, 3504);
  c2.disconnect();
});
