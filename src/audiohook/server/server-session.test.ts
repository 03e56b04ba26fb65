import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../../core/log.js';
import { audiohookErrors } from '../errors.js';
import type { ServerMessage } from '../protocol/messages.js';
import { Harness, MONO_EXTERNAL, STEREO, TEST_SESSION_ID } from './test-harness.js';
import type { WebSocket } from 'ws';
import type { OpenDecision, SessionSocket, SessionSummary } from './server-session.js';

// Compile-time check (tsc): a ws WebSocket can be handed to the session as its socket port.
export const wsIsASessionSocket = (ws: WebSocket): SessionSocket => ws;

const MONO_INTERNAL = { type: 'audio', format: 'PCMU', channels: ['internal'], rate: 8000 };
const L16 = { type: 'audio', format: 'L16', channels: ['external'], rate: 8000 };

function disconnectOf(h: Harness): ServerMessage & { type: 'disconnect' } {
  const all = h.socket.texts.filter((m) => m.type === 'disconnect');
  expect(all).toHaveLength(1);
  return all[0] as ServerMessage & { type: 'disconnect' };
}

function expectSignalled(h: Harness, code: keyof typeof audiohookErrors, reason = 'error'): void {
  const d = disconnectOf(h);
  expect(d.parameters).toEqual({ reason, info: audiohookErrors[code].message });
  expect(h.session.counters.faults[code]).toBe(1);
}

function opened(options: ConstructorParameters<typeof Harness>[0] = {}): Harness {
  const h = new Harness(options);
  h.open();
  expect(h.session.phase).toBe('active');
  return h;
}

