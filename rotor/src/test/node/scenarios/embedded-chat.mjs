// The embedded example (examples/embedded): a Vert.x app with its own login that mounts Rotor under
// /rotor. The real SDK connects with the app's session cookie (no token: the app's connect hook
// decides), receives what the app's business handler publishes, and recovers after a reconnect;
// without a session the connection is refused with 4501 and the SDK does not retry.
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { assert, once, run, until, HTTP_URL, PORT } from '../lib.mjs';

const WS = `ws://127.0.0.1:${PORT}/rotor/connection/websocket`;

async function login(user) {
  const res = await fetch(`${HTTP_URL}/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user }),
  });
  assert.equal(res.status, 200, 'login');
  return res.headers.get('set-cookie').split(';')[0];
}

async function post(cookie, text) {
  const res = await fetch(`${HTTP_URL}/messages`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify({ text }),
  });
  return res;
}

/** A WebSocket that sends the browser's cookie, as a browser on the app's origin would. */
function withCookie(cookie) {
  return class extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, cookie ? { headers: { Cookie: cookie } } : {});
    }
  };
}

run('embedded-chat', async () => {
  const cookie = await login('alice');
  const c = new Centrifuge(WS, { websocket: withCookie(cookie), minReconnectDelay: 100, maxReconnectDelay: 500 });
  const connected = once(c, 'connected');
  c.connect();
  await connected;

  const sub = c.newSubscription('chat');
  const got = [];
  sub.on('publication', (p) => got.push(p));
  sub.subscribe();
  await once(sub, 'subscribed');

  const ok = await post(cookie, 'hello');
  assert.equal(ok.status, 200);
  assert.equal(typeof (await ok.json()).offset, 'number');
  await until(() => got.length === 1, 'the posted message');
  assert.deepEqual(got[0].data, { user: 'alice', text: 'hello' });
  assert.equal(got[0].info, undefined, 'published by the app, not by a client');

  // Messages posted while the client is away are recovered when it comes back.
  c.disconnect();
  await post(cookie, 'while away 1');
  await post(cookie, 'while away 2');
  const back = once(sub, 'subscribed');
  c.connect();
  const ctx = await back;
  assert.equal(ctx.recovered, true, 'recovered');
  await until(() => got.length === 3, 'the missed messages');
  assert.deepEqual(got.slice(1).map((p) => p.data.text), ['while away 1', 'while away 2']);
  c.disconnect();

  assert.equal((await post(null, 'anonymous')).status, 401, 'the business route wants a session too');

  const stranger = new Centrifuge(WS, { websocket: withCookie(null), minReconnectDelay: 100, maxReconnectDelay: 500 });
  const refused = once(stranger, 'disconnected');
  stranger.connect();
  const d = await refused;
  assert.equal(d.code, 4501, `refused: ${JSON.stringify(d)}`);
});
