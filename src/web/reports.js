// The reports page: charts of GET /api/v1/reports (sessions, approvals, declines by reason,
// abandonment, transfers, durations by segment) for a chosen window, bucket and connector.
import { api, el, formatDuration, formatShortDuration, humanize, param, RESULT_LABELS, token } from './common.js';
import { averageAndP95, horizontalBars, stackedBars } from './charts.js';

const $ = (id) => document.getElementById(id);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const SESSION_SERIES = [
  { key: 'approved', label: 'Approved', cls: 's-approved' },
  { key: 'declined', label: 'Declined', cls: 's-declined' },
  { key: 'failed', label: 'Other failures', cls: 's-failed' },
  { key: 'abandoned', label: 'Caller hung up', cls: 's-abandoned' },
  { key: 'unfinished', label: 'Unfinished', cls: 's-unfinished' },
];
const SEGMENTS = [
  { key: 'session', label: 'Whole session' },
  { key: 'ivr', label: 'IVR' },
  { key: 'secure_capture', label: 'Secure card capture' },
  { key: 'gateway', label: 'Payment gateway' },
];

/** Datetime-local value (local time, minutes) of an epoch ms. */
function localInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function bucketLabel(ms, bucket) {
  const d = new Date(ms);
  return bucket === 'hour'
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    : d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

/** Rows of every connector merged per bucket; p95 of several connectors is their highest. Pure. */
export function mergeByBucket(rows) {
  const byBucket = new Map();
  for (const r of rows) {
    const m = byBucket.get(r.bucketStart) ?? { bucketStart: r.bucketStart, connectors: 0, sessions: 0, approved: 0, results: {}, declinesByReason: {}, abandoned: 0, unfinished: 0, transfers: { queue: 0, agent: 0 }, durations: {} };
    m.connectors++;
    m.sessions += r.sessions;
    m.approved += r.approved;
    m.abandoned += r.abandoned;
    m.unfinished += r.unfinished;
    m.transfers.queue += r.transfers.queue;
    m.transfers.agent += r.transfers.agent;
    for (const [k, v] of Object.entries(r.results)) m.results[k] = (m.results[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.declinesByReason)) m.declinesByReason[k] = (m.declinesByReason[k] ?? 0) + v;
    for (const [k, d] of Object.entries(r.durations)) {
      const prev = m.durations[k];
      m.durations[k] = prev
        ? { count: prev.count + d.count, avgMs: Math.round((prev.avgMs * prev.count + d.avgMs * d.count) / (prev.count + d.count)), p95Ms: Math.max(prev.p95Ms, d.p95Ms) }
        : { ...d };
    }
    byBucket.set(r.bucketStart, m);
  }
  return [...byBucket.values()].sort((a, b) => a.bucketStart - b.bucketStart);
}

/** Every bucket of the window, empty ones included, so gaps show as gaps. Pure. */
function bucketsOf(from, to, bucket) {
  const size = bucket === 'hour' ? HOUR : DAY;
  const out = [];
  for (let t = Math.floor(from / size) * size; t < to; t += size) out.push(t);
  return out;
}

function sessionSeries(m) {
  const r = m?.results ?? {};
  const finished = Object.values(r).reduce((a, b) => a + b, 0);
  return {
    approved: r.approved ?? 0,
    declined: r.declined ?? 0,
    abandoned: r.hung_up ?? 0,
    failed: finished - (r.approved ?? 0) - (r.declined ?? 0) - (r.hung_up ?? 0),
    unfinished: m?.unfinished ?? 0,
  };
}

function tile(label, value, id, cls = '') {
  return el('div', { class: 'tile' }, el('span', { class: 'tile-label' }, label), el('span', { class: `tile-value ${cls}`, id }, value));
}

function render(report) {
  const merged = mergeByBucket(report.rows);
  const buckets = bucketsOf(report.from, report.to, report.bucket);
  const at = new Map(merged.map((m) => [m.bucketStart, m]));
  const categories = buckets.map((b) => bucketLabel(b, report.bucket));

  const total = { sessions: 0, approved: 0, finished: 0, declines: 0, abandoned: 0, queue: 0, agent: 0, durCount: 0, durSum: 0 };
  const results = {};
  const declines = {};
  for (const m of merged) {
    total.sessions += m.sessions;
    total.approved += m.approved;
    total.abandoned += m.abandoned;
    total.queue += m.transfers.queue;
    total.agent += m.transfers.agent;
    for (const [k, v] of Object.entries(m.results)) {
      results[k] = (results[k] ?? 0) + v;
      total.finished += v;
    }
    for (const [k, v] of Object.entries(m.declinesByReason)) {
      declines[k] = (declines[k] ?? 0) + v;
      total.declines += v;
    }
    const d = m.durations.session;
    if (d) {
      total.durCount += d.count;
      total.durSum += d.avgMs * d.count;
    }
  }
  const rate = total.finished > 0 ? `${Math.round((100 * total.approved) / total.finished)} %` : '–';
  $('tiles').replaceChildren(
    tile('Sessions', String(total.sessions), 'kpi-sessions'),
    tile('Approval rate', rate, 'kpi-approval', 'good'),
    tile('Gateway declines', String(total.declines), 'kpi-declines', 'bad'),
    tile('Caller hung up', String(total.abandoned), 'kpi-abandoned'),
    tile('Transfers', String(total.queue + total.agent), 'kpi-transfers'),
    tile('Average session', total.durCount > 0 ? formatDuration(total.durSum / total.durCount) : '–', 'kpi-duration'),
  );

  $('sessions-unit').textContent = `per ${report.bucket}`;
  $('sessions-legend').replaceChildren(...SESSION_SERIES.map((s) => el('span', { class: 'key' }, el('span', { class: `swatch ${s.cls}` }), s.label)));
  const perBucket = buckets.map((b) => sessionSeries(at.get(b)));
  $('chart-sessions').replaceChildren(stackedBars({
    categories,
    label: `Sessions per ${report.bucket}`,
    series: SESSION_SERIES.map((s) => ({ ...s, values: perBucket.map((p) => p[s.key]) })),
  }));

  const declineItems = Object.entries(declines).sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ key: k, label: humanize(k), value: v, cls: 's-declined' }));
  $('chart-declines').replaceChildren(declineItems.length > 0
    ? horizontalBars({ items: declineItems, label: 'Gateway declines by reason' })
    : el('p', { class: 'empty' }, 'No declines in this window.'));

  const outcomeItems = Object.entries(results).sort((a, b) => b[1] - a[1]).map(([k, v]) => ({
    key: k, label: humanize((RESULT_LABELS[k] ?? humanize(k)).replace(/^Payment /, '')), value: v,
    cls: k === 'approved' ? 's-approved' : k === 'declined' ? 's-declined' : k === 'hung_up' ? 's-abandoned' : 's-failed',
  }));
  outcomeItems.push(
    { key: 'transfer_queue', label: 'Transferred to a queue', value: total.queue, cls: 's-transfer' },
    { key: 'transfer_agent', label: 'Back to an agent', value: total.agent, cls: 's-transfer' },
  );
  $('chart-outcomes').replaceChildren(horizontalBars({ items: outcomeItems, label: 'Outcomes and transfers' }));

  const severalConnectors = merged.some((m) => m.connectors > 1);
  $('p95-note').textContent = severalConnectors ? ' (several connectors: the highest connector p95 is shown)' : '';
  $('chart-durations').replaceChildren(...SEGMENTS.map((seg) => el('figure', { class: 'mini', 'data-segment': seg.key },
    el('figcaption', {}, seg.label),
    averageAndP95({
      categories,
      label: `${seg.label}: average and p95 duration per ${report.bucket}`,
      format: formatShortDuration,
      points: buckets.map((b) => {
        const d = at.get(b)?.durations[seg.key];
        return d ? { avg: d.avgMs, p95: d.p95Ms } : null;
      }),
    }))));
}

async function load() {
  const from = new Date($('from').value).getTime();
  const to = new Date($('to').value).getTime();
  const q = new URLSearchParams({ from: String(from), to: String(to), bucket: $('bucket').value });
  if ($('connector').value) q.set('connectorId', $('connector').value);
  $('status').textContent = 'Loading…';
  try {
    render(await api(`/api/v1/reports?${q}`));
    $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.loaded = 'true';
  } catch (err) {
    $('status').textContent = `Could not load the report: ${err.message}`;
  }
}

const now = Date.now();
const bucket = param('bucket') === 'day' ? 'day' : 'hour';
const toMs = Number(param('to')) || now;
const fromMs = Number(param('from')) || toMs - (bucket === 'day' ? 30 * DAY : DAY);
$('from').value = localInput(fromMs);
$('to').value = localInput(toMs);
$('bucket').value = bucket;
$('connector').value = param('connectorId');
$('nav-live').href = `/supervisor?token=${encodeURIComponent(token)}`;
$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  void load();
});
void load();
