// Centrifugo v6 channel features with the real SDK, JSON or Protobuf build (ROTOR_BUILD):
// fossil delta compression decoded by the SDK's own decoder (its deltaStats() counts patches),
// a tags filter on live and recovered publications, and cache recovery.
import { Centrifuge as JsonCentrifuge } from 'centrifuge';
import { Centrifuge as PbCentrifuge } from 'centrifuge/build/protobuf';
import WebSocket from 'ws';
import { PORT, api, assert, once, run, until, userToken } from '../lib.mjs';

const build = process.env.ROTOR_BUILD || 'json';
const Centrifuge = build === 'protobuf' ? PbCentrifuge : JsonCentrifuge;
const dec = new TextDecoder();
const value = (data) => (build === 'protobuf' ? JSON.parse(dec.decode(data)) : data);
const tag = `${build}-${process.pid}`;

function doc(version) {
  const items = [];
  for (let i = 0; i < 30; i++) {
    items.push({ id: i, name: `item number ${i}`, text: 'ünïcode and "quotes" \\ and\nnewlines' });
  }
  return { version, items };
}

run(`features ${build}`, async () => {
  const c = new Centrifuge(`ws://127.0.0.1:${PORT}/connection/websocket`, {
    websocket: WebSocket, token: userToken(`u-${tag}`), minReconnectDelay: 100, maxReconnectDelay: 500,
  });
  c.connect();
  await once(c, 'connected', 10000);

  // 1. Delta: the first publication full, later ones fossil patches the SDK applies.
  const deltaChannel = `delta:doc-${tag}`;
  const ds = c.newSubscription(deltaChannel, { delta: 'fossil' });
  const docs = [];
  ds.on('publication', (p) => docs.push(value(p.data)));
  ds.subscribe();
  await once(ds, 'subscribed');
  for (let v = 1; v <= 6; v++) {
    await api('publish', { channel: deltaChannel, data: doc(v), delta: true });
  }
  await until(() => docs.length === 6, '6 delta publications');
  for (let v = 1; v <= 6; v++) {
    assert.deepEqual(docs[v - 1], doc(v), `publication ${v} decoded`);
  }
  const stats = ds.deltaStats();
  console.log('deltaStats', JSON.stringify(stats));
  assert.equal(stats.numFullPayloads, 1, 'only the first payload is full');
  assert.equal(stats.numDeltaPayloads, 5, 'the others are patches');
  assert.ok(stats.bytesReceived * 3 < stats.bytesDecoded, 'patches are much smaller than documents');

  // Recovery of a delta subscription: the SDK decodes the recovered chain, then live patches.
  c.disconnect();
  for (let v = 7; v <= 9; v++) {
    await api('publish', { channel: deltaChannel, data: doc(v), delta: true });
  }
  const back = once(ds, 'subscribed', 10000);
  c.connect();
  const ctx = await back;
  assert.equal(ctx.recovered, true, 'recovered');
  await api('publish', { channel: deltaChannel, data: doc(10), delta: true });
  await until(() => docs.length === 10, '10 publications after recovery');
  for (let v = 7; v <= 10; v++) {
    assert.deepEqual(docs[v - 1], doc(v), `publication ${v} decoded after recovery`);
  }
  assert.ok(ds.deltaStats().numDeltaPayloads >= 8, 'recovered and live ones are patches');

  // 2. Tags filter: live and recovered publications the filter refuses never arrive.
  const tagsChannel = `tags:t-${tag}`;
  await api('publish', { channel: tagsChannel, data: { n: 1 }, tags: { k: 'no' } });
  await api('publish', { channel: tagsChannel, data: { n: 2 }, tags: { k: 'yes' } });
  const ts = c.newSubscription(tagsChannel, { since: {}, tagsFilter: { key: 'k', cmp: 'eq', val: 'yes' } });
  const tagged = [];
  ts.on('publication', (p) => tagged.push(value(p.data).n));
  ts.subscribe();
  await once(ts, 'subscribed');
  await api('publish', { channel: tagsChannel, data: { n: 3 }, tags: { k: 'no' } });
  await api('publish', { channel: tagsChannel, data: { n: 4 }, tags: { k: 'yes' } });
  await until(() => tagged.length === 2, 'the matching publications');
  assert.deepEqual(tagged, [2, 4]);

  // A filter where allow_tags_filter is off is refused (107).
  const refused = c.newSubscription(`delta:other-${tag}`, { tagsFilter: { key: 'k', cmp: 'eq', val: 'yes' } });
  const failed = once(refused, 'unsubscribed');
  refused.subscribe();
  const gone = await failed;
  assert.equal(gone.code, 107, `refused: ${JSON.stringify(gone)}`);

  // 3. Cache recovery: a new subscriber asking with an empty position gets only the latest one.
  const cacheChannel = `cache:c-${tag}`;
  for (let n = 1; n <= 5; n++) {
    await api('publish', { channel: cacheChannel, data: { n } });
  }
  const cs = c.newSubscription(cacheChannel, { since: {} });
  const cached = [];
  cs.on('publication', (p) => cached.push(value(p.data).n));
  cs.subscribe();
  const cctx = await once(cs, 'subscribed');
  assert.equal(cctx.recovered, true);
  await until(() => cached.length === 1, 'the latest publication');
  // Disconnected while three more are published, it recovers only the latest of them.
  c.disconnect();
  for (let n = 6; n <= 8; n++) {
    await api('publish', { channel: cacheChannel, data: { n } });
  }
  const cback = once(cs, 'subscribed', 10000);
  c.connect();
  await cback;
  await until(() => cached.length === 2, 'the latest after recovery');
  assert.deepEqual(cached, [5, 8]);

  // auto_cache_recover: the latest value without the client asking.
  const autoChannel = `auto:a-${tag}`;
  await api('publish', { channel: autoChannel, data: { n: 1 } });
  await api('publish', { channel: autoChannel, data: { n: 2 } });
  const as = c.newSubscription(autoChannel);
  const auto = [];
  as.on('publication', (p) => auto.push(value(p.data).n));
  as.subscribe();
  await once(as, 'subscribed');
  await until(() => auto.length === 1, 'the latest value');
  assert.deepEqual(auto, [2]);
  c.disconnect();
});
