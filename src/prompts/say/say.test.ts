import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LANGUAGE_TEXTS } from '../lang/index.js';
import { LANGUAGES, type LanguageId } from '../languages.js';
import type { SayItem } from '../spec.js';
import { CHAR_GAP_MS, ITEM_GAP_MS, clipsOf, composePrompt, minorUnitDigits, sayItem } from './index.js';

/** Clip ids read as their en-US / es-US texts, so expectations read as speech. */
function spoken(language: LanguageId, item: SayItem): string {
  const texts = LANGUAGE_TEXTS[language].texts;
  const said = sayItem(language, item);
  if (!said.ok) return `<${said.reason}>`;
  return clipsOf(said).map((id) => texts[id] ?? `?${id}`).join(' | ');
}
const amount = (minor: number, currency = 'USD'): SayItem => ({ kind: 'amount', minor, currency });

describe('say amount (en-US)', () => {
  it('reads 1234.56 USD the way the issue asks, one clip per number word', () => {
    expect(spoken('en-US', amount(123456))).toBe('one | thousand | two | hundred | thirty four | dollars | and | fifty six | cents');
  });

  it('uses the singular for one dollar, one cent and one penny', () => {
    expect(spoken('en-US', amount(100))).toBe('one | dollar');
    expect(spoken('en-US', amount(101))).toBe('one | dollar | and | one | cent');
    expect(spoken('en-US', amount(1, 'GBP'))).toBe('one | penny');
    expect(spoken('en-US', amount(250, 'GBP'))).toBe('two | pounds | and | fifty | pence');
  });

  it('omits zero cents, and zero dollars when there are cents', () => {
    expect(spoken('en-US', amount(4200, 'EUR'))).toBe('forty two | euros');
    expect(spoken('en-US', amount(56))).toBe('fifty six | cents');
    expect(spoken('en-US', amount(0))).toBe('zero | dollars');
  });

  it('reads amounts up to hundreds of millions', () => {
    expect(spoken('en-US', amount(100_000_000))).toBe('one | million | dollars');
    expect(spoken('en-US', amount(99_999_999_999))).toBe(
      'nine | hundred | ninety nine | million | nine | hundred | ninety nine | thousand | nine | hundred | ninety nine | dollars | and | ninety nine | cents',
    );
    expect(spoken('en-US', amount(2_000_500_00))).toBe('two | million | five | hundred | dollars');
  });

  it('reads a currency without words as a decimal number and its code', () => {
    expect(spoken('en-US', amount(1250, 'CHF'))).toBe('twelve | point | five | zero | see | aitch | ef');
    expect(spoken('en-US', amount(1500, 'JPY'))).toBe('one | thousand | five | hundred | jay | pee | why');
  });

  it('refuses what it cannot say, with a reason that does not echo the value', () => {
    expect(sayItem('en-US', amount(-1))).toEqual({ ok: false, code: 'ERR_PROMPTS_BAD_VALUE', reason: 'amount_out_of_range' });
    expect(sayItem('en-US', amount(100_000_000_000))).toMatchObject({ ok: false, reason: 'amount_out_of_range' });
    expect(sayItem('en-US', amount(1.5))).toMatchObject({ ok: false, reason: 'amount_out_of_range' });
    expect(sayItem('en-US', amount(100, 'usd'))).toMatchObject({ ok: false, reason: 'unknown_currency' });
  });
});

describe('say amount (es-US)', () => {
  it('joins units with "con" and uses the currency words of the language', () => {
    expect(spoken('es-US', amount(2050, 'EUR'))).toBe('veinte | euros | con | cincuenta | céntimos');
    expect(spoken('es-US', amount(123456))).toBe('mil | doscientos | treinta y cuatro | dólares | con | cincuenta y seis | centavos');
  });

  it('shortens one before a masculine noun and agrees with a feminine one', () => {
    expect(spoken('es-US', amount(100))).toBe('un | dólar');
    expect(spoken('es-US', amount(2101))).toBe('veintiún | dólares | con | un | centavo');
    expect(spoken('es-US', amount(100, 'GBP'))).toBe('una | libra');
    expect(spoken('es-US', amount(23100, 'GBP'))).toBe('doscientas | treinta y una | libras');
    expect(spoken('es-US', amount(2100000, 'GBP'))).toBe('veintiuna | mil | libras');
  });

  it('says "cien" alone and "ciento" before more', () => {
    expect(spoken('es-US', amount(10000))).toBe('cien | dólares');
    expect(spoken('es-US', amount(10100))).toBe('ciento | un | dólares');
  });

  it('says "un millón de" for whole millions only', () => {
    expect(spoken('es-US', amount(100_000_000))).toBe('un | millón | de | dólares');
    expect(spoken('es-US', amount(120_000_000))).toBe('un | millón | doscientos | mil | dólares');
    expect(spoken('es-US', amount(300_000_000, 'GBP'))).toBe('tres | millones | de | libras');
  });
});

