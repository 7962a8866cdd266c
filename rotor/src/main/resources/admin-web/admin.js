// The admin page: login, then the pages. Every call goes to <base>/api/<method> with the session
// token (kept in sessionStorage, so it ends with the tab). Everything shown is set as text, never as HTML.
'use strict';

const base = location.pathname.replace(/\/[^/]*$/, '');
const $ = (id) => document.getElementById(id);
let live = null;
let nodesTimer = null;

class Unauthorized extends Error {}

async function call(method, params = {}) {
  const res = await fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionStorage.getItem('rotorAdminToken')}` },
    body: JSON.stringify(params),
  });
  if (res.status === 401) {
    logout('Your session has ended: log in again.');
    throw new Unauthorized('unauthorized');
  }
  const body = await res.json();
  if (body.error) {
    throw new Error(body.error.message ? `${body.error.message} (${body.error.code})` : body.error);
  }
  return body.result;
}

function status(id, text, isError = false) {
  $(id).textContent = text;
  $(id).classList.toggle('error', isError);
}

/** Runs an action and shows its failure next to it. */
async function guarded(statusId, action) {
  try {
    await action();
  } catch (e) {
    if (!(e instanceof Unauthorized)) {
      status(statusId, e.message, true);
    }
  }
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) {
    td.className = cls;
  }
  return td;
}

function codeCell(row, value) {
  const code = document.createElement('code');
  code.textContent = value === undefined ? '' : JSON.stringify(value);
  row.insertCell().appendChild(code);
}

function channelName() {
  const ch = $('channel').value.trim();
  if (!ch) {
    throw new Error('enter a channel name');
  }
  return ch;
}

// ---- login ------------------------------------------------------------------------------------

async function login(ev) {
  ev.preventDefault();
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: $('password').value }),
  });
  if (res.status !== 200) {
    status('login-error', res.status === 401 ? 'Wrong password.' : `Login failed (${res.status}).`, true);
    return;
  }
  sessionStorage.setItem('rotorAdminToken', (await res.json()).token);
  $('password').value = '';
  status('login-error', '');
  showApp();
}

function logout(message = '') {
  sessionStorage.removeItem('rotorAdminToken');
  unwatch();
  clearInterval(nodesTimer);
  $('nav').hidden = true;
  document.querySelectorAll('.page').forEach((p) => { p.hidden = true; });
  $('login').hidden = false;
  status('login-error', message, Boolean(message));
  $('password').focus();
}

function showApp() {
  $('login').hidden = true;
  $('nav').hidden = false;
  show('nodes');
}

function show(page) {
  document.querySelectorAll('.page').forEach((p) => { p.hidden = p.id !== `page-${page}`; });
  document.querySelectorAll('nav button[data-page]').forEach((b) => b.classList.toggle('active', b.dataset.page === page));
  clearInterval(nodesTimer);
  if (page === 'nodes') {
    loadNodes();
    nodesTimer = setInterval(loadNodes, 5000);
  } else if (page === 'channels') {
    searchChannels();
  }
}

// ---- nodes and channels -----------------------------------------------------------------------

function loadNodes() {
  return guarded('nodes-status', async () => {
    const { nodes } = await call('info');
    const body = $('nodes-body');
    body.replaceChildren();
    for (const n of nodes) {
      const row = body.insertRow();
      cell(row, n.name);
      cell(row, n.version);
      for (const k of ['num_clients', 'num_users', 'num_subs', 'num_channels']) {
        cell(row, n[k] ?? 0, 'num');
      }
      cell(row, `${n.uptime ?? 0} s`, 'num');
    }
    status('nodes-status', `${nodes.length} node(s), updated ${new Date().toLocaleTimeString()}`);
    const history = await call('node_history');
    const samples = Charts.render(history.nodes);
    status('charts-status', samples ? '' : `(the first sample comes within ${history.nodes[0]?.interval_seconds ?? 5} s)`);
  });
}

function searchChannels(ev) {
  ev?.preventDefault();
  return guarded('channels-status', async () => {
    const { channels } = await call('channels', { pattern: $('channels-pattern').value.trim() });
    const body = $('channels-body');
    body.replaceChildren();
    const names = Object.keys(channels).sort();
    for (const name of names) {
      const row = body.insertRow();
      const a = document.createElement('a');
      a.className = 'channel';
      a.href = '#';
      a.textContent = name;
      a.onclick = (e) => {
        e.preventDefault();
        openChannel(name);
      };
      row.insertCell().appendChild(a);
      cell(row, channels[name].num_clients, 'num');
    }
    status('channels-status', `${names.length} channel(s) with subscribers`);
  });
}

function openChannel(name) {
  if ($('channel').value !== name) {
    unwatch();
  }
  $('channel').value = name;
  show('channel');
}

// ---- one channel ------------------------------------------------------------------------------

function publish(ev) {
  ev.preventDefault();
  return guarded('publish-status', async () => {
    let data;
    try {
      data = JSON.parse($('publish-data').value);
    } catch (e) {
      throw new Error('data must be JSON');
    }
    const r = await call('publish', { channel: channelName(), data });
    status('publish-status', r.offset ? `published, offset ${r.offset}` : 'published');
  });
}

function watch() {
  return guarded('live-status', async () => {
    const channel = channelName();
    unwatch();
    $('live-list').replaceChildren();
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    live = new LiveClient(`${scheme}//${location.host}${base}/connection/websocket`, channel,
      async () => (await call('watch_token', { channel })).token,
      (pub) => {
        const li = document.createElement('li');
        const code = document.createElement('code');
        const who = pub.info ? ` from ${pub.info.user || 'anonymous'}` : '';
        code.textContent = `${new Date().toLocaleTimeString()}${pub.offset ? ` #${pub.offset}` : ''}${who}: ${JSON.stringify(pub.data)}`;
        li.appendChild(code);
        $('live-list').prepend(li);
      },
      (text, isError) => status('live-status', text, isError));
    $('watch-button').disabled = true;
    $('unwatch-button').disabled = false;
    $('channel').disabled = true;
    await live.start();
  });
}

