// Rotor's own load generator for the scenarios where fanout.js (one `ws` object per client)
// saturates first: many clients, each on its own channel. Clients are bare TCP sockets speaking just
// enough WebSocket (zero mask key, no handshake-key check) to keep the generator's cost per client
// far below the server's. One run measures, on the same set of connections:
//   S4 connect storm  N clients connect + subscribe (CONC in flight), total time, TcpExtListenDrops
//   S5 memory         server RSS (and, for a JVM, heap after a full GC) per idle connection
//   S3 personal       an HTTP publish loop over the N personal channels: server CPU per publish
// Targets: cf2 (Rotor, Centrifugo protocol v2), cf1 (centrifuge 0.15, protocol v1), sioraw
// (Socket.IO 4 wire protocol). Loopback only; every loop is bounded. Prints one JSON line.
'use strict';
const fs = require('fs');
const net = require('net');
const http = require('http');
const { execSync } = require('child_process');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const target = args.target || 'cf2';
const PORT = +args.port;
const N = +(args.clients || 10000);
const CONC = +(args.conc || 1000);
const PUBS = +(args.pubs || 20000);
const PUB_CONC = +(args.pubconc || 32);
const SIZE = +(args.size || 100);
const SERVER_PID = args.pid ? +args.pid : null;
const JVM = args.jvm === '1';
const API_KEY = args.apikey || '';
const SOURCES = +(args.sources || 8); // 127.0.0.2 .. : ~28k ephemeral ports per source address
const IDLE_MS = +(args.idle || 1500);
// --hold=MS keeps the connections open that long after the report (to inspect the server).
const now = () => performance.timeOrigin + performance.now();
const pad = 'x'.repeat(Math.max(0, SIZE - 40));

function procStat(pid) {
  const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const rss = +fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1];
  return { cpuMs: (+st[11] + +st[12]) * 10, rssKb: rss };
}
function listenDrops() {
  try {
    const out = execSync('nstat -az TcpExtListenDrops TcpExtListenOverflows', { encoding: 'utf8' });
    const m = out.match(/TcpExtListenDrops\s+(\d+)/);
    return m ? +m[1] : -1;
  } catch (e) { return -1; }
}
// Heap in use after a full GC, from `jcmd GC.heap_info` (sum of the "used" figures of young + old).
function jvmHeapKb(pid) {
  execSync(`jcmd ${pid} GC.run`, { stdio: 'ignore' });
  const info = execSync(`jcmd ${pid} GC.heap_info`, { encoding: 'utf8' });
  let kb = 0;
  for (const line of info.split('\n')) {
    const m = /^\s*(PSYoungGen|ParOldGen|PSOldGen|def new generation|tenured generation|garbage-first heap)\s+total \d+K, used (\d+)K/.exec(line);
    if (m) kb += +m[2];
  }
  return kb;
}

// ---- the minimal WebSocket client ----
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
function wsFrame(text, opcode = 1) {
  const p = Buffer.from(text);
  let h;
  if (p.length < 126) { h = Buffer.alloc(6); h[1] = 0x80 | p.length; }
  else { h = Buffer.alloc(8); h[1] = 0x80 | 126; h.writeUInt16BE(p.length, 2); }
  h[0] = 0x80 | opcode; // FIN; the mask key (last 4 header bytes) is zero, so the payload goes as is
  return Buffer.concat([h, p]);
}
const PATH = target === 'sioraw' ? '/socket.io/?EIO=4&transport=websocket' : '/connection/websocket';
const channelOf = (i) => `p${i}`;

let delivered = 0; const lat = [];
function onPush(text) {
  delivered++;
  const i = text.indexOf('"t":');
  if (i >= 0) lat.push(now() - parseFloat(text.slice(i + 4)));
}

