// The agent page: follows one conversation's payment live (GET /agent?conversationId=…&token=…).
import {
  FIELD_LABELS, GATEWAY_LABELS, NEXT_ACTION_LABELS, RESULT_LABELS, STATUS_LABELS,
  brandName, el, formatClock, humanize, param, showConnection, stream,
} from './common.js';

const conversationId = param('conversationId');
const $ = (id) => document.getElementById(id);

const ICONS = { pending: '', in_progress: '…', valid: '✓', invalid: '!', confirmed: '✓', not_required: '–' };

function fieldDetail(f, session) {
  const parts = [];
  if (f.field !== 'amount' && f.digits > 0 && f.status !== 'not_required') parts.push(`${f.digits} ${f.digits === 1 ? 'digit' : 'digits'}`);
  if (f.field === 'amount' && f.status === 'in_progress' && f.digits > 0) parts.push(`${f.digits} ${f.digits === 1 ? 'key' : 'keys'}`);
  if (f.field === 'cardNumber' && session.brand && f.status !== 'pending') parts.push(brandName(session.brand));
  if (f.field === 'amount' && f.status === 'not_required') parts.push('Set by the flow');
  if (f.rejections > 0) parts.push(`${f.rejections} rejected ${f.rejections === 1 ? 'entry' : 'entries'}`);
  return parts.join(' · ');
}

function statusLabel(f, session) {
  if (f.status === 'valid' && session.current === f.field && session.phase === 'confirming') return 'Valid, caller confirming';
  if (f.status === 'invalid') return 'Invalid, asking again';
  if (f.status === 'in_progress' && session.current !== f.field) return 'Entered';
  return STATUS_LABELS[f.status] ?? f.status;
}

function renderChecklist(session) {
  const list = $('checklist');
  list.replaceChildren(
    ...session.fields.map((f) =>
      el('li', { class: `row field status-${f.status}${session.current === f.field ? ' current' : ''}`, 'data-field': f.field, 'data-status': f.status, 'data-digits': f.digits },
        el('span', { class: 'icon', 'aria-hidden': 'true' }, ICONS[f.status] ?? ''),
        el('span', { class: 'row-main' },
          el('span', { class: 'row-label' }, FIELD_LABELS[f.field] ?? f.field),
          el('span', { class: 'row-detail' }, fieldDetail(f, session))),
        el('span', { class: `pill pill-${f.status}` }, statusLabel(f, session)))),
  );
}

function renderGateway(session) {
  const g = $('gateway');
  g.dataset.gateway = session.gateway;
  g.className = `row gateway gateway-${session.gateway}`;
  const detail = session.gateway === 'in_progress'
    ? `Authorising with the payment service${session.chargeAttempts > 1 ? ` (attempt ${session.chargeAttempts})` : ''}`
    : session.gateway === 'declined' ? `${session.declines} declined; the caller is trying another card`
    : session.gateway === 'done' ? 'Answer received'
    : 'Starts once every field is confirmed';
  g.replaceChildren(
    el('span', { class: 'icon', 'aria-hidden': 'true' }, session.gateway === 'in_progress' ? '…' : session.gateway === 'done' ? '✓' : session.gateway === 'declined' ? '!' : ''),
    el('span', { class: 'row-main' }, el('span', { class: 'row-label' }, 'Authorisation'), el('span', { class: 'row-detail' }, detail)),
    el('span', { class: `pill pill-gw-${session.gateway}` }, GATEWAY_LABELS[session.gateway] ?? session.gateway),
  );
}

function renderOutcome(session) {
  const box = $('outcome');
  const o = session.outcome;
  if (!o) {
    box.hidden = true;
    box.removeAttribute('data-result');
    return;
  }
  box.hidden = false;
  box.dataset.result = o.result;
  box.className = `outcome outcome-${o.result === 'approved' ? 'good' : 'bad'}`;
  const facts = [];
  if (o.transactionRef) facts.push(el('div', {}, el('dt', {}, 'Transaction reference'), el('dd', { class: 'mono', id: 'transaction-ref' }, o.transactionRef)));
  if (o.failureReason) facts.push(el('div', {}, el('dt', {}, 'Reason'), el('dd', {}, humanize(o.failureReason))));
  facts.push(el('div', {}, el('dt', {}, 'Next'), el('dd', {}, NEXT_ACTION_LABELS[o.nextAction] ?? humanize(o.nextAction))));
  box.replaceChildren(el('h3', { id: 'outcome-title' }, RESULT_LABELS[o.result] ?? humanize(o.result)), el('dl', { class: 'facts' }, ...facts));
}

function headline(session) {
  if (session.outcome) return [RESULT_LABELS[session.outcome.result] ?? humanize(session.outcome.result), session.endedAt ? `Ended ${formatClock(session.endedAt)}` : 'Closing the call'];
  if (session.phase === 'ended') return ['The payment session ended', `Ended ${formatClock(session.endedAt)}`];
  if (session.phase === 'charging') return ['Processing the payment', 'Please wait with the caller.'];
  if (session.current) {
    const what = FIELD_LABELS[session.current].toLowerCase();
    return [session.phase === 'confirming' ? `Caller is confirming the ${what}` : `Caller is entering the ${what}`, `Started ${formatClock(session.startedAt)}`];
  }
  return ['Secure payment starting', `Started ${formatClock(session.startedAt)}`];
}

function render(session) {
  const h = $('headline');
  h.dataset.phase = session.phase;
  h.dataset.secure = String(session.secure);
  const [title, sub] = headline(session);
  $('headline-text').textContent = title;
  $('headline-sub').textContent = sub;
  renderChecklist(session);
  renderGateway(session);
  renderOutcome(session);
}

const placeholder = {
  phase: 'starting', gateway: 'idle', chargeAttempts: 0, declines: 0, fields: Object.keys(FIELD_LABELS).map((field) => ({ field, status: 'pending', digits: 0, entries: 0, rejections: 0 })),
};

$('conversation').textContent = conversationId || '(none given)';
renderChecklist(placeholder);
renderGateway(placeholder);

if (!conversationId) {
  $('headline-text').textContent = 'No conversation given';
  $('headline-sub').textContent = 'Open this page with ?conversationId=… (the Genesys script does this for you).';
  showConnection($('connection'), 'closed');
} else {
  const conn = $('connection');
  let ended = false;
  const es = stream(`/api/v1/live/sessions/${encodeURIComponent(conversationId)}/events`, {
    waiting: () => showConnection(conn, 'waiting'),
    session: render,
    end: () => {
      ended = true;
      es.close();
      showConnection(conn, 'ended');
    },
  }, (state) => {
    if (!ended) showConnection(conn, state);
  });
}
