// Small SVG charts for the reports page, drawn with DOM calls (no library, nothing inline for the
// CSP to refuse: colours come from CSS classes). Every mark carries data-series, data-category
// and data-value so tests and assistive tools can read the numbers back.

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A "nice" axis maximum and step (1, 2 or 5 times a power of ten) covering `max`. Pure. */
export function niceScale(max, ticks = 4) {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw);
  return { max: Math.ceil(max / step) * step, step };
}

const DURATION_STEPS_MS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);

/** An axis for durations: steps of whole seconds or minutes (30 s, 1 min, 2 min ...). Pure. */
export function niceDurationScale(maxMs, ticks = 3) {
  if (!(maxMs > 0)) return { max: 1000, step: 1000 };
  const step = DURATION_STEPS_MS.find((s) => s * ticks >= maxMs) ?? Math.ceil(maxMs / ticks / 3_600_000) * 3_600_000;
  return { max: Math.ceil(maxMs / step) * step, step };
}

function frame(width, height, label) {
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' });
}

function gridY(root, { left, right, top, bottom, scale, format }) {
  const g = svg('g', { class: 'axis axis-y' });
  for (let v = 0; v <= scale.max + 1e-9; v += scale.step) {
    const y = bottom - ((bottom - top) * v) / scale.max;
    g.append(svg('line', { x1: left, x2: right, y1: y, y2: y, class: v === 0 ? 'baseline' : 'grid' }));
    g.append(svg('text', { x: left - 8, y: y + 4, 'text-anchor': 'end', class: 'tick' }, format(v)));
  }
  root.append(g);
}

/**
 * Vertical stacked bars: one bar per category, one segment per series.
 * series: [{ key, label, cls, values: number[] }].
 */
export function stackedBars({ categories, series, label, format = String, height = 330 }) {
  const width = 1100;
  const left = 48, right = width - 12, top = 16, bottom = height - 28;
  const root = frame(width, height, label);
  const totals = categories.map((_, i) => series.reduce((a, s) => a + (s.values[i] ?? 0), 0));
  const scale = niceScale(Math.max(0, ...totals));
  gridY(root, { left, right, top, bottom, scale, format });
  const slot = (right - left) / Math.max(1, categories.length);
  const barW = Math.max(2, Math.min(44, slot * 0.6));
  const every = Math.ceil(categories.length / 16);
  const bars = svg('g', { class: 'bars' });
  categories.forEach((cat, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    let y = bottom;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      const h = ((bottom - top) * v) / scale.max;
      y -= h;
      const r = svg('rect', { x, y, width: barW, height: h, class: `mark ${s.cls}`, 'data-series': s.key, 'data-category': cat, 'data-value': v });
      r.append(svg('title', {}, `${cat} · ${s.label}: ${format(v)}`));
      bars.append(r);
    }
    if (i % every === 0) root.append(svg('text', { x: x + barW / 2, y: bottom + 18, 'text-anchor': 'middle', class: 'tick' }, cat));
  });
  root.append(bars);
  return root;
}

/** Horizontal bars with the value at the end: items [{ key, label, value, cls }]. */
export function horizontalBars({ items, label, format = String }) {
  const rowH = 30;
  const width = 560;
  const labelW = 190;
  const height = Math.max(1, items.length) * rowH + 8;
  const root = frame(width, height, label);
  const max = Math.max(0, ...items.map((i) => i.value));
  const span = width - labelW - 70;
  items.forEach((item, i) => {
    const y = 4 + i * rowH;
    root.append(svg('text', { x: labelW - 10, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'label' }, item.label));
    root.append(svg('rect', { x: labelW, y: y + 6, width: span, height: rowH - 12, class: 'track' }));
    const w = max > 0 ? (span * item.value) / max : 0;
    const r = svg('rect', { x: labelW, y: y + 6, width: Math.max(item.value > 0 ? 2 : 0, w), height: rowH - 12, rx: 3, class: `mark ${item.cls ?? ''}`, 'data-series': item.key, 'data-value': item.value });
    r.append(svg('title', {}, `${item.label}: ${format(item.value)}`));
    root.append(r);
    root.append(svg('text', { x: labelW + Math.max(w, 0) + 8, y: y + rowH / 2 + 4, class: 'value' }, format(item.value)));
  });
  return root;
}

/**
 * Bars of the average duration (ms) with a tick at the 95th percentile, per category:
 * points [{ category, avg, p95 } | null].
 */
export function averageAndP95({ categories, points, label, format = String, height = 200 }) {
  const width = 540;
  const left = 64, right = width - 8, top = 12, bottom = height - 24;
  const root = frame(width, height, label);
  const scale = niceDurationScale(Math.max(0, ...points.map((p) => (p ? p.p95 : 0))));
  gridY(root, { left, right, top, bottom, scale, format });
  const slot = (right - left) / Math.max(1, categories.length);
  const barW = Math.max(2, Math.min(22, slot * 0.6));
  const every = Math.ceil(categories.length / 6);
  categories.forEach((cat, i) => {
    const p = points[i];
    const x = left + slot * i + (slot - barW) / 2;
    if (p) {
      const h = ((bottom - top) * p.avg) / scale.max;
      const r = svg('rect', { x, y: bottom - h, width: barW, height: h, class: 'mark s-avg', 'data-series': 'avg', 'data-category': cat, 'data-value': p.avg });
      r.append(svg('title', {}, `${cat} · average ${format(p.avg)}`));
      root.append(r);
      const y95 = bottom - ((bottom - top) * p.p95) / scale.max;
      const t = svg('line', { x1: x - 3, x2: x + barW + 3, y1: y95, y2: y95, class: 'mark s-p95', 'data-series': 'p95', 'data-category': cat, 'data-value': p.p95 });
      t.append(svg('title', {}, `${cat} · p95 ${format(p.p95)}`));
      root.append(t);
    }
    if (i % every === 0) root.append(svg('text', { x: x + barW / 2, y: bottom + 16, 'text-anchor': 'middle', class: 'tick' }, cat));
  });
  return root;
}
