// What the payment dialog asks the prompt player to say. The dialog (src/payment) emits
// PromptSpecs made of phrase ids and typed values; the prompts module owns how they sound
// (clips per language, say-functions) and how they are played out. Both sides compile against
// the PHRASES list below, so a phrase the dialog needs cannot go missing from the catalog.

/** Every fixed phrase of the payment dialog. The catalog must provide each in every language. */
export const PHRASES = [
  'welcome',
  'welcome_agent_assisted',
  'not_identified',
  'amount_due',
  'choose_amount',
  'enter_amount',
  'amount_too_low',
  'amount_too_high',
  'you_entered',
  'confirm_or_reenter',
  'enter_card_number',
  'card_number_invalid',
  'card_brand_not_accepted',
  'card_ending_in',
  'enter_expiry',
  'expiry_invalid',
  'card_expired',
  'enter_security_code',
  'enter_security_code_amex',
  'security_code_invalid',
  'expiring',
  'no_input',
  'invalid_entry',
  'try_again',
  'too_many_attempts',
  'processing',
  'approved',
  'your_reference_is',
  'declined',
  'declined_insufficient_funds',
  'declined_try_another_card',
  'payment_unavailable',
  'transferring_to_agent',
  'returning_to_agent',
  'cancelled',
  'goodbye',
  'star',
  'pound',
  'digits',
] as const;

export type PhraseId = (typeof PHRASES)[number];

/** One piece of a prompt, in the order spoken. */
export type SayItem =
  | { kind: 'phrase'; id: PhraseId }
  /** An amount in minor units of an ISO 4217 currency: {minor: 123456, currency: 'USD'}. */
  | { kind: 'amount'; minor: number; currency: string }
  /** Digits spoken one by one ("four two four two"); also '*' and '#'. */
  | { kind: 'digits'; digits: string }
  /** A whole number spoken as a number ("twenty seven"). */
  | { kind: 'number'; value: number }
  /** Card expiry as MMYY: "November twenty twenty seven". */
  | { kind: 'expiry'; mmyy: string }
  /** A transaction reference, letters and digits spoken one by one. */
  | { kind: 'reference'; text: string }
  /** A pause. */
  | { kind: 'silence'; ms: number };

export interface PromptSpec {
  /** Stable name for timelines and metrics, e.g. 'enter_card_number' or 'readback_card'. Never holds card data. */
  name: string;
  items: SayItem[];
  /** The caller may interrupt it with a key press (never true for sensitive prompts). */
  bargeIn: boolean;
  /** Reads back card data: the recording masks it and it is never logged item by item. */
  sensitive: boolean;
}

export function prompt(name: string, items: SayItem[], opts: { bargeIn?: boolean; sensitive?: boolean } = {}): PromptSpec {
  const sensitive = opts.sensitive ?? false;
  return { name, items, bargeIn: sensitive ? false : (opts.bargeIn ?? true), sensitive };
}

export const phrase = (id: PhraseId): SayItem => ({ kind: 'phrase', id });
