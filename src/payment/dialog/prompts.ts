// The PromptSpecs of the dialog, by field, attempt and error. Only read-backs of card data are
// sensitive (no barge-in, masked in recordings); everything else may be interrupted by a key.
import { phrase, prompt, type PhraseId, type PromptSpec, type SayItem } from '../../prompts/spec.js';
import type { Brand } from '../card-rules.js';
import type { CallContext } from '../input-variables.js';
import type { CollectField, ResultKind } from './types.js';

/** Why an entry is asked again; each has its own lead-in. */
export type EntryError =
  | 'no_input'
  | 'invalid_key'
  | 'rejected'
  | 'amount_malformed'
  | 'amount_too_low'
  | 'amount_too_high'
  | 'invalid_number'
  | 'brand_not_accepted'
  | 'invalid_date'
  | 'expired'
  | 'too_far_ahead'
  | 'security_code_invalid';

export interface AmountLimits {
  currency: string;
  minMinor: number;
  maxMinor: number;
}

const amount = (minor: number, currency: string): SayItem => ({ kind: 'amount', minor, currency });

/** What is said before asking again. "rejected" (the caller pressed 2) is not an error: no lead. */
export function errorLead(error: EntryError, limits: AmountLimits): SayItem[] {
  switch (error) {
    case 'no_input':
      return [phrase('no_input')];
    case 'invalid_key':
    case 'amount_malformed':
      return [phrase('invalid_entry')];
    case 'rejected':
      return [];
    case 'amount_too_low':
      return [phrase('amount_too_low'), amount(limits.minMinor, limits.currency)];
    case 'amount_too_high':
      return [phrase('amount_too_high'), amount(limits.maxMinor, limits.currency)];
    case 'invalid_number':
      return [phrase('card_number_invalid')];
    case 'brand_not_accepted':
      return [phrase('card_brand_not_accepted')];
    case 'invalid_date':
    case 'too_far_ahead':
      return [phrase('expiry_invalid')];
    case 'expired':
      return [phrase('card_expired')];
    case 'security_code_invalid':
      return [phrase('security_code_invalid')];
  }
}

const ENTRY_PHRASE: Record<Exclude<CollectField, 'amountChoice'>, PhraseId> = {
  amount: 'enter_amount',
  cardNumber: 'enter_card_number',
  expiry: 'enter_expiry',
  securityCode: 'enter_security_code',
};

/**
 * The request for an entry. Attempt 1 is the plain request; later attempts lead with the error
 * and "please try again", so the wording differs by attempt and by error.
 */
export function entryPrompt(
  field: CollectField,
  attempt: number,
  error: EntryError | undefined,
  ctx: { balanceMinor?: number; currency: string; brand?: Brand; limits: AmountLimits; lead?: SayItem[] },
): PromptSpec {
  const main: SayItem[] =
    field === 'amountChoice'
      ? [phrase('amount_due'), amount(ctx.balanceMinor ?? 0, ctx.currency), phrase('choose_amount')]
      : field === 'securityCode' && ctx.brand === 'american-express'
        ? [phrase('enter_security_code_amex')]
        : [phrase(ENTRY_PHRASE[field])];
  const base = field === 'amountChoice' ? 'choose_amount' : field === 'securityCode' && ctx.brand === 'american-express' ? 'enter_security_code_amex' : ENTRY_PHRASE[field];
  const retry = error !== undefined && error !== 'rejected';
  const items = [...(ctx.lead ?? []), ...(error ? errorLead(error, ctx.limits) : []), ...(retry ? [phrase('try_again')] : []), ...main];
  const name = error ? `${base}_retry_${error}` : attempt > 1 ? `${base}_again` : base;
  return prompt(name, items, { bargeIn: true });
}

/** Read-back of an amount, with the 1/2 question in the same interruptible prompt. */
export function amountReadback(minor: number, currency: string, lead: SayItem[]): PromptSpec {
  return prompt('readback_amount', [...lead, phrase('you_entered'), amount(minor, currency), phrase('confirm_or_reenter')], { bargeIn: true });
}

/** A card read-back: sensitive, so it cannot be interrupted and is masked in recordings. */
export function cardReadback(name: string, items: SayItem[], sensitive: boolean): PromptSpec {
  return prompt(name, items, { sensitive, bargeIn: !sensitive });
}

export function confirmQuestion(lead: SayItem[]): PromptSpec {
  return prompt(lead.length ? 'confirm_or_reenter_retry' : 'confirm_or_reenter', [...lead, phrase('confirm_or_reenter')], { bargeIn: true });
}

/** Where the caller goes after a failure: the queue (automated) or back to the agent. */
export function handOff(ctx: CallContext): SayItem {
  return phrase(ctx.mode === 'agent_assisted' ? 'returning_to_agent' : 'transferring_to_agent');
}

/** The last words of a dialog that did not succeed. */
export function closingPrompt(result: ResultKind, ctx: CallContext, lead: SayItem[]): PromptSpec {
  const first: Record<Exclude<ResultKind, 'approved' | 'declined' | 'hung_up'>, PhraseId> = {
    not_identified: 'not_identified',
    cancelled: 'cancelled',
    too_many_attempts: 'too_many_attempts',
    gateway_error: 'payment_unavailable',
    invalid_request: 'payment_unavailable',
  };
  const items = result in first ? [phrase(first[result as keyof typeof first])] : [];
  return prompt(`closing_${result}`, [...lead, ...items, handOff(ctx)], { bargeIn: false });
}

export function approvedPrompt(transactionRef: string, ctx: CallContext): PromptSpec {
  const end = ctx.mode === 'agent_assisted' ? phrase('returning_to_agent') : phrase('goodbye');
  return prompt('approved', [phrase('approved'), phrase('your_reference_is'), { kind: 'reference', text: transactionRef }, end], { bargeIn: false });
}

export function declinedLead(reason: string): SayItem[] {
  return [phrase(reason === 'insufficient_funds' ? 'declined_insufficient_funds' : 'declined')];
}
