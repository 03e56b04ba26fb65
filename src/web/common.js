// Shared by the PayHook pages: the access token (taken from the page URL once), authenticated
// fetches and event streams, a tiny DOM builder (text only: nothing is parsed as HTML), and the
// labels the pages show. Card-free: the feeds carry counts and statuses, never digits.

const params = new URLSearchParams(location.search);

/** The access token the page was opened with (?token=...). */
export const token = params.get('token') ?? '';

export function param(name) {
  return params.get(name) ?? '';
}

/** GET a JSON API with the token as a Bearer header. */
export async function api(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/**
 * An EventSource on `path` (EventSource cannot send headers, so the token goes in the query of
 * SSE routes only). `handlers` maps event names to functions of the parsed data; `onState`
 * hears 'live', 'reconnecting' and 'closed'.
 */
export function stream(path, handlers, onState = () => {}) {
  const url = new URL(path, location.origin);
  url.searchParams.set('token', token);
  const es = new EventSource(url);
  es.addEventListener('open', () => onState('live'));
  es.addEventListener('error', () => onState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
  for (const [name, fn] of Object.entries(handlers)) es.addEventListener(name, (e) => fn(JSON.parse(e.data)));
  return es;
}

/** Builds an element; children are nodes or strings (set as text, never as HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c);
  return node;
}

export const FIELD_LABELS = { amount: 'Amount', cardNumber: 'Card number', expiry: 'Expiry date', securityCode: 'Security code' };

export const STATUS_LABELS = {
  pending: 'Waiting',
  in_progress: 'In progress',
  valid: 'Valid',
  invalid: 'Invalid',
  confirmed: 'Confirmed',
  not_required: 'Not required',
};

export const GATEWAY_LABELS = { idle: 'Waiting', in_progress: 'Processing', declined: 'Declined', done: 'Done' };

export const RESULT_LABELS = {
  approved: 'Payment approved',
  declined: 'Payment declined',
  not_identified: 'Caller not identified',
  cancelled: 'Cancelled by the caller',
  too_many_attempts: 'Too many failed attempts',
  gateway_error: 'Payment service error',
  hung_up: 'Caller hung up',
  invalid_request: 'Invalid request from the flow',
};

export const NEXT_ACTION_LABELS = { continue: 'Call continues in the flow', queue: 'Transfer to a queue', agent: 'Back to the agent' };

const BRANDS = {
  visa: 'Visa', mastercard: 'Mastercard', 'american-express': 'American Express', discover: 'Discover',
  'diners-club': 'Diners Club', jcb: 'JCB', unionpay: 'UnionPay', maestro: 'Maestro', mir: 'Mir', elo: 'Elo',
};

export function brandName(brand) {
  return BRANDS[brand] ?? (brand ? brand.replace(/-/g, ' ') : '');
}

/** "insufficient_funds" -> "Insufficient funds". */
export function humanize(word) {
  if (!word) return '';
  const s = word.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function formatClock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Axis labels: "45 s", "2 min", "1.5 min". */
export function formatShortDuration(ms) {
  if (!Number.isFinite(ms)) return '–';
  const s = ms / 1000;
  if (s < 60) return `${Math.round(s)} s`;
  const m = s / 60;
  return `${Number.isInteger(m) ? m : m.toFixed(1)} min`;
}

export const CONNECTION_LABELS = { live: 'Live', reconnecting: 'Reconnecting…', closed: 'Disconnected', ended: 'Call ended', waiting: 'Live' };

/** Shows the feed's connection state in the header badge. */
export function showConnection(node, state) {
  node.dataset.state = state;
  node.textContent = CONNECTION_LABELS[state] ?? state;
}
