// One client over the transport(s) in ROTOR_TRANSPORTS (see transportClient): connects with a
// server-side subscription, subscribes, receives API publications in order, publishes, asks for
// presence, survives a reconnect advice and ends on a terminal disconnect code (3503), which must
// reach the client on every transport (SockJS over HTTP can only carry it as a disconnect push).
// ROTOR_EXPECT is the transport the client must end up on; ROTOR_BROKEN lists transports whose
// endpoint is made unreachable so the client has to fall back.
import { assert, api, once, run, transportClient, until, userToken } from '../lib.mjs';

const spec = process.env.ROTOR_TRANSPORTS;
const expect = process.env.ROTOR_EXPECT;
const broken = (process.env.ROTOR_BROKEN || '').split(',').filter(Boolean);
const user = `u-${process.pid}-${Date.now()}`;

run(`transport ${spec}`, async () => {
  const c = transportClient(spec, {
    debug: !!process.env.ROTOR_DEBUG,
    token: userToken(user, 3600, { channels: [`feed-${user}`], info: { name: 'T' } }),
    timeout: 10000,
  }, broken);
  const serverSub = once(c, 'subscribed', 20000);
  const connected = once(c, 'connected', 20000);
  c.connect();
  const ctx = await connected;
  assert.equal(ctx.transport, expect, 'transport in use');
  assert.equal((await serverSub).channel, `feed-${user}`);

  const channel = `news-${user}`;
  const sub = c.newSubscription(channel);
  const got = [];
  sub.on('publication', (p) => got.push(p));
  sub.subscribe();
  await once(sub, 'subscribed');
  for (let i = 1; i <= 20; i++) {
    await api('publish', { channel, data: { n: i, text: `line ${i} "quoted" ünïcode` } });
  }
  await until(() => got.length === 20, '20 publications');
  assert.deepEqual(got.map((p) => p.data.n), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.equal(got[0].data.text, 'line 1 "quoted" ünïcode');

  const serverPubs = [];
  c.on('publication', (p) => serverPubs.push(p));
  await api('publish', { channel: `feed-${user}`, data: { hello: 'server-side' } });
  await until(() => serverPubs.length === 1, 'server-side publication');

  const own = once(sub, 'publication');
  await sub.publish({ from: 'client' });
  assert.equal((await own).info.user, user);
  const presence = await sub.presence();
  assert.equal(Object.keys(presence.clients).length, 1);

  // Reconnect advice: the client comes back on its own, resubscribes and keeps receiving.
  const connecting = once(c, 'connecting');
  await api('disconnect', { user, disconnect: { code: 3011, reason: 'go again' } });
  assert.equal((await connecting).code, 3011);
  await once(c, 'connected', 20000);
  await until(() => sub.state === 'subscribed', 'resubscribed');
  await api('publish', { channel, data: { n: 21 } });
  await until(() => got.some((p) => p.data.n === 21), 'publication after reconnect');
  assert.equal(got.filter((p) => p.data.n === 21).length, 1, 'delivered once');

  // A terminal code ends it for good.
  const disconnected = once(c, 'disconnected', 10000);
  await api('disconnect', { user, disconnect: { code: 3503, reason: 'bye' } });
  const d = await disconnected;
  assert.equal(d.code, 3503);
  assert.equal(d.reason, 'bye');
});
