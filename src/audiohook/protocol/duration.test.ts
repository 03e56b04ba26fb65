import { describe, expect, it } from 'vitest';
import { durationToSamples, isDuration, samplesToDuration } from './duration.js';

describe('protocol durations', () => {
  it('accepts the forms the protocol uses and nothing else', () => {
    for (const ok of ['PT0S', 'PT0.0S', 'PT1.5S', 'PT.5S', 'PT0.002767424S', 'PT12345S']) expect(isDuration(ok)).toBe(true);
    for (const bad of ['', 'P1S', 'PT1M', 'PT-1S', 'PT1.S', 'pt1s', 'PT1.5', 1.5, null]) expect(isDuration(bad)).toBe(false);
  });

  it('converts to samples and back exactly for whole samples', () => {
    expect(durationToSamples('PT1.5S')).toBe(12000);
    expect(durationToSamples('PT0.000125S')).toBe(1);
    for (const n of [0, 1, 7, 160, 8000, 123457]) expect(durationToSamples(samplesToDuration(n))).toBe(n);
    expect(samplesToDuration(12000)).toBe('PT1.5S');
  });
});
