// The store's last line of defence against card data: every string and every key of a write is
// checked before anything reaches the database. The call layer should never pass card data; this
// catches the bug that does, and refuses the write instead of persisting it.
import { storeError } from './errors.js';

/** Keys that name card secrets; a write carrying one is refused whatever its value. */
const CARD_KEY = /^(cvv2?|cvc2?|cid|csc|cav2|security[_-]?code|card[_-]?(number|code)|pan|track[12]?|pin)$/i;
/** "cvv: 123"-style text that a careless message or detail could carry. */
const CARD_TEXT = /\b(cvv2?|cvc2?|csc|security[ _-]?code)\b\W{0,3}\d{3,4}\b/i;
/** Digits with at most one space or dash between them ("4111 1111-1111 1111"). */
const DIGIT_GROUP = /\d(?:[ -]?\d)*/g;

/** Luhn check over ASCII digits; pure. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** UUIDs (conversation, session, organization ids) are identifiers by shape, never a written PAN. */
const UUID = /(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])/gi;

function containsLuhnWindow(run: string): boolean {
  for (let len = 13; len <= 19 && len <= run.length; len++) {
    for (let i = 0; i + len <= run.length; i++) {
      // No card number starts with 0 (ISO/IEC 7812: major industry identifier 0 is not a card).
      if (run.charCodeAt(i) !== 48 && luhnValid(run.slice(i, i + len))) return true;
    }
  }
  return false;
}

/** A written PAN's groups are short (4-4-4-4, 4-6-5, 4-4-4-4-3); longer parts are something else. */
const MAX_PAN_GROUP = 6;

function contiguousRunHoldsPan(digits: string): boolean {
  // No PAN starts with 0 (ISO/IEC 7812): leading zeros pad counters ("pi_00000000008086"),
  // and a PAN glued behind them is still found.
  const run = digits.replace(/^0+/, '');
  if (run.length < 13) return false;
  return run.length <= 19 ? luhnValid(run) : containsLuhnWindow(run);
}

/**
 * True when `text` holds something a PAN could hide in: a 13-19 digit run that passes Luhn,
 * written bare or in groups of up to six digits split by single spaces or dashes; or a longer run
 * with a Luhn-valid 13-19 digit window (a PAN glued to other digits). Pure.
 */
export function looksLikePan(value: string): boolean {
  // Most strings checked (ids, enums, messages) hold fewer than 13 digits in all, and no match can:
  // the count settles them without the regular expressions, which allocate on every call.
  if (countDigits(value, 13) < 13) return false;
  const text = value.includes('-') ? value.replace(UUID, ' ') : value;
  for (const match of text.matchAll(DIGIT_GROUP)) {
    const parts = match[0].split(/[ -]/);
    if (parts.length > 1 && parts.every((p) => p.length <= MAX_PAN_GROUP)) {
      if (contiguousRunHoldsPan(parts.join(''))) return true;
      continue;
    }
    // Bare digits, or parts too long to be PAN groups (a UUID's 12-digit tail joined to an
    // all-digit 4-digit group would otherwise read as 16 digits): each part stands alone.
    if (parts.some(contiguousRunHoldsPan)) return true;
  }
  return false;
}

/** ASCII digits in `text`, counting no further than `enough`. */
function countDigits(text: string, enough: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n < enough; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Why a value is refused, or undefined when it is card-free. Pure. */
export function findCardData(value: unknown, path = '$'): { path: string; kind: 'pan' | 'card_key' | 'card_text' } | undefined {
  if (typeof value === 'string') {
    if (looksLikePan(value)) return { path, kind: 'pan' };
    // CARD_TEXT needs three digits after its keyword.
    if (countDigits(value, 3) >= 3 && CARD_TEXT.test(value)) return { path, kind: 'card_text' };
    return undefined;
  }
  if (typeof value === 'bigint') return looksLikePan(String(value)) ? { path, kind: 'pan' } : undefined;
  // Numbers are not searched: epoch-millisecond times have 13 digits and a tenth of them pass
  // Luhn. The record's numeric fields are range-checked by validation instead.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findCardData(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    // This walk runs on every live-view snapshot: numbers, booleans and nulls are passed over
    // without building their path.
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (CARD_KEY.test(key)) return { path: `${path}.${key}`, kind: 'card_key' };
      if (looksLikePan(key) || (countDigits(key, 3) >= 3 && CARD_TEXT.test(key))) return { path: `${path}.<key>`, kind: 'card_text' };
      const v = (value as Record<string, unknown>)[key];
      if (v === null || typeof v === 'number' || typeof v === 'boolean' || v === undefined) continue;
      const hit = findCardData(v, `${path}.${key}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Throws ERR_STORE_CARD_DATA (naming the field, never the value) when `value` holds card data. */
export function assertCardFree(value: unknown, what: string): void {
  const hit = findCardData(value);
  if (hit) throw storeError('ERR_STORE_CARD_DATA', { write: what, field: hit.path, kind: hit.kind });
}
