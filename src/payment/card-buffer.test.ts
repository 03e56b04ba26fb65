import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CardBuffer } from './card-buffer.js';

describe('CardBuffer', () => {
  it('holds digits and shows only the last four through last4()', () => {
    const b = CardBuffer.from('4242424242424242', 19);
    expect(b.length).toBe(16);
    expect(b.last4()).toBe('4242');
    expect(b.reveal()).toBe('4242424242424242');
  });

  it('refuses non-digits and digits beyond its capacity', () => {
    const b = new CardBuffer(2);
    expect(b.append('#')).toBe(false);
    expect(b.append('1')).toBe(true);
    expect(b.append('2')).toBe(true);
    expect(b.append('3')).toBe(false);
    expect(b.length).toBe(2);
  });

  it('wipe() empties the buffer so nothing can be read back', () => {
    const b = CardBuffer.from('4000000000000002');
    b.wipe();
    expect(b.wiped).toBe(true);
    expect(b.length).toBe(0);
    expect(b.reveal()).toBe('');
  });

  it('never shows its digits when serialized, printed or inspected', () => {
    const b = CardBuffer.from('4242424242424242');
    for (const text of [JSON.stringify({ b }), String(b), `${b}`, inspect({ b })]) {
      expect(text).not.toMatch(/\d{5}/);
    }
  });

  it('limits leading() to a BIN so a full PAN never becomes a string there', () => {
    const b = CardBuffer.from('4242424242424242');
    expect(b.leading(6)).toBe('424242');
    expect(() => b.leading(9)).toThrow(RangeError);
  });
});