describe('handshake', () => {
  it('answers open with opened echoing the one offered media entry verbatim', () => {
    const h = new Harness();
    const offer = { ...MONO_EXTERNAL, vendorHint: 'kept' };
    h.open([L16, offer]);
    expect(h.socket.texts).toEqual([
      { version: '2', id: TEST_SESSION_ID, type: 'opened', seq: 1, clientseq: 1, parameters: { media: [offer] } },
    ]);
    expect(h.session.phase).toBe('active');
    expect(h.session.media).toEqual(offer);
  });

  it('gives the onOpen hook the validated parameters and emits opened', () => {
    const seen: unknown[] = [];
    const h = new Harness({ onOpen: (req) => (seen.push(req), { accept: true }) });
    const events: unknown[] = [];
    h.session.on('opened', (info) => events.push(info));
    h.open();
    expect(seen).toMatchObject([{ probe: false, media: MONO_EXTERNAL, parameters: { inputVariables: { paymentRef: 'INV-42' } } }]);
    expect(events).toEqual([{ media: MONO_EXTERNAL, probe: false, startPaused: false }]);
  });

  it('passes startPaused and discardTo from the hook into opened and starts paused', () => {
    const h = new Harness({ onOpen: () => ({ accept: true, startPaused: true, discardTo: 'PT2S' }) });
    h.open();
    expect(h.socket.last()?.parameters).toEqual({ media: [MONO_EXTERNAL], startPaused: true, discardTo: 'PT2S' });
    expect(h.session.phase).toBe('paused');
  });

  it('disconnects with the hook reason when the hook rejects', () => {
    const h = new Harness({ onOpen: () => ({ accept: false, reason: 'unauthorized', info: 'connector not configured' }) });
    h.open();
    expect(h.socket.types()).toEqual(['disconnect']);
    expect(disconnectOf(h).parameters).toEqual({ reason: 'unauthorized', info: 'connector not configured' });
  });

  it('waits for an async hook and answers when it resolves', async () => {
    let accept!: (d: OpenDecision) => void;
    const h = new Harness({ onOpen: () => new Promise<OpenDecision>((r) => (accept = r)) });
    h.open();
    expect(h.session.phase).toBe('opening');
    h.send('ping');
    expect(h.socket.types()).toEqual(['pong']);
    accept({ accept: true });
    await Promise.resolve();
    expect(h.socket.types()).toEqual(['pong', 'opened']);
    expect(h.socket.last()).toMatchObject({ seq: 2, clientseq: 2 });
  });

  it('disconnects with error when the hook is slower than openHookTimeoutMs, and ignores its late answer', async () => {
    let accept!: (d: OpenDecision) => void;
    const h = new Harness({ onOpen: () => new Promise<OpenDecision>((r) => (accept = r)) });
    h.open();
    h.clock.advance(799);
    expect(h.socket.texts).toHaveLength(0);
    h.clock.advance(1);
    expectSignalled(h, 'ERR_SESSION_OPEN_HOOK_TIMEOUT');
    accept({ accept: true });
    await Promise.resolve();
    expect(h.socket.types()).toEqual(['disconnect']);
  });

  it('disconnects with error when the hook throws or returns garbage', async () => {
    const throwing = new Harness({ onOpen: () => { throw new Error('db down'); } });
    throwing.open();
    expectSignalled(throwing, 'ERR_SESSION_OPEN_HOOK_FAILED');
    const garbage = new Harness({ onOpen: () => ({ accept: 'yes' }) as unknown as OpenDecision });
    garbage.open();
    expectSignalled(garbage, 'ERR_SESSION_OPEN_HOOK_FAILED');
    const rejecting = new Harness({ onOpen: () => Promise.reject(new Error('nope')) });
    rejecting.open();
    await new Promise((r) => setImmediate(r));
    expectSignalled(rejecting, 'ERR_SESSION_OPEN_HOOK_FAILED');
  });

  it('refuses an Audio Connector open with no mono external PCMU offer', () => {
    for (const media of [[STEREO], [MONO_INTERNAL], [L16], []]) {
      const h = new Harness();
      h.open(media);
      expectSignalled(h, 'ERR_PROTO_NO_ACCEPTABLE_MEDIA');
      expect(h.session.phase).toBe('signaled-error');
    }
  });

  it('prefers stereo on Monitor, in the client order, then mono external, then mono internal', () => {
    const pick = (media: unknown[]) => {
      const h = new Harness({ flavour: 'monitor' });
      h.open(media);
      return (h.socket.last()?.parameters as { media: unknown[] }).media[0];
    };
    const inverted = { ...STEREO, channels: ['internal', 'external'] };
    expect(pick([MONO_EXTERNAL, STEREO])).toEqual(STEREO);
    expect(pick([MONO_EXTERNAL, inverted, STEREO])).toEqual(inverted);
    expect(pick([MONO_INTERNAL, MONO_EXTERNAL])).toEqual(MONO_EXTERNAL);
    expect(pick([L16, MONO_INTERNAL])).toEqual(MONO_INTERNAL);
  });

  it('disconnects unauthorized when the open organization differs from the header', () => {
    const h = new Harness();
    h.open([MONO_EXTERNAL], { organizationId: '11111111-2222-4333-8444-555555555555' });
    expectSignalled(h, 'ERR_PROTO_ORG_MISMATCH', 'unauthorized');
  });
});

describe('connection probe', () => {
  it('answers a probe with opened, tells the hook it is a probe, then answers close with closed', () => {
    const probes: boolean[] = [];
    const h = new Harness({ onOpen: (req) => (probes.push(req.probe), { accept: true }) });
    h.probe();
    h.audio(0);
    h.send('close', { reason: 'end' });
    expect(probes).toEqual([true]);
    expect(h.socket.types()).toEqual(['opened', 'closed']);
    expect(h.socket.texts[0]?.parameters).toEqual({ media: [MONO_EXTERNAL] });
  });

  it('answers a probe that offers nothing usable with an empty media list rather than an error', () => {
    const h = new Harness();
    h.probe([L16]);
    expect(h.socket.last()).toMatchObject({ type: 'opened', parameters: { media: [] } });
  });
});

