import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ServerMessage } from '../protocol/messages.js';
import { Harness, MONO_EXTERNAL, STEREO, openParameters } from './test-harness.js';

type Step =
  | { kind: 'valid'; type: string; mutation: Mutation | null }
  | { kind: 'junk'; text: string }
  | { kind: 'binary'; size: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'buffered'; bytes: number }
  | { kind: 'api'; call: 'pause' | 'resume' | 'event' | 'disconnect' | 'bad-disconnect' | 'audio' | 'abort' | 'socket-closed' };

type Mutation =
  | { field: 'seq'; delta: number }
  | { field: 'serverseq'; delta: number }
  | { field: 'id' | 'version' | 'position' | 'parameters' | 'type'; value: unknown }
  | { field: 'drop'; name: string };

const validParameters: Record<string, () => unknown> = {
  open: () => openParameters([MONO_EXTERNAL, STEREO]),
  close: () => ({ reason: 'end' }),
  ping: () => ({}),
  paused: () => ({}),
  resumed: () => ({ start: 'PT1S', discarded: 'PT0.5S' }),
  discarded: () => ({ start: 'PT1S', discarded: 'PT0.25S' }),
  update: () => ({ language: 'en-GB' }),
  error: () => ({ code: 429, message: 'slow down', retryAfter: 'PT1S' }),
  dtmf: () => ({ digit: '7' }),
  playback_started: () => ({}),
  playback_completed: () => ({}),
  barge_in: () => ({}),
};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ field: fc.constant('seq' as const), delta: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ field: fc.constant('serverseq' as const), delta: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ field: fc.constantFrom('id' as const, 'version' as const, 'position' as const, 'parameters' as const, 'type' as const), value: fc.anything() }),
  fc.record({ field: fc.constant('drop' as const), name: fc.constantFrom('version', 'id', 'type', 'seq', 'serverseq', 'position', 'parameters') }),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('valid' as const), type: fc.constantFrom(...Object.keys(validParameters)), mutation: fc.constant(null) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('valid' as const), type: fc.constantFrom(...Object.keys(validParameters)), mutation }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('junk' as const), text: fc.oneof(fc.string(), fc.json(), fc.constant('{}')) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('binary' as const), size: fc.oneof(fc.constant(0), fc.nat(3300), fc.constant(1600)) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.nat(1000), fc.nat(15_000)) }) },
  // The client's reading speed: nothing buffered, over the soft limit, past the hard limit.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('buffered' as const), bytes: fc.constantFrom(0, 0, 5000, 9_000_000) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('api' as const),
      call: fc.constantFrom('pause' as const, 'resume' as const, 'event' as const, 'disconnect' as const, 'bad-disconnect' as const, 'audio' as const, 'abort' as const, 'socket-closed' as const),
    }),
  },
);

/** What the wire looked like: server messages, binary sizes, and when the client sent close. */
type Trace = Array<{ out: ServerMessage } | { outBinary: number } | { clientClose: true } | { clientPing: number }>;