function unwatch() {
  if (live) {
    live.stop();
    live = null;
    status('live-status', 'not watching');
  }
  $('watch-button').disabled = false;
  $('unwatch-button').disabled = true;
  $('channel').disabled = false;
}

function history(ev) {
  ev.preventDefault();
  return guarded('history-status', async () => {
    const limit = Number($('history-limit').value) || 20;
    const r = await call('history', { channel: channelName(), limit, reverse: $('history-reverse').checked });
    const body = $('history-body');
    body.replaceChildren();
    for (const p of r.publications || []) {
      const row = body.insertRow();
      cell(row, p.offset ?? '', 'num');
      codeCell(row, p.data);
      cell(row, p.info ? `${p.info.user || 'anonymous'} (${p.info.client})` : 'server');
    }
    status('history-status', `${(r.publications || []).length} shown; stream at offset ${r.offset ?? 0}, epoch ${r.epoch || '-'}`);
  });
}

function presence() {
  return guarded('presence-status', async () => {
    const r = await call('presence', { channel: channelName() });
    const body = $('presence-body');
    body.replaceChildren();
    const clients = Object.entries(r.presence || {});
    for (const [client, info] of clients) {
      const row = body.insertRow();
      cell(row, client);
      cell(row, info.user || 'anonymous');
      codeCell(row, info.conn_info ?? info.chan_info);
    }
    status('presence-status', `${clients.length} client(s)`);
  });
}

// ---- actions ----------------------------------------------------------------------------------

function disconnectUser(ev) {
  ev.preventDefault();
  return guarded('disconnect-status', async () => {
    const user = $('disconnect-user').value.trim();
    await call('disconnect', { user });
    status('disconnect-status', `disconnected ${user}`);
  });
}

function unsubscribeUser(ev) {
  ev.preventDefault();
  return guarded('unsubscribe-status', async () => {
    const user = $('unsubscribe-user').value.trim();
    const channel = $('unsubscribe-channel').value.trim();
    await call('unsubscribe', { user, channel });
    status('unsubscribe-status', `unsubscribed ${user} from ${channel}`);
  });
}

// ---- wiring -----------------------------------------------------------------------------------

$('login-form').addEventListener('submit', login);
$('logout').addEventListener('click', () => logout());
document.querySelectorAll('nav button[data-page]').forEach((b) => b.addEventListener('click', () => show(b.dataset.page)));
$('nodes-refresh').addEventListener('click', loadNodes);
$('channels-form').addEventListener('submit', searchChannels);
$('publish-form').addEventListener('submit', publish);
$('watch-button').addEventListener('click', watch);
$('unwatch-button').addEventListener('click', unwatch);
$('history-form').addEventListener('submit', history);
$('presence-button').addEventListener('click', presence);
$('disconnect-form').addEventListener('submit', disconnectUser);
$('unsubscribe-form').addEventListener('submit', unsubscribeUser);

if (sessionStorage.getItem('rotorAdminToken')) {
  showApp();
} else {
  logout();
}
