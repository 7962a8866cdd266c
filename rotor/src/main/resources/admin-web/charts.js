// Live charts of the nodes' last 15 minutes, from the admin API's node_history (each node samples
// its own meters every few seconds). Plain SVG drawn here: four line charts need no charting
// library, and the page stays static files with no build step.
'use strict';

const Charts = (() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const COLORS = ['#1f6fb4', '#d0422b', '#2b9a3e', '#8a4fbf', '#e08a00', '#138f9a', '#8c564b', '#d1479e'];
  const WINDOW_MS = 15 * 60 * 1000;
  const W = 520;
  const H = 170;
  const M = { left: 46, right: 10, top: 10, bottom: 22 };

  /** What each chart shows; a "rate" series is a count per interval divided by the interval's length. */
  const CHARTS = [
    { id: 'chart-clients', series: [{ key: 'clients' }] },
    { id: 'chart-subscriptions', series: [{ key: 'subscriptions' }] },
    { id: 'chart-rates', series: [{ key: 'publications', rate: true }, { key: 'deliveries', rate: true, dashed: true }] },
    { id: 'chart-lag', series: [{ key: 'lag_ms' }] },
  ];

  function el(name, attrs = {}, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) {
      e.setAttribute(k, v);
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  /** 1, 2 or 5 times a power of ten, at least max (and at least 1). */
  function niceMax(max) {
    if (!(max > 1)) {
      return 1;
    }
    const p = 10 ** Math.floor(Math.log10(max));
    return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= max);
  }

  function label(v) {
    if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
    if (v >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
    return `${+v.toFixed(2)}`;
  }

  const clock = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

  /** [[time, value]] of one series of one node. */
  function points(node, s) {
    return node.time.map((t, i) => [t, s.rate ? node[s.key][i] / (node.seconds[i] || 1) : node[s.key][i]]);
  }

  function draw(svg, chart, nodes, now) {
    svg.replaceChildren();
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    const first = Math.min(...nodes.flatMap((n) => n.time.slice(0, 1)), now);
    // The last 15 minutes, or since the first sample while there are fewer.
    const from = Math.max(now - WINDOW_MS, Math.min(first, now - 60 * 1000));
    const lines = nodes.flatMap((n, i) => chart.series.map((s) => ({
      node: n, color: COLORS[i % COLORS.length], s, pts: points(n, s).filter(([t]) => t >= from),
    })));
    const top = niceMax(Math.max(0, ...lines.flatMap((l) => l.pts.map(([, v]) => v))));
    const x = (t) => M.left + ((t - from) / (now - from)) * (W - M.left - M.right);
    const y = (v) => H - M.bottom - (v / top) * (H - M.top - M.bottom);
    for (let k = 0; k <= 4; k++) {
      const v = (top * k) / 4;
      svg.appendChild(el('line', { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: k ? 'grid' : 'axis' }));
      svg.appendChild(el('text', { x: M.left - 4, y: y(v) + 4, 'text-anchor': 'end' }, label(v)));
    }
    svg.appendChild(el('text', { x: M.left, y: H - 6 }, clock(from)));
    svg.appendChild(el('text', { x: W - M.right, y: H - 6, 'text-anchor': 'end' }, clock(now)));
    for (const l of lines) {
      const attrs = {
        points: l.pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '),
        stroke: l.color, 'data-node': l.node.name, 'data-series': l.s.key, 'data-points': l.pts.length,
      };
      if (l.s.dashed) {
        attrs['stroke-dasharray'] = '5 3';
      }
      svg.appendChild(el('polyline', attrs));
      if (l.pts.length === 1) {
        // A single sample is a point, not a line.
        const [t, v] = l.pts[0];
        svg.appendChild(el('circle', { cx: x(t), cy: y(v), r: 2.5, fill: l.color }));
      }
    }
  }

  function legend(box, nodes) {
    box.replaceChildren(...nodes.map((n, i) => {
      const item = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = COLORS[i % COLORS.length];
      item.append(swatch, n.name);
      return item;
    }));
  }

  /** Draws every chart from node_history's nodes (sorted by name, so colours stay put). */
  function render(nodes, now = Date.now()) {
    const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
    for (const chart of CHARTS) {
      draw(document.getElementById(chart.id), chart, sorted, now);
    }
    legend(document.getElementById('charts-legend'), sorted);
    return sorted.reduce((n, node) => n + node.time.length, 0);
  }

  return { render };
})();
