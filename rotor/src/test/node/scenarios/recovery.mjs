// A client that goes away and comes back gets exactly the publications it missed, in order,
// with recovered: true -- after its own disconnect and after a server-forced reconnect.
import { assert, api, client, once, run, until, userToken } from '../lib.mjs';

run('recovery', async () => {
  const c = client({ token: userToken('bob') });
  const sub = c.newSubscription('rec');
  const got = [];
  sub.on('publication', (p) => got.push(p.data.n));
  sub.subscribe();
  c.connect();
  const first = await once(sub, 'subscribed');
  assert.equal(first.recoverable, true);
  assert.equal(first.positioned, true);

  let n = 0;
  const publish = async (count) => {
    for (let i = 0; i < count; i++) {
      n++;
      await api('publish', { channel: 'rec', data: { n } });
    }
  };
  await publish(3);
  await until(() => got.length === 3, 'live publications');

  // 1. The client disconnects; the backend keeps publishing; the client comes back.
  c.disconnect();
  await publish(10);
  const resubscribed = once(sub, 'subscribed');
  c.connect();
  const ctx = await resubscribed;
  assert.equal(ctx.wasRecovering, true);
  assert.equal(ctx.recovered, true);
  await until(() => got.length === 13, 'recovered publications');

  // 2. The server drops the connection with a reconnect code while publishing goes on.
  const again = once(sub, 'subscribed', 10000);
  await api('disconnect', { user: 'bob', disconnect: { code: 3011, reason: 'force reconnect' } });
  await publish(10);
  const ctx2 = await again;
  assert.equal(ctx2.recovered, true);
  await publish(2);
  await until(() => got.length === 25, 'all publications after forced reconnect');
  assert.deepEqual(got, Array.from({ length: 25 }, (_, i) => i + 1), 'exactly once, in order');
  c.disconnect();
});
