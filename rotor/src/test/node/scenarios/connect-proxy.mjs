// The connect proxy's subs and meta with the real SDK, JSON or Protobuf build (ROTOR_BUILD): the
// backend (the Java test) names server-side subscriptions with their own data and cache_recover,
// and a meta that the RPC proxy (include_connection_meta) echoes back to the client.
import { Centrifuge as JsonCentrifuge } from 'centrifuge';
import { Centrifuge as PbCentrifuge } from 'centrifuge/build/protobuf';
import WebSocket from 'ws';
import { PORT, api, assert, once, run, until } from '../lib.mjs';

const build = process.env.ROTOR_BUILD || 'json';
const Centrifuge = build === 'protobuf' ? PbCentrifuge : JsonCentrifuge;
const enc = new TextEncoder();
const dec = new TextDecoder();
const payload = (v) => (build === 'protobuf' ? enc.encode(JSON.stringify(v)) : v);
const value = (data) => (build === 'protobuf' ? JSON.parse(dec.decode(data)) : data);

run(`connect proxy ${build}`, async () => {
  const user = `u-${build}-${process.pid}`;
  // The backend subscribes the user to these two (see ConnectProxyJsTest).
  const own = `srv:${user}`;
  const latest = `cached:${user}`;
  await api('publish', { channel: latest, data: { n: 1 } });
  await api('publish', { channel: latest, data: { n: 2 } });

  const c = new Centrifuge(`ws://127.0.0.1:${PORT}/connection/websocket`, {
    websocket: WebSocket, data: payload({ user }), minReconnectDelay: 100, maxReconnectDelay: 500,
  });
  const subscribed = {};
  const pubs = [];
  c.on('subscribed', (ctx) => { subscribed[ctx.channel] = ctx; });
  c.on('publication', (ctx) => pubs.push({ channel: ctx.channel, data: value(ctx.data) }));
  const connected = once(c, 'connected', 10000);
  c.connect();
  await connected;

  // subs: the server-side subscription's own data reaches the SDK's subscribed event.
  await until(() => subscribed[own] && subscribed[latest], 'both server-side subscriptions');
  assert.deepEqual(value(subscribed[own].data), { hello: user }, 'the subs entry data');
  // cache_recover: only the latest publication, right away.
  await until(() => pubs.some((p) => p.channel === latest), 'the cached publication');
  assert.deepEqual(pubs.filter((p) => p.channel === latest).map((p) => p.data), [{ n: 2 }]);
  await api('publish', { channel: own, data: { live: true } });
  await until(() => pubs.some((p) => p.channel === own), 'a live publication on the server-side subscription');

  // meta: kept on the server, sent to the RPC proxy, which echoes it.
  const r = await c.rpc('meta:echo', payload({}));
  assert.deepEqual(value(r.data), { meta: { tenant: user } });

  // A reconnect: cache_recover gives the latest again, and only it.
  c.disconnect();
  await api('publish', { channel: latest, data: { n: 3 } });
  await api('publish', { channel: latest, data: { n: 4 } });
  pubs.length = 0;
  const again = once(c, 'connected', 10000);
  c.connect();
  await again;
  await until(() => pubs.some((p) => p.channel === latest), 'the cached publication after a reconnect');
  assert.deepEqual(pubs.filter((p) => p.channel === latest).map((p) => p.data), [{ n: 4 }]);
  c.disconnect();
  console.log(`connect proxy ${build}: subs data, cache_recover and meta seen by the SDK`);
});
