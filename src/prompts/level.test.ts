import { describe, expect, it } from 'vitest';
import { activeRmsDbfs, normalizeLevel, trimSilence } from './level.js';

function tone(samples: number, amplitude: number, freq = 440): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / 8000)));
}
function withSilence(inner: Int16Array, before: number, after: number): Int16Array {
  const out = new Int16Array(before + inner.length + after);
  out.set(inner, before);
  return out;
}

describe('activeRmsDbfs', () => {
  it('measures a full-scale sine at -3 dBFS', () => {
    expect(activeRmsDbfs(tone(8000, 32767))).toBeCloseTo(-3.01, 1);
  });

  it('ignores pauses, so a clip with silence measures like one without', () => {
    const speech = tone(4000, 3000);
    expect(activeRmsDbfs(withSilence(speech, 8000, 8000))).toBeCloseTo(activeRmsDbfs(speech), 1);
  });

  it('is -Infinity for digital silence', () => {
    expect(activeRmsDbfs(new Int16Array(800))).toBe(-Infinity);
  });
});

describe('trimSilence', () => {
  it('cuts leading and trailing silence down to the margin', () => {
    const trimmed = trimSilence(withSilence(tone(1600, 10000), 4000, 4000), { marginSamples: 80 });
    expect(trimmed.length).toBeGreaterThanOrEqual(1600);
    expect(trimmed.length).toBeLessThanOrEqual(1600 + 160);
  });

  it('fades both edges to zero', () => {
    const trimmed = trimSilence(Int16Array.from({ length: 1000 }, () => 10000), { fadeSamples: 40, marginSamples: 0 });
    expect(trimmed[0]).toBe(0);
    expect(Math.abs(trimmed.at(-1)!)).toBeLessThan(300);
    expect(trimmed[500]).toBe(10000);
  });
});

describe('normalizeLevel', () => {
  it('brings quiet and loud clips to the same active level', () => {
    const quiet = normalizeLevel(tone(4000, 500), -20);
    const loud = normalizeLevel(tone(4000, 20000, 700), -20);
    expect(quiet.rmsDbfs).toBeCloseTo(-20, 1);
    expect(loud.rmsDbfs).toBeCloseTo(-20, 1);
    expect(activeRmsDbfs(quiet.samples)).toBeCloseTo(-20, 1);
  });

  it('stops at the peak ceiling rather than clipping', () => {
    const spiky = new Int16Array(8000);
    spiky[4000] = 1000;
    const { samples } = normalizeLevel(spiky, -3, -1);
    expect(Math.max(...samples)).toBeLessThanOrEqual(Math.round(32768 * 10 ** (-1 / 20)));
  });
});
