// The supervisor page: every live (and recently ended) payment session, updated as it changes.
import {
  FIELD_LABELS, RESULT_LABELS, STATUS_LABELS, brandName, el, formatClock, formatDuration, humanize, showConnection, stream, token,
} from './common.js';

const sessions = new Map();
const $ = (id) => document.getElementById(id);

function step(s) {
  if (s.outcome) return s.phase === 'ended' ? 'Ended' : 'Closing';
  if (s.phase === 'ended') return 'Ended';
  if (s.phase === 'charging') return 'Authorising';
  if (s.current) return `${s.phase === 'confirming' ? 'Confirming' : 'Entering'} ${FIELD_LABELS[s.current].toLowerCase()}`;
  return 'Starting';
}

function payment(s) {
  if (s.outcome) {
    const label = RESULT_LABELS[s.outcome.result] ?? humanize(s.outcome.result);
    const why = s.outcome.failureReason ? ` (${humanize(s.outcome.failureReason)})` : '';
    const tone = s.outcome.result === 'approved' ? 'good' : s.outcome.result === 'hung_up' ? 'neutral' : 'bad';
    return el('span', { class: `pill pill-result-${tone}`, 'data-result': s.outcome.result, title: label + why }, humanize(label.replace(/^Payment /, '')));
  }
  if (s.gateway === 'in_progress') return el('span', { class: 'pill pill-gw-in_progress' }, 'Processing');
  if (s.declines > 0) return el('span', { class: 'pill pill-invalid' }, `${s.declines} declined`);
  return el('span', { class: 'muted' }, '–');
}

function fieldDots(s) {
  return el('span', { class: 'dots' }, ...s.fields.map((f) =>
    el('span', { class: `dot dot-${f.status}${s.current === f.field ? ' dot-current' : ''}`, title: `${FIELD_LABELS[f.field]}: ${STATUS_LABELS[f.status]}${f.field === 'cardNumber' && s.brand ? ` (${brandName(s.brand)})` : ''}` })));
}

function row(s, now) {
  const agentUrl = `/agent?conversationId=${encodeURIComponent(s.conversationId)}&token=${encodeURIComponent(token)}`;
  return el('tr', { 'data-session-id': s.id, 'data-phase': s.phase, class: s.phase === 'ended' ? 'ended' : '' },
    el('td', { class: 'mono' }, formatClock(s.startedAt)),
    el('td', {}, el('a', { href: agentUrl, class: 'mono' }, s.conversationId.length > 13 ? `${s.conversationId.slice(0, 8)}…${s.conversationId.slice(-4)}` : s.conversationId)),
    el('td', {}, s.connectorId),
    el('td', {}, s.mode === 'agent_assisted' ? 'Agent assisted' : humanize(s.mode)),
    el('td', { class: 'step' }, el('span', { class: 'step-text' }, step(s)), s.secure ? el('span', { class: 'tag-secure', title: 'Card entry: the recording is masked' }, 'masked') : null),
    el('td', {}, fieldDots(s)),
    el('td', {}, payment(s)),
    el('td', { class: 'mono' }, formatDuration((s.endedAt ?? now) - s.startedAt)),
  );
}

function render() {
  const now = Date.now();
  const list = [...sessions.values()].sort((a, b) => b.startedAt - a.startedAt);
  $('session-rows').replaceChildren(...list.map((s) => row(s, now)));
  $('empty').hidden = list.length > 0;
  const done = list.filter((s) => s.outcome);
  $('count-live').textContent = String(list.filter((s) => s.phase !== 'ended' && !s.outcome).length);
  $('count-approved').textContent = String(done.filter((s) => s.outcome.result === 'approved').length);
  $('count-failed').textContent = String(done.filter((s) => !['approved', 'hung_up'].includes(s.outcome.result)).length);
  $('count-abandoned').textContent = String(done.filter((s) => s.outcome.result === 'hung_up').length);
}

$('nav-reports').href = `/reports?token=${encodeURIComponent(token)}`;
stream('/api/v1/live/events', {
  sessions: (list) => {
    sessions.clear();
    for (const s of list) sessions.set(s.id, s);
    render();
  },
  session: (s) => {
    sessions.set(s.id, s);
    render();
  },
}, (state) => showConnection($('connection'), state));
// Durations of live sessions keep counting between events.
setInterval(render, 1000);
