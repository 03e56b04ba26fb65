import { describe, expect, it } from 'vitest';
import {
  ALAW_SILENCE,
  MULAW_SILENCE,
  alawDecodeSample,
  alawEncodeSample,
  mulawDecodeSample,
  mulawEncodeSample,
} from './g711.js';

describe('G.711', () => {
  it('mu-law silence byte decodes to zero and zero encodes to it', () => {
    expect(mulawDecodeSample(MULAW_SILENCE)).toBe(0);
    expect(mulawEncodeSample(0)).toBe(MULAW_SILENCE);
    expect(mulawDecodeSample(0x00)).toBe(-32124);
  });

  it('mu-law round-trips every code word', () => {
    for (let b = 0; b < 256; b++) {
      const lin = mulawDecodeSample(b);
      // 0x7F and 0xFF are both zero; encoding picks the positive one.
      const back = mulawEncodeSample(lin);
      expect(mulawDecodeSample(back)).toBe(lin);
    }
  });

  it('A-law round-trips every code word and has a near-zero silence', () => {
    for (let b = 0; b < 256; b++) expect(alawEncodeSample(alawDecodeSample(b))).toBe(b);
    expect(alawDecodeSample(ALAW_SILENCE)).toBe(8);
  });

  it('quantisation error stays within half a step', () => {
    for (let s = -32000; s <= 32000; s += 37) {
      const mu = mulawDecodeSample(mulawEncodeSample(s));
      const a = alawDecodeSample(alawEncodeSample(s));
      expect(Math.abs(mu - s)).toBeLessThanOrEqual(Math.max(8, Math.abs(s) / 16));
      expect(Math.abs(a - s)).toBeLessThanOrEqual(Math.max(16, Math.abs(s) / 16));
    }
  });
});
