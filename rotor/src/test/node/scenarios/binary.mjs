// Binary payloads between SDKs: the Protobuf build of centrifuge-js and centrifuge-java exchange
// bytes that hold no JSON through one node. The Java test publishes ROTOR_JAVA_BYTES (base64) on
// ROTOR_CHANNEL first; this client recovers it from offset 0, publishes its own bytes, and sees them
// come back unchanged. A JSON client on the same channel cannot carry them: it is disconnected with
// 3506 (inappropriate protocol), as Centrifugo does.
import { Centrifuge } from 'centrifuge/build/protobuf';
import WebSocket from 'ws';
import { PORT, assert, client, once, run, userToken } from '../lib.mjs';

const channel = process.env.ROTOR_CHANNEL;
const fromJava = new Uint8Array(Buffer.from(process.env.ROTOR_JAVA_BYTES, 'base64'));
const mine = new Uint8Array([0, 255, 1, 2, 128, 10, 13]);

run('binary payloads', async () => {
  const json = client({ token: userToken(`json-${process.pid}`, 3600) });
  const jsonSub = json.newSubscription(channel);
  jsonSub.subscribe();
  json.connect();
  await once(jsonSub, 'subscribed', 10000);
  const jsonDisconnected = once(json, 'disconnected', 10000);

  const pb = new Centrifuge(`ws://127.0.0.1:${PORT}/connection/websocket`, {
    websocket: WebSocket, token: userToken(`pb-${process.pid}`, 3600), minReconnectDelay: 100,
  });
  const sub = pb.newSubscription(channel, { since: { offset: 0, epoch: '' } });
  const got = [];
  sub.on('publication', (p) => got.push(p));
  const subscribed = once(sub, 'subscribed', 10000);
  sub.subscribe();
  pb.connect();
  const s = await subscribed;
  assert.equal(s.recovered, true, 'recovered from offset 0');
  assert.equal(got.length, 1, 'the Java client\'s publication was recovered');
  assert.deepEqual(Array.from(got[0].data), Array.from(fromJava), 'bytes from centrifuge-java, unchanged');

  const own = once(sub, 'publication', 10000);
  await sub.publish(mine);
  const p = await own;
  assert.deepEqual(Array.from(p.data), Array.from(mine), 'own bytes back, unchanged');
  assert.equal(p.offset, 2);

  const d = await jsonDisconnected;
  assert.equal(d.code, 3506, 'the JSON client cannot receive bytes that are not JSON');
  pb.disconnect();
});
