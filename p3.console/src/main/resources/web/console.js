// The P3 console's page: follows /events (server-sent events) and draws the mesh; actions go to
// POST api/action with the operator's token. Plain JS and SVG, nothing from the internet.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const RECENT_MS = 5000;  // how long a failure seen by a peer here marks the failed peer, before the tree tells
const COLORS = { audio: '#2f6fd0', video: '#8a3fc7', event: '#d0782f' };
const state = {
  points: [],          // history: {t, classes: {CLASS: {p50, p99, lost, ...}}}
  snapshot: null,
  ghosts: new Map(),   // peers seen in the tree before and gone now: id -> their last entry
  seen: new Map(),     // every peer seen in a tree: id -> entry
  windowMs: 10 * 60 * 1000,
};

function $(id) { return document.getElementById(id); }

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function td(row, text, cls) {
  const c = row.insertCell();
  c.textContent = text;
  if (cls) c.className = cls;
  return c;
}

// --- the operator's token -------------------------------------------------------------------

function token() { return sessionStorage.getItem('p3token') || ''; }

function takeTokenFromHash() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('p3token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  $('token').value = token() ? '••••••••' : '';
}

$('token-save').addEventListener('click', () => {
  const v = $('token').value.trim();
  if (v && !v.startsWith('•')) sessionStorage.setItem('p3token', v);
  $('token').value = token() ? '••••••••' : '';
  say(token() ? 'token kept for this tab' : 'no token');
});

function say(text, error) {
  const m = $('message');
  m.textContent = text;
  m.className = 'message' + (error ? ' error' : '');
}

async function act(body) {
  try {
    const r = await fetch('api/action', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-P3-Token': token() },
      body: JSON.stringify(body),
    });
    const j = await r.json();
    if (r.ok) say(j.message); else say((r.status === 403 ? 'refused: ' : 'failed: ') + j.error, true);
  } catch (e) {
    say('failed: ' + e, true);
  }
}

// --- the tree ---------------------------------------------------------------------------------

function peerClass(id, local, failedIds) {
  const p = local.get(id);
  if (p && (p.state === 'CRASHED' || p.state === 'LEFT')) return 'failed';
  if (p && p.state === 'BOUND') return 'bound';
  if (p) return 'rebinding';
  if (state.ghosts.has(id) || failedIds.has(id)) return 'failed';
  return 'bound';
}