describe('ping', () => {
  it('answers each ping with pong whose clientseq is the ping seq, before handling the next message', () => {
    const h = opened();
    h.send('ping');
    h.send('ping', { rtt: 'PT0.02S' });
    expect(h.socket.texts.slice(1).map((m) => [m.type, m.seq, m.clientseq])).toEqual([
      ['pong', 2, 2],
      ['pong', 3, 3],
    ]);
  });

  it('sends pong before any reply a listener makes to an earlier event', () => {
    const h = opened();
    h.session.on('dtmf', () => h.session.sendEvent([{ type: 'bot_turn_response', data: { disposition: 'match' } }]));
    h.send('dtmf', { digit: '5' });
    h.send('ping');
    expect(h.socket.types()).toEqual(['opened', 'event', 'pong']);
    expect(h.socket.texts.map((m) => m.seq)).toEqual([1, 2, 3]);
  });
});

describe('sequence and validation errors', () => {
  const cases: Array<[string, (h: Harness) => void, keyof typeof audiohookErrors]> = [
    ['a seq gap', (h) => h.send('ping', {}, { seq: 5 }), 'ERR_PROTO_SEQ_MISMATCH'],
    ['a repeated seq', (h) => h.send('ping', {}, { seq: 1 }), 'ERR_PROTO_SEQ_MISMATCH'],
    ['serverseq ahead of what was sent', (h) => h.send('ping', {}, { serverseq: 9 }), 'ERR_PROTO_SERVERSEQ_AHEAD'],
    ['a wrong session id', (h) => h.send('ping', {}, { id: '11111111-2222-4333-8444-555555555555' }), 'ERR_PROTO_SESSION_ID_MISMATCH'],
    ['a wrong version', (h) => h.send('ping', {}, { version: '3' }), 'ERR_PROTO_BAD_VERSION'],
    ['text that is not JSON', (h) => h.session.handleText('{"version":"2",'), 'ERR_PROTO_BAD_JSON'],
    ['oversize text', (h) => h.session.handleText(`"${'x'.repeat(70_000)}"`), 'ERR_PROTO_TEXT_TOO_LARGE'],
    ['bad parameters', (h) => h.send('dtmf', { digit: 'Z' }), 'ERR_PROTO_BAD_PARAMETERS'],
    ['a missing position', (h) => h.send('ping', {}, { position: undefined }), 'ERR_PROTO_BAD_ENVELOPE'],
    ['a second open', (h) => h.open(), 'ERR_PROTO_UNEXPECTED_MESSAGE'],
  ];
  for (const [what, act, code] of cases) {
    it(`signals ${what} with disconnect error and the registry info, then answers close with closed`, () => {
      const h = opened();
      act(h);
      expectSignalled(h, code);
      expect(h.session.phase).toBe('signaled-error');
      h.seq = 50; // whatever the numbering now is, the close is still found and answered
      h.send('close', { reason: 'disconnect' });
      expect(h.socket.types()).toEqual(['opened', 'disconnect', 'closed']);
    });
  }

  it('still answers an out-of-sequence close after a completed disconnect', () => {
    const h = opened();
    h.session.disconnect('completed');
    h.seq = 40;
    h.send('close', { reason: 'disconnect' });
    expect(h.socket.types()).toEqual(['opened', 'disconnect', 'closed']);
    expect(h.session.counters.faults.ERR_PROTO_SEQ_MISMATCH).toBe(1);
  });

  it('still answers a malformed close with closed once an error was signalled', () => {
    const h = opened();
    h.send('ping', {}, { seq: 9 });
    h.send('close', { reason: 'because' });
    h.send('close', {});
    expect(h.socket.types()).toEqual(['opened', 'disconnect', 'closed']);
  });

  it('rejects a stereo frame that is not a whole number of sample pairs', () => {
    const h = new Harness({ flavour: 'monitor' });
    h.open([STEREO]);
    h.audio(320);
    h.audio(321);
    expectSignalled(h, 'ERR_PROTO_BAD_FRAME_SIZE');
  });

  it('signals a message before open, and nothing but open is accepted first', () => {
    const h = new Harness();
    h.send('ping');
    expectSignalled(h, 'ERR_PROTO_UNEXPECTED_MESSAGE');
  });

  it('never signals a second error, however many faults follow', () => {
    const h = opened();
    h.send('ping', {}, { seq: 7 });
    h.session.handleText('nonsense');
    h.send('dtmf', { digit: 'Z' });
    h.session.handleText(JSON.stringify({ version: '2' }));
    expect(h.socket.types()).toEqual(['opened', 'disconnect']);
    // Later faults are still counted (the dtmf's seq no longer follows the last processed one).
    expect(h.session.counters.faults).toEqual({
      ERR_PROTO_SEQ_MISMATCH: 2,
      ERR_PROTO_BAD_JSON: 1,
      ERR_PROTO_BAD_PARAMETERS: 1,
      ERR_PROTO_BAD_ENVELOPE: 1,
    });
  });

  it('logs and ignores an unknown type on Audio Connector, counting it in seq', () => {
    const h = opened();
    h.send('barge_in', { whatever: true });
    h.send('ping');
    expect(h.socket.types()).toEqual(['opened', 'pong']);
    expect(h.socket.last()?.clientseq).toBe(3);
  });

  it('rejects an unknown type, and the Audio Connector-only types, on Monitor', () => {
    for (const type of ['barge_in', 'dtmf']) {
      const h = opened({ flavour: 'monitor' });
      h.send(type, type === 'dtmf' ? { digit: '1' } : {});
      expectSignalled(h, 'ERR_PROTO_UNKNOWN_TYPE');
    }
  });
});

