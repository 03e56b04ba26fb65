// What the say functions produce: clips and pauses in playing order, and the fixed gaps between them.
import type { ClipId } from '../clip-ids.js';

export type Step = { clip: ClipId } | { silenceMs: number };

/** Pause between the words of one value ("one thousand | two hundred"): short, so it reads as one phrase. */
export const WORD_GAP_MS = 40;
/** Pause between characters read one by one (digits, reference letters), as people read them. */
export const CHAR_GAP_MS = 150;
/** Pause between the items of a prompt ("You entered | forty two dollars"). */
export const ITEM_GAP_MS = 250;

/** Why a value cannot be spoken. Fixed texts: never built from the value, which may be card data. */
export type BadValueReason =
  | 'amount_out_of_range'
  | 'unknown_currency'
  | 'number_out_of_range'
  | 'expiry_not_mmyy'
  | 'digits_not_dtmf'
  | 'reference_not_alphanumeric'
  | 'silence_out_of_range';

export type SayResult =
  | { ok: true; steps: Step[] }
  | { ok: false; code: 'ERR_PROMPTS_BAD_VALUE'; reason: BadValueReason };

export const bad = (reason: BadValueReason): SayResult => ({ ok: false, code: 'ERR_PROMPTS_BAD_VALUE', reason });

/** Clips separated by a fixed gap. */
export function joined(clips: readonly ClipId[], gapMs: number): Step[] {
  const steps: Step[] = [];
  clips.forEach((clip, i) => {
    if (i > 0 && gapMs > 0) steps.push({ silenceMs: gapMs });
    steps.push({ clip });
  });
  return steps;
}
