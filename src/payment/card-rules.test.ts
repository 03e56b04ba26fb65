import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import luhn10 from 'card-validator/dist/luhn-10.js';
import { CardBuffer } from './card-buffer.js';
import {
  checkPanPrefix, luhnValid, securityCodeLength, validateExpiry, validatePan, validateSecurityCode,
  type CardRuleOptions,
} from './card-rules.js';

const ALL: CardRuleOptions = {
  acceptedBrands: ['visa', 'mastercard', 'american-express', 'discover', 'diners-club', 'jcb', 'unionpay', 'maestro'],
  allowVisa13: true,
  luhnValidateUnionPay: true,
};
const pan = (s: string) => CardBuffer.from(s, 19);

describe('card number rules', () => {
  it('accepts the Stripe test cards of every common brand', () => {
    const cases: [string, string, number][] = [
      ['4242424242424242', 'visa', 3],
      ['5555555555554444', 'mastercard', 3],
      ['378282246310005', 'american-express', 4],
      ['6011111111111117', 'discover', 3],
      ['3566002020360505', 'jcb', 3],
      ['30569309025904', 'diners-club', 3],
    ];
    for (const [n, brand, cvv] of cases) {
      expect(validatePan(pan(n), ALL)).toEqual({ code: 'ok', brand, securityCodeLength: cvv });
    }
  });

  it('accepts a 13-digit Visa, which credit-card-type alone rejects', () => {
    expect(validatePan(pan('4222222222222'), ALL)).toMatchObject({ code: 'ok', brand: 'visa' });
    expect(validatePan(pan('4222222222222'), { ...ALL, allowVisa13: false })).toEqual({ code: 'invalid_number' });
  });

  it('Luhn-checks UnionPay, which card-validator skips by default', () => {
    expect(validatePan(pan('6200000000000005'), ALL)).toMatchObject({ code: 'ok', brand: 'unionpay' });
    expect(validatePan(pan('6200000000000006'), ALL)).toEqual({ code: 'invalid_number' });
    expect(validatePan(pan('6200000000000006'), { ...ALL, luhnValidateUnionPay: false })).toMatchObject({ code: 'ok' });
  });

  it('rejects a Luhn failure and a wrong length', () => {
    expect(validatePan(pan('4242424242424241'), ALL)).toEqual({ code: 'invalid_number' });
    expect(validatePan(pan('424242424242424'), ALL)).toEqual({ code: 'invalid_number' });
  });

  it('reports a valid card of a brand not accepted as brand_not_accepted', () => {
    const visaOnly = { ...ALL, acceptedBrands: ['visa'] as const };
    expect(validatePan(pan('378282246310005'), visaOnly)).toEqual({ code: 'brand_not_accepted', brand: 'american-express' });
  });

  it('detects the brand while digits arrive and rejects an impossible prefix at once', () => {
    expect(checkPanPrefix(pan('4'), ALL)).toMatchObject({ code: 'ok', brand: 'visa', complete: false });
    expect(checkPanPrefix(pan('37'), ALL)).toMatchObject({ code: 'ok', brand: 'american-express' });
    expect(checkPanPrefix(pan('0'), ALL)).toEqual({ code: 'invalid_number' });
    expect(checkPanPrefix(pan('9'), ALL)).toEqual({ code: 'brand_not_accepted', brand: 'troy' });
    const visaOnly = { ...ALL, acceptedBrands: ['visa'] as const };
    expect(checkPanPrefix(pan('5'), visaOnly)).toMatchObject({ code: 'brand_not_accepted' });
  });

  it('says a number is complete at its brand longest length and rejects one digit more', () => {
    expect(checkPanPrefix(pan('378282246310005'), ALL)).toMatchObject({ code: 'ok', complete: true });
    expect(checkPanPrefix(pan('4242424242424242'), ALL)).toMatchObject({ code: 'ok', complete: false });
    expect(checkPanPrefix(pan('4242424242424242424'), ALL)).toMatchObject({ code: 'ok', complete: true });
    expect(checkPanPrefix(pan('3782822463100051'), ALL)).toEqual({ code: 'invalid_number' });
  });

  it('computes Luhn like card-validator for any digit string', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,19}$/), (digits) => {
        expect(luhnValid(pan(digits))).toBe(luhn10(digits));
      }),
    );
  });
});

describe('security code rules', () => {
  it('asks 4 digits for Amex and 3 for the others', () => {
    expect(securityCodeLength('american-express')).toBe(4);
    expect(securityCodeLength('visa')).toBe(3);
    expect(securityCodeLength('unionpay')).toBe(3);
    expect(validateSecurityCode(CardBuffer.from('1234'), 4)).toBe(true);
    expect(validateSecurityCode(CardBuffer.from('123'), 4)).toBe(false);
  });
});

describe('expiry rules (MMYY)', () => {
  const now = Date.UTC(2026, 10, 26, 12); // 26 Nov 2026
  const exp = (s: string, at = now) => validateExpiry(CardBuffer.from(s), at, 20);

  it('accepts the current month through its last day, and rejects the month before', () => {
    expect(exp('1126')).toEqual({ code: 'ok', month: 11, year: 2026 });
    expect(exp('1126', Date.UTC(2026, 10, 30, 23, 59))).toMatchObject({ code: 'ok' });
    expect(exp('1026')).toEqual({ code: 'expired' });
    expect(exp('0126')).toEqual({ code: 'expired' });
  });

  it('is lenient for issuers behind UTC on the first hours of the next month', () => {
    expect(exp('1126', Date.UTC(2026, 11, 1, 6))).toMatchObject({ code: 'ok' });
    expect(exp('1126', Date.UTC(2026, 11, 1, 13))).toEqual({ code: 'expired' });
  });

  it('rejects invalid months and dates absurdly far ahead', () => {
    expect(exp('1326')).toEqual({ code: 'invalid_date' });
    expect(exp('0027')).toEqual({ code: 'invalid_date' });
    expect(exp('123')).toEqual({ code: 'invalid_date' });
    expect(exp('1045')).toMatchObject({ code: 'ok' });
    expect(exp('1299')).toEqual({ code: 'too_far_ahead' });
  });
});
