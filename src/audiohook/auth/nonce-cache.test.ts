import { describe, expect, it } from 'vitest';
import { MemoryNonceCache } from './nonce-cache.js';

describe('MemoryNonceCache', () => {
  it('accepts a nonce once while it is remembered', () => {
    let now = 1000;
    const cache = new MemoryNonceCache({ now: () => now });
    expect(cache.checkAndRemember('n1', 5000)).toBe(true);
    expect(cache.checkAndRemember('n1', 5000)).toBe(false);
    now = 5000;
    expect(cache.checkAndRemember('n1', 9000)).toBe(false);
  });

  it('forgets nonces after they expire, so memory stays bounded by the live window', () => {
    let now = 0;
    const cache = new MemoryNonceCache({ now: () => now });
    for (let i = 0; i < 1000; i++) {
      now = i * 10;
      cache.checkAndRemember(`n${i}`, now + 100);
    }
    expect(cache.size).toBeLessThanOrEqual(11);
    expect(cache.checkAndRemember('n0', now + 100)).toBe(true);
  });

  it('refuses new nonces when full of live ones instead of forgetting any', () => {
    let now = 0;
    const cache = new MemoryNonceCache({ maxEntries: 3, now: () => now });
    for (const n of ['a', 'b', 'c']) expect(cache.checkAndRemember(n, 1000)).toBe(true);
    expect(cache.checkAndRemember('d', 1000)).toBe(false);
    expect(cache.checkAndRemember('a', 1000)).toBe(false);
    now = 1001;
    expect(cache.checkAndRemember('d', 2000)).toBe(true);
  });

  it('sweeps expired entries that sit behind live ones when full', () => {
    let now = 0;
    const cache = new MemoryNonceCache({ maxEntries: 2, now: () => now });
    cache.checkAndRemember('long', 10_000);
    cache.checkAndRemember('short', 100);
    now = 200;
    expect(cache.checkAndRemember('new', 10_000)).toBe(true);
    expect(cache.size).toBe(2);
  });
});
