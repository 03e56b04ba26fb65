import { describe, expect, it } from 'vitest';
import { TypedEmitter } from './typed-emitter.js';

class Thing extends TypedEmitter<{ tick: [n: number]; done: [] }> {
  fire(n: number) {
    return this.safeEmit('tick', n);
  }
}

describe('TypedEmitter', () => {
  it('a throwing listener is reported and the others still run', () => {
    const t = new Thing();
    const seen: number[] = [];
    const errors: string[] = [];
    t.onListenerError = (ev) => errors.push(ev);
    t.on('tick', () => {
      throw new Error('boom');
    });
    t.on('tick', (n) => seen.push(n));
    expect(t.fire(3)).toBe(true);
    expect(seen).toEqual([3]);
    expect(errors).toEqual(['tick']);
  });

  it('once listeners run once and off removes', () => {
    const t = new Thing();
    let count = 0;
    t.once('tick', () => count++);
    t.fire(1);
    t.fire(2);
    expect(count).toBe(1);
    expect(t.listenerCount('tick')).toBe(0);
  });
});
