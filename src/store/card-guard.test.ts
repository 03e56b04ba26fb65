import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PayhookError } from '../core/errors.js';
import { assertCardFree, findCardData, looksLikePan, luhnValid } from './card-guard.js';

/** Appends the Luhn check digit to `body`. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

describe('luhnValid', () => {
  it('accepts published test card numbers and rejects a changed digit', () => {
    for (const pan of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4222222222222']) {
      expect(luhnValid(pan), pan).toBe(true);
      expect(luhnValid(pan.slice(0, -1) + ((Number(pan.at(-1)) + 1) % 10)), pan).toBe(false);
    }
  });
});

describe('looksLikePan', () => {
  it('finds every Luhn-valid 13-19 digit number, bare, spaced, dashed or inside text', () => {
    fc.assert(
      // Card numbers start with 1-9: ISO/IEC 7812 gives major industry identifier 0 to no card.
      fc.property(fc.integer({ min: 12, max: 18 }), fc.stringMatching(/^[1-9][0-9]{17}$/), fc.constantFrom('', ' ', '-'), fc.string(), (bodyLen, digits, sep, prefix) => {
        const pan = withCheckDigit(digits.slice(0, bodyLen));
        const grouped = pan.match(/.{1,4}/g)!.join(sep);
        expect(looksLikePan(`${prefix.replace(/\d/g, '')} ${grouped} end`)).toBe(true);
      }),
    );
  });

  it('finds a card number glued inside a longer digit run, or followed by more groups', () => {
    expect(looksLikePan(`ref9${'4111111111111111'}00000`)).toBe(true);
    expect(looksLikePan('4111 1111 1111 1111 1226 737')).toBe(true);
  });

  it('does not take a UUID whose last groups are all digits for a card number', () => {
    // "8000-" + 12 digits reads as 16 digits; pick the 12 so that those 16 pass Luhn.
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{11}$/), fc.stringMatching(/^[a-f]{8}$/), (digits, hex) => {
        const tail = withCheckDigit(`8000${digits}`).slice(4);
        expect(luhnValid(`8000${tail}`)).toBe(true);
        expect(looksLikePan(`${hex}-abcd-4bcd-8000-${tail}`)).toBe(false);
      }),
    );
  });

  it('never takes a random UUID, an idempotency key or a zero-padded counter id for a card (found by a load test)', () => {
    // Dashes between UUID groups joined digits across groups: about 1 UUID in 900 read as a PAN,
    // and a sandbox reference such as pi_00000000008086 in 10 did, refusing real records.
    for (let i = 0; i < 20_000; i++) {
      const uuid = randomUUID();
      expect(looksLikePan(uuid), uuid).toBe(false);
      expect(looksLikePan(`payhook_${uuid}_e3b0c44298fc_1`)).toBe(false);
    }
    for (let c = 0; c < 200_000; c += 7) expect(looksLikePan(`pi_${c.toString(16).padStart(14, '0')}`)).toBe(false);
    // ... while a card behind padding zeros, or beside a UUID, is still found.
    expect(looksLikePan('pi_004242424242424242')).toBe(true);
    expect(looksLikePan(`${randomUUID()} 4242424242424242`)).toBe(true);
    expect(looksLikePan('0000 4242 4242 4242 4242')).toBe(true);
  });

  it('lets through short runs, non-Luhn numbers, UUIDs and PayHook idempotency keys', () => {
    for (const ok of [
      '411111111111', // 12 digits
      '4111111111111112',
      '12345678-1234-1234-1234-123456789012',
      'payhook_c0ffee00-0000-4000-8000-000000000006_e3b0c44298fc_2',
      '2026-11-26T09:00:00.000Z',
      'USD 1234.56',
    ]) {
      expect(looksLikePan(ok), ok).toBe(false);
    }
  });
});

describe('findCardData', () => {
  it('names the path of a card number, a card-secret key or CVV text, never the value', () => {
    expect(findCardData({ a: [{ b: 'x 4111111111111111' }] })).toEqual({ path: '$.a[0].b', kind: 'pan' });
    expect(findCardData({ detail: { CVV: '' } })).toEqual({ path: '$.detail.CVV', kind: 'card_key' });
    expect(findCardData({ detail: { security_code: 'x' } })).toEqual({ path: '$.detail.security_code', kind: 'card_key' });
    expect(findCardData({ note: 'CVC=123' })).toEqual({ path: '$.note', kind: 'card_text' });
    expect(findCardData({ at: 1764147600000, amountMinor: 5555555555554444 })).toBeUndefined();
    expect(findCardData({ n: 4111111111111111n })).toEqual({ path: '$.n', kind: 'pan' });
  });

  it('throws ERR_STORE_CARD_DATA with the field and kind only', () => {
    let thrown: unknown;
    try {
      assertCardFree({ transactionRef: '5555 5555 5555 4444' }, 'updateSession');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PayhookError);
    expect(thrown).toMatchObject({ code: 'ERR_STORE_CARD_DATA', detail: { write: 'updateSession', field: '$.transactionRef', kind: 'pan' } });
    expect(JSON.stringify(thrown) + (thrown as Error).message).not.toContain('5555');
  });
});