describe('Audio Connector messages', () => {
  it('emits dtmf and playback events at the sample index of their position', () => {
    const h = opened();
    const seen: unknown[] = [];
    h.session.on('dtmf', (digit, at) => seen.push(['dtmf', digit, at]));
    h.session.on('playbackstarted', (at) => seen.push(['started', at]));
    h.session.on('playbackcompleted', (at) => seen.push(['completed', at]));
    h.positionSeconds = 1.5;
    h.send('playback_started');
    h.positionSeconds = 12.4;
    h.send('dtmf', { digit: '4' });
    h.send('playback_completed');
    expect(seen).toEqual([
      ['started', 12000],
      ['dtmf', '4', 99200],
      ['completed', 99200],
    ]);
  });

  it('answers update with updated and reports client errors with retryAfter in ms', () => {
    const h = opened();
    const errors: unknown[] = [];
    const updates: unknown[] = [];
    h.session.on('clienterror', (e) => errors.push(e));
    h.session.on('update', (l) => updates.push(l));
    h.send('update', { language: 'fr-FR' });
    h.send('error', { code: 429, message: 'Too many requests', retryAfter: 'PT1.5S' });
    expect(h.socket.types()).toEqual(['opened', 'updated']);
    expect(updates).toEqual(['fr-FR']);
    expect(errors).toEqual([{ code: 429, message: 'Too many requests', retryAfterMs: 1500 }]);
    expect(h.session.phase).toBe('active');
  });
});

