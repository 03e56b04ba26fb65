import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ClientMessageType } from './messages.js';
import {
  isMediaParameter,
  isUuid,
  loggableType,
  parseClientText,
  validateClientMessage,
  validateEnvelope,
} from './validate.js';

const SESSION = '30b0e395-84d3-4570-ac13-9a62d8f514c0';
const ORG = 'd7934305-0972-4844-938e-9060eef73d05';

function envelope(type: string, parameters: unknown, extra: Record<string, unknown> = {}) {
  return { version: '2', id: SESSION, type, seq: 1, serverseq: 0, position: 'PT0S', parameters, ...extra };
}

const openParameters = () => ({
  organizationId: ORG,
  conversationId: '090eaa2f-72fa-480a-83e0-8667ff89c0ec',
  participant: { id: '883efee8-3d6c-4537-b500-6d7ca4b92fa0', ani: '+1-555-555-1234', aniName: 'John Doe', dnis: '+1-800-555-6789' },
  media: [{ type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 }],
  language: 'en-US',
  inputVariables: { paymentRef: 'INV-42' },
});

/** One valid example per client type; the mapped type makes a missing type a compile error. */
const validParameters: { [T in ClientMessageType]: unknown } = {
  open: openParameters(),
  close: { reason: 'end' },
  ping: { rtt: 'PT0.012S' },
  paused: {},
  resumed: { start: 'PT1S', discarded: 'PT0.5S' },
  discarded: { start: 'PT1S', discarded: 'PT2S' },
  update: { language: 'fr-FR' },
  error: { code: 429, message: 'Too many requests', retryAfter: 'PT2S' },
  dtmf: { digit: '#' },
  playback_started: {},
  playback_completed: {},
};

