// 200 clients x 100 publications: every client receives every publication, in order.
import { assert, api, client, once, run, until, userToken } from '../lib.mjs';

const CLIENTS = Number(process.env.CLIENTS || 200);
const MESSAGES = Number(process.env.MESSAGES || 100);

run('load', async () => {
  const clients = [];
  const received = [];
  for (let i = 0; i < CLIENTS; i++) {
    const c = client({ token: userToken(`user${i}`) });
    const sub = c.newSubscription('load');
    const got = [];
    received.push(got);
    sub.on('publication', (p) => got.push(p.data.n));
    sub.subscribe();
    c.connect();
    clients.push(once(sub, 'subscribed', 20000).then(() => c));
  }
  const connected = await Promise.all(clients);
  for (let n = 1; n <= MESSAGES; n++) {
    await api('publish', { channel: 'load', data: { n } });
  }
  await until(() => received.every((g) => g.length >= MESSAGES), 'all deliveries', 30000);
  const expected = Array.from({ length: MESSAGES }, (_, i) => i + 1);
  received.forEach((g, i) => assert.deepEqual(g, expected, `client ${i} order`));
  connected.forEach((c) => c.disconnect());
}, 120000);