describe('audio in and stream position', () => {
  it('delivers frames of any size, including zero, at their sample index', () => {
    const h = opened();
    const frames: Array<[number, number]> = [];
    h.session.on('audio', (frame, at) => frames.push([frame.length, at]));
    h.audio(1600);
    h.audio(0);
    h.audio(7);
    expect(frames).toEqual([
      [1600, 0],
      [0, 1600],
      [7, 1600],
    ]);
    expect(h.session.positionSamples).toBe(1607);
  });

  it('counts stereo frames in samples per channel', () => {
    const h = new Harness({ flavour: 'monitor' });
    h.open([STEREO]);
    h.audio(3200);
    expect(h.session.positionSamples).toBe(1600);
  });

  it('adds discarded and resumed gaps to the position', () => {
    const h = opened();
    const gaps: unknown[] = [];
    h.session.on('discarded', (g) => gaps.push(['discarded', g]));
    h.session.on('resumed', (g) => gaps.push(['resumed', g]));
    h.audio(8000);
    h.send('discarded', { start: 'PT1S', discarded: 'PT0.5S' });
    h.audio(800);
    h.send('paused');
    h.send('resumed', { start: 'PT1.6S', discarded: 'PT2S' });
    h.audio(80);
    expect(h.session.positionSamples).toBe(8000 + 4000 + 800 + 16000 + 80);
    expect(gaps).toEqual([
      ['discarded', { startSamples: 8000, discardedSamples: 4000 }],
      ['resumed', { startSamples: 12800, discardedSamples: 16000 }],
    ]);
  });

  it('drops Audio Connector frames that race open, pause or close, with a counter and no disconnect', () => {
    const h = new Harness();
    h.audio(160);
    h.open();
    h.send('paused');
    h.audio(160);
    h.send('resumed', { start: 'PT0S', discarded: 'PT0S' });
    h.send('close', { reason: 'end' });
    h.audio(160);
    expect(h.session.counters.framesDropped).toBe(3);
    expect(h.socket.types()).toEqual(['opened', 'closed']);
  });

  it('treats Monitor audio before opened as a protocol error', () => {
    const h = new Harness({ flavour: 'monitor' });
    h.audio(160);
    expectSignalled(h, 'ERR_PROTO_UNEXPECTED_AUDIO');
  });
});

describe('pause and resume', () => {
  it('sends pause and resume on request, idempotently, and follows the client state', () => {
    const h = opened();
    const seen: string[] = [];
    h.session.on('paused', () => seen.push('paused'));
    expect(h.session.pause()).toBe(true);
    expect(h.session.pause()).toBe(true);
    h.send('paused');
    expect(h.session.phase).toBe('paused');
    h.send('paused');
    expect(h.session.resume()).toBe(true);
    h.send('resumed', { start: 'PT0S', discarded: 'PT0S' });
    expect(h.session.phase).toBe('active');
    expect(h.socket.types()).toEqual(['opened', 'pause', 'pause', 'resume']);
    expect(seen).toEqual(['paused', 'paused']);
  });

  it('before opened, pause only makes opened say startPaused', async () => {
    let accept!: (d: OpenDecision) => void;
    const h = new Harness({ onOpen: () => new Promise<OpenDecision>((r) => (accept = r)) });
    expect(h.session.pause()).toBe(false);
    h.open();
    expect(h.session.pause()).toBe(true);
    accept({ accept: true });
    await Promise.resolve();
    expect(h.socket.types()).toEqual(['opened']);
    expect(h.socket.last()?.parameters).toMatchObject({ startPaused: true });
  });
});

describe('close', () => {
  it('answers close with closed only after the owner close hook has flushed', async () => {
    let flush!: () => void;
    const h = opened({ onClose: () => new Promise<void>((r) => (flush = r)) });
    const reasons: string[] = [];
    h.session.on('closing', (r) => reasons.push(r));
    h.send('close', { reason: 'end' });
    expect(reasons).toEqual(['end']);
    expect(h.socket.types()).toEqual(['opened']);
    flush();
    await Promise.resolve();
    expect(h.socket.types()).toEqual(['opened', 'closed']);
    expect(h.socket.last()).toMatchObject({ clientseq: 2, seq: 2 });
  });

  it('answers closed anyway when the close hook hangs past closeHookTimeoutMs', () => {
    const h = opened({ onClose: () => new Promise<void>(() => {}) });
    h.send('close', { reason: 'end' });
    h.clock.advance(2000);
    expect(h.socket.types()).toEqual(['opened', 'closed']);
  });

  it('signals nothing for messages after close, but counts them', () => {
    const h = opened();
    h.send('close', { reason: 'end' });
    h.send('ping');
    expect(h.socket.types()).toEqual(['opened', 'closed']);
    expect(h.session.counters.faults.ERR_PROTO_UNEXPECTED_MESSAGE).toBe(1);
  });

  it('closes the socket if the client lingers after closed', () => {
    const h = opened();
    h.send('close', { reason: 'end' });
    h.clock.advance(5000);
    expect(h.socket.closed).toEqual({ code: 1000, reason: 'closed' });
    expect(h.session.phase).toBe('ended');
  });
});

