// When history cannot fill the gap (the stream keeps only 5 publications), the client is told
// recovered: false and receives none of the partial history.
import { assert, api, client, once, run, until, userToken } from '../lib.mjs';

run('unrecovered', async () => {
  const c = client({ token: userToken('carol') });
  const sub = c.newSubscription('small:gap');
  const got = [];
  sub.on('publication', (p) => got.push(p.data.n));
  sub.subscribe();
  c.connect();
  await once(sub, 'subscribed');
  await api('publish', { channel: 'small:gap', data: { n: 1 } });
  await until(() => got.length === 1, 'first publication');

  c.disconnect();
  for (let n = 2; n <= 21; n++) {
    await api('publish', { channel: 'small:gap', data: { n } });
  }
  const resubscribed = once(sub, 'subscribed');
  c.connect();
  const ctx = await resubscribed;
  assert.equal(ctx.wasRecovering, true);
  assert.equal(ctx.recovered, false);
  assert.equal(ctx.streamPosition.offset, 21);

  await api('publish', { channel: 'small:gap', data: { n: 22 } });
  await until(() => got.length === 2, 'live publication after failed recovery');
  assert.deepEqual(got, [1, 22]);
  c.disconnect();
});