describe('say expiry', () => {
  it('reads MMYY as month and year in pairs', () => {
    expect(spoken('en-US', { kind: 'expiry', mmyy: '1127' })).toBe('November | twenty | twenty seven');
    expect(spoken('en-US', { kind: 'expiry', mmyy: '0130' })).toBe('January | twenty | thirty');
  });

  it('reads 2000-2009 as "two thousand five"', () => {
    expect(spoken('en-US', { kind: 'expiry', mmyy: '0505' })).toBe('May | two | thousand | five');
    expect(spoken('en-US', { kind: 'expiry', mmyy: '1200' })).toBe('December | two | thousand');
  });

  it('reads Spanish dates as "noviembre de dos mil veintisiete"', () => {
    expect(spoken('es-US', { kind: 'expiry', mmyy: '1127' })).toBe('noviembre | de | dos | mil | veintisiete');
    expect(spoken('es-US', { kind: 'expiry', mmyy: '0321' })).toBe('marzo | de | dos | mil | veintiuno');
  });

  it('refuses a month outside 1-12 or a string that is not four digits', () => {
    for (const mmyy of ['1327', '0027', '127', '11/27', '']) {
      expect(sayItem('en-US', { kind: 'expiry', mmyy })).toMatchObject({ ok: false, reason: 'expiry_not_mmyy' });
    }
  });
});

describe('say digits and references', () => {
  it('reads digits one by one with star and pound, a fixed gap apart', () => {
    expect(spoken('en-US', { kind: 'digits', digits: '42*0#' })).toBe('four | two | star | zero | pound');
    expect(spoken('es-US', { kind: 'digits', digits: '1#' })).toBe('uno | numeral');
    const said = sayItem('en-US', { kind: 'digits', digits: '42' });
    expect(said).toEqual({ ok: true, steps: [{ clip: 'num.4' }, { silenceMs: CHAR_GAP_MS }, { clip: 'num.2' }] });
  });

  it('refuses non-DTMF characters in a digit string', () => {
    expect(sayItem('en-US', { kind: 'digits', digits: '12a' })).toMatchObject({ ok: false, reason: 'digits_not_dtmf' });
    expect(sayItem('en-US', { kind: 'digits', digits: '' })).toMatchObject({ ok: false, reason: 'digits_not_dtmf' });
  });

  it('reads a reference letter by letter, case-insensitively, pausing at separators', () => {
    expect(spoken('en-US', { kind: 'reference', text: 'AB12cd' })).toBe('ay | bee | one | two | see | dee');
    expect(spoken('es-US', { kind: 'reference', text: 'XW-9' })).toBe('equis | doble ve | nueve');
    const said = sayItem('en-US', { kind: 'reference', text: 'A-1' });
    expect(said.ok && said.steps).toEqual([{ clip: 'letter.a' }, { silenceMs: CHAR_GAP_MS }, { silenceMs: CHAR_GAP_MS }, { clip: 'num.1' }]);
    expect(sayItem('en-US', { kind: 'reference', text: 'AB!1' })).toMatchObject({ ok: false, reason: 'reference_not_alphanumeric' });
    expect(sayItem('en-US', { kind: 'reference', text: 'AB__1' })).toMatchObject({ ok: false, reason: 'reference_not_alphanumeric' });
    // Gateway ids such as Stripe's read with their separators as pauses.
    const stripe = sayItem('en-US', { kind: 'reference', text: 'pi_0A' });
    expect(stripe.ok).toBe(true);
    if (stripe.ok) expect(stripe.steps.filter((s) => 'clip' in s)).toHaveLength(4);
  });
});

describe('compose a prompt', () => {
  it('puts a fixed gap between items, and a silence item instead of it', () => {
    const said = composePrompt('en-US', {
      items: [{ kind: 'phrase', id: 'you_entered' }, { kind: 'number', value: 7 }, { kind: 'silence', ms: 500 }, { kind: 'phrase', id: 'goodbye' }],
    });
    expect(said).toEqual({
      ok: true,
      steps: [{ clip: 'phrase.you_entered' }, { silenceMs: ITEM_GAP_MS }, { clip: 'num.7' }, { silenceMs: 500 }, { clip: 'phrase.goodbye' }],
    });
  });

  it('fails on the first bad item', () => {
    expect(composePrompt('en-US', { items: [{ kind: 'phrase', id: 'expiring' }, { kind: 'expiry', mmyy: '9999' }] })).toMatchObject({
      ok: false,
      reason: 'expiry_not_mmyy',
    });
  });
});

describe('vocabulary coverage', () => {
  const arbitraryItem: fc.Arbitrary<SayItem> = fc.oneof(
    fc
      .constantFrom('USD', 'EUR', 'GBP', 'CAD', 'MXN', 'CHF', 'JPY', 'KWD')
      .chain((currency) =>
        fc.record({
          kind: fc.constant('amount' as const),
          minor: fc.integer({ min: 0, max: 1e9 * 10 ** minorUnitDigits(currency)! - 1 }),
          currency: fc.constant(currency),
        }),
      ),
    fc.record({ kind: fc.constant('number' as const), value: fc.integer({ min: 0, max: 999_999_999 }) }),
    fc.record({ kind: fc.constant('digits' as const), digits: fc.stringMatching(/^[0-9*#]{1,19}$/) }),
    fc.record({ kind: fc.constant('expiry' as const), mmyy: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 })).map(([m, y]) => `${m}`.padStart(2, '0') + `${y}`.padStart(2, '0')) }),
    fc.record({ kind: fc.constant('reference' as const), text: fc.stringMatching(/^[A-Za-z0-9]{1,12}$/) }),
  );

  for (const language of LANGUAGES) {
    it(`every clip a valid value can need has a text in ${language}`, () => {
      const texts = LANGUAGE_TEXTS[language].texts;
      fc.assert(
        fc.property(arbitraryItem, (item) => {
          const said = sayItem(language, item);
          expect(said.ok).toBe(true);
          for (const id of clipsOf(said)) expect(texts[id], id).toBeTypeOf('string');
        }),
        { numRuns: 2000 },
      );
    });
  }
});