describe('disconnect', () => {
  it('sends one disconnect with string output variables and refuses a second', () => {
    const h = opened();
    expect(h.session.disconnect('completed', 'payment captured', { paymentStatus: 'APPROVED', authCode: '123456' })).toEqual({ ok: true });
    expect(h.session.disconnect('error')).toEqual({ ok: false, code: 'ERR_SESSION_ALREADY_DISCONNECTED' });
    expect(disconnectOf(h)).toMatchObject({
      seq: 2,
      parameters: { reason: 'completed', info: 'payment captured', outputVariables: { paymentStatus: 'APPROVED', authCode: '123456' } },
    });
    h.send('close', { reason: 'disconnect' });
    expect(h.socket.types()).toEqual(['opened', 'disconnect', 'closed']);
  });

  it('refuses output variables that are not all strings, and sends nothing', () => {
    const h = opened();
    for (const vars of [{ amount: 12 }, { ok: true }, { nested: {} }, { x: null }]) {
      expect(h.session.disconnect('completed', undefined, vars as never)).toEqual({ ok: false, code: 'ERR_SESSION_BAD_OUTPUT_VARIABLES' });
    }
    expect(h.session.disconnect('completed', undefined, { big: 'x'.repeat(70_000) })).toEqual({ ok: false, code: 'ERR_SESSION_MESSAGE_TOO_LARGE' });
    expect(h.socket.types()).toEqual(['opened']);
    expect(h.session.disconnect('completed')).toEqual({ ok: true });
  });

  it('refuses audio after disconnect', () => {
    const h = opened();
    expect(h.session.sendAudio(new Uint8Array(800))).toBe(true);
    h.session.disconnect('completed');
    expect(h.session.sendAudio(new Uint8Array(800))).toBe(false);
    expect(h.socket.wire.map((w) => (typeof w === 'number' ? w : w.type))).toEqual(['opened', 800, 'disconnect']);
  });

  it('refuses disconnect after the client closed', () => {
    const h = opened();
    h.send('close', { reason: 'end' });
    expect(h.session.disconnect('completed')).toEqual({ ok: false, code: 'ERR_SESSION_INVALID_STATE' });
  });

  it('keeps answering pings while waiting for close, and ignores dialog input', () => {
    const h = opened();
    const digits: string[] = [];
    h.session.on('dtmf', (d) => digits.push(d));
    h.session.disconnect('completed');
    h.send('ping');
    h.send('dtmf', { digit: '1' });
    expect(h.socket.types()).toEqual(['opened', 'disconnect', 'pong']);
    expect(digits).toEqual([]);
  });
});

