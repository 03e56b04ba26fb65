import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, MESSAGE_DISPOSITION, SIGNAL_ERRORS_IN, DISCONNECT_ALLOWED_IN, initialState, type Phase, type SessionState } from './state.js';
import { transition } from './transition.js';

const SESSION = '30b0e395-84d3-4570-ac13-9a62d8f514c0';
const config = { sessionId: SESSION, organizationId: undefined, flavour: 'audioconnector' as const, timeouts: DEFAULT_TIMEOUTS };
const ping = (seq: number) =>
  JSON.stringify({ version: '2', id: SESSION, type: 'ping', seq, serverseq: 0, position: 'PT0S', parameters: {} });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('transition', () => {
  it('is pure: it never mutates the state it is given and answers the same input the same way', () => {
    const state: SessionState = deepFreeze({ ...initialState(config), phase: 'active' });
    const a = transition(state, { kind: 'text', text: ping(1) });
    const b = transition(state, { kind: 'text', text: ping(1) });
    expect(a).toEqual(b);
    expect(state.seq).toBe(0);
    expect(a.state).toMatchObject({ seq: 1, clientseq: 1 });
    expect(a.effects).toContainEqual({
      kind: 'send',
      message: { version: '2', id: SESSION, type: 'pong', seq: 1, clientseq: 1, parameters: {} },
    });
  });

  it('does nothing at all once ended', () => {
    const ended: SessionState = { ...initialState(config), phase: 'ended' };
    for (const event of [{ kind: 'text', text: ping(1) }, { kind: 'abort' }, { kind: 'socket-closed' }, { kind: 'binary', byteLength: 3 }] as const) {
      expect(transition(ended, event)).toEqual({ state: ended, effects: [] });
    }
  });

  it('sees only the size of audio, and advances the position by it', () => {
    const state: SessionState = {
      ...initialState(config),
      phase: 'active',
      media: { type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 },
      positionSamples: 100,
    };
    const r = transition(state, { kind: 'binary', byteLength: 160 });
    expect(r.effects).toEqual([{ kind: 'deliver-audio', positionSamples: 100 }]);
    expect(r.state.positionSamples).toBe(260);
  });

  it('never signals where a disconnect cannot be sent', () => {
    const phases = Object.keys(SIGNAL_ERRORS_IN) as Phase[];
    for (const phase of phases) if (SIGNAL_ERRORS_IN[phase]) expect(DISCONNECT_ALLOWED_IN[phase], phase).toBe(true);
  });

  it('accepts open only while awaiting it, and close in every phase before the client closed', () => {
    for (const [phase, row] of Object.entries(MESSAGE_DISPOSITION)) {
      expect(row.open === 'handle', phase).toBe(phase === 'awaiting-open');
      const closeHandled = !['awaiting-open', 'closing', 'closed', 'ended'].includes(phase);
      expect(row.close === 'handle', phase).toBe(closeHandled);
    }
  });
});
