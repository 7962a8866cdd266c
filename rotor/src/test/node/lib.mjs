// Shared helpers for the end-to-end scenarios: the real centrifuge-js SDK over real sockets.
// Every scenario prints what it saw and exits non-zero on the first failed assertion.
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import SockJS from 'sockjs-client';
import { EventSource } from 'eventsource';
import crypto from 'node:crypto';
import assert from 'node:assert/strict';

export { assert };

export const PORT = Number(process.env.ROTOR_PORT);
export const SECRET = process.env.ROTOR_SECRET;
export const API_KEY = process.env.ROTOR_API_KEY;
export const WS_URL = `ws://127.0.0.1:${PORT}/connection/websocket`;
export const HTTP_URL = `http://127.0.0.1:${PORT}`;
export const SOCKJS_URL = `${HTTP_URL}/connection/sockjs`;

if (!PORT) {
  throw new Error('ROTOR_PORT is not set');
}

function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

/** An HS256 connection token, as a backend would issue it. */
export function token(claims, secret = SECRET) {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify(claims));
  const sig = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

export function userToken(user, ttlSeconds = 3600, extra = {}) {
  return token({ sub: user, exp: Math.floor(Date.now() / 1000) + ttlSeconds, ...extra });
}

/** Calls the server HTTP API. */
export async function api(method, params) {
  const res = await fetch(`${HTTP_URL}/api/${method}`, {
    method: 'POST',
    headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  });
  assert.equal(res.status, 200, `api ${method} status`);
  const body = await res.json();
  if (body.error) {
    throw new Error(`api ${method} error ${JSON.stringify(body.error)}`);
  }
  return body.result;
}

export function client(opts = {}) {
  return clientAt(PORT, opts);
}

/** A client of the node listening on `port` (another node of a cluster). */
export function clientAt(port, opts = {}) {
  return new Centrifuge(`ws://127.0.0.1:${port}/connection/websocket`,
    { websocket: WebSocket, minReconnectDelay: 100, maxReconnectDelay: 500, ...opts });
}

class LoggingEventSource extends EventSource {
  constructor(url, init) {
    super(url, init);
    this.addEventListener('message', (e) => console.log('SSE <', e.data));
  }
}

/**
 * A client over the transports named in `spec`, tried in order: `websocket`, `http_stream`, `sse`,
 * or `sockjs:<sockjs transport>` (sockjs-client forced to that one transport, e.g. xhr-polling).
 * Endpoints listed in `broken` point at a path that does not exist, to exercise the fallback.
 */
export function transportClient(spec, opts = {}, broken = []) {
  const names = spec.split(',');
  let sockjsOptions = {};
  const transports = names.map((n) => {
    const [transport, sub] = n.split(':');
    const path = { websocket: '/connection/websocket', http_stream: '/connection/http_stream',
      sse: '/connection/sse', sockjs: '/connection/sockjs' }[transport];
    const base = transport === 'websocket' ? `ws://127.0.0.1:${PORT}` : HTTP_URL;
    if (sub) {
      sockjsOptions = { transports: [sub] };
    }
    return { transport, endpoint: base + (broken.includes(transport) ? '/nowhere' + path : path) };
  });
  return new Centrifuge(transports, {
    websocket: WebSocket, sockjs: SockJS, eventsource: process.env.ROTOR_DEBUG ? LoggingEventSource : EventSource, sockjsOptions,
    emulationEndpoint: `${HTTP_URL}/emulation`,
    minReconnectDelay: 100, maxReconnectDelay: 500, ...opts,
  });
}

/** Resolves with the first event's argument, or rejects after a timeout. */
export function once(emitter, event, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout waiting for ${event}`)), timeoutMs);
    emitter.once(event, (ctx) => {
      clearTimeout(t);
      resolve(ctx);
    });
  });
}

/** Polls a condition (sync or async) every `everyMs` until it holds, or rejects after a timeout. */
export async function until(cond, what, timeoutMs = 10000, everyMs = 10) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) {
      throw new Error(`timeout waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs a scenario: exit 0 on success, 1 with the error otherwise, never hangs. */
export function run(name, fn, timeoutMs = 60000) {
  const killer = setTimeout(() => {
    console.error(`${name}: scenario timeout`);
    process.exit(1);
  }, timeoutMs);
  fn().then(() => {
    clearTimeout(killer);
    console.log(`${name}: ok`);
    process.exit(0);
  }, (e) => {
    console.error(`${name}: FAILED`, e);
    process.exit(1);
  });
}
