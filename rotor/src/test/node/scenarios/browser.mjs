// Headless Chromium loads a page using the npm builds of centrifuge-js and sockjs-client, served
// from a local server of this script. The page reaches Rotor at ROTOR_BASE (the node itself, or a
// proxy in front of it). For each mode in ROTOR_MODES (mode=expected transport) it must connect
// over the expected transport, subscribe, and receive every publication, in order. A screenshot of
// each page goes to ROTOR_SCREENSHOT_DIR.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { assert, api, run, userToken } from '../lib.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const files = {
  '/page.html': [path.join(here, '../browser/page.html'), 'text/html'],
  '/lib/centrifuge.mjs': [path.join(here, '../node_modules/centrifuge/build/index.mjs'), 'text/javascript'],
  '/lib/sockjs.min.js': [path.join(here, '../node_modules/sockjs-client/dist/sockjs.min.js'), 'text/javascript'],
};

function servePage() {
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': f[1] }).end(fs.readFileSync(f[0]));
  });
  const port = Number(process.env.ROTOR_PAGE_PORT || 0);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

run('browser', async () => {
  const base = process.env.ROTOR_BASE;
  const modes = process.env.ROTOR_MODES.split(',').map((m) => m.split('='));
  const shots = process.env.ROTOR_SCREENSHOT_DIR;
  const label = process.env.ROTOR_LABEL;
  const server = await servePage();
  const pageOrigin = `http://127.0.0.1:${server.address().port}`;
  // A fresh profile every run (playwright passes it as --user-data-dir).
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rotor-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const [mode, expected] of modes) {
      const page = await browser.newPage();
      page.on('console', (m) => console.log(`[page ${mode}] ${m.text()}`));
      const user = `browser-${mode}-${process.pid}`;
      const channel = `browser-${label}-${mode}-${process.pid}`;
      const url = `${pageOrigin}/page.html?mode=${mode}&base=${encodeURIComponent(base)}`
        + `&token=${encodeURIComponent(userToken(user))}&channel=${channel}`;
      await page.goto(url);
      await page.waitForFunction(() => window.state && window.state.subscribed, null, { timeout: 30000 });
      const transport = await page.evaluate(() => window.state.transport);
      console.log(`${label} ${mode}: connected over ${transport}`);
      assert.equal(transport, expected, `${mode}: transport`);
      for (let n = 1; n <= 30; n++) {
        await api('publish', { channel, data: { n, text: `message ${n} via ${transport}` } });
      }
      await page.waitForFunction(() => window.state.received.length >= 30, null, { timeout: 20000 });
      const received = await page.evaluate(() => window.state.received);
      assert.deepEqual(received, Array.from({ length: 30 }, (_, i) => i + 1), `${mode}: every publication, in order`);
      await page.screenshot({ path: path.join(shots, `browser-${label}-${mode}.png`), fullPage: true });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}, 120000);
