import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DTMF_KEYS, type DtmfKey } from '../audio/tones.js';
import { DigitMerger, type MergeOutcome } from './digit-merger.js';

const tone = (digit: DtmfKey, startSample: number) => ({ digit, startSample, detectedAtSample: startSample + 250 });

describe('DigitMerger', () => {
  it('counts a press once when the message follows the in-band digit', () => {
    const m = new DigitMerger();
    expect(m.inband(tone('5', 8000)).code).toBe('press');
    expect(m.outOfBand({ digit: '5', positionSamples: 8100 })).toMatchObject({ code: 'duplicate', press: { source: 'inband' } });
  });

  it('counts a press once when the message comes before the in-band digit', () => {
    const m = new DigitMerger();
    expect(m.outOfBand({ digit: '#', positionSamples: 8000 })).toMatchObject({ code: 'press', press: { source: 'outofband', positionSamples: 8000 } });
    expect(m.inband(tone('#', 7990)).code).toBe('duplicate');
  });

  it('matches a message placed at the end of a long key hold once the tone has ended', () => {
    const m = new DigitMerger();
    m.inband(tone('0', 8000));
    m.inbandEnd({ digit: '0', startSample: 8000, endSample: 8000 + 16000 });
    expect(m.outOfBand({ digit: '0', positionSamples: 8000 + 16000 + 100 }).code).toBe('duplicate');
  });

  it('counts a message 40 ms after a same-key tone ended as a new press', () => {
    const m = new DigitMerger();
    m.inband(tone('1', 8000));
    m.inbandEnd({ digit: '1', startSample: 8000, endSample: 8400 });
    expect(m.outOfBand({ digit: '1', positionSamples: 8400 + 240 }).code).toBe('duplicate');
    expect(m.outOfBand({ digit: '1', positionSamples: 8400 + 320 }).code).toBe('press');
  });

  it('pairs any same-key message with a tone that is still sounding', () => {
    const m = new DigitMerger();
    m.inband(tone('4', 8000));
    expect(m.outOfBand({ digit: '4', positionSamples: 8000 + 40000 }).code).toBe('duplicate');
  });

  it('never merges different keys', () => {
    const m = new DigitMerger();
    m.inband(tone('1', 8000));
    expect(m.outOfBand({ digit: '2', positionSamples: 8000 }).code).toBe('press');
    expect(m.outOfBand({ digit: '1', positionSamples: 8000 }).code).toBe('duplicate');
    expect(m.inband(tone('2', 8000 + 100)).code).toBe('duplicate');
  });

  it('pairs each report at most once: two presses of one key stay two', () => {
    const m = new DigitMerger();
    m.inband(tone('7', 8000));
    m.inbandEnd({ digit: '7', startSample: 8000, endSample: 8400 });
    m.inband(tone('7', 8000 + 744));
    expect(m.outOfBand({ digit: '7', positionSamples: 8100 }).code).toBe('duplicate');
    expect(m.outOfBand({ digit: '7', positionSamples: 8000 + 800 }).code).toBe('duplicate');
    expect(m.outOfBand({ digit: '7', positionSamples: 8000 + 900 }).code).toBe('press');
  });

  it('forgets reports beyond its horizon', () => {
    const m = new DigitMerger({ horizonSamples: 8000 });
    m.outOfBand({ digit: '9', positionSamples: 1000 });
    m.inband(tone('3', 20000));
    expect(m.inband(tone('9', 1000)).code).toBe('press');
  });

  it('emits every press exactly once and in order, from either source, in arrival order', () => {
    // A call as the media server sees it: each press may be heard in-band (usually) and is reported by a
    // message positioned between its onset and 20 ms after its end, arriving with some skew against the audio.
    const press = fc.record({
      key: fc.constantFrom(...DTMF_KEYS),
      on: fc.integer({ min: 320, max: 1600 }),
      pause: fc.integer({ min: 320, max: 4000 }),
      heard: fc.boolean(),
      messageAt: fc.double({ min: 0, max: 1, noNaN: true }),
      sendDelay: fc.integer({ min: 0, max: 160 }),
      skew: fc.integer({ min: -400, max: 400 }),
    });
    fc.assert(
      fc.property(fc.array(press, { minLength: 1, maxLength: 30 }), fc.boolean(), (presses, messages) => {
        const arrivals: { at: number; deliver: (m: DigitMerger) => MergeOutcome | void }[] = [];
        let at = 0;
        let lastMessage = -Infinity; // messages arrive in order (one WebSocket, seq-numbered)
        for (const p of presses) {
          at += p.pause;
          const onset = at;
          const end = at + p.on;
          at = end;
          const heard = p.heard || !messages;
          if (heard) {
            arrivals.push({ at: onset + 250, deliver: (m) => m.inband({ digit: p.key, startSample: onset, detectedAtSample: onset + 250 }) });
            arrivals.push({ at: end + 320, deliver: (m) => m.inbandEnd({ digit: p.key, startSample: onset, endSample: end }) });
          }
          if (messages) {
            const position = Math.round(onset + p.messageAt * (end + p.sendDelay - onset));
            lastMessage = Math.max(lastMessage, position + p.skew);
            arrivals.push({ at: lastMessage, deliver: (m) => m.outOfBand({ digit: p.key, positionSamples: position }) });
          }
        }
        arrivals.sort((a, b) => a.at - b.at);
        const m = new DigitMerger();
        const emitted: string[] = [];
        for (const a of arrivals) {
          const o = a.deliver(m);
          if (o && o.code === 'press') emitted.push(o.press.digit);
        }
        expect(emitted.join('')).toBe(presses.map((p) => p.key).join(''));
      }),
      { numRuns: 500 },
    );
  });
});
