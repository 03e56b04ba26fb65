// What the sandbox gateway answers, by card number and by amount: Stripe's documented test
// cards (docs.stripe.com/testing) and Braintree-style amount-driven declines, plus magic
// amounts that inject faults. Documented in docs/payment.md.
import cardValidator from 'card-validator';

export type SimDecline =
  | 'generic_decline' | 'insufficient_funds' | 'lost_card' | 'stolen_card' | 'expired_card' | 'incorrect_cvc'
  | 'processing_error' | 'incorrect_number';

export type SimFault =
  /** Answer 500 before processing: nothing is charged or remembered. */
  | { kind: 'error500' }
  /** Process, then destroy the connection without an answer. */
  | { kind: 'drop' }
  /** Process, then never answer (the client must time out). */
  | { kind: 'timeout' }
  /** Process, then answer after `ms`. */
  | { kind: 'delay'; ms: number };

/** Card number -> decline code; any other Luhn-valid number is approved. */
export const TEST_CARD_DECLINES: Readonly<Record<string, SimDecline>> = Object.freeze({
  '4000000000000002': 'generic_decline',
  '4000000000009995': 'insufficient_funds',
  '4000000000009987': 'lost_card',
  '4000000000009979': 'stolen_card',
  '4000000000000069': 'expired_card',
  '4000000000000127': 'incorrect_cvc',
  '4000000000000119': 'processing_error',
  '4000000000000101': 'incorrect_cvc',
});

/** Cards documented as approving (any Luhn-valid card not in the decline list also approves). */
export const TEST_CARD_APPROVALS = [
  '4242424242424242', '4000056655665556', '5555555555554444', '378282246310005', '6011111111111117',
  '3566002020360505', '30569309025904',
] as const;

/** Magic amounts in minor units that inject a fault on every request carrying them. */
export const FAULT_AMOUNTS: Readonly<Record<number, SimFault>> = Object.freeze({
  90100: { kind: 'error500' },
  90200: { kind: 'drop' },
  90300: { kind: 'timeout' },
  90400: { kind: 'delay', ms: 1500 },
});

/** Braintree-style: 2000.00-2999.99 (minor 200000-299999) decline; the hundreds pick the code. */
export function amountDecline(amountMinor: number): SimDecline | undefined {
  if (amountMinor < 200_000 || amountMinor > 299_999) return undefined;
  const code = Math.floor(amountMinor / 100); // 2000..2999
  if (code === 2001) return 'insufficient_funds';
  if (code === 2004) return 'expired_card';
  if (code === 2010) return 'incorrect_cvc';
  if (code === 2046) return 'processing_error';
  return 'generic_decline';
}

/** Parses a fault name: "500", "drop", "timeout", "delay:<ms>". */
export function parseFault(text: string | undefined): SimFault | undefined {
  if (!text) return undefined;
  const t = text.trim().toLowerCase();
  if (t === '500' || t === 'error500') return { kind: 'error500' };
  if (t === 'drop') return { kind: 'drop' };
  if (t === 'timeout') return { kind: 'timeout' };
  const m = /^delay[:=](\d{1,5})$/.exec(t);
  return m ? { kind: 'delay', ms: Number(m[1]) } : undefined;
}

export interface SimCardInput {
  number: string;
  expMonth?: number;
  expYear?: number;
  cvc?: string;
  amountMinor: number;
}

export type SimDecision = { approved: true; brand: string } | { approved: false; brand: string; decline: SimDecline };

/** Decides a charge like Stripe test mode would. `now` is epoch ms. */
export function decide(input: SimCardInput, now: number): SimDecision {
  const check = cardValidator.number(input.number, { luhnValidateUnionPay: true });
  const brand = check.card?.type ?? (input.number.startsWith('4') ? 'visa' : 'unknown');
  if (!/^\d{12,19}$/.test(input.number) || !cardValidator.number(input.number, { skipLuhnValidation: true }).isPotentiallyValid) {
    return { approved: false, brand, decline: 'incorrect_number' };
  }
  if (!luhn(input.number)) return { approved: false, brand, decline: 'incorrect_number' };
  const byCard = TEST_CARD_DECLINES[input.number];
  if (byCard) return { approved: false, brand, decline: byCard };
  if (input.expMonth !== undefined && input.expYear !== undefined) {
    const d = new Date(now);
    const year = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
    if (year < d.getUTCFullYear() || (year === d.getUTCFullYear() && input.expMonth < d.getUTCMonth() + 1)) {
      return { approved: false, brand, decline: 'expired_card' };
    }
  }
  if (input.cvc !== undefined) {
    const size = check.card?.code.size ?? 3;
    if (!new RegExp(`^\\d{${size}}$`).test(input.cvc)) return { approved: false, brand, decline: 'incorrect_cvc' };
  }
  const byAmount = amountDecline(input.amountMinor);
  return byAmount ? { approved: false, brand, decline: byAmount } : { approved: true, brand };
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, dbl = false; i >= 0; i--, dbl = !dbl) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}