describe('events and audio out', () => {
  it('sends events while active and refuses them before open', () => {
    const h = new Harness();
    expect(h.session.sendEvent([{ type: 'barge_in', data: {} }])).toBe(false);
    h.open();
    expect(h.session.sendEvent([{ type: 'barge_in', data: {} }])).toBe(true);
    expect(h.socket.last()).toMatchObject({ type: 'event', seq: 2, parameters: { entities: [{ type: 'barge_in', data: {} }] } });
    expect(h.session.sendEvent([{ type: 'bot_turn_response', data: { text: '€'.repeat(30_000) } }])).toBe(false);
    expect(h.socket.texts).toHaveLength(2);
  });

  it('splits outbound audio into binary messages of at most 64000 bytes', () => {
    const h = opened();
    expect(h.session.sendAudio(new Uint8Array(150_000).fill(0xff))).toBe(true);
    expect(h.socket.binaries.map((b) => b.length)).toEqual([64_000, 64_000, 22_000]);
    expect(h.session.counters.audioBytesOut).toBe(150_000);
  });

  it('refuses outbound audio while paused, before open and on Monitor', () => {
    const h = new Harness();
    expect(h.session.sendAudio(new Uint8Array(10))).toBe(false);
    h.open();
    h.send('paused');
    expect(h.session.sendAudio(new Uint8Array(10))).toBe(false);
    expect(opened({ flavour: 'monitor' }).session.sendAudio(new Uint8Array(10))).toBe(false);
  });

  it('drops audio while the socket buffer is over the limit, then ends the session if it never drains', () => {
    const h = opened({ limits: { maxBufferedBytes: 10_000, maxBackpressureMs: 1000 } });
    h.socket.bufferedAmount = 9_500;
    expect(h.session.sendAudio(new Uint8Array(800))).toBe(false);
    h.socket.bufferedAmount = 0;
    expect(h.session.sendAudio(new Uint8Array(800))).toBe(true);
    h.socket.bufferedAmount = 50_000;
    for (let i = 0; i < 10; i++) {
      expect(h.session.sendAudio(new Uint8Array(800))).toBe(false);
      h.clock.advance(200);
    }
    // One drop before relief, then 0..1000 ms of drops (6) until the stall limit ends the session;
    // after that audio is refused outright and no longer counted as dropped.
    expect(h.session.counters.audioBytesDropped).toBe(7 * 800);
    expect(h.socket.binaries).toHaveLength(1);
    expectSignalled(h, 'ERR_SESSION_BACKPRESSURE');
  });

  it('aborts when a text message finds the socket past the hard buffer limit', () => {
    const h = opened({ limits: { hardBufferedBytes: 100_000 } });
    h.socket.bufferedAmount = 200_000;
    h.send('ping');
    expect(h.socket.types()).toEqual(['opened']);
    expect(h.socket.closed?.code).toBe(1011);
    expect(h.session.phase).toBe('ended');
  });
});

describe('timeouts', () => {
  it('closes the socket when no open arrives within openTimeoutMs', () => {
    const h = new Harness();
    h.clock.advance(4999);
    expect(h.socket.closed).toBeUndefined();
    h.clock.advance(1);
    expect(h.socket.closed).toEqual({ code: 1008, reason: 'open timeout' });
    expect(h.session.phase).toBe('ended');
  });

  it('closes the socket when no close follows our disconnect within closeTimeoutMs', () => {
    const h = opened();
    h.session.disconnect('completed');
    h.clock.advance(9999);
    expect(h.socket.closed).toBeUndefined();
    h.clock.advance(1);
    expect(h.socket.closed?.code).toBe(1008);
  });

  it('disconnects with error after idleTimeoutMs with no message or frame, and not while frames flow', () => {
    const h = opened({ limits: { idleTimeoutMs: 1000 } });
    for (let i = 0; i < 20; i++) {
      h.clock.advance(200);
      h.audio(1600);
    }
    expect(h.socket.types()).toEqual(['opened']);
    h.clock.advance(1000);
    expectSignalled(h, 'ERR_SESSION_IDLE_TIMEOUT');
  });

  it('makes every timeout configurable', () => {
    const h = new Harness({ limits: { openTimeoutMs: 50 } });
    h.clock.advance(50);
    expect(h.socket.closed).toBeDefined();
  });
});