function drawTree(s) {
  const svg = $('tree');
  svg.replaceChildren();
  const local = new Map(s.peers.map(p => [p.peer, p]));
  const entries = new Map();
  for (const e of s.tree.peers) entries.set(e.peer, e);
  // the peers of this runtime that the tree does not list (crashed, not yet joined) are drawn too
  for (const p of s.peers) {
    if (!entries.has(p.peer) && p.cell) {
      entries.set(p.peer, { peer: p.peer, cell: p.cell, role: p.role, parent: p.parents[0] || null });
    }
  }
  for (const [id, e] of state.seen) {
    if (!entries.has(id)) state.ghosts.set(id, e); else state.ghosts.delete(id);
  }
  for (const [id, e] of entries) state.seen.set(id, e);
  for (const [id, e] of state.ghosts) if (!entries.has(id)) entries.set(id, e);
  // a peer seen failing is marked at once; after a while the tree (the root's view) tells: a peer it
  // no longer lists stays drawn as failed (a ghost), one that came back is drawn bound again
  const failedIds = new Set();
  for (const f of s.failures) if (s.time - f.detected_epoch_ms < RECENT_MS) failedIds.add(f.failed);
  for (const [id, p] of local) if (p.state === 'BOUND') failedIds.delete(id);
  $('tree-seen').textContent = s.tree.seen_by ? 'as ' + s.tree.seen_by + ' knows it' : '';

  // cells by level, breadth-first
  const cells = new Map();
  for (const e of entries.values()) {
    if (!e.cell || e.role === 'client') continue;
    if (!cells.has(e.cell)) cells.set(e.cell, { id: e.cell, supers: [], sensors: [] });
    (e.role === 'sensor' ? cells.get(e.cell).sensors : cells.get(e.cell).supers).push(e.peer);
  }
  const levels = [];
  for (const c of cells.values()) {
    const l = c.id.length - 1;
    (levels[l] = levels[l] || []).push(c);
  }
  const width = svg.clientWidth || 1000;
  const rowH = 120;
  const pos = new Map();
  const height = 80 + levels.length * rowH + 40;
  svg.setAttribute('height', Math.max(200, height));
  levels.forEach((row, l) => {
    if (!row) return;
    row.sort((a, b) => a.id.localeCompare(b.id));
    const slot = width / row.length;
    row.forEach((c, i) => {
      const cx = slot * (i + 0.5);
      const y = 80 + l * rowH;
      const w = Math.min(slot - 12, Math.max(60, c.supers.length * 46 + 16));
      const g = el('g', { class: 'cell', id: 'cell-' + c.id });
      g.appendChild(el('rect', { x: cx - w / 2, y: y - 22, width: w, height: 44, rx: 8 }));
      g.appendChild(el('text', { x: cx - w / 2 + 4, y: y - 26 }, 'cell ' + c.id));
      svg.appendChild(g);
      c.supers.sort();
      c.supers.forEach((id, k) => pos.set(id, { x: cx - (c.supers.length - 1) * 23 + k * 46, y: y, shape: 'super' }));
      c.sensors.sort();
      c.sensors.forEach((id, k) => pos.set(id, { x: cx - (c.sensors.length - 1) * 23 + k * 46, y: y + 56, shape: 'sensor' }));
    });
  });
  const clients = [...entries.values()].filter(e => e.role === 'client').map(e => e.peer).sort();
  clients.forEach((id, k) => pos.set(id, { x: width / 2 - (clients.length - 1) * 40 + k * 80, y: 24, shape: 'client' }));

  // links first, under the peers
  const edges = el('g', {});
  svg.appendChild(edges);
  for (const e of entries.values()) {
    const from = pos.get(e.peer);
    const parents = local.has(e.peer) && local.get(e.peer).parents.length ? local.get(e.peer).parents
      : (e.parent ? [e.parent] : []);
    for (const parent of parents) {
      const to = pos.get(parent);
      if (!from || !to) continue;
      const bad = peerClass(e.peer, local, failedIds) === 'failed' || peerClass(parent, local, failedIds) === 'failed';
      edges.appendChild(el('line', { x1: from.x, y1: from.y, x2: to.x, y2: to.y, class: 'edge' + (bad ? ' failed' : '') }));
    }
  }
  for (const [id, p] of pos) {
    const cls = peerClass(id, local, failedIds);
    const g = el('g', { class: 'peer ' + cls + (local.has(id) ? ' local' : ''), id: 'peer-' + id, 'data-peer': id,
      'data-state': cls });
    const title = el('title', {}, id + (local.has(id) ? ' (' + local.get(id).state + ')' : '') + (cls === 'failed' ? ' failed' : ''));
    g.appendChild(title);
    if (p.shape === 'super') g.appendChild(el('circle', { cx: p.x, cy: p.y, r: 13 }));
    if (p.shape === 'sensor') g.appendChild(el('rect', { x: p.x - 10, y: p.y - 10, width: 20, height: 20 }));
    if (p.shape === 'client') {
      g.appendChild(el('polygon', { points: [p.x, p.y - 14, p.x + 14, p.y, p.x, p.y + 14, p.x - 14, p.y].join(' ') }));
    }
    if (cls === 'failed') {
      g.appendChild(el('path', { class: 'cross', d: `M${p.x - 6} ${p.y - 6} L${p.x + 6} ${p.y + 6} M${p.x + 6} ${p.y - 6} L${p.x - 6} ${p.y + 6}` }));
    }
    g.appendChild(el('text', { x: p.x, y: p.y + (p.shape === 'super' ? 26 : 24), 'text-anchor': 'middle' }, id));
    svg.appendChild(g);
  }
}

// --- classes and charts -----------------------------------------------------------------------

function drawClasses(s) {
  const body = $('classes').tBodies[0];
  body.replaceChildren();
  const client = s.stats.clients[0];
  const figures = client ? client.classes : {};
  const names = new Set([...Object.keys(figures), ...s.classes.map(c => c.class)]);
  for (const name of [...names].sort()) {
    const c = figures[name];
    const b = s.classes.find(x => x.class === name);
    const row = body.insertRow();
    row.id = 'class-' + name;
    td(row, name);
    td(row, c ? c.sent_reported : '-');
    td(row, c ? c.received : '-');
    td(row, c ? c.lost : '-');
    td(row, c ? c.duplicates : '-');
    td(row, c ? c.late : '-');
    td(row, c ? c.latency_ms.p50.toFixed(2) : '-');
    td(row, c ? c.latency_ms.p99.toFixed(2) : '-');
    td(row, b ? (b.loaded ? 'loaded' : 'unloaded') + ' (' + b.bundle + ')' : '-');
    const cell = row.insertCell();
    if (b) {
      const btn = document.createElement('button');
      btn.textContent = b.loaded ? 'unload' : 'load';
      btn.id = (b.loaded ? 'unload-' : 'load-') + name;
      btn.addEventListener('click', () => act({ action: b.loaded ? 'unload' : 'load', class: name }));
      cell.appendChild(btn);
    }
  }
}