class Conn {
  constructor(i, onReady, onFail) {
    this.i = i; this.onReady = onReady; this.onFail = onFail; this.upgraded = false; this.buf = null;
    this.ready = false;
    const s = this.s = net.connect({ port: PORT, host: '127.0.0.1', localAddress: `127.0.0.${2 + (i % SOURCES)}` });
    s.setNoDelay(true);
    s.on('connect', () => s.write(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\nUpgrade: websocket\r\n`
      + `Connection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
    s.on('data', (d) => this.data(d));
    s.on('error', (e) => this.fail(e.message));
    s.on('close', () => { if (!this.ready) this.fail('closed before ready'); });
  }
  fail(why) { if (this.onFail) { const f = this.onFail; this.onFail = null; f(why); } }
  send(text) { this.s.write(wsFrame(text)); }
  data(d) {
    this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
    if (!this.upgraded) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (this.buf.toString('latin1', 0, 12).indexOf(' 101') < 0) { this.fail('no upgrade: ' + this.buf.toString('latin1', 0, 40)); this.s.destroy(); return; }
      this.upgraded = true; this.buf = this.buf.subarray(end + 4);
      this.opened();
    }
    let b = this.buf;
    while (b.length >= 2) {
      const op = b[0] & 0x0f; let len = b[1] & 0x7f; let off = 2;
      if (len === 126) { if (b.length < 4) break; len = b.readUInt16BE(2); off = 4; }
      else if (len === 127) { if (b.length < 10) break; len = Number(b.readBigUInt64BE(2)); off = 10; }
      if (b.length < off + len) break;
      const payload = b.subarray(off, off + len);
      b = b.subarray(off + len);
      if (op === 9) this.s.write(wsFrame(payload.toString('latin1'), 10));
      else if (op === 1 || op === 0) this.text(payload.toString());
    }
    this.buf = b.length ? b : null;
  }
  opened() {
    if (target === 'cf2') this.send(`{"id":1,"connect":{"name":"bench"}}\n{"id":2,"subscribe":{"channel":"${channelOf(this.i)}"}}`);
    else if (target === 'cf1') this.send(`{"id":1,"params":{}}\n{"id":2,"method":1,"params":{"channel":"${channelOf(this.i)}"}}`);
  }
  text(t) {
    if (target === 'sioraw') {
      if (t === '2') { this.send('3'); return; }
      if (t[0] === '0') { this.send('40'); return; }
      if (t.startsWith('40')) { this.send(`420["sub","${channelOf(this.i)}"]`); return; }
      if (t.startsWith('430')) { this.isReady(); return; }
      if (t.startsWith('42')) onPush(t.replace(/\\"/g, '"'));
      return;
    }
    for (const line of t.split('\n')) {
      if (!line) continue;
      if (line === '{}') { this.send('{}'); continue; }
      if (line.startsWith('{"id":')) {
        if (line.indexOf('"error"') >= 0) { this.fail('error reply: ' + line); continue; }
        if (line.startsWith('{"id":2')) this.isReady();
        continue;
      }
      onPush(line);
    }
  }
  isReady() { if (!this.ready) { this.ready = true; const r = this.onReady; this.onReady = null; this.onFail = null; r(); } }
}

function connectAll() {
  return new Promise((resolve, reject) => {
    const conns = []; let next = 0, done = 0; const times = [];
    const one = () => {
      if (next >= N) return;
      const i = next++; const a = now();
      conns.push(new Conn(i, () => { times.push(now() - a); done++; if (done === N) resolve({ conns, times }); else one(); },
        (why) => reject(new Error(`client ${i}: ${why}`))));
    };
    for (let k = 0; k < Math.min(CONC, N); k++) one();
  });
}

function publishLoop() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: PUB_CONC });
  let sent = 0, ok = 0, errors = 0;
  const one = () => new Promise((resolve) => {
    const ch = channelOf(sent % N); sent++;
    const data = JSON.stringify({ t: now(), p: pad });
    let path, body; const headers = { 'Content-Type': 'application/json' };
    if (target === 'cf2') { path = '/api/publish'; body = `{"channel":"${ch}","data":${data}}`; headers['X-API-Key'] = API_KEY; }
    else if (target === 'cf1') { path = `/api/publish?channel=${ch}`; body = data; }
    else { path = `/publish?channel=${ch}`; body = data; }
    headers['Content-Length'] = Buffer.byteLength(body);
    const req = http.request({ host: '127.0.0.1', port: PORT, method: 'POST', path, headers, agent }, (res) => {
      res.resume(); res.on('end', () => { if (res.statusCode === 200) ok++; else errors++; resolve(); });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(body);
  });
  return new Promise((resolve) => {
    let inflight = 0;
    const pump = () => {
      while (inflight < PUB_CONC && sent < PUBS) { inflight++; one().then(() => { inflight--; if (sent < PUBS) pump(); else if (inflight === 0) resolve({ ok, errors }); }); }
    };
    pump();
  });
}

(async () => {
  const out = { target, clients: N, conc: CONC };
  const base = procStat(SERVER_PID);
  const heap0 = JVM ? jvmHeapKb(SERVER_PID) : 0;
  const drops0 = listenDrops();
  const c0 = process.cpuUsage();
  const t0 = now();
  const { conns, times } = await connectAll();
  out.connect_all_ms = Math.round(now() - t0);
  const cc = process.cpuUsage(c0);
  out.gen_cpu_ms_connect = Math.round((cc.user + cc.system) / 1000);
  const drops1 = listenDrops();
  out.listen_drops = drops0 < 0 ? 'NA' : drops1 - drops0;
  times.sort((a, b) => a - b);
  out.connect_p50_ms = +times[Math.floor(times.length / 2)].toFixed(1);
  out.connect_p99_ms = +times[Math.floor(times.length * 0.99)].toFixed(1);
  const afterConnect = procStat(SERVER_PID);
  out.server_cpu_us_per_connect = +((afterConnect.cpuMs - base.cpuMs) * 1000 / N).toFixed(1);
  // S5: let the storm's garbage settle, then measure what the idle connections hold.
  await new Promise((r) => setTimeout(r, IDLE_MS));
  if (JVM) out.heap_kb_per_conn = +((jvmHeapKb(SERVER_PID) - heap0) / N).toFixed(2);
  await new Promise((r) => setTimeout(r, 300));
  const idle = procStat(SERVER_PID);
  out.rss_kb_per_conn = +((idle.rssKb - base.rssKb) / N).toFixed(2);
  out.server_rss_mb = +(idle.rssKb / 1024).toFixed(1);
  // S3: personal channels, one HTTP publish per publication, round-robin over the clients.
  if (PUBS > 0) {
    const s0 = procStat(SERVER_PID); const g0 = process.cpuUsage(); const p0 = now();
    const r = await publishLoop();
    const deadline = now() + 20000;
    while (delivered < r.ok && now() < deadline) await new Promise((res) => setTimeout(res, 10));
    const s1 = procStat(SERVER_PID); const g1 = process.cpuUsage(g0);
    const ms = now() - p0;
    Object.assign(out, { publishes: PUBS, publish_ok: r.ok, publish_errors: r.errors, delivered,
      publishes_per_s: Math.round(r.ok / (ms / 1000)),
      server_cpu_us_per_publish: +((s1.cpuMs - s0.cpuMs) * 1000 / Math.max(1, r.ok)).toFixed(1),
      gen_cpu_us_per_publish: +((g1.user + g1.system) / Math.max(1, r.ok)).toFixed(1) });
    lat.sort((a, b) => a - b);
    out.lat_p50_ms = lat.length ? +lat[Math.floor(lat.length / 2)].toFixed(1) : 'NA';
    out.lat_p99_ms = lat.length ? +lat[Math.floor(lat.length * 0.99)].toFixed(1) : 'NA';
  }
  console.log(JSON.stringify(out));
  if (args.hold) await new Promise((r) => setTimeout(r, +args.hold)); // keep them open for a heap histogram
  for (const c of conns) c.s.destroy();
  setTimeout(() => process.exit(0), 200);
})().catch((e) => { console.error('ERR', e && e.message); process.exit(1); });
