// The Protobuf build of centrifuge-js over the transport in ROTOR_TRANSPORTS (http_stream, or
// websocket): varint-delimited commands and replies, later commands through /emulation as
// EmulationRequest messages. Payloads are bytes in this build: JSON text encoded by the test.
import { Centrifuge } from 'centrifuge/build/protobuf';
import WebSocket from 'ws';
import { HTTP_URL, PORT, api, assert, once, run, until, userToken } from '../lib.mjs';

const spec = process.env.ROTOR_TRANSPORTS;
const user = `pb-${process.pid}-${Date.now()}`;
const enc = new TextEncoder();
const dec = new TextDecoder();

run(`protobuf ${spec}`, async () => {
  const path = { websocket: '/connection/websocket', http_stream: '/connection/http_stream' }[spec];
  const base = spec === 'websocket' ? `ws://127.0.0.1:${PORT}` : HTTP_URL;
  const c = new Centrifuge([{ transport: spec, endpoint: base + path }], {
    websocket: WebSocket, emulationEndpoint: `${HTTP_URL}/emulation`,
    token: userToken(user, 3600), minReconnectDelay: 100, maxReconnectDelay: 500, timeout: 10000,
    debug: !!process.env.ROTOR_DEBUG,
  });
  const connected = once(c, 'connected', 20000);
  c.connect();
  assert.equal((await connected).transport, spec, 'transport in use');

  const channel = `pb-news-${user}`;
  const sub = c.newSubscription(channel);
  const got = [];
  sub.on('publication', (p) => got.push(JSON.parse(dec.decode(p.data))));
  sub.subscribe();
  await once(sub, 'subscribed', 10000);
  for (let i = 1; i <= 10; i++) {
    await api('publish', { channel, data: { n: i, text: `ünïcode ${i}` } });
  }
  await until(() => got.length === 10, '10 publications');
  assert.deepEqual(got.map((d) => d.n), Array.from({ length: 10 }, (_, i) => i + 1));
  assert.equal(got[0].text, 'ünïcode 1');

  // Its own publish, as bytes holding JSON (Rotor refuses payloads that hold no JSON value).
  const own = once(sub, 'publication');
  await sub.publish(enc.encode(JSON.stringify({ from: 'client' })));
  const p = await own;
  assert.equal(p.info.user, user);
  assert.deepEqual(JSON.parse(dec.decode(p.data)), { from: 'client' });

  // A reconnect advice, then a terminal code, both as Protobuf disconnect pushes on the stream.
  const connecting = once(c, 'connecting');
  await api('disconnect', { user, disconnect: { code: 3011, reason: 'go again' } });
  assert.equal((await connecting).code, 3011);
  await once(c, 'connected', 20000);
  await until(() => sub.state === 'subscribed', 'resubscribed');
  const disconnected = once(c, 'disconnected', 10000);
  await api('disconnect', { user, disconnect: { code: 3503, reason: 'bye' } });
  const d = await disconnected;
  assert.equal(d.code, 3503);
  assert.equal(d.reason, 'bye');
});
