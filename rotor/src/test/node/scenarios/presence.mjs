// Presence, presence stats and join/leave between two real clients.
import { assert, client, once, run, until, userToken } from '../lib.mjs';

run('presence', async () => {
  const a = client({ token: userToken('ann', 3600, { info: { role: 'a' } }) });
  const b = client({ token: userToken('ben') });
  a.connect();
  b.connect();
  await Promise.all([once(a, 'connected'), once(b, 'connected')]);

  const subB = b.newSubscription('room', { joinLeave: true });
  const joins = [];
  const leaves = [];
  subB.on('join', (ctx) => joins.push(ctx.info));
  subB.on('leave', (ctx) => leaves.push(ctx.info));
  subB.subscribe();
  await once(subB, 'subscribed');
  await until(() => joins.some((i) => i.user === 'ben'), 'own join');

  const subA = a.newSubscription('room');
  subA.subscribe();
  await once(subA, 'subscribed');
  await until(() => joins.some((i) => i.user === 'ann'), 'join of ann');
  const annJoin = joins.find((i) => i.user === 'ann');
  assert.deepEqual(annJoin.connInfo, { role: 'a' });

  const presence = await subB.presence();
  const users = Object.values(presence.clients).map((i) => i.user).sort();
  assert.deepEqual(users, ['ann', 'ben']);
  const stats = await subB.presenceStats();
  assert.equal(stats.numClients, 2);
  assert.equal(stats.numUsers, 2);

  subA.unsubscribe();
  await until(() => leaves.some((i) => i.user === 'ann'), 'leave of ann');
  const after = await subB.presenceStats();
  assert.equal(after.numClients, 1);
  a.disconnect();
  b.disconnect();
});
