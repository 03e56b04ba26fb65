// Clip identifiers: one name per recorded clip, shared by the say functions (which emit them),
// the build script (which renders them) and the catalog (which loads them). Files are <id>.ul.
import { PHRASES, type PhraseId } from './spec.js';

export type ClipId = string;

/** Currencies spoken with their own words; others are read as a number and the ISO code. */
export const SPOKEN_CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'MXN'] as const;
export type SpokenCurrency = (typeof SPOKEN_CURRENCIES)[number];
export type CurrencyUnit = 'major' | 'minor';
export type GrammaticalNumber = 'one' | 'many';

export const phraseClip = (id: PhraseId): ClipId => `phrase.${id}`;
export const numberClip = (n: number): ClipId => `num.${n}`;
export const monthClip = (month: number): ClipId => `month.${month}`;
export const letterClip = (letter: string): ClipId => `letter.${letter.toLowerCase()}`;
export const wordClip = (word: string): ClipId => `word.${word}`;
export const currencyClip = (code: SpokenCurrency, unit: CurrencyUnit, count: GrammaticalNumber): ClipId =>
  `cur.${code}.${unit}.${count}`;

export const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');

/** Clips every language must provide: the dialog's phrases and the vocabulary for dynamic values. */
export const CORE_CLIP_IDS: readonly ClipId[] = [
  ...PHRASES.map(phraseClip),
  ...Array.from({ length: 100 }, (_, n) => numberClip(n)),
  ...['hundred', 'thousand', 'million', 'and', 'point'].map(wordClip),
  ...Array.from({ length: 12 }, (_, i) => monthClip(i + 1)),
  ...LETTERS.map(letterClip),
  ...SPOKEN_CURRENCIES.flatMap((c) =>
    (['major', 'minor'] as const).flatMap((u) => (['one', 'many'] as const).map((n) => currencyClip(c, u, n))),
  ),
];

/** Gendered or shortened forms a language may need before a noun (Spanish "un", "una", "veintiún"). */
export type NumberForm = 'm' | 'f';
export const numberFormClip = (n: number, form: NumberForm): ClipId => `num.${n}.${form}`;
/** Whole hundreds as one word where a language has one (Spanish "doscientos"/"doscientas"). */
export const hundredsClip = (h: number, form: NumberForm = 'm'): ClipId => (form === 'f' ? `hundreds.${h}.f` : `hundreds.${h}`);