function chart(svgId, series, now) {
  const svg = $(svgId);
  svg.replaceChildren();
  const W = +svg.getAttribute('width'), H = +svg.getAttribute('height'), L = 44, B = 18;
  const t0 = now - state.windowMs;
  let max = 0;
  for (const s of series) for (const [, v] of s.points) max = Math.max(max, v);
  max = max > 0 ? max * 1.1 : 1;
  svg.appendChild(el('line', { x1: L, y1: H - B, x2: W, y2: H - B, class: 'axis' }));
  svg.appendChild(el('line', { x1: L, y1: 0, x2: L, y2: H - B, class: 'axis' }));
  svg.appendChild(el('text', { x: 2, y: 10, class: 'axis-label' }, max.toPrecision(3)));
  svg.appendChild(el('text', { x: 2, y: H - B, class: 'axis-label' }, '0'));
  svg.appendChild(el('text', { x: L, y: H - 4, class: 'axis-label' }, '-' + Math.round(state.windowMs / 60000) + ' min'));
  svg.appendChild(el('text', { x: W - 24, y: H - 4, class: 'axis-label' }, 'now'));
  for (const s of series) {
    const pts = s.points.filter(([t]) => t >= t0)
      .map(([t, v]) => (L + (t - t0) / state.windowMs * (W - L)).toFixed(1) + ',' + (H - B - v / max * (H - B - 4)).toFixed(1));
    if (pts.length) {
      svg.appendChild(el('polyline', { points: pts.join(' '), fill: 'none', stroke: s.color, 'stroke-width': 1.5,
        'stroke-dasharray': s.dashed ? '4 3' : 'none' }));
    }
  }
}

function drawCharts(now) {
  const names = new Set();
  for (const p of state.points) for (const n of Object.keys(p.classes)) names.add(n);
  const latency = [], loss = [];
  for (const n of names) {
    const color = COLORS[n] || '#555';
    const of = key => state.points.filter(p => p.classes[n]).map(p => [p.t, p.classes[n][key]]);
    latency.push({ color, points: of('p50') }, { color, dashed: true, points: of('p99') });
    loss.push({ color, points: of('lost') });
  }
  chart('latency-chart', latency, now);
  chart('loss-chart', loss, now);
  const legend = $('chart-legend');
  legend.replaceChildren();
  for (const n of [...names].sort()) {
    const s = document.createElement('span');
    s.style.color = COLORS[n] || '#555';
    s.textContent = '■ ' + n + '  ';
    legend.appendChild(s);
  }
}

// --- failures -------------------------------------------------------------------------------

function drawFailures(s) {
  const failures = [...s.failures].sort((a, b) => b.detected_epoch_ms - a.detected_epoch_ms);
  const body = $('failures').tBodies[0];
  body.replaceChildren();
  for (const f of failures.slice(0, 30)) {
    const row = body.insertRow();
    td(row, new Date(f.detected_epoch_ms).toLocaleTimeString());
    td(row, f.failed);
    td(row, f.observer);
    td(row, f.how);
    td(row, f.rebind || (f.bound_nanos ? '-' : 'none yet'));
    td(row, f.rebind_ms >= 0 ? f.rebind_ms.toFixed(1) : '-');
  }
  const svg = $('timeline');
  svg.replaceChildren();
  const W = svg.clientWidth || 1000, H = 90, now = s.time, t0 = now - state.windowMs;
  svg.appendChild(el('line', { x1: 10, y1: H - 20, x2: W - 10, y2: H - 20, class: 'axis' }));
  svg.appendChild(el('text', { x: 10, y: H - 5, class: 'axis-label' }, '-' + Math.round(state.windowMs / 60000) + ' min'));
  svg.appendChild(el('text', { x: W - 30, y: H - 5, class: 'axis-label' }, 'now'));
  const byFailed = new Map();
  for (const f of failures) {
    if (f.detected_epoch_ms < t0) continue;
    const x = 10 + (f.detected_epoch_ms - t0) / state.windowMs * (W - 20);
    const color = f.rebind === 'FAST' ? '#2e9d58' : f.rebind === 'SLOW' ? '#e0a21b' : '#c8372d';
    const g = el('g', { class: 'failure' });
    g.appendChild(el('title', {}, f.observer + ' saw ' + f.failed + ' fail (' + f.how + '), rebind ' + (f.rebind || 'none')
      + (f.rebind_ms >= 0 ? ' ' + f.rebind_ms.toFixed(1) + ' ms' : '')));
    g.appendChild(el('line', { x1: x, y1: 14, x2: x, y2: H - 20, stroke: color, 'stroke-width': 2 }));
    if (!byFailed.has(f.failed)) {
      byFailed.set(f.failed, x);
      g.appendChild(el('text', { x: x + 3, y: 12, class: 'axis-label' }, f.failed));
    }
    svg.appendChild(g);
  }
}

