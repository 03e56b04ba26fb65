// Stream positions and durations: the protocol writes them as "PT<seconds>S"; PayHook counts
// samples at 8 kHz so that every event maps to an exact sample index of the call.
import type { Duration } from './messages.js';

const DURATION_RE = /^PT(\d*\.)?\d+S$/;
export const SAMPLE_RATE = 8000;

export function isDuration(value: unknown): value is Duration {
  return typeof value === 'string' && DURATION_RE.test(value);
}

/** Duration string to samples at 8 kHz (rounded to the nearest sample). Throws on a bad string. */
export function durationToSamples(value: Duration): number {
  if (!isDuration(value)) throw new RangeError('not a protocol duration');
  return Math.round(Number(value.slice(2, -1)) * SAMPLE_RATE);
}

/** Samples at 8 kHz to a duration string with no more digits than needed (exact for whole samples). */
export function samplesToDuration(samples: number): Duration {
  const s = Math.max(0, Math.round(samples)) / SAMPLE_RATE;
  // 1/8000 s = 0.000125 s: six decimals are always exact.
  return `PT${Number(s.toFixed(6))}S`;
}
