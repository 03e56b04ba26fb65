// The outputVariables returned to the Genesys flow in `disconnect`. Card-free by construction:
// brand, last four, amount, references and counters only. Names: docs/payment.md.
import { formatMinor } from '../money.js';
import type { DialogState, Outcome } from './types.js';

export const OUTPUT_VARIABLES = {
  result: 'PAYHOOK_RESULT',
  nextAction: 'PAYHOOK_NEXT_ACTION',
  failureReason: 'PAYHOOK_FAILURE_REASON',
  mode: 'PAYHOOK_MODE',
  brand: 'PAYHOOK_CARD_BRAND',
  last4: 'PAYHOOK_CARD_LAST4',
  amount: 'PAYHOOK_AMOUNT',
  currency: 'PAYHOOK_CURRENCY',
  transactionRef: 'PAYHOOK_TRANSACTION_REF',
  reference: 'PAYHOOK_PAYMENT_REFERENCE',
  declines: 'PAYHOOK_DECLINES',
  chargeAttempts: 'PAYHOOK_CHARGE_ATTEMPTS',
  attemptsAmount: 'PAYHOOK_ATTEMPTS_AMOUNT',
  attemptsCardNumber: 'PAYHOOK_ATTEMPTS_CARD_NUMBER',
  attemptsExpiry: 'PAYHOOK_ATTEMPTS_EXPIRY',
  attemptsSecurityCode: 'PAYHOOK_ATTEMPTS_SECURITY_CODE',
  callerHungUp: 'PAYHOOK_CALLER_HUNG_UP',
} as const;

/** Builds the flow's outputs; every value is a string (Architect maps strings only). Pure. */
export function buildOutputVariables(s: DialogState, outcome: Outcome): Record<string, string> {
  const V = OUTPUT_VARIABLES;
  const result = outcome.result === 'too_many_attempts' ? s.config.tooManyAttemptsResult : outcome.result;
  return {
    [V.result]: result,
    [V.nextAction]: outcome.nextAction,
    [V.failureReason]: outcome.failureReason,
    [V.mode]: s.context.mode,
    [V.brand]: s.brand ?? '',
    [V.last4]: s.last4 ?? '',
    [V.amount]: s.amountMinor !== undefined ? formatMinor(s.amountMinor, s.context.minorUnits) : '',
    [V.currency]: s.context.currency,
    [V.transactionRef]: outcome.transactionRef ?? '',
    [V.reference]: s.context.reference ?? '',
    [V.declines]: String(s.declines),
    [V.chargeAttempts]: String(s.chargeAttempts),
    [V.attemptsAmount]: String(s.entries.amount + s.entries.amountChoice),
    [V.attemptsCardNumber]: String(s.entries.cardNumber),
    [V.attemptsExpiry]: String(s.entries.expiry),
    [V.attemptsSecurityCode]: String(s.entries.securityCode),
    [V.callerHungUp]: String(s.callerHungUp),
  };
}
