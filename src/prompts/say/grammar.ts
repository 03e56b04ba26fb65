// The part of speaking values that differs by language. Validation, digit strings and references
// are the same everywhere and live in say/index.ts.
import type { ClipId, SpokenCurrency } from '../clip-ids.js';

export interface Grammar {
  /** Pure. A whole number 0..999,999,999 spoken on its own ("twenty one"). */
  cardinal(n: number): ClipId[];
  /** Pure. An amount in a currency that has its own words; major < 1e9, minor < 100. */
  amount(major: number, minor: number, currency: SpokenCurrency): ClipId[];
  /** Pure. Month 1-12 and a four-digit year of a card expiry. */
  expiry(month: number, year: number): ClipId[];
}
