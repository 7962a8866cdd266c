// The admin web UI in a real headless Chromium (Debian's, driven by playwright-core) against a
// two-node cluster (the page is served by node ROTOR_NODE on ROTOR_PORT, the other listens on
// ROTOR_OTHER_PORT): a wrong password is refused, the right one logs in; both nodes with their
// counts, channel search, publishing from the UI into the live view, a publication made through the
// HTTP API arriving there too, history and presence, each node's live charts with the counts the
// nodes measured, and the actions that unsubscribe and disconnect a user. Screenshots go to
// ROTOR_SCREENSHOTS.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert, api, client, clientAt, once, run, until, userToken, HTTP_URL } from '../lib.mjs';

const PASSWORD = process.env.ROTOR_ADMIN_PASSWORD;
const SHOTS = process.env.ROTOR_SCREENSHOTS;
const CHANNEL = 'admin-e2e';
const NODE = process.env.ROTOR_NODE;
const OTHER_PORT = Number(process.env.ROTOR_OTHER_PORT);
const BURST = 20;

run('admin-ui', async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rotor-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // A subscriber through the real SDK on each node, so the nodes have a client, a channel and presence to show.
  const sdk = client({ token: userToken('sdk-user', 3600, { info: { name: 'SDK' } }) });
  const other = clientAt(OTHER_PORT, { token: userToken('sdk-other') });
  try {
    const sub = sdk.newSubscription(CHANNEL);
    const sdkGot = [];
    sub.on('publication', (p) => sdkGot.push(p.data));
    sub.subscribe();
    sdk.connect();
    await once(sub, 'subscribed');
    const otherSub = other.newSubscription(CHANNEL);
    otherSub.subscribe();
    other.connect();
    await once(otherSub, 'subscribed');

    const page = browser.pages()[0] || await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        pageErrors.push(m.text());
      }
    });
    // Every request answered below 400, except the wrong password's 401.
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/admin/api/login'))) {
        pageErrors.push(`${r.status()} ${r.url()}`);
      }
    });
    const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

    await page.goto(`${HTTP_URL}/admin`);
    assert.equal(new URL(page.url()).pathname, '/admin/', 'redirected to the page');

    // Wrong password: refused, still on the login form.
    await page.fill('#password', 'not-the-password');
    await page.click('#login-button');
    await page.waitForFunction(() => document.querySelector('#login-error').textContent.includes('Wrong password'));
    assert.equal(await page.isVisible('#nav'), false, 'no navigation before login');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('rotorAdminToken')), null);
    await shot('01-wrong-password');

    // Right password: the nodes page with both nodes' counts.
    await page.fill('#password', PASSWORD);
    await page.click('#login-button');
    await page.waitForSelector('#nodes-body tr:nth-child(2)');
    const token = await page.evaluate(() => sessionStorage.getItem('rotorAdminToken'));
    assert.equal(token.split('.').length, 3, 'a JWT in sessionStorage');
    const rows = await page.$$eval('#nodes-body tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    assert.equal(rows.length, 2, `two nodes: ${rows}`);
    for (const cells of rows) {
      assert.equal(cells[2], '1', `one client on each node: ${cells}`);
      assert.equal(cells[5], '1', `one channel on each node: ${cells}`);
    }
    assert.ok(rows.some((cells) => cells[0] === NODE), `this node listed: ${rows}`);
    await shot('02-nodes');

    // Channel search, then open the channel.
    await page.click('#nav-channels');
    await page.fill('#channels-pattern', 'admin-*');
    await page.click('#channels-search');
    await page.waitForSelector(`#channels-body a.channel:text-is("${CHANNEL}")`);
    await page.fill('#channels-pattern', 'nomatch-*');
    await page.click('#channels-search');
    await page.waitForFunction(() => document.querySelector('#channels-status').textContent.startsWith('0 channel'));
    await page.fill('#channels-pattern', '');
    await page.click('#channels-search');
    await page.waitForSelector(`#channels-body a.channel:text-is("${CHANNEL}")`);
    await shot('03-channels');
    await page.click(`#channels-body a.channel:text-is("${CHANNEL}")`);
    assert.equal(await page.inputValue('#channel'), CHANNEL);

    // Watch live, publish from the UI: it arrives in the live view and at the SDK subscriber.
    await page.click('#watch-button');
    await page.waitForFunction((ch) => document.querySelector('#live-status').textContent === `watching ${ch}`, CHANNEL);
    await page.fill('#publish-data', '{"text": "from the UI"}');
    await page.click('#publish-button');
    await page.waitForFunction(() => document.querySelector('#publish-status').textContent.startsWith('published, offset'));
    await page.waitForSelector('#live-list li:has-text("from the UI")');
    await until(() => sdkGot.some((d) => d.text === 'from the UI'), 'the SDK subscriber gets the UI publication');

    // A publication from the backend through the HTTP API shows up live as well.
    await api('publish', { channel: CHANNEL, data: { text: 'from the HTTP API' } });
    await page.waitForSelector('#live-list li:has-text("from the HTTP API")');
    assert.equal(await page.locator('#live-list li').count(), 2);

    // Invalid JSON is refused in the page, nothing is published.
    await page.fill('#publish-data', '{not json');
    await page.click('#publish-button');
    await page.waitForFunction(() => document.querySelector('#publish-status').textContent === 'data must be JSON');

    // History, newest first, and presence (the SDK user and the UI's own live connection).
    await page.click('#history-button');
    await page.waitForSelector('#history-body tr');
    const history = await page.$$eval('#history-body tr', (rows) => rows.map((r) => r.textContent));
    assert.equal(history.length, 2, `history rows: ${history}`);
    assert.ok(history[0].includes('from the HTTP API') && history[1].includes('from the UI'), `history: ${history}`);
    await page.click('#presence-button');
    await page.waitForFunction(() => document.querySelector('#presence-status').textContent === '3 client(s)');
    const users = await page.$$eval('#presence-body tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent).sort());
    assert.deepEqual(users, ['rotor-admin', 'sdk-other', 'sdk-user']);
    await shot('04-channel');

    // Charts: a burst of publications through this node, then each node's charts and the samples
    // behind them. Every publication so far went through this node and reached its two subscribers
    // (the SDK user and the page's live view) and the other node's one.
    for (let i = 0; i < BURST; i++) {
      await api('publish', { channel: CHANNEL, data: { n: i } });
    }
    await until(() => sdkGot.length === BURST + 2, 'the SDK subscriber gets the burst');
    const published = BURST + 2;
    await page.click('#nav-nodes');
    const nodeHistory = () => page.evaluate(() => call('node_history'));
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    let nodes;
    await until(async () => {
      nodes = Object.fromEntries((await nodeHistory()).nodes.map((n) => [n.name, n]));
      const mine = nodes[NODE];
      const theirs = Object.values(nodes).find((n) => n.name !== NODE);
      return mine && theirs && sum(mine.deliveries) >= 2 * published && sum(theirs.deliveries) >= published;
    }, 'both nodes sampled the burst', 20000, 500);
    const mine = nodes[NODE];
    const theirs = Object.values(nodes).find((n) => n.name !== NODE);
    assert.equal(Object.keys(nodes).length, 2, 'a history per node');
    assert.equal(sum(mine.deliveries), 2 * published, `deliveries on this node: ${mine.deliveries}`);
    assert.equal(sum(theirs.deliveries), published, `deliveries on the other node: ${theirs.deliveries}`);
    // The liveness probe publishes too (every 10 s by default, through the same path).
    assert.ok(sum(mine.publications) >= published, `publications through this node: ${mine.publications}`);
    assert.equal(mine.clients.at(-1), 2, 'the SDK user and the live view');
    assert.equal(theirs.clients.at(-1), 1);
    assert.equal(theirs.subscriptions.at(-1), 1);
    for (const n of [mine, theirs]) {
      assert.equal(n.interval_seconds, 5);
      for (const key of ['seconds', 'clients', 'subscriptions', 'publications', 'deliveries', 'lag_ms']) {
        assert.equal(n[key].length, n.time.length, key);
      }
      assert.ok(n.lag_ms.every((v) => v >= 0 && v < 60000), `lag: ${n.lag_ms}`);
    }
    // The page draws one line per node (two on the rates chart: publications and deliveries).
    await page.waitForFunction(() => document.querySelectorAll('#chart-rates polyline').length === 4
      && [...document.querySelectorAll('svg.chart polyline')].every((l) => Number(l.dataset.points) >= 2), null, { polling: 500 });
    for (const chart of ['clients', 'subscriptions', 'lag']) {
      const drawn = await page.$$eval(`#chart-${chart} polyline`, (ls) => ls.map((l) => l.dataset.node).sort());
      assert.deepEqual(drawn, [mine.name, theirs.name].sort(), `${chart}: a line per node`);
    }
    assert.equal(await page.locator('#charts-legend span').count(), 2);
    await shot('06-charts');

    // Actions: unsubscribe the SDK user from the channel (its subscription hears it), then disconnect it.
    await page.click('#nav-actions');
    await page.fill('#unsubscribe-user', 'sdk-user');
    await page.fill('#unsubscribe-channel', CHANNEL);
    const unsubscribed = once(sub, 'unsubscribed');
    await page.click('#unsubscribe-button');
    await page.waitForFunction(() => document.querySelector('#unsubscribe-status').textContent !== '', null, { polling: 200 });
    assert.equal(await page.textContent('#unsubscribe-status'), `unsubscribed sdk-user from ${CHANNEL}`);
    const u = await unsubscribed;
    assert.equal(u.code, 2000, `server unsubscribe: ${JSON.stringify(u)}`);
    await page.fill('#disconnect-user', 'sdk-user');
    const disconnected = once(sdk, 'disconnected');
    await page.click('#disconnect-button');
    await page.waitForFunction(() => document.querySelector('#disconnect-status').textContent !== '', null, { polling: 200 });
    assert.equal(await page.textContent('#disconnect-status'), 'disconnected sdk-user');
    const d = await disconnected;
    assert.equal(d.code, 3503, `force disconnect, no reconnect: ${JSON.stringify(d)}`);
    await shot('05-actions');

    // Logging out forgets the token; the API refuses calls without one.
    await page.click('#logout');
    await page.waitForSelector('#login-form', { state: 'visible' });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('rotorAdminToken')), null);
    const res = await fetch(`${HTTP_URL}/admin/api/info`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 401);

    assert.deepEqual(pageErrors, [], 'no errors in the page');
  } finally {
    sdk.disconnect();
    other.disconnect();
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}, 150000);
