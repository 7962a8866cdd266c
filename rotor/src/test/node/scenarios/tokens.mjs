// Invalid tokens end the connection for good (3500); an expired token is refreshed through
// getToken and the client connects.
import { assert, client, once, run, token, userToken } from '../lib.mjs';

run('tokens', async () => {
  const bad = client({ token: token({ sub: 'mallory' }, 'wrong-secret') });
  const gone = once(bad, 'disconnected');
  bad.connect();
  assert.equal((await gone).code, 3500);

  let refreshed = 0;
  const expired = client({
    token: userToken('gina', -10),
    getToken: async () => {
      refreshed++;
      return userToken('gina', 3600);
    },
  });
  const connected = once(expired, 'connected', 10000);
  expired.connect();
  const ctx = await connected;
  assert.equal(refreshed, 1, 'getToken called once after error 109');
  assert.ok(ctx.client);
  expired.disconnect();

  const anonymous = client({});
  const anonConnected = once(anonymous, 'connected');
  anonymous.connect();
  await anonConnected;
  anonymous.disconnect();
});
