// Prints this build's cost relative to the BASELINE_JAR build measured in the same run
// (scripts/bench.sh): per round and the median, for the CPU figures of S1, S2 and S6. Rounds are
// interleaved on the same core, so each round's ratio compares the two builds under the same noise
// (S2's rows are its three rates, 100, 300 and 1000 publications/s, paired rate by rate).
'use strict';
const fs = require('fs');

const rows = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const figures = [
  { scenario: 'S1', field: 'server_cpu_us_per_delivery', label: 'S1 server CPU per delivery (µs)' },
  { scenario: 'S2', field: 'server_cpu_us_per_frame', label: 'S2 server CPU per outbound frame (µs)' },
  { scenario: 'S2', field: 'server_cpu_us_per_delivery', label: 'S2 server CPU per delivery (µs)' },
  { scenario: 'S6', field: 'server_cpu_us_per_req', label: 'S6 server CPU per API request (µs)' },
];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log('== this build vs BASELINE_JAR (ratio < 1: this build is cheaper)');
for (const f of figures) {
  const of = (server) => rows.filter((r) => r.scenario === f.scenario && r.server === server && r[f.field] != null)
    .map((r) => +r[f.field]);
  const base = of('baseline');
  const now = of('rotor');
  const n = Math.min(base.length, now.length);
  if (n === 0) {
    console.log(`  ${f.label}: no paired rounds`);
    continue;
  }
  const ratios = [];
  for (let i = 0; i < n; i++) {
    ratios.push(now[i] / base[i]);
  }
  console.log(`  ${f.label}: baseline ${base.slice(0, n).join(', ')} | this ${now.slice(0, n).join(', ')}`
    + ` | ratio per round ${ratios.map((r) => r.toFixed(2)).join(', ')} | median ratio ${median(ratios).toFixed(3)}`);
}