describe('lifetime', () => {
  it('runs cleanups exactly once and emits one ended summary, whichever way the socket goes', () => {
    const h = opened();
    const ended: SessionSummary[] = [];
    let cleaned = 0;
    h.session.addCleanup(() => cleaned++);
    h.session.on('ended', (s) => ended.push(s));
    h.audio(1600);
    h.clock.advance(250);
    h.session.handleSocketClosed();
    h.session.abort();
    h.session.handleSocketClosed();
    expect(cleaned).toBe(1);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({
      sessionId: TEST_SESSION_ID,
      lastPhase: 'active',
      cause: 'socket-closed',
      durationMs: 250,
      positionSamples: 1600,
      counters: { messagesIn: 1, messagesOut: 1, audioFramesIn: 1, audioBytesIn: 1600 },
    });
    expect(h.clock.pendingTimers).toBe(0);
    expect(h.socket.closed).toBeUndefined();
  });

  it('abort closes the socket at once and ends the session', async () => {
    const h = opened();
    h.session.abort();
    expect(h.socket.closed?.code).toBe(1011);
    await expect(h.session.whenEnded()).resolves.toMatchObject({ cause: 'aborted' });
  });

  it('a throwing listener does not break the session', () => {
    const h = opened();
    h.session.on('dtmf', () => {
      throw new Error('listener bug');
    });
    h.send('dtmf', { digit: '1' });
    h.send('ping');
    expect(h.socket.types()).toEqual(['opened', 'pong']);
  });

  it('reports every message to the observer with type and size only', () => {
    const h = new Harness();
    const seen: unknown[] = [];
    h.session.observer.on('message', (...args) => seen.push(args));
    h.open();
    h.audio(160);
    h.send('barge_in');
    h.session.handleText('not json');
    expect(seen).toEqual([
      ['in', 'open', expect.any(Number)],
      ['out', 'opened', expect.any(Number)],
      ['in', 'audio', 160],
      ['in', 'unknown', expect.any(Number)],
      ['in', 'invalid', 8],
      ['out', 'disconnect', expect.any(Number)],
    ]);
  });
});

describe('shutdown', () => {
  it('aborts a session that never opened', async () => {
    const h = new Harness();
    await expect(h.session.shutdown(1000)).resolves.toMatchObject({ cause: 'aborted' });
  });

  it('lets an active call finish within the drain time', async () => {
    const h = opened();
    const done = h.session.shutdown(3000);
    h.clock.advance(1000);
    h.session.disconnect('completed');
    h.send('close', { reason: 'disconnect' });
    h.session.handleSocketClosed();
    await expect(done).resolves.toMatchObject({ cause: 'socket-closed', disconnected: 'completed' });
    expect(h.socket.types()).toEqual(['opened', 'disconnect', 'closed']);
  });

  it('disconnects a call still active after the drain time, then closes the socket if the client stalls', async () => {
    const h = opened();
    const done = h.session.shutdown(3000);
    h.clock.advance(3000);
    await Promise.resolve();
    expectSignalled(h, 'ERR_SESSION_SHUTDOWN');
    h.clock.advance(10_000);
    await expect(done).resolves.toMatchObject({ cause: 'close-timeout' });
  });
});

describe('logging', () => {
  it('never logs digits, input variables, output variables or payload text', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ level: 'trace', destination });
    const h = new Harness({ logger });
    h.open([MONO_EXTERNAL], { inputVariables: { secretRef: 'SECRET-INPUT-7731' } });
    for (const digit of '4111111111111111') h.send('dtmf', { digit });
    h.send('error', { code: 500, message: 'MSG-TEXT-9917' });
    h.send('ping', {}, { type: 'card_4929939187355598' });
    h.session.disconnect('completed', 'done', { status: 'OUTPUT-VALUE-5521' });
    h.session.handleText('{"pan":"5555555555554444"');
    const log = lines.join('');
    expect(log).toContain(TEST_SESSION_ID);
    for (const secret of ['SECRET-INPUT-7731', '4111', 'MSG-TEXT-9917', '4929939187355598', 'OUTPUT-VALUE-5521', '5555555555554444']) {
      expect(log).not.toContain(secret);
    }
  });
});
