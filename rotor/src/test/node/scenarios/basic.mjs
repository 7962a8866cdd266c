// Connect with a token, subscribe, receive what the backend publishes through the HTTP API, in
// order; a server-side subscription from the token's channels claim delivers too.
import { assert, api, client, once, run, until, userToken } from '../lib.mjs';

run('basic', async () => {
  const c = client({ token: userToken('alice', 3600, { channels: ['feed'], info: { name: 'Alice' } }) });
  const serverSub = once(c, 'subscribed');
  const connected = once(c, 'connected');
  c.connect();
  const ctx = await connected;
  assert.equal(ctx.transport, 'websocket');
  assert.equal((await serverSub).channel, 'feed');

  const sub = c.newSubscription('news');
  const got = [];
  sub.on('publication', (p) => got.push(p));
  sub.subscribe();
  await once(sub, 'subscribed');

  for (let i = 1; i <= 5; i++) {
    const r = await api('publish', { channel: 'news', data: { n: i, text: `hello ${i}` } });
    assert.equal(typeof r.offset, 'number');
  }
  await until(() => got.length === 5, '5 publications');
  assert.deepEqual(got.map((p) => p.data.n), [1, 2, 3, 4, 5]);
  for (let i = 1; i < got.length; i++) {
    assert.equal(got[i].offset, got[i - 1].offset + 1, 'offsets increase by one');
  }

  const serverPubs = [];
  c.on('publication', (p) => serverPubs.push(p));
  await api('publish', { channel: 'feed', data: { hello: 'server-side' } });
  await until(() => serverPubs.length === 1, 'server-side publication');
  assert.equal(serverPubs[0].channel, 'feed');
  assert.deepEqual(serverPubs[0].data, { hello: 'server-side' });

  // A client publication carries the publisher's info.
  const own = once(sub, 'publication');
  await sub.publish({ from: 'client' });
  const p = await own;
  assert.deepEqual(p.data, { from: 'client' });
  assert.equal(p.info.user, 'alice');
  assert.deepEqual(p.info.connInfo, { name: 'Alice' });
  c.disconnect();
});
