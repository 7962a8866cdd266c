// Summarises `jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample` output (bench/profile.sh):
// Java samples and samples of threads in native code (system calls: socket writes, epoll) together. The share of samples
// whose top frame is each method (self time), and the share of samples with each layer anywhere on
// the stack, a layer being the first Rotor, Vert.x or Netty package met from the top (what that
// layer's code costs, including the JDK and kernel calls it makes).
'use strict';
const fs = require('fs');

const text = fs.readFileSync(process.argv[2], 'utf8');
// A thread parked in epoll_wait or a lock is idle, not spending CPU: its native samples are left out.
const IDLE = /(epollWait|epollBusyWait|\.park|Object\.wait|Thread\.sleep|accept0?|\.poll0)$/;
const samples = text.split(/jdk\.(?:ExecutionSample|NativeMethodSample) \{/).slice(1).map((block) => {
  const frames = [];
  const re = /^\s+([\w$.<>]+)\(.*?\)\s+line:/gm;
  for (let m; (m = re.exec(block)) !== null;) {
    frames.push(m[1]);
  }
  return frames;
}).filter((f) => f.length > 0 && !IDLE.test(f[0]));

const layerOf = (method) => {
  const m = method.match(/^(io\.rotor\.[a-z]+|io\.vertx\.[a-z]+\.[a-z]+|io\.netty\.[a-z]+|com\.fasterxml\.jackson\.[a-z]+|java\.[a-z]+|jdk\.[a-z]+|sun\.[a-z]+)/);
  return m ? m[1] : method.split('.').slice(0, 3).join('.');
};
const firstOwnLayer = (frames) => {
  for (const f of frames) {
    if (/^(io\.rotor|io\.vertx|io\.netty|com\.fasterxml)/.test(f)) {
      return layerOf(f);
    }
  }
  return layerOf(frames[0]);
};
const count = (keyOf) => {
  const m = new Map();
  for (const s of samples) {
    const k = keyOf(s);
    m.set(k, (m.get(k) || 0) + 1);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
};
const pct = (n) => `${(100 * n / samples.length).toFixed(1)} %`.padStart(8);

console.log(`${samples.length} samples (Java and native)`);
console.log('\n== self time: top frame');
for (const [k, n] of count((s) => s[0]).slice(0, 25)) {
  console.log(`${pct(n)}  ${k}`);
}
console.log('\n== by layer: the first Rotor / Vert.x / Netty / Jackson package from the top of the stack');
for (const [k, n] of count(firstOwnLayer).slice(0, 20)) {
  console.log(`${pct(n)}  ${k}`);
}
console.log('\n== Rotor methods anywhere on the stack (inclusive)');
const incl = new Map();
for (const s of samples) {
  for (const f of new Set(s.filter((x) => x.startsWith('io.rotor.')))) {
    incl.set(f, (incl.get(f) || 0) + 1);
  }
}
for (const [k, n] of [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${pct(n)}  ${k}`);
}