describe('validateClientMessage', () => {
  it('accepts a valid example of every client message type', () => {
    for (const [type, parameters] of Object.entries(validParameters)) {
      const result = validateClientMessage(envelope(type, parameters));
      expect(result, type).toMatchObject({ ok: true, message: { type } });
    }
  });

  it('accepts the documented real Genesys error message', () => {
    const real = JSON.parse(
      '{"version":"2","id":"30b0e395-84d3-4570-ac13-9a62d8f514c0","type":"error","seq":2,"position":"PT0.0S","parameters":{"code":408,"message":"Timed out waiting for opened response"},"serverseq":0}',
    );
    expect(validateClientMessage(real).ok).toBe(true);
  });

  it('reports the first failing envelope field by name', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ id: 'not-a-uuid' }, 'id'],
      [{ seq: -1 }, 'seq'],
      [{ seq: 1.5 }, 'seq'],
      [{ seq: 2 ** 60 }, 'seq'],
      [{ seq: '1' }, 'seq'],
      [{ serverseq: null }, 'serverseq'],
      [{ position: '1.5' }, 'position'],
      [{ position: 'PT1e400S' }, 'position'],
      [{ type: '' }, 'type'],
      [{ type: 7 }, 'type'],
    ];
    for (const [patch, field] of cases) {
      expect(validateEnvelope({ ...envelope('ping', {}), ...patch })).toEqual({ ok: false, code: 'ERR_PROTO_BAD_ENVELOPE', detail: field });
    }
  });

  it('names a wrong version string with its own code', () => {
    expect(validateEnvelope(envelope('ping', {}, { version: '1' }))).toMatchObject({ code: 'ERR_PROTO_BAD_VERSION' });
    expect(validateEnvelope(envelope('ping', {}, { version: 2 }))).toMatchObject({ code: 'ERR_PROTO_BAD_ENVELOPE' });
  });

  it('requires parameters to be a plain object', () => {
    for (const parameters of [undefined, null, [], 'x', 3]) {
      expect(validateEnvelope(envelope('ping', parameters))).toMatchObject({ ok: false, detail: 'parameters' });
    }
  });

  it('reports an unknown type distinctly from bad parameters', () => {
    expect(validateClientMessage(envelope('barge_in', {}))).toEqual({
      ok: false,
      code: 'ERR_PROTO_UNKNOWN_TYPE',
      detail: 'type',
      unknownType: true,
    });
    expect(validateClientMessage(envelope('dtmf', { digit: 'E' }))).toEqual({
      ok: false,
      code: 'ERR_PROTO_BAD_PARAMETERS',
      detail: 'parameters.digit',
    });
  });

  it('rejects bad parameters of each type with the failing path', () => {
    const cases: Array<[ClientMessageType, unknown, string]> = [
      ['open', { ...openParameters(), organizationId: 'x' }, 'parameters.organizationId'],
      ['open', { ...openParameters(), participant: { id: ORG, ani: 1, aniName: '', dnis: '' } }, 'parameters.participant'],
      ['open', { ...openParameters(), media: 'PCMU' }, 'parameters.media'],
      ['open', { ...openParameters(), media: [{ type: 'audio', format: 'PCMU', channels: ['external', 'external'], rate: 8000 }] }, 'parameters.media[]'],
      ['open', { ...openParameters(), inputVariables: { amount: 12 } }, 'parameters.inputVariables'],
      ['open', { ...openParameters(), customConfig: [] }, 'parameters.customConfig'],
      ['open', { ...openParameters(), continuedSessions: [{ id: ORG, serverseq: -1, clientseq: 0 }] }, 'parameters.continuedSessions'],
      ['close', { reason: 'bored' }, 'parameters.reason'],
      ['ping', { rtt: 12 }, 'parameters.rtt'],
      ['resumed', { start: 'PT1S' }, 'parameters.discarded'],
      ['discarded', { discarded: 'PT1S' }, 'parameters.start'],
      ['update', { language: 5 }, 'parameters.language'],
      ['error', { code: 42, message: 'x' }, 'parameters.code'],
      ['error', { code: 500 }, 'parameters.message'],
      ['dtmf', {}, 'parameters.digit'],
    ];
    for (const [type, parameters, path] of cases) {
      expect(validateClientMessage(envelope(type, parameters)), `${type} ${path}`).toEqual({
        ok: false,
        code: 'ERR_PROTO_BAD_PARAMETERS',
        detail: path,
      });
    }
  });

  it('accepts every DTMF digit of the keypad alphabet and nothing else', () => {
    for (const digit of '0123456789*#ABCD') expect(validateClientMessage(envelope('dtmf', { digit })).ok).toBe(true);
    for (const digit of ['a', 'E', '10', '', ' ', 1]) expect(validateClientMessage(envelope('dtmf', { digit })).ok).toBe(false);
  });

  it('refuses prototype-pollution keys wherever it reads an object', () => {
    const hostile = [
      '{"version":"2","id":"30b0e395-84d3-4570-ac13-9a62d8f514c0","type":"ping","seq":1,"serverseq":0,"position":"PT0S","parameters":{},"__proto__":{"polluted":1}}',
      '{"version":"2","id":"30b0e395-84d3-4570-ac13-9a62d8f514c0","type":"ping","seq":1,"serverseq":0,"position":"PT0S","parameters":{"__proto__":{"polluted":1}}}',
    ];
    for (const text of hostile) {
      const parsed = parseClientText(text);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(validateClientMessage(parsed.value).ok).toBe(false);
    }
    const open = openParameters() as Record<string, unknown>;
    const withVars = JSON.parse(JSON.stringify({ ...open, inputVariables: {} }).replace('"inputVariables":{}', '"inputVariables":{"__proto__":"x"}'));
    expect(validateClientMessage(envelope('open', withVars))).toMatchObject({ detail: 'parameters.inputVariables' });
    const withConfig = JSON.parse(JSON.stringify({ ...open, customConfig: { a: { b: [{}] } } }).replace('"b":[{}]', '"b":[{"constructor":{}}]'));
    expect(validateClientMessage(envelope('open', withConfig))).toMatchObject({ detail: 'parameters.customConfig' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('handles deeply nested and oversized customConfig without recursion', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(validateClientMessage(envelope('open', { ...openParameters(), customConfig: deep }))).toMatchObject({
      detail: 'parameters.customConfig',
    });
    const shallow = { a: { b: [1, 2, { c: 'd' }] } };
    expect(validateClientMessage(envelope('open', { ...openParameters(), customConfig: shallow })).ok).toBe(true);
  });

  it('never throws on a hostile object with throwing getters', () => {
    const trap = new Proxy({}, { get: () => { throw new Error('boom'); }, getPrototypeOf: () => { throw new Error('boom'); } });
    expect(validateClientMessage(trap)).toMatchObject({ ok: false });
    expect(validateClientMessage(envelope('ping', trap))).toMatchObject({ ok: false });
  });

  it('never throws and never accepts non-objects, for any JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validateClientMessage(value);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) expect(result.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on random envelopes around valid parameters (property)', () => {
    const types = [...Object.keys(validParameters), 'barge_in', '', 'toString', '__proto__', 'constructor'];
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.oneof(fc.constantFrom(...Object.values(validParameters)), fc.object(), fc.anything()),
        fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constant(Number.MAX_VALUE)),
        (type, parameters, seq) => {
          const result = validateClientMessage(envelope(type, parameters, { seq }));
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseClientText', () => {
  it('refuses text over 65535 bytes before parsing it, counting UTF-8 bytes', () => {
    expect(parseClientText(' '.repeat(65_536))).toEqual({ ok: false, code: 'ERR_PROTO_TEXT_TOO_LARGE', detail: 'text' });
    // 30000 three-byte characters: under the char limit, over the byte limit.
    expect(parseClientText(`"${'€'.repeat(30_000)}"`)).toMatchObject({ code: 'ERR_PROTO_TEXT_TOO_LARGE' });
    expect(parseClientText(`"${'a'.repeat(65_000)}"`).ok).toBe(true);
  });

  it('reports text that is not JSON', () => {
    expect(parseClientText('{"version":')).toEqual({ ok: false, code: 'ERR_PROTO_BAD_JSON', detail: 'text' });
    expect(parseClientText('[[[[' .repeat(16_000))).toMatchObject({ ok: false });
  });
});

describe('small guards', () => {
  it('isUuid accepts the nil UUID and any case, nothing looser', () => {
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isUuid(SESSION.toUpperCase())).toBe(true);
    expect(isUuid(`${SESSION}0`)).toBe(false);
    expect(isUuid(SESSION.replaceAll('-', ''))).toBe(false);
  });

  it('isMediaParameter wants audio at 8 kHz with one or two distinct channels', () => {
    const base = { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 };
    expect(isMediaParameter(base)).toBe(true);
    expect(isMediaParameter({ ...base, rate: 16000 })).toBe(false);
    expect(isMediaParameter({ ...base, format: 'opus' })).toBe(false);
    expect(isMediaParameter({ ...base, channels: [] })).toBe(false);
    expect(isMediaParameter({ ...base, channels: ['external', 'internal', 'external'] })).toBe(false);
  });

  it('loggableType passes short plain words only', () => {
    expect(loggableType('barge_in')).toBe('barge_in');
    expect(loggableType('4111111111111111')).toBe('[unprintable]');
    expect(loggableType('x'.repeat(100))).toBe('[unprintable]');
  });
});