function run(flavour: 'audioconnector' | 'monitor', accept: boolean, steps: Step[]): { trace: Trace; h: Harness; endedCount: number } {
  const h = new Harness({
    flavour,
    onOpen: () => (accept ? { accept: true } : { accept: false, reason: 'error' }),
    limits: { maxBufferedBytes: 4000 },
  });
  const trace: Trace = [];
  let endedCount = 0;
  h.session.on('ended', () => endedCount++);
  const send = h.socket.send.bind(h.socket);
  h.socket.send = (data) => {
    send(data);
    trace.push(typeof data === 'string' ? { out: JSON.parse(data) as ServerMessage } : { outBinary: data.length });
  };
  for (const s of steps) {
    switch (s.kind) {
      case 'valid': {
        const message = h.envelope(s.type, validParameters[s.type]!());
        if (s.mutation) {
          const m = s.mutation;
          if (m.field === 'seq') message.seq = (message.seq as number) + m.delta;
          else if (m.field === 'serverseq') message.serverseq = (message.serverseq as number) + m.delta;
          else if (m.field === 'drop') delete message[m.name];
          else message[m.field] = m.value;
        }
        const text = JSON.stringify(message);
        if (message.type === 'close') trace.push({ clientClose: true });
        if (message.type === 'ping') trace.push({ clientPing: message.seq as number });
        h.session.handleText(text);
        break;
      }
      case 'junk':
        h.session.handleText(s.text);
        break;
      case 'binary':
        h.audio(s.size);
        break;
      case 'advance':
        h.clock.advance(s.ms);
        break;
      case 'buffered':
        h.socket.bufferedAmount = s.bytes;
        break;
      case 'api':
        if (s.call === 'pause') h.session.pause();
        else if (s.call === 'resume') h.session.resume();
        else if (s.call === 'event') h.session.sendEvent([{ type: 'barge_in', data: {} }]);
        else if (s.call === 'disconnect') h.session.disconnect('completed', 'done', { status: 'OK' });
        else if (s.call === 'bad-disconnect') h.session.disconnect('completed', undefined, { n: 1 } as never);
        else if (s.call === 'audio') h.session.sendAudio(new Uint8Array(1600).fill(0xff));
        else if (s.call === 'abort') h.session.abort();
        else h.session.handleSocketClosed();
        break;
    }
  }
  // With the client silent from here on, every phase has a timer that leads to the end.
  h.clock.advance(120_000);
  return { trace, h, endedCount };
}

describe('server session under random input (property)', () => {
  it('never throws, numbers its messages without gaps, disconnects at most once, answers closed only after close, and always ends', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('audioconnector' as const, 'monitor' as const),
        fc.boolean(),
        // Most runs start with a valid open so that the open phases get explored, not just the first message.
        fc.constantFrom(true, true, true, false),
        fc.array(step, { maxLength: 40 }),
        (flavour, accept, startOpen, rest) => {
        const steps: Step[] = startOpen ? [{ kind: 'valid', type: 'open', mutation: null }, ...rest] : rest;
        const { trace, h, endedCount } = run(flavour, accept, steps);
        const out = trace.flatMap((t) => ('out' in t ? [t.out] : []));
        expect(out.map((m) => m.seq)).toEqual(out.map((_, i) => i + 1));
        expect(out.filter((m) => m.type === 'disconnect').length).toBeLessThanOrEqual(1);
        expect(out.filter((m) => m.type === 'opened').length).toBeLessThanOrEqual(1);
        expect(out.filter((m) => m.type === 'closed').length).toBeLessThanOrEqual(1);

        const closedAt = trace.findIndex((t) => 'out' in t && t.out.type === 'closed');
        const closeAt = trace.findIndex((t) => 'clientClose' in t);
        if (closedAt >= 0) expect(closeAt).toBeGreaterThanOrEqual(0);
        if (closedAt >= 0) expect(closeAt).toBeLessThan(closedAt);

        const disconnectAt = trace.findIndex((t) => 'out' in t && t.out.type === 'disconnect');
        const openedAt = trace.findIndex((t) => 'out' in t && t.out.type === 'opened');
        trace.forEach((t, i) => {
          if ('outBinary' in t) {
            expect(openedAt).toBeGreaterThanOrEqual(0);
            expect(i).toBeGreaterThan(openedAt);
            if (disconnectAt >= 0) expect(i).toBeLessThan(disconnectAt);
            expect(t.outBinary).toBeLessThanOrEqual(64_000);
          }
          // A pong answers the ping right before it, echoing its seq.
          if ('out' in t && t.out.type === 'pong') {
            const ping = trace.slice(0, i).reverse().find((p) => 'clientPing' in p);
            expect(ping && 'clientPing' in ping ? ping.clientPing : undefined).toBe(t.out.clientseq);
          }
        });
        expect(h.session.phase).toBe('ended');
        expect(endedCount).toBe(1);
        expect(h.clock.pendingTimers).toBe(0);
      },
      ),
      { numRuns: 1000 },
    );
  });
});
