// Card number, expiry and security-code rules over CardBuffers, built on credit-card-type and
// card-validator with the pitfalls of research/payment-ivr.md section 5 handled here:
// - 13-digit Visa is accepted (credit-card-type dropped it) without mutating the library's
//   global card table (updateCard would change it for every user in the process);
// - UnionPay is Luhn-checked (card-validator skips it by default);
// - the Amex CID is 4 digits (card-validator's cvv() defaults to 3);
// - expiry is parsed as MMYY here, never by card-validator's keyboard heuristics ("123").
// Only the leading 8 digits (at most a BIN) ever become a string, for brand detection.
import creditCardType from 'credit-card-type';
import type { CardBuffer } from './card-buffer.js';

export const BRANDS = [
  'visa', 'mastercard', 'american-express', 'discover', 'diners-club', 'jcb', 'unionpay', 'maestro',
  'mir', 'elo', 'hiper', 'hipercard', 'troy', 'naranja', 'verve',
] as const;
export type Brand = (typeof BRANDS)[number];

export interface CardRuleOptions {
  acceptedBrands: readonly Brand[];
  /** Accept 13-digit Visa PANs (still issued in tests and by some old cards). */
  allowVisa13: boolean;
  /** Run Luhn on UnionPay too. */
  luhnValidateUnionPay: boolean;
}

const BIN_DIGITS = 8;

type CreditCardType = ReturnType<typeof creditCardType>[number];

interface Candidate {
  brand: Brand;
  lengths: number[];
  codeSize: number;
  strength: number;
}

function lengthsOf(type: CreditCardType, options: CardRuleOptions): number[] {
  if (type.type === 'visa' && options.allowVisa13 && !type.lengths.includes(13)) return [13, ...type.lengths];
  return type.lengths;
}

function candidates(pan: CardBuffer, options: CardRuleOptions): Candidate[] {
  return creditCardType(pan.leading(Math.min(BIN_DIGITS, pan.length)))
    .filter((t) => (BRANDS as readonly string[]).includes(t.type))
    .map((t) => ({
      brand: t.type as Brand,
      lengths: lengthsOf(t, options),
      codeSize: t.code.size,
      strength: t.matchStrength ?? 0,
    }));
}

/** The most specific candidate: the highest match strength, ties to the library's order. */
function best(list: Candidate[]): Candidate | undefined {
  let top: Candidate | undefined;
  for (const c of list) if (!top || c.strength > top.strength) top = c;
  return top;
}

/** Luhn mod 10 over the buffer's digits, without making a string. */
export function luhnValid(pan: CardBuffer): boolean {
  let sum = 0;
  for (let i = pan.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = pan.at(i);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return pan.length > 0 && sum % 10 === 0;
}

export type PanProgress =
  /** More digits may make it valid. `complete` is true when no longer number is possible. */
  | { code: 'ok'; brand: Brand | undefined; complete: boolean }
  | { code: 'invalid_number' }
  | { code: 'brand_not_accepted'; brand: Brand };

/**
 * Checks a partial PAN while digits arrive: rejects a prefix no accepted brand can complete,
 * and says when the number has reached its brand's longest length. Pure.
 */
export function checkPanPrefix(pan: CardBuffer, options: CardRuleOptions): PanProgress {
  if (pan.length === 0) return { code: 'ok', brand: undefined, complete: false };
  const all = candidates(pan, options);
  if (all.length === 0) return { code: 'invalid_number' };
  const accepted = all.filter((c) => options.acceptedBrands.includes(c.brand));
  if (accepted.length === 0) return { code: 'brand_not_accepted', brand: best(all)!.brand };
  const maxLength = Math.max(...accepted.flatMap((c) => c.lengths));
  if (pan.length > maxLength) return { code: 'invalid_number' };
  const brand = accepted.length === 1 ? accepted[0]!.brand : best(accepted.filter((c) => c.strength > 0))?.brand;
  return { code: 'ok', brand, complete: pan.length === maxLength };
}

export type PanCheck =
  | { code: 'ok'; brand: Brand; securityCodeLength: number }
  | { code: 'invalid_number' }
  | { code: 'brand_not_accepted'; brand: Brand };

/** Validates a complete PAN: accepted brand, a length of that brand, Luhn. Pure. */
export function validatePan(pan: CardBuffer, options: CardRuleOptions): PanCheck {
  const all = candidates(pan, options).filter((c) => c.lengths.includes(pan.length));
  if (all.length === 0) return { code: 'invalid_number' };
  const accepted = all.filter((c) => options.acceptedBrands.includes(c.brand));
  if (accepted.length === 0) return { code: 'brand_not_accepted', brand: best(all)!.brand };
  const card = best(accepted)!;
  const luhn = card.brand !== 'unionpay' || options.luhnValidateUnionPay;
  if (luhn && !luhnValid(pan)) return { code: 'invalid_number' };
  return { code: 'ok', brand: card.brand, securityCodeLength: card.codeSize };
}

/** Security code length for a brand: 4 for the Amex CID, otherwise the library's size (3). */
export function securityCodeLength(brand: Brand): number {
  return creditCardType.getTypeInfo(brand)?.code.size ?? 3;
}

export type ExpiryCheck =
  | { code: 'ok'; month: number; year: number }
  | { code: 'invalid_date' }
  | { code: 'expired' }
  | { code: 'too_far_ahead' };

// The card is valid through the last day of its month in the issuer's time zone, which may be
// as far behind UTC as UTC-12: a card is expired only once that month has ended everywhere.
const LENIENCY_MS = 12 * 3600_000;

/** Checks a 4-digit MMYY expiry against wall-clock `nowMs` (epoch ms). Pure. */
export function validateExpiry(mmyy: CardBuffer, nowMs: number, maxYearsAhead: number): ExpiryCheck {
  if (mmyy.length !== 4) return { code: 'invalid_date' };
  const month = mmyy.at(0) * 10 + mmyy.at(1);
  const year = 2000 + mmyy.at(2) * 10 + mmyy.at(3);
  if (month < 1 || month > 12) return { code: 'invalid_date' };
  const endOfMonth = Date.UTC(year, month, 1); // first instant of the next month, UTC
  if (nowMs - LENIENCY_MS >= endOfMonth) return { code: 'expired' };
  const now = new Date(nowMs);
  const monthsAhead = (year - now.getUTCFullYear()) * 12 + (month - 1 - now.getUTCMonth());
  if (monthsAhead > maxYearsAhead * 12) return { code: 'too_far_ahead' };
  return { code: 'ok', month, year };
}

/** A security code is all digits and exactly the brand's length. */
export function validateSecurityCode(code: CardBuffer, expectedLength: number): boolean {
  return code.length === expectedLength;
}
