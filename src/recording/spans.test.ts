import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DtmfSpanTracker } from './dtmf-spans.js';
import { luhnValid } from './luhn.js';
import { PositionBuffer } from './position-buffer.js';
import { groupRuns, holdsCard, type FoundDigit } from './scan.js';
import { consolidateSpans, coveredSamples, samplesOutside, toSidecarSpan, type MaskSpan } from './spans.js';

describe('mask spans', () => {
  it('merges overlapping spans of one reason and folds suspects into the confirmed tone they overlap', () => {
    const spans: MaskSpan[] = [
      { start: 100, end: 300, reason: 'dtmf_suspect' },
      { start: 140, end: 320, reason: 'dtmf' },
      { start: 900, end: 960, reason: 'dtmf_suspect' },
      { start: 500, end: 700, reason: 'secure_window', label: 'cvv' },
      { start: 650, end: 800, reason: 'secure_window', label: 'cvv' },
      { start: 650, end: 800, reason: 'secure_window', label: 'expiry' },
    ];
    expect(consolidateSpans(spans)).toEqual([
      { start: 100, end: 320, reason: 'dtmf' },
      { start: 500, end: 800, reason: 'secure_window', label: 'cvv' },
      { start: 650, end: 800, reason: 'secure_window', label: 'expiry' },
      { start: 900, end: 960, reason: 'dtmf_suspect' },
    ]);
  });

  it('consolidation never changes which samples are masked', () => {
    const span = fc.record({ start: fc.nat(2000), len: fc.integer({ min: 1, max: 300 }), reason: fc.constantFrom('dtmf', 'dtmf_suspect', 'secure_window') });
    fc.assert(
      fc.property(fc.array(span, { maxLength: 20 }), (raw) => {
        const spans = raw.map((s) => ({ start: s.start, end: s.start + s.len, reason: s.reason as MaskSpan['reason'] }));
        const out = consolidateSpans(spans);
        expect(coveredSamples(out)).toBe(coveredSamples(spans));
        expect(samplesOutside(spans, out)).toBe(0);
      }),
    );
  });

  it('sidecar spans carry samples and milliseconds', () => {
    expect(toSidecarSpan({ start: 8, end: 8004, reason: 'dtmf' })).toEqual({ startSample: 8, endSample: 8004, startMs: 1, endMs: 1000.5, reason: 'dtmf' });
  });

  it('counts samples outside allowed intervals', () => {
    expect(samplesOutside([{ start: 0, end: 100 }], [{ start: 10, end: 20 }, { start: 15, end: 30 }])).toBe(80);
  });
});

describe('DTMF span tracker', () => {
  it('opens at the earliest onset minus the guard and closes at the end plus the guard', () => {
    const t = new DtmfSpanTracker({ beforeSamples: 40, afterSamples: 80 });
    expect(t.onEvent({ type: 'suspect', channel: 0, startSample: 960, detectedAtSample: 1080 })).toBeUndefined();
    expect(t.openFrom()).toBe(920);
    t.onEvent({ type: 'digit', channel: 0, digit: '5', startSample: 1001.06, detectedAtSample: 1240, levelDbm0: -7, twistDb: 0 });
    const d = t.onEvent({ type: 'digitend', channel: 0, digit: '5', startSample: 1001.06, endSample: 1399.6, detectedAtSample: 1720, levelDbm0: -7, twistDb: 0 });
    expect(d).toEqual({ start: 920, end: 1480, reason: 'dtmf' });
    expect(t.openFrom()).toBe(920); // the suspect is still open
    t.onEvent({ type: 'suspectend', channel: 0, startSample: 960, endSample: 1399.6, detectedAtSample: 1720 });
    expect(t.openFrom()).toBeUndefined();
  });

  it('closes spans still open when the stream ends', () => {
    const t = new DtmfSpanTracker();
    t.onEvent({ type: 'suspect', channel: 1, startSample: 100, detectedAtSample: 200 });
    expect(t.closeAll(500)).toEqual([{ start: 60, end: 580, reason: 'dtmf_suspect' }]);
    expect(t.openFrom()).toBeUndefined();
  });
});

describe('position buffer', () => {
  it('reads back what was written by position, silence elsewhere, across growth and discards', () => {
    const b = new PositionBuffer();
    b.write(new Uint8Array(5000).fill(1), 0);
    b.write(new Uint8Array(10).fill(2), 6000);
    expect(b.end).toBe(6010);
    expect([...b.read(4998, 5002)]).toEqual([1, 1, 0xff, 0xff]);
    b.discardBefore(5999);
    expect([...b.read(5998, 6001)]).toEqual([0xff, 0xff, 2]);
    expect(b.write(new Uint8Array(4).fill(3), 5997)).toBe(2);
    expect([...b.read(5999, 6002)]).toEqual([3, 3, 2]);
  });
});

describe('digit runs and card numbers', () => {
  const digits = (s: string, channel = 0, gapAt = -1): FoundDigit[] =>
    s.split('').map((d, i) => ({ channel, digit: d as FoundDigit['digit'], startSample: i * 1600 + (i >= gapAt && gapAt >= 0 ? 80000 : 0), endSample: i * 1600 + 640 + (i >= gapAt && gapAt >= 0 ? 80000 : 0) }));

  it('Luhn accepts test card numbers and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('finds a card number inside a longer run, but not in a short or split one', () => {
    expect(holdsCard('99' + '4111111111111111' + '1')).toBe(true);
    expect(holdsCard('411111111111')).toBe(false);
    const split = groupRuns(digits('4111111111111111', 0, 8), 5 * 8000);
    expect(split.map((r) => [r.count, r.possibleCard])).toEqual([[8, false], [8, false]]);
    const whole = groupRuns(digits('4111111111111111'), 5 * 8000);
    expect(whole.map((r) => [r.count, r.possibleCard])).toEqual([[16, true]]);
  });

  it('a non-decimal key ends a run', () => {
    const runs = groupRuns(digits('12#34'), 5 * 8000);
    expect(runs.map((r) => [r.first, r.count])).toEqual([[0, 2], [3, 2]]);
  });
});
