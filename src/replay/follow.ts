// Turns call and client events into timeline lines. Card-free by construction: the call's events
// carry no digit values, and the caller's key presses are written as counts.
import type { AudioHookClient } from '../audiohook/client/audiohook-client.js';
import { PlayoutModel } from '../audiohook/client/playout-model.js';
import type { PaymentCall } from '../call/payment-call.js';
import type { DialogStatus } from '../payment/dialog/types.js';
import type { Timeline } from './timeline.js';

const sec = (samples: number) => (samples / 8000).toFixed(3);

export interface MaskedSpan {
  /** Caller-stream samples, [start, end). */
  readonly start: number;
  readonly end: number;
  readonly why: 'secure window' | 'dtmf tone';
}

/** Follows a server-side call; returns the masked spans it saw (secure windows and tone spans). */
export function followCall(call: PaymentCall, timeline: Timeline): { masked: MaskedSpan[] } {
  const masked: MaskedSpan[] = [];
  let windowOpenedAt: number | undefined;
  let lastStatus = '';
  call.on('started', (info) => timeline.add('dialog', `started: mode ${info.mode}, language ${info.language}`));
  call.on('promptstarted', (p) => timeline.add('prompt', `${p.name}${p.sensitive ? ' (card data, no barge-in)' : ''}`));
  call.on('promptfinished', (p) => {
    if (p.interrupted || (p.reason !== 'played' && p.reason !== 'confirmed')) timeline.add('prompt', `${p.name} stopped: ${p.reason}`);
  });
  call.on('digit', (d) => {
    // A duplicate is the second sighting (tone or message) of a press already counted.
    const what = d.duplicate ? 'same press seen again' : `key heard ${d.source === 'inband' ? 'in-band' : 'out-of-band'}`;
    timeline.add('digit', `${what} at caller ${sec(d.positionSamples)} s${d.sensitive ? ' (card entry)' : ''}`);
  });
  call.on('securewindow', (w) => {
    timeline.add('mask', `secure window ${w.open ? 'opens' : 'closes'} for ${w.field} at caller ${sec(w.positionSamples)} s`);
    if (w.open) windowOpenedAt = w.positionSamples;
    else if (windowOpenedAt !== undefined) {
      masked.push({ start: windowOpenedAt, end: w.positionSamples, why: 'secure window' });
      windowOpenedAt = undefined;
    }
  });
  call.on('tone', (e, base) => {
    if (e.type === 'digitend' || e.type === 'suspectend') masked.push({ start: base + e.startSample, end: base + e.endSample, why: 'dtmf tone' });
  });
  call.on('status', (s) => {
    const line = describeStatus(s);
    if (line !== lastStatus) timeline.add('dialog', line);
    lastStatus = line;
  });
  call.on('finished', (outcome) =>
    timeline.add('outcome', `${outcome.result}, next ${outcome.nextAction}${outcome.failureReason ? `, reason ${outcome.failureReason}` : ''}`),
  );
  call.on('ended', () => {
    if (windowOpenedAt !== undefined) masked.push({ start: windowOpenedAt, end: Number.POSITIVE_INFINITY, why: 'secure window' });
  });
  return { masked };
}

/** The dialog's state without the digit count, which changes on every key. */
function describeStatus(s: DialogStatus): string {
  const parts: string[] = [s.phase];
  if (s.field) parts.push(s.field);
  if (s.attempt !== undefined) parts.push(`attempt ${s.attempt}`);
  if (s.valid === false) parts.push('rejected');
  if (s.confirmed) parts.push('confirmed');
  if (s.result) parts.push(s.result);
  return parts.join(', ');
}

/** Follows the client: protocol milestones, and (live only) bot audio bursts as the caller heard them. */
export function followClient(client: AudioHookClient, timeline: Timeline, options: { botAudio: boolean }): void {
  client.on('opened', () => timeline.add('protocol', 'opened'));
  client.on('disconnect', (p) => timeline.add('protocol', `disconnect ${p.reason}`));
  client.on('closed', () => timeline.add('protocol', 'closed'));
  client.on('violation', (v) => timeline.add('protocol', `server violation ${v.code}: ${v.message}`));
  if (!options.botAudio) return;
  let drainsAt = Number.NEGATIVE_INFINITY;
  const playout = new PlayoutModel(8000);
  client.on('audio', (bytes) => {
    const now = timeline.now();
    // A burst after 200 ms of drained silence is a new utterance as the caller hears it.
    if (now >= drainsAt + 200) timeline.add('bot', 'starts speaking');
    drainsAt = playout.receive(bytes.length, now).drainsAt;
  });
}

/** Merges overlapping spans; pure. */
export function mergeSpans(spans: readonly MaskedSpan[]): Array<{ start: number; end: number; why: string }> {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Array<{ start: number; end: number; why: string }> = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.start <= last.end) {
      last.end = Math.max(last.end, s.end);
      if (!last.why.includes(s.why)) last.why += ` + ${s.why}`;
    } else out.push({ start: s.start, end: s.end, why: s.why });
  }
  return out;
}