// --- peers and fault tolerance ----------------------------------------------------------------

function drawPeers(s) {
  const select = $('ft-strategy');
  const chosen = select.value;
  const names = s.ft.available;
  if ([...select.options].map(o => o.value).join() !== names.join()) {
    select.replaceChildren(...names.map(n => { const o = document.createElement('option'); o.value = o.textContent = n; return o; }));
    if (names.includes(chosen)) select.value = chosen;
  }
  const ft = new Map(s.ft.peers.map(p => [p.peer, p.ft]));
  const body = $('peers').tBodies[0];
  body.replaceChildren();
  for (const p of s.peers) {
    const f = ft.get(p.peer) || {};
    const row = body.insertRow();
    row.id = 'row-' + p.peer;
    if (p.state === 'CRASHED' || p.state === 'LEFT') row.className = 'failed';
    td(row, p.peer);
    td(row, p.role);
    td(row, p.cell || '-');
    td(row, p.state, 'state');
    td(row, p.parents.join(', '));
    td(row, p.links);
    td(row, f.strategy, 'strategy');
    td(row, f.held);
    td(row, f.replica_messages);
    td(row, f.resent);
    td(row, f.taken_over);
    const cell = row.insertCell();
    if (p.state !== 'CRASHED' && p.state !== 'LEFT') {
      for (const a of ['crash', 'leave']) {
        const b = document.createElement('button');
        b.textContent = a;
        b.id = a + '-' + p.peer;
        b.addEventListener('click', () => { if (confirm(a + ' ' + p.peer + '?')) act({ action: a, peer: p.peer }); });
        cell.appendChild(b);
      }
    }
  }
}

$('ft-runtime').addEventListener('click', () => act({ action: 'ft', strategy: $('ft-strategy').value, scope: 'runtime' }));
$('ft-mesh').addEventListener('click', () => act({ action: 'ft', strategy: $('ft-strategy').value, scope: 'mesh' }));

// --- the live feed ------------------------------------------------------------------------------

function render(s) {
  state.snapshot = s;
  if (s.history_ms) state.windowMs = s.history_ms;
  const h = $('health');
  h.textContent = s.health.status === 'up' ? 'all peers bound' : 'not bound: ' + (s.health.not_bound.join(', ') || s.health.reason);
  h.className = 'badge ' + s.health.status;
  $('token-hint').textContent = token() ? '' : 'Actions need the operator\'s token: paste the content of ' + s.token_file
    + ' above, or open this page as …/#token=TOKEN.';
  drawTree(s);
  drawClasses(s);
  drawCharts(s.time);
  drawFailures(s);
  drawPeers(s);
  document.body.setAttribute('data-updated', String(s.time));
}

function connect() {
  const events = new EventSource('events');
  events.addEventListener('open', () => { $('link').textContent = 'live'; $('link').className = 'badge up'; });
  events.addEventListener('error', () => { $('link').textContent = 'reconnecting'; $('link').className = 'badge down'; });
  events.addEventListener('history', e => { state.points = JSON.parse(e.data).points; });
  events.addEventListener('snapshot', e => {
    const s = JSON.parse(e.data);
    if (s.point) {
      state.points.push(s.point);
      const t0 = s.time - state.windowMs;
      while (state.points.length && state.points[0].t < t0) state.points.shift();
    }
    render(s);
  });
}

takeTokenFromHash();
connect();
