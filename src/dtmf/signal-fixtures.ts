// Generated DTMF test signals with their ground truth, and a helper that runs one through a detector: used
// by the detector contract suite, the conformance tests and the benchmarks. Deterministic for a given seed.
import { addDtmf, addNoise, addTone, seededRandom, toInt16, DTMF_KEYS } from '../audio/tones.js';
import { mulawEncode } from '../audio/g711.js';
import { createDtmfDetector, type DtmfEncoding, type DtmfEngine } from './detector.js';
import type { DigitEvent, DtmfEvent } from './events.js';

export interface TonePress {
  key: string;
  /** Tone length in samples. */
  samples: number;
  /** Silence before the tone, samples. */
  gapBefore: number;
  lowDbm0?: number;
  twistDb?: number;
  /** Relative offset applied to the low tone, the high tone, or both (`freqOffset`). */
  freqOffset?: number;
  lowOffset?: number;
  highOffset?: number;
  phase?: number;
  /** A gap of `dropoutSamples` silence starting `dropoutAt` samples into the tone. */
  dropoutAt?: number;
  dropoutSamples?: number;
}

export interface TrueTone {
  key: string;
  start: number;
  end: number;
}

export interface Signal {
  samples: Float32Array;
  truth: TrueTone[];
}

export interface ComposeOptions {
  tailSamples?: number;
  noiseDbm0?: number;
  seed?: number;
}

/** Lays presses out one after another; the truth lists each press's first and last-plus-one sample. */
export function composePresses(presses: readonly TonePress[], o: ComposeOptions = {}): Signal {
  let total = o.tailSamples ?? 800;
  for (const p of presses) total += p.gapBefore + p.samples + (p.dropoutSamples ?? 0);
  const samples = new Float32Array(total);
  const truth: TrueTone[] = [];
  let at = 0;
  for (const p of presses) {
    at += p.gapBefore;
    const start = at;
    const pieces: [number, number][] =
      p.dropoutSamples && p.dropoutAt !== undefined
        ? [[0, p.dropoutAt], [p.dropoutAt + p.dropoutSamples, p.samples + p.dropoutSamples]]
        : [[0, p.samples]];
    for (const [from, to] of pieces) addPress(samples, start + from, to - from, p);
    at = start + p.samples + (p.dropoutSamples ?? 0);
    truth.push({ key: p.key, start, end: at });
  }
  if (o.noiseDbm0 !== undefined) addNoise(samples, o.noiseDbm0, o.seed ?? 1);
  return { samples, truth };
}

function addPress(out: Float32Array, at: number, n: number, p: TonePress): void {
  const lowOffset = p.lowOffset ?? p.freqOffset ?? 0;
  const highOffset = p.highOffset ?? p.freqOffset ?? 0;
  const lowDbm0 = p.lowDbm0 ?? -10;
  if (lowOffset === highOffset) {
    // After a dropout the tone restarts at the same phase: a real interruption's phase is arbitrary anyway.
    addDtmf(out, at, n, p.key, { lowDbm0, twistDb: p.twistDb ?? 0, freqOffset: lowOffset, phase: p.phase ?? 0 });
    return;
  }
  const [lo, hi] = frequencies(p.key);
  addTone(out, at, n, lo * (1 + lowOffset), lowDbm0);
  addTone(out, at, n, hi * (1 + highOffset), lowDbm0 + (p.twistDb ?? 0));
}

function frequencies(key: string): [number, number] {
  const i = DTMF_KEYS.indexOf(key as (typeof DTMF_KEYS)[number]);
  if (i < 0) throw new RangeError('not a DTMF key');
  return [[697, 770, 852, 941][i >> 2]!, [1209, 1336, 1477, 1633][i & 3]!];
}

/** A random press sequence: all 16 keys, random lengths, gaps, levels and twist within Q.24 limits. */
export function randomPresses(count: number, seed: number, o: { minSamples?: number; maxSamples?: number; minGap?: number; maxGap?: number } = {}): TonePress[] {
  const rnd = seededRandom(seed);
  const between = (a: number, b: number): number => a + Math.floor(rnd() * (b - a + 1));
  const out: TonePress[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      key: DTMF_KEYS[between(0, 15)]!,
      samples: between(o.minSamples ?? 400, o.maxSamples ?? 800),
      gapBefore: between(o.minGap ?? 400, o.maxGap ?? 1600),
      lowDbm0: -4 - rnd() * 21,
      twistDb: -8 + rnd() * 12,
      phase: rnd() * 2 * Math.PI,
    });
  }
  return out;
}

export function toMulaw(samples: Float32Array): Uint8Array {
  return mulawEncode(toInt16(samples));
}

export { toInt16 };

export interface RunOptions {
  encoding?: DtmfEncoding;
  /** Fixed frame size, or random sizes from 1 to 400 when 'random'. Default 160 (20 ms). */
  frame?: number | 'random';
  seed?: number;
}

/** Runs a whole signal through a fresh detector, then flushes; returns every event. */
export function runDetector(engine: DtmfEngine, samples: Float32Array, o: RunOptions = {}): DtmfEvent[] {
  const encoding = o.encoding ?? 'mulaw';
  const d = createDtmfDetector({ encoding, engine });
  const input = encoding === 'mulaw' ? mulawEncode(toInt16(samples)) : toInt16(samples);
  const events: DtmfEvent[] = [];
  const onEvent = (e: DtmfEvent): void => void events.push(e);
  const rnd = seededRandom(o.seed ?? 1);
  for (let at = 0; at < input.length; ) {
    const size = o.frame === 'random' ? 1 + Math.floor(rnd() * 400) : (o.frame ?? 160);
    const end = Math.min(input.length, at + size);
    d.process(input.subarray(at, end), onEvent);
    at = end;
  }
  d.flush(onEvent);
  d.close();
  return events;
}

export const digitsOf = (events: DtmfEvent[]): string =>
  events.filter((e): e is DigitEvent => e.type === 'digit').map((e) => e.digit).join('');
