// The backend side: Rotor's server API driven by cent.js, the Centrifugo HTTP API client from npm,
// exactly as a Node backend written for Centrifugo would use it; a real centrifuge-js client watches.
import { createRequire } from 'node:module';
import { assert, HTTP_URL, API_KEY, client, once, run, until, userToken } from '../lib.mjs';

const { CentClient } = createRequire(import.meta.url)('cent.js');

run('cent', async () => {
  const cent = new CentClient({ url: `${HTTP_URL}/api`, apiKey: API_KEY });
  const channel = `cent-${Date.now()}`;

  const c = client({ token: userToken('cent-user') });
  const connected = once(c, 'connected');
  c.connect();
  await connected;
  const sub = c.newSubscription(channel);
  const got = [];
  sub.on('publication', (p) => got.push(p.data));
  sub.subscribe();
  await once(sub, 'subscribed');

  const published = await cent.publish({ channel, data: { text: 'from cent.js' } });
  assert.equal(typeof published.offset, 'number');
  await cent.broadcast({ channels: [channel, `${channel}-other`], data: { text: 'broadcast' } });
  await until(() => got.length === 2, 'publish and broadcast arrive');
  assert.deepEqual(got, [{ text: 'from cent.js' }, { text: 'broadcast' }]);

  const history = await cent.getHistory({ channel, limit: 10 });
  assert.deepEqual(history.publications.map((p) => p.data.text), ['from cent.js', 'broadcast']);

  const presence = await cent.getPresence({ channel });
  assert.deepEqual(Object.values(presence.presence).map((p) => p.user), ['cent-user']);
  const stats = await cent.getPresenceStats({ channel });
  assert.equal(stats.num_clients, 1);
  assert.equal(stats.num_users, 1);

  const channels = await cent.getChannels({ pattern: 'cent-*' });
  assert.ok(channel in channels.channels, JSON.stringify(channels));
  const info = await cent.getInfo();
  assert.equal(info.nodes.length, 1);
  assert.ok(info.nodes[0].num_clients >= 1);

  await cent.removeHistory({ channel });
  assert.deepEqual((await cent.getHistory({ channel, limit: 10 })).publications ?? [], []);

  // An API error reply (102 unknown channel) makes cent.js reject (it keeps no details of the error).
  const { CentException } = createRequire(import.meta.url)('cent.js');
  await assert.rejects(cent.publish({ channel: 'nosuchns:x', data: {} }), CentException);

  const disconnected = once(c, 'disconnected');
  await cent.disconnect({ user: 'cent-user' });
  const ctx = await disconnected;
  assert.equal(ctx.code, 3503);
});
