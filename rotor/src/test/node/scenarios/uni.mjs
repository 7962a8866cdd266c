// Unidirectional transports with no SDK at all: a plain EventSource on uni_sse and a plain
// WebSocket on uni_websocket receive the connect push, publications and the subscribe API's push.
import WebSocket from 'ws';
import { EventSource } from 'eventsource';
import { assert, api, HTTP_URL, PORT, run, until, userToken } from '../lib.mjs';

run('uni', async () => {
  const user = `uni-${process.pid}`;
  const feed = `feed-${user}`;
  const cf = encodeURIComponent(JSON.stringify({ token: userToken(user, 3600, { channels: [feed] }) }));

  const sse = [];
  const es = new EventSource(`${HTTP_URL}/connection/uni_sse?cf_connect=${cf}`);
  es.onmessage = (e) => sse.push(JSON.parse(e.data));
  const ws = new WebSocket(`ws://127.0.0.1:${PORT}/connection/uni_websocket?cf_connect=${cf}`);
  const wsMessages = [];
  ws.on('message', (m) => wsMessages.push(JSON.parse(m.toString())));

  await until(() => sse.some((m) => m.connect) && wsMessages.some((m) => m.connect), 'connect pushes');
  assert.ok(sse.find((m) => m.connect).connect.subs[feed], 'token channel subscribed');
  await api('publish', { channel: feed, data: { n: 1 } });
  await until(() => sse.some((m) => m.pub) && wsMessages.some((m) => m.pub), 'publication');
  assert.deepEqual(sse.find((m) => m.pub).pub.data, { n: 1 });
  assert.equal(wsMessages.find((m) => m.pub).channel, feed);

  await api('subscribe', { user, channel: `extra-${user}` });
  await until(() => sse.some((m) => m.subscribe) && wsMessages.some((m) => m.subscribe), 'subscribe push');
  await api('publish', { channel: `extra-${user}`, data: { n: 2 } });
  await until(() => sse.filter((m) => m.pub).length === 2, 'publication on the added channel');
  es.close();
  ws.close();
});
