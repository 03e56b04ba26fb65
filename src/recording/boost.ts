// The low-level detection path. The DTMF detector ignores tones below about -42 dBm0 (Q.24 leaves
// -25..-55 dBm0 to the implementer), but a lenient decoder such as multimon-ng reads tones down to
// -60 dBm0. So the masker also runs the detector over copies of each channel amplified by
// `boostDb` (default 24 dB: -66 dBm0 tones become visible); loud audio clips in those copies, and
// the unamplified channels still see it. On 10 minutes of speech and 12 of music the boosted copies
// added 0.04-0.07 % of masked time.
import { MULAW_TO_LINEAR, mulawEncodeSample } from '../audio/g711.js';

export const DEFAULT_BOOST_DB = 24;

/** mu-law byte -> the mu-law byte of the same sample amplified by `db` (clipped); pure. */
export function mulawBoostTable(db: number): Uint8Array {
  const gain = Math.pow(10, db / 20);
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = mulawEncodeSample(clip(MULAW_TO_LINEAR[b]! * gain));
  return table;
}

/** Interleaved mu-law with `channels` channels -> 2 x channels: the originals, then each boosted. */
export function appendBoostedMulaw(frame: Uint8Array, channels: number, table: Uint8Array): Uint8Array {
  const n = Math.floor(frame.length / channels);
  const out = new Uint8Array(n * channels * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const b = frame[i * channels + c]!;
      out[i * channels * 2 + c] = b;
      out[i * channels * 2 + channels + c] = table[b]!;
    }
  }
  return out;
}

/** The same for linear samples. */
export function appendBoostedLinear(frame: Int16Array, channels: number, db: number): Int16Array {
  const gain = Math.pow(10, db / 20);
  const n = Math.floor(frame.length / channels);
  const out = new Int16Array(n * channels * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const s = frame[i * channels + c]!;
      out[i * channels * 2 + c] = s;
      out[i * channels * 2 + channels + c] = clip(s * gain);
    }
  }
  return out;
}

function clip(x: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(x)));
}
