// Gateway decline codes to PayHook's reasons (what the caller hears and the flow routes on).
import type { DeclineReason } from './types.js';

export const STRIPE_DECLINE_CODES: Readonly<Record<string, DeclineReason>> = Object.freeze({
  generic_decline: 'generic',
  card_declined: 'generic',
  do_not_honor: 'generic',
  insufficient_funds: 'insufficient_funds',
  expired_card: 'expired_card',
  incorrect_cvc: 'incorrect_cvc',
  invalid_cvc: 'incorrect_cvc',
  incorrect_number: 'incorrect_number',
  invalid_number: 'incorrect_number',
  processing_error: 'processing_error',
  lost_card: 'lost_or_stolen',
  stolen_card: 'lost_or_stolen',
});

export function declineReason(code: unknown, table: Readonly<Record<string, DeclineReason>>): DeclineReason {
  return typeof code === 'string' && Object.hasOwn(table, code) ? table[code]! : 'generic';
}
