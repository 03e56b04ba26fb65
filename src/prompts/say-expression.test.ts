import { describe, expect, it } from 'vitest';
import { parseDecimalAmount, parseSayExpression } from './say-expression.js';

describe('parseSayExpression', () => {
  it('reads each kind of item the CLI documents', () => {
    expect(parseSayExpression('amount 1234.56 USD, digits 4242*#; expiry 11/27, reference AB12CD, phrase welcome, number 42, silence 300')).toEqual({
      ok: true,
      items: [
        { kind: 'amount', minor: 123456, currency: 'USD' },
        { kind: 'digits', digits: '4242*#' },
        { kind: 'expiry', mmyy: '1127' },
        { kind: 'reference', text: 'AB12CD' },
        { kind: 'phrase', id: 'welcome' },
        { kind: 'number', value: 42 },
        { kind: 'silence', ms: 300 },
      ],
    });
  });

  it('defaults the currency to USD and accepts lower case codes', () => {
    expect(parseSayExpression('amount 7')).toEqual({ ok: true, items: [{ kind: 'amount', minor: 700, currency: 'USD' }] });
    expect(parseSayExpression('amount 7.5 eur')).toEqual({ ok: true, items: [{ kind: 'amount', minor: 750, currency: 'EUR' }] });
  });

  it('explains what it cannot read', () => {
    expect(parseSayExpression('phrase hello')).toMatchObject({ ok: false, message: expect.stringContaining('unknown phrase') });
    expect(parseSayExpression('sing 1')).toMatchObject({ ok: false, message: expect.stringContaining('unknown item') });
    expect(parseSayExpression('amount 1.234 USD')).toMatchObject({ ok: false });
    expect(parseSayExpression('  ')).toMatchObject({ ok: false });
  });
});

describe('parseDecimalAmount', () => {
  it('converts exactly, with the currency minor digits', () => {
    expect(parseDecimalAmount('0.1', 'USD')).toBe(10);
    expect(parseDecimalAmount('19.99', 'USD')).toBe(1999);
    expect(parseDecimalAmount('1500', 'JPY')).toBe(1500);
    expect(parseDecimalAmount('1.5', 'JPY')).toBeNull();
    expect(parseDecimalAmount('1.234', 'KWD')).toBe(1234);
    expect(parseDecimalAmount('-1', 'USD')).toBeNull();
    expect(parseDecimalAmount('1', 'XYZ1')).toBeNull();
  });
});
