// Short-lived connection and subscription tokens: the SDK refreshes both through getToken
// (refresh and sub_refresh) before they run out, and the subscription keeps receiving.
import { api, assert, client, once, run, token, until, userToken } from '../lib.mjs';

run('tokenrefresh', async () => {
  let connTokens = 0;
  let subTokens = 0;
  const channel = `$refresh${Date.now()}`;
  const subToken = (ttl) => token({ sub: 'rita', channel, exp: Math.floor(Date.now() / 1000) + ttl });

  const c = client({
    token: userToken('rita', 2),
    getToken: async () => {
      connTokens++;
      return userToken('rita', 3600);
    },
  });
  c.connect();
  await once(c, 'connected');

  const sub = c.newSubscription(channel, {
    token: subToken(2),
    getToken: async () => {
      subTokens++;
      return subToken(3600);
    },
  });
  const received = [];
  sub.on('publication', (ctx) => received.push(ctx.data.n));
  const unsubscribed = [];
  sub.on('unsubscribed', (ctx) => unsubscribed.push(ctx.code));
  sub.subscribe();
  await once(sub, 'subscribed');

  await until(() => connTokens >= 1 && subTokens >= 1, 'both refreshes', 10000);
  await api('publish', { channel, data: { n: 1 } });
  await until(() => received.includes(1), 'publication after the refreshes');
  assert.equal(c.state, 'connected');
  assert.equal(sub.state, 'subscribed');
  assert.deepEqual(unsubscribed, []);
  c.disconnect();
});
