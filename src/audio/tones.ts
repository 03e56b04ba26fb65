// Signal generation for tests, fixtures and the replay caller: DTMF pairs, single tones, noise.
// Levels are in dBm0 per G.711: 0 dBm0 is 3.14 dB below a full-scale sine (peak 32768 * 10^(-3.14/20)).

export const DTMF_LOW = [697, 770, 852, 941] as const;
export const DTMF_HIGH = [1209, 1336, 1477, 1633] as const;
export const DTMF_KEYS = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'] as const;
export type DtmfKey = (typeof DTMF_KEYS)[number];

/** Peak amplitude (linear, PCM16 scale) of a sine at `dbm0`. */
export function dbm0ToPeak(dbm0: number): number {
  return 32768 * Math.pow(10, (dbm0 - 3.14) / 20);
}

export function dtmfFrequencies(key: string): [number, number] {
  const i = DTMF_KEYS.indexOf(key as DtmfKey);
  if (i < 0) throw new RangeError(`not a DTMF key: ${JSON.stringify(key)}`);
  return [DTMF_LOW[i >> 2]!, DTMF_HIGH[i & 3]!];
}

export interface ToneOptions {
  sampleRate?: number;
  /** Level of the low-group tone, dBm0. */
  lowDbm0?: number;
  /** High-group minus low-group level, dB. */
  twistDb?: number;
  /** Relative frequency offset applied to both tones (0.015 = +1.5 %). */
  freqOffset?: number;
  /** Starting phase in radians (both tones). */
  phase?: number;
}

/** Adds a DTMF tone pair of `samples` samples into `out` starting at `at` (mixing, not replacing). */
export function addDtmf(out: Float32Array, at: number, samples: number, key: string, o: ToneOptions = {}): void {
  const [lo, hi] = dtmfFrequencies(key);
  const rate = o.sampleRate ?? 8000;
  const lowDbm0 = o.lowDbm0 ?? -7;
  const off = 1 + (o.freqOffset ?? 0);
  const aLo = dbm0ToPeak(lowDbm0);
  const aHi = dbm0ToPeak(lowDbm0 + (o.twistDb ?? 0));
  const p = o.phase ?? 0;
  const wLo = (2 * Math.PI * lo * off) / rate;
  const wHi = (2 * Math.PI * hi * off) / rate;
  const end = Math.min(out.length, at + samples);
  for (let i = Math.max(0, at); i < end; i++) {
    const n = i - at;
    out[i] = out[i]! + aLo * Math.sin(wLo * n + p) + aHi * Math.sin(wHi * n + p);
  }
}

/** Adds one sine tone. */
export function addTone(out: Float32Array, at: number, samples: number, freq: number, dbm0: number, sampleRate = 8000): void {
  const a = dbm0ToPeak(dbm0);
  const w = (2 * Math.PI * freq) / sampleRate;
  const end = Math.min(out.length, at + samples);
  for (let i = Math.max(0, at); i < end; i++) out[i] = out[i]! + a * Math.sin(w * (i - at));
}

/** Deterministic PRNG (mulberry32) so generated fixtures are reproducible byte for byte. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Adds Gaussian white noise whose power is `dbm0` (RMS relative to the 0 dBm0 sine's RMS). */
export function addNoise(out: Float32Array, dbm0: number, seed = 1): void {
  const rnd = seededRandom(seed);
  const rms = dbm0ToPeak(dbm0) / Math.SQRT2;
  for (let i = 0; i < out.length; i += 2) {
    const u1 = Math.max(rnd(), 1e-12);
    const u2 = rnd();
    const r = Math.sqrt(-2 * Math.log(u1)) * rms;
    out[i] = out[i]! + r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = out[i + 1]! + r * Math.sin(2 * Math.PI * u2);
  }
}

/** Float samples to PCM16 with clipping. */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]!)));
  return out;
}
