// The WASM kernel and the TypeScript reference compute the same f32 operations in the same order, so they
// must agree exactly: same events, same sample indices, same levels.
import { describe, it, expect } from 'vitest';
import { addNoise } from '../audio/tones.js';
import { runDetector } from './signal-fixtures.js';
import { composePresses, randomPresses } from './signal-fixtures.js';

describe('WASM and reference engines', () => {
  it('emit identical events on random presses over noise, mu-law, random frames', () => {
    const s = composePresses(randomPresses(150, 31, { minSamples: 100, maxSamples: 700, minGap: 100, maxGap: 1200 }), { noiseDbm0: -35, seed: 32 });
    const wasm = runDetector('wasm', s.samples, { frame: 'random', seed: 33 });
    expect(wasm.filter((e) => e.type === 'digit').length).toBeGreaterThan(100);
    expect(wasm).toEqual(runDetector('reference', s.samples, { frame: 'random', seed: 33 }));
  });

  it('emit identical events on 16-bit input with heavy noise (many suspected spans)', () => {
    const s = composePresses(randomPresses(100, 34), { noiseDbm0: -18, seed: 35 });
    addNoise(s.samples, -30, 36);
    const wasm = runDetector('wasm', s.samples, { encoding: 'pcm16', frame: 160 });
    expect(wasm.filter((e) => e.type === 'suspect').length).toBeGreaterThan(50);
    expect(wasm).toEqual(runDetector('reference', s.samples, { encoding: 'pcm16', frame: 160 }));
  });
});
