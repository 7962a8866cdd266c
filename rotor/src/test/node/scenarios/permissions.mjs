// Permission errors reach the SDK with the protocol's codes.
import { assert, client, once, run, userToken } from '../lib.mjs';

run('permissions', async () => {
  const c = client({ token: userToken('eve') });
  c.connect();
  await once(c, 'connected');

  const locked = c.newSubscription('locked:secret');
  const unsubscribed = once(locked, 'unsubscribed');
  locked.subscribe();
  assert.equal((await unsubscribed).code, 103);

  const unknown = c.newSubscription('nope:x');
  const unknownUnsub = once(unknown, 'unsubscribed');
  unknown.subscribe();
  assert.equal((await unknownUnsub).code, 102);

  await assert.rejects(c.publish('locked:secret', { x: 1 }), (e) => e.code === 103);
  // Publishing is allowed for subscribers only in the default namespace.
  await assert.rejects(c.publish('news', { x: 1 }), (e) => e.code === 103);

  // User-limited channels: only the listed users get in.
  const mine = c.newSubscription('personal:inbox#eve');
  mine.subscribe();
  await once(mine, 'subscribed');
  const theirs = c.newSubscription('personal:inbox#frank');
  const denied = once(theirs, 'unsubscribed');
  theirs.subscribe();
  assert.equal((await denied).code, 103);
  c.disconnect();
});
