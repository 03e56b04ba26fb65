// Test signals for the talk-off check (talk-off.test.ts, catalog-talk-off.test.ts): synthetic speech
// that reads as a key press, and a real key press. Deterministic.
import { mulawEncode } from '../audio/g711.js';
import { addDtmf } from '../audio/tones.js';

/**
 * A vowel-like harmonic series on F0 = 1477/7 Hz: harmonics 4 (844 Hz) and 7 (1477 Hz) at full level,
 * every other harmonic at `others` (linear, relative), with 10 ms fades and 100 ms of silence around.
 * This is how espeak-ng speech reads as a 9. With `others` 0.2-0.4 multimon-ng reads a 9 and the
 * project's detector reads nothing (the pair carries too little of the energy for it); at 0.05 both read
 * it; at 1 neither does.
 */
export function talkOffVowel(others: number, ms = 120): Uint8Array {
  const f0 = 1477 / 7;
  const n = ms * 8;
  const pad = 800;
  const x = new Float32Array(n + 2 * pad);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 1; k * f0 < 3600; k++) v += (k === 4 || k === 7 ? 1 : others) * Math.sin((2 * Math.PI * k * f0 * i) / 8000 + k * k);
    x[pad + i] = 3000 * v * Math.min(1, i / 80, (n - i) / 80);
  }
  return mulawEncode(x);
}

/** One second of mu-law with a 60 ms key press at 250 ms, its low tone at `lowDbm0`. */
export function keyPress(key: string, lowDbm0: number): Uint8Array {
  const x = new Float32Array(8000);
  addDtmf(x, 2000, 480, key, { lowDbm0, twistDb: 2 });
  return mulawEncode(x);
}
