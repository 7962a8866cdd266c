// History calls through the SDK: limit, reverse, since, and position-only.
import { assert, api, client, once, run, userToken } from '../lib.mjs';

run('history', async () => {
  for (let n = 1; n <= 10; n++) {
    await api('publish', { channel: 'hist', data: { n } });
  }
  const c = client({ token: userToken('dora') });
  c.connect();
  const sub = c.newSubscription('hist');
  sub.subscribe();
  await once(sub, 'subscribed');

  const first = await sub.history({ limit: 5 });
  assert.deepEqual(first.publications.map((p) => p.data.n), [1, 2, 3, 4, 5]);
  assert.equal(first.offset, 10);
  const epoch = first.epoch;
  assert.ok(epoch.length > 0);

  const newest = await sub.history({ limit: 3, reverse: true });
  assert.deepEqual(newest.publications.map((p) => p.data.n), [10, 9, 8]);

  const since = await sub.history({ limit: 2, since: { offset: 3, epoch } });
  assert.deepEqual(since.publications.map((p) => p.offset), [4, 5]);

  const position = await sub.history();
  assert.equal(position.publications.length, 0);
  assert.equal(position.offset, 10);

  await assert.rejects(sub.history({ limit: 2, since: { offset: 3, epoch: 'other' } }),
    (e) => e.code === 112);
  c.disconnect();
});
