import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinor, parseDecimalAmount, parseKeyedAmount } from './money.js';

describe('amounts', () => {
  it('parses decimal strings into minor units with the currency precision', () => {
    expect(parseDecimalAmount('12.34', 2)).toBe(1234);
    expect(parseDecimalAmount('12.3', 2)).toBe(1230);
    expect(parseDecimalAmount('12', 2)).toBe(1200);
    expect(parseDecimalAmount('500', 0)).toBe(500);
    expect(parseDecimalAmount('1.234', 3)).toBe(1234);
  });

  it('rejects too many decimals, signs, and garbage', () => {
    for (const bad of ['12.345', '-1', '1e3', '', 'abc', '1.2.3', ' .5']) expect(parseDecimalAmount(bad, 2)).toBeNull();
  });

  it('formats minor units as plain decimals', () => {
    expect(formatMinor(1234, 2)).toBe('12.34');
    expect(formatMinor(5, 2)).toBe('0.05');
    expect(formatMinor(700, 0)).toBe('700');
    expect(formatMinor(1, 3)).toBe('0.001');
  });

  it('formatting then parsing gives the same minor amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e11 }), fc.integer({ min: 0, max: 3 }), (minor, units) => {
        expect(parseDecimalAmount(formatMinor(minor, units), units)).toBe(minor);
      }),
    );
  });

  it('reads keyed amounts with star as the decimal point', () => {
    expect(parseKeyedAmount('12*5', 2)).toEqual({ ok: true, minor: 1250 });
    expect(parseKeyedAmount('12*05', 2)).toEqual({ ok: true, minor: 1205 });
    expect(parseKeyedAmount('12', 2)).toEqual({ ok: true, minor: 1200 });
    expect(parseKeyedAmount('*5', 2)).toEqual({ ok: true, minor: 50 });
    expect(parseKeyedAmount('', 2)).toEqual({ ok: false, reason: 'empty' });
    expect(parseKeyedAmount('1*2*3', 2)).toEqual({ ok: false, reason: 'malformed' });
    expect(parseKeyedAmount('1*234', 2)).toEqual({ ok: false, reason: 'malformed' });
    expect(parseKeyedAmount('1*5', 0)).toEqual({ ok: false, reason: 'malformed' });
  });
});
