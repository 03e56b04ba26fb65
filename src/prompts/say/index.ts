// Say functions: a SayItem in a language becomes clips and pauses. Pure; bad values come back
// as a result with a fixed reason, never an exception and never echoing the value.
import type { PromptSpec, SayItem } from '../spec.js';
import type { LanguageId } from '../languages.js';
import { SPOKEN_CURRENCIES, letterClip, numberClip, phraseClip, wordClip, type ClipId, type SpokenCurrency } from '../clip-ids.js';
import { englishUs } from './en-us.js';
import { spanishUs } from './es-us.js';
import type { Grammar } from './grammar.js';
import { CHAR_GAP_MS, ITEM_GAP_MS, WORD_GAP_MS, bad, joined, type SayResult, type Step } from './steps.js';

export * from './steps.js';
export type { Grammar } from './grammar.js';

export const GRAMMARS: Readonly<Record<LanguageId, Grammar>> = { 'en-US': englishUs, 'es-US': spanishUs };

/** Amounts, numbers: below one billion (the vocabulary stops at "million"). */
export const MAX_SPOKEN_NUMBER = 999_999_999;
/** A pause item longer than this is a mistake in the spec, not a pause. */
export const MAX_SILENCE_MS = 10_000;

const currencyDigitsCache = new Map<string, number | null>();

/** ISO 4217 minor-unit digits from the runtime's ICU data; null for a code it does not know. */
export function minorUnitDigits(currency: string): number | null {
  if (!/^[A-Z]{3}$/.test(currency)) return null;
  let digits = currencyDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = null;
    }
    currencyDigitsCache.set(currency, digits);
  }
  return digits;
}

const isSpoken = (c: string): c is SpokenCurrency => (SPOKEN_CURRENCIES as readonly string[]).includes(c);

function charClip(ch: string): ClipId | null {
  if (ch >= '0' && ch <= '9') return numberClip(Number(ch));
  if (ch === '*') return phraseClip('star');
  if (ch === '#') return phraseClip('pound');
  return null;
}

function sayAmount(grammar: Grammar, minor: number, currency: string): SayResult {
  const digits = minorUnitDigits(currency);
  if (digits === null) return bad('unknown_currency');
  const scale = 10 ** digits;
  if (!Number.isSafeInteger(minor) || minor < 0 || Math.floor(minor / scale) > MAX_SPOKEN_NUMBER) return bad('amount_out_of_range');
  const major = Math.floor(minor / scale);
  const fraction = minor % scale;
  if (isSpoken(currency) && digits === 2) return { ok: true, steps: joined(grammar.amount(major, fraction, currency), WORD_GAP_MS) };
  // No words for this currency: "twelve point five zero", then the code spelled out ("C H F").
  const steps = joined(grammar.cardinal(major), WORD_GAP_MS);
  if (digits > 0) {
    const decimals = String(fraction).padStart(digits, '0').split('').map((d) => numberClip(Number(d)));
    steps.push({ silenceMs: WORD_GAP_MS }, ...joined([wordClip('point'), ...decimals], WORD_GAP_MS));
  }
  steps.push({ silenceMs: CHAR_GAP_MS }, ...joined(currency.split('').map(letterClip), CHAR_GAP_MS));
  return { ok: true, steps };
}

function sayExpiry(grammar: Grammar, mmyy: string): SayResult {
  if (!/^\d{4}$/.test(mmyy)) return bad('expiry_not_mmyy');
  const month = Number(mmyy.slice(0, 2));
  if (month < 1 || month > 12) return bad('expiry_not_mmyy');
  return { ok: true, steps: joined(grammar.expiry(month, 2000 + Number(mmyy.slice(2))), WORD_GAP_MS) };
}

function sayDigits(digits: string): SayResult {
  const clips = digits.split('').map(charClip);
  if (clips.length === 0 || clips.some((c) => c === null)) return bad('digits_not_dtmf');
  return { ok: true, steps: joined(clips as ClipId[], CHAR_GAP_MS) };
}

function sayReference(text: string): SayResult {
  // Gateways write references like "pi_3Nx..." or "TX-2026/0042": separators are read as pauses.
  if (!/^[A-Za-z0-9]+([ \-_./][A-Za-z0-9]+)*$/.test(text)) return bad('reference_not_alphanumeric');
  const steps: Step[] = [];
  for (const ch of text) {
    if (!/[A-Za-z0-9]/.test(ch)) {
      // A separator reads as a longer pause, as people group a reference when reading it out.
      steps.push({ silenceMs: CHAR_GAP_MS });
      continue;
    }
    if (steps.length > 0) steps.push({ silenceMs: CHAR_GAP_MS });
    steps.push({ clip: /\d/.test(ch) ? numberClip(Number(ch)) : letterClip(ch) });
  }
  return { ok: true, steps };
}

/** Pure. One item in one language. */
export function sayItem(language: LanguageId, item: SayItem): SayResult {
  const grammar = GRAMMARS[language];
  switch (item.kind) {
    case 'phrase':
      return { ok: true, steps: [{ clip: phraseClip(item.id) }] };
    case 'amount':
      return sayAmount(grammar, item.minor, item.currency);
    case 'digits':
      return sayDigits(item.digits);
    case 'number':
      if (!Number.isSafeInteger(item.value) || item.value < 0 || item.value > MAX_SPOKEN_NUMBER) return bad('number_out_of_range');
      return { ok: true, steps: joined(grammar.cardinal(item.value), WORD_GAP_MS) };
    case 'expiry':
      return sayExpiry(grammar, item.mmyy);
    case 'reference':
      return sayReference(item.text);
    case 'silence':
      if (!(item.ms >= 0 && item.ms <= MAX_SILENCE_MS)) return bad('silence_out_of_range');
      return { ok: true, steps: [{ silenceMs: Math.round(item.ms) }] };
  }
}

/** Pure. A whole prompt: its items in order, ITEM_GAP_MS apart; the first bad item fails it. */
export function composePrompt(language: LanguageId, spec: Pick<PromptSpec, 'items'>): SayResult {
  const steps: Step[] = [];
  for (const item of spec.items) {
    const said = sayItem(language, item);
    if (!said.ok) return said;
    const last = steps.at(-1);
    // A silence item replaces the gap rather than adding to it.
    if (last && 'clip' in last && item.kind !== 'silence') steps.push({ silenceMs: ITEM_GAP_MS });
    steps.push(...said.steps);
  }
  return { ok: true, steps };
}

/** The clip ids of a result, in order (pauses left out): what the tests compare. */
export function clipsOf(result: SayResult): ClipId[] {
  return result.ok ? result.steps.flatMap((s) => ('clip' in s ? [s.clip] : [])) : [];
}
