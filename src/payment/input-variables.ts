// The Architect action's inputs (open.parameters.inputVariables) read into a typed call context.
// Names and meanings are documented in docs/payment.md; values are never logged or echoed,
// only the names of variables that failed to parse.
import type { PaymentConfig } from './config.js';
import { minorUnitsFor } from './config.js';
import { parseDecimalAmount } from './money.js';

export const INPUT_VARIABLES = {
  mode: 'PAYHOOK_MODE',
  identified: 'PAYHOOK_CALLER_IDENTIFIED',
  customerId: 'PAYHOOK_CUSTOMER_ID',
  amount: 'PAYHOOK_AMOUNT',
  balance: 'PAYHOOK_BALANCE',
  reference: 'PAYHOOK_PAYMENT_REFERENCE',
  currency: 'PAYHOOK_CURRENCY',
  language: 'PAYHOOK_LANGUAGE',
} as const;

export type Mode = 'automated' | 'agent_assisted';

export type AmountSource =
  /** The flow fixed the amount: it is announced, not asked. */
  | { kind: 'fixed'; minor: number }
  /** The flow passed a balance: the caller pays it in full (1) or keys another amount (2). */
  | { kind: 'balance'; minor: number }
  /** The caller keys the amount. */
  | { kind: 'keyed' };

export interface CallContext {
  conversationId: string;
  mode: Mode;
  identified: boolean;
  customerId?: string;
  reference?: string;
  amount: AmountSource;
  currency: string;
  minorUnits: number;
  language: string;
  /** Names of input variables that were present but unusable; the dialog ends at once if any. */
  invalid: string[];
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0', '']);
const SAFE_TEXT = /^[\w .:/#-]{1,64}$/;

/**
 * Reads the input variables. Missing PAYHOOK_CALLER_IDENTIFIED means "not identified": the flow
 * must say so explicitly before a card is taken. Pure.
 */
export function parseCallContext(
  vars: Readonly<Record<string, string>> | undefined,
  call: { conversationId: string; language?: string },
  config: PaymentConfig,
): CallContext {
  const v = vars ?? {};
  const invalid: string[] = [];
  const get = (name: string): string | undefined => (typeof v[name] === 'string' ? v[name].trim() : undefined);

  const modeText = (get(INPUT_VARIABLES.mode) ?? 'automated').toLowerCase().replace('-', '_');
  let mode: Mode = 'automated';
  if (modeText === 'agent_assisted' || modeText === 'agent') mode = 'agent_assisted';
  else if (modeText !== 'automated' && modeText !== 'ivr') invalid.push(INPUT_VARIABLES.mode);

  const identifiedText = (get(INPUT_VARIABLES.identified) ?? 'false').toLowerCase();
  if (!TRUE.has(identifiedText) && !FALSE.has(identifiedText)) invalid.push(INPUT_VARIABLES.identified);
  const identified = TRUE.has(identifiedText);

  const currency = (get(INPUT_VARIABLES.currency) || config.currency).toUpperCase();
  let minorUnits = minorUnitsFor(config, currency);
  if (minorUnits === undefined) {
    invalid.push(INPUT_VARIABLES.currency);
    minorUnits = minorUnitsFor(config, config.currency) ?? 2;
  }

  const amountOf = (name: string): number | undefined => {
    const text = get(name);
    if (text === undefined || text === '') return undefined;
    const minor = parseDecimalAmount(text, minorUnits);
    if (minor === null || minor < config.minAmountMinor || minor > config.maxAmountMinor) {
      invalid.push(name);
      return undefined;
    }
    return minor;
  };
  const fixed = amountOf(INPUT_VARIABLES.amount);
  const balance = amountOf(INPUT_VARIABLES.balance);
  const amount: AmountSource =
    fixed !== undefined ? { kind: 'fixed', minor: fixed } : balance !== undefined ? { kind: 'balance', minor: balance } : { kind: 'keyed' };

  const textOf = (name: string): string | undefined => {
    const text = get(name);
    if (text === undefined || text === '') return undefined;
    // Free text goes to the gateway and back to the flow: keep it short and plain, and refuse
    // anything that looks like a card number.
    if (!SAFE_TEXT.test(text) || /\d{12,}/.test(text.replace(/[\s-]/g, ''))) {
      invalid.push(name);
      return undefined;
    }
    return text;
  };

  const context: CallContext = {
    conversationId: call.conversationId,
    mode,
    identified,
    amount,
    currency,
    minorUnits,
    language: get(INPUT_VARIABLES.language) || call.language || config.language,
    invalid,
  };
  const customerId = textOf(INPUT_VARIABLES.customerId);
  const reference = textOf(INPUT_VARIABLES.reference);
  if (customerId !== undefined) context.customerId = customerId;
  if (reference !== undefined) context.reference = reference;
  return context;
}
