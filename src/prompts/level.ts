// Loudness and edges of a synthesized clip: trim leading/trailing silence, fade the edges, and
// bring the speech level to one target so that concatenated clips sound like one voice. Pure.

const FRAME = 160; // 20 ms at 8 kHz

export const dbfs = (linear: number): number => 20 * Math.log10(Math.max(linear, 1e-9) / 32768);
const fromDbfs = (db: number): number => 32768 * 10 ** (db / 20);

/** Frames quieter than this below the loudest frame are pauses, not speech. */
const ACTIVE_RANGE_DB = 30;

/**
 * RMS over the active (speech) frames only, in dBFS, so that a clip's pauses do not pull its
 * level down. -Infinity for silence.
 */
export function activeRmsDbfs(samples: ArrayLike<number>): number {
  const frames: number[] = [];
  for (let at = 0; at < samples.length; at += FRAME) {
    const end = Math.min(samples.length, at + FRAME);
    let sum = 0;
    for (let i = at; i < end; i++) sum += samples[i]! * samples[i]!;
    frames.push(sum / (end - at));
  }
  const loudest = Math.max(0, ...frames);
  if (loudest === 0) return -Infinity;
  const floor = loudest * 10 ** (-ACTIVE_RANGE_DB / 10);
  const active = frames.filter((p) => p >= floor);
  return dbfs(Math.sqrt(active.reduce((a, b) => a + b, 0) / active.length));
}

export interface TrimOptions {
  /** Samples below this many dB under the peak count as silence at the edges. */
  thresholdDb?: number;
  /** Kept before the first and after the last loud sample, so soft consonants survive. */
  marginSamples?: number;
  /** Linear fade at both ends, so a clip never starts or stops with a click. */
  fadeSamples?: number;
}

/** Cuts leading and trailing silence, keeping a small margin, and fades the edges. */
export function trimSilence(samples: Int16Array, o: TrimOptions = {}): Int16Array {
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s));
  if (peak === 0) return new Int16Array(0);
  const threshold = peak * 10 ** (-(o.thresholdDb ?? 40) / 20);
  const margin = o.marginSamples ?? 80;
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]!) < threshold) first++;
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]!) < threshold) last--;
  const out = samples.slice(Math.max(0, first - margin), Math.min(samples.length, last + 1 + margin));
  const fade = Math.min(o.fadeSamples ?? 40, out.length >> 1);
  for (let i = 0; i < fade; i++) {
    const g = i / fade;
    out[i] = Math.round(out[i]! * g);
    out[out.length - 1 - i] = Math.round(out[out.length - 1 - i]! * g);
  }
  return out;
}

/**
 * Scales to `targetDbfs` active RMS. If that would push the peak over `peakCeilingDbfs`, the
 * gain stops there (a softer clip beats a clipped one); the result reports the level reached.
 */
export function normalizeLevel(samples: Int16Array, targetDbfs: number, peakCeilingDbfs = -1): { samples: Int16Array; rmsDbfs: number } {
  const rms = activeRmsDbfs(samples);
  if (!Number.isFinite(rms)) return { samples, rmsDbfs: rms };
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s));
  const gain = Math.min(10 ** ((targetDbfs - rms) / 20), fromDbfs(peakCeilingDbfs) / peak);
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * gain)));
  return { samples: out, rmsDbfs: activeRmsDbfs(out) };
}
