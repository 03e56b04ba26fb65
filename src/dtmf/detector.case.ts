// The DTMF detector contract: every Q.24 (AT&T) receiver criterion as a generated sweep, written once and
// run against both engines (detector-wasm.test.ts, reference-detector.test.ts). Signals go through a mu-law
// round trip unless a test says otherwise; tone placement is random against the 40-sample block grid.
import { describe, it, expect } from 'vitest';
import { DTMF_KEYS, seededRandom, addNoise } from '../audio/tones.js';
import { mulawEncode } from '../audio/g711.js';
import { createDtmfDetector, type DtmfEngine } from './detector.js';
import type { DtmfEvent, DigitEvent, DigitEndEvent } from './events.js';
import { composePresses, digitsOf, runDetector, toInt16, type RunOptions, type Signal, type TonePress } from './signal-fixtures.js';

export { digitsOf, runDetector };

const MS = 8; // samples per millisecond

const keysOf = (s: Signal): string => s.truth.map((t) => t.key).join('');

/** Presses of every key with the given shape, random gaps (so random block alignment). */
function sweep(seed: number, shapes: Partial<TonePress>[], o: { on?: number; off?: [number, number]; keys?: readonly string[] } = {}): TonePress[] {
  const rnd = seededRandom(seed);
  const out: TonePress[] = [];
  for (const shape of shapes) {
    for (const key of o.keys ?? DTMF_KEYS) {
      const [lo, hi] = o.off ?? [60 * MS, 100 * MS];
      out.push({ key, samples: o.on ?? 60 * MS, gapBefore: lo + Math.floor(rnd() * (hi - lo)), phase: rnd() * 6.28, ...shape });
    }
  }
  return out;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

export function runDtmfDetectorContract(engine: DtmfEngine): void {
  const detect = (s: Signal, o?: RunOptions): DtmfEvent[] => runDetector(engine, s.samples, o);

  describe(`DTMF detector contract (${engine} engine)`, () => {
    it('detects all 16 digits, ten presses each, 50 ms on and 50 ms off', () => {
      const presses = sweep(1, Array.from({ length: 10 }, () => ({})), { on: 50 * MS, off: [50 * MS, 50 * MS + 1] });
      const s = composePresses(presses);
      expect(digitsOf(detect(s))).toBe(keysOf(s));
    });

    it('accepts tones within 1.5 % of nominal, on either tone or both', () => {
      const shapes: Partial<TonePress>[] = [];
      for (const off of [-0.015, -0.01, -0.005, 0.005, 0.01, 0.015]) {
        shapes.push({ freqOffset: off }, { lowOffset: off, highOffset: 0 }, { lowOffset: 0, highOffset: off });
      }
      const s = composePresses(sweep(2, shapes, { on: 50 * MS }));
      expect(digitsOf(detect(s))).toBe(keysOf(s));
    });

    it('never detects a tone 3.5 % or more off nominal', () => {
      const shapes: Partial<TonePress>[] = [];
      for (const off of [-0.06, -0.05, -0.04, -0.035, 0.035, 0.04, 0.05, 0.06]) {
        shapes.push({ freqOffset: off }, { lowOffset: off, highOffset: 0 }, { lowOffset: 0, highOffset: off });
      }
      const s = composePresses(sweep(3, shapes, { on: 100 * MS }));
      expect(digitsOf(detect(s))).toBe('');
    });

    it('accepts high-minus-low twist from -8 to +4 dB', () => {
      const shapes: Partial<TonePress>[] = [];
      for (let twist = -8; twist <= 4; twist += 1) shapes.push({ twistDb: twist, lowDbm0: -10 }, { twistDb: twist, lowDbm0: -17 });
      const s = composePresses(sweep(4, shapes, { on: 45 * MS }));
      expect(digitsOf(detect(s))).toBe(keysOf(s));
    });

    it('accepts every level per tone from 0 to -25 dBm0', () => {
      const shapes: Partial<TonePress>[] = [];
      for (let level = 0; level >= -25; level -= 2.5) shapes.push({ lowDbm0: level });
      const s = composePresses(sweep(5, shapes, { on: 45 * MS }));
      expect(digitsOf(detect(s))).toBe(keysOf(s));
    });

    it('never detects tones below -55 dBm0', () => {
      const s = composePresses(sweep(6, [{ lowDbm0: -55.5 }, { lowDbm0: -60 }, { lowDbm0: -70 }], { on: 200 * MS }));
      expect(digitsOf(detect(s))).toBe('');
    });

    it('always detects 40 ms tones, at every alignment against the block grid', () => {
      const presses: TonePress[] = [];
      for (let align = 0; align < 40; align++) {
        presses.push({ key: DTMF_KEYS[align % 16]!, samples: 40 * MS, gapBefore: 80 * MS + align + (align % 3) * 40, lowDbm0: -10 - (align % 16), twistDb: (align % 5) - 3 });
      }
      const s = composePresses(presses);
      expect(digitsOf(detect(s))).toBe(keysOf(s));
    });

    it('never detects tones of 23 ms or less, at every alignment', () => {
      const presses: TonePress[] = [];
      for (const ms of [23, 20, 15, 10, 5]) {
        for (let align = 0; align < 40; align++) presses.push({ key: DTMF_KEYS[align % 16]!, samples: ms * MS, gapBefore: 60 * MS + align, lowDbm0: -4 - (align % 20) });
      }
      expect(digitsOf(detect(composePresses(presses)))).toBe('');
    });

    it('does not split a digit on a dropout of up to 10 ms', () => {
      const rnd = seededRandom(8);
      const presses: TonePress[] = [];
      for (let i = 0; i < 120; i++) {
        const before = Math.floor((25 + rnd() * 25) * MS);
        presses.push({
          key: DTMF_KEYS[i % 16]!,
          samples: before + Math.floor((40 + rnd() * 15) * MS),
          gapBefore: 60 * MS + Math.floor(rnd() * 40),
          dropoutAt: before,
          dropoutSamples: i < 40 ? 10 * MS : 1 + Math.floor(rnd() * 10 * MS),
          lowDbm0: -5 - rnd() * 18,
        });
      }
      const s = composePresses(presses);
      expect(digitsOf(detect(s))).toBe(keysOf(s));
    });

    it('separates two presses of the same key by a 40 ms pause', () => {
      const presses: TonePress[] = [];
      for (let i = 0; i < 64; i++) {
        const key = DTMF_KEYS[i % 16]!;
        presses.push({ key, samples: 50 * MS, gapBefore: 80 * MS + i }, { key, samples: 50 * MS, gapBefore: 40 * MS });
      }
      const s = composePresses(presses);
      expect(digitsOf(detect(s))).toBe(keysOf(s));
    });

    it('keeps up with 93 ms digit cycles', () => {
      const rnd = seededRandom(10);
      const presses: TonePress[] = [];
      for (let i = 0; i < 200; i++) {
        const on = i % 2 === 0 ? 50 : 40;
        presses.push({ key: DTMF_KEYS[Math.floor(rnd() * 16)]!, samples: on * MS, gapBefore: (93 - on) * MS, lowDbm0: -5 - rnd() * 15, twistDb: -4 + rnd() * 6 });
      }
      const s = composePresses(presses);
      expect(digitsOf(detect(s))).toBe(keysOf(s));
    });

    it('detects every digit at 15 dB S/N in white noise, at any twist in range', () => {
      for (const [level, twist] of [[-10, 0], [-20, 0], [-10, -8], [-10, 4]] as const) {
        const presses = sweep(11, [{ lowDbm0: level, twistDb: twist }, { lowDbm0: level, twistDb: twist }], { on: 45 * MS, off: [45 * MS, 90 * MS] });
        const signalDbm0 = 10 * Math.log10(10 ** (level / 10) + 10 ** ((level + twist) / 10));
        const s = composePresses(presses, { noiseDbm0: signalDbm0 - 15, seed: 12 + level - twist });
        expect(digitsOf(detect(s)), `level ${level} twist ${twist}`).toBe(keysOf(s));
      }
    });

    it('finds nothing in a minute of white noise or silence', () => {
      const noise = new Float32Array(60 * 8000);
      addNoise(noise, -20, 13);
      expect(detect({ samples: noise, truth: [] }).filter((e) => e.type === 'digit')).toEqual([]);
      expect(detect({ samples: new Float32Array(8000), truth: [] })).toEqual([]);
    });

    it('confirms a digit within 40 ms of its onset (p99) and reports its extent to within 3 ms', () => {
      const rnd = seededRandom(14);
      const presses: TonePress[] = [];
      for (let i = 0; i < 300; i++) {
        presses.push({ key: DTMF_KEYS[i % 16]!, samples: Math.floor((40 + rnd() * 60) * MS), gapBefore: Math.floor((40 + rnd() * 100) * MS), lowDbm0: -4 - rnd() * 21, twistDb: -8 + rnd() * 12 });
      }
      const s = composePresses(presses);
      const events = detect(s);
      const digits = events.filter((e): e is DigitEvent => e.type === 'digit');
      const ends = events.filter((e): e is DigitEndEvent => e.type === 'digitend');
      expect(digits.map((d) => d.digit).join('')).toBe(keysOf(s));
      const latency = digits.map((d, i) => d.detectedAtSample - s.truth[i]!.start);
      expect(percentile(latency, 0.99)).toBeLessThanOrEqual(40 * MS);
      digits.forEach((d, i) => {
        expect(d.startSample - s.truth[i]!.start).toBeGreaterThanOrEqual(-3 * MS);
        expect(d.startSample - s.truth[i]!.start).toBeLessThanOrEqual(3 * MS);
      });
      ends.forEach((d, i) => {
        expect(d.endSample - s.truth[i]!.end).toBeGreaterThanOrEqual(-3 * MS);
        expect(d.endSample - s.truth[i]!.end).toBeLessThanOrEqual(3 * MS);
      });
    });

    it('covers every tone with a suspected span from its true onset to its end, and keeps the span tight', () => {
      const rnd = seededRandom(15);
      const presses: TonePress[] = [];
      for (let i = 0; i < 200; i++) {
        presses.push({ key: DTMF_KEYS[i % 16]!, samples: Math.floor((15 + rnd() * 80) * MS), gapBefore: Math.floor((50 + rnd() * 100) * MS), lowDbm0: -4 - rnd() * 21, twistDb: -8 + rnd() * 12 });
      }
      const s = composePresses(presses);
      const events = detect(s, { frame: 'random', seed: 16 });
      const spans = events.filter((e) => e.type === 'suspectend').map((e) => [e.startSample, (e as { endSample: number }).endSample] as const);
      // Tones of 23 ms or more must each be covered by one span; shorter ones may not be suspected at all.
      for (const t of s.truth.filter((t) => t.end - t.start >= 23 * MS)) {
        const span = spans.find(([a, b]) => a < t.end && b > t.start);
        expect(span, `tone at ${t.start}`).toBeDefined();
        expect(span![0]).toBeLessThanOrEqual(t.start);
        expect(span![0]).toBeGreaterThanOrEqual(t.start - 10 * MS);
        expect(span![1]).toBeGreaterThanOrEqual(t.end);
        expect(span![1]).toBeLessThanOrEqual(t.end + 5 * MS);
      }
      // A suspect event announces each span before it closes, with the same start or a later one.
      expect(events.filter((e) => e.type === 'suspect').length).toBe(spans.length);
    });

    it('gives the same events whatever the frame sizes', () => {
      const s = composePresses(sweep(17, [{}, { twistDb: -6 }], { on: 45 * MS }), { noiseDbm0: -40 });
      expect(detect(s, { frame: 'random', seed: 18 })).toEqual(detect(s, { frame: 100000 }));
    });

    it('reads 16-bit linear input as well as mu-law', () => {
      const s = composePresses(sweep(19, [{ lowDbm0: -24 }, { lowDbm0: -3, twistDb: 3 }], { on: 45 * MS }));
      expect(digitsOf(detect(s, { encoding: 'pcm16' }))).toBe(keysOf(s));
      const d = createDtmfDetector({ encoding: 'pcm16', engine });
      const pcm = toInt16(s.samples);
      const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      const fromBytes: DtmfEvent[] = [];
      d.process(bytes, (e) => fromBytes.push(e));
      d.flush((e) => fromBytes.push(e));
      expect(fromBytes).toEqual(detect(s, { encoding: 'pcm16', frame: 1 << 20 }));
    });

    it('detects each channel of interleaved stereo on its own', () => {
      const a = composePresses(sweep(20, [{}], { on: 50 * MS }));
      const b = composePresses(sweep(21, [{ lowDbm0: -20 }], { on: 50 * MS, keys: [...DTMF_KEYS].reverse() }));
      const n = Math.max(a.samples.length, b.samples.length);
      const left = mulawEncode(toInt16(a.samples));
      const right = mulawEncode(toInt16(b.samples));
      const stereo = new Uint8Array(2 * n).fill(0xff);
      for (let i = 0; i < left.length; i++) stereo[2 * i] = left[i]!;
      for (let i = 0; i < right.length; i++) stereo[2 * i + 1] = right[i]!;
      const d = createDtmfDetector({ channels: 2, encoding: 'mulaw', engine });
      const events: DtmfEvent[] = [];
      for (let at = 0; at < stereo.length; at += 320) d.process(stereo.subarray(at, at + 320), (e) => events.push(e));
      d.flush((e) => events.push(e));
      expect(digitsOf(events.filter((e) => e.channel === 0))).toBe(keysOf(a));
      expect(digitsOf(events.filter((e) => e.channel === 1))).toBe(keysOf(b));
      expect(d.positionSamples).toBeGreaterThanOrEqual(n);
    });

    it('ends a digit in progress on flush, and restarts positions on reset', () => {
      const s = composePresses([{ key: '5', samples: 200 * MS, gapBefore: 100 }], { tailSamples: 0 });
      const d = createDtmfDetector({ encoding: 'pcm16', engine });
      const events: DtmfEvent[] = [];
      d.process(toInt16(s.samples), (e) => events.push(e));
      expect(events.map((e) => e.type)).toEqual(['suspect', 'digit']);
      d.flush((e) => events.push(e));
      expect(events.map((e) => e.type)).toEqual(['suspect', 'digit', 'digitend', 'suspectend']);
      d.reset();
      expect(d.positionSamples).toBe(0);
      const again: DtmfEvent[] = [];
      d.process(toInt16(s.samples), (e) => again.push(e));
      expect(again).toEqual(events.slice(0, 2));
    });

    it('lets a listener feed another detector from inside its callback', () => {
      const s = composePresses(sweep(22, [{}], { on: 50 * MS, keys: ['1', '2', '3'] }));
      const pcm = toInt16(s.samples);
      const stereo = new Int16Array(pcm.length * 2);
      for (let i = 0; i < pcm.length; i++) stereo[2 * i] = stereo[2 * i + 1] = pcm[i]!;
      const outer = createDtmfDetector({ channels: 2, encoding: 'pcm16', engine });
      const inner = createDtmfDetector({ encoding: 'mulaw', engine });
      // A large frame: with a shared kernel it overwrites the whole input area (wiping channel 1's audio
      // if the outer detector delivered channel 0's events before reading channel 1).
      const silence = new Uint8Array(16000).fill(0xff);
      const events: DtmfEvent[] = [];
      outer.process(stereo, (e) => {
        events.push(e);
        inner.process(silence, () => {});
      });
      outer.flush((e) => events.push(e));
      expect(digitsOf(events.filter((e) => e.channel === 0))).toBe('123');
      expect(digitsOf(events.filter((e) => e.channel === 1))).toBe('123');
    });

    it('rejects frames that are not whole sample frames, and use after close', () => {
      const d = createDtmfDetector({ channels: 2, encoding: 'mulaw', engine });
      expect(() => d.process(new Uint8Array(3), () => {})).toThrow(expect.objectContaining({ code: 'ERR_DTMF_FRAME' }));
      expect(() => d.process(new Int16Array(4), () => {})).toThrow(expect.objectContaining({ code: 'ERR_DTMF_FRAME' }));
      d.close();
      d.close();
      expect(() => d.process(new Uint8Array(2), () => {})).toThrow(expect.objectContaining({ code: 'ERR_DTMF_CLOSED' }));
      expect(() => createDtmfDetector({ channels: 0, encoding: 'mulaw', engine })).toThrow(expect.objectContaining({ code: 'ERR_DTMF_OPTIONS' }));
    });
  });
}
