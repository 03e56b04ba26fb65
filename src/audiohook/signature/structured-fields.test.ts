import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDictionary, serializeDictionary, sf, type BareItem, type Dictionary } from './structured-fields.js';

function parsed(text: string): Dictionary {
  const result = parseDictionary(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error}`);
  return result.value;
}

describe('structured field dictionaries', () => {
  it('parses items, inner lists and parameters of every bare item type', () => {
    const dict = parsed('a=1, b=-2.5;x, c=("s" tok :AQID:);p=?0, d, e="q\\"\\\\"');
    expect(dict.get('a')).toEqual(sf.item(sf.integer(1)));
    expect(dict.get('b')).toEqual(sf.item({ type: 'decimal', value: -2.5 }, [['x', { type: 'boolean', value: true }]]));
    const c = dict.get('c');
    expect(c?.kind).toBe('inner-list');
    if (c?.kind !== 'inner-list') return;
    expect(c.items.map((i) => i.value)).toEqual([sf.string('s'), sf.token('tok'), sf.bytes(new Uint8Array([1, 2, 3]))]);
    expect(c.params).toEqual([['p', { type: 'boolean', value: false }]]);
    expect(dict.get('d')).toEqual(sf.item({ type: 'boolean', value: true }));
    expect(dict.get('e')).toEqual(sf.item(sf.string('q"\\')));
  });

  it('serialises back to the canonical form', () => {
    const text = 'a=1, b=-2.5;x, c=("s" tok :AQID:);p=?0, d, e="q\\"\\\\"';
    expect(serializeDictionary(parsed(text))).toBe(text);
    expect(serializeDictionary(parsed('a=1,b=2;  x=1'))).toBe('a=1, b=2;x=1');
  });

  it('keeps the first position and the last value of a repeated key', () => {
    expect(serializeDictionary(parsed('a=1, b=2, a=3'))).toBe('a=3, b=2');
  });

  it('joins repeated header lines before parsing', () => {
    const result = parseDictionary(['a=1', 'b=2']);
    expect(result.ok && serializeDictionary(result.value)).toBe('a=1, b=2');
  });

  it.each([
    ['a trailing comma', 'a=1,'],
    ['an unterminated string', 'a="abc'],
    ['a bad escape', 'a="\\x"'],
    ['an integer over 15 digits', 'a=1234567890123456'],
    ['a decimal with four fraction digits', 'a=1.2345'],
    ['an upper-case key', 'A=1'],
    ['a non-ASCII string', 'a="é"'],
    ['bad base64', 'a=:@@:'],
    ['an unterminated inner list', 'a=("x" "y"'],
    ['garbage after a member', 'a=1 b=2'],
    ['a bad boolean', 'a=?2'],
  ])('rejects %s as a value, without throwing', (_what, text) => {
    const result = parseDictionary(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/offset \d+/);
  });

  it('never throws on arbitrary text, and whatever parses re-serialises to something that parses the same', () => {
    const alphabet = fc.constantFrom(...'abz09=;,() "\\:?-.*/+_AZ\t'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 60 })), (text) => {
        const result = parseDictionary(text);
        if (result.ok) {
          const again = parseDictionary(serializeDictionary(result.value));
          expect(again.ok && serializeDictionary(again.value)).toBe(serializeDictionary(result.value));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips generated dictionaries', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
    const bare: fc.Arbitrary<BareItem> = fc.oneof(
      fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }).map(sf.integer),
      fc.stringMatching(/^[ -~]{0,12}$/).map(sf.string),
      fc.stringMatching(/^[A-Za-z*][A-Za-z0-9:/._-]{0,8}$/).map(sf.token),
      fc.uint8Array({ maxLength: 40 }).map(sf.bytes),
      fc.boolean().map((value): BareItem => ({ type: 'boolean', value })),
    );
    const params = fc.uniqueArray(fc.tuple(key, bare), { maxLength: 3, selector: ([k]) => k });
    const item = fc.tuple(bare, params).map(([v, p]) => sf.item(v, p));
    const member = fc.oneof(item, fc.tuple(fc.array(item, { maxLength: 4 }), params).map(([i, p]) => sf.innerList(i, p)));
    const dict = fc.uniqueArray(fc.tuple(key, member), { minLength: 1, maxLength: 4, selector: ([k]) => k });
    fc.assert(
      fc.property(dict, (entries) => {
        const text = serializeDictionary(new Map(entries));
        const result = parseDictionary(text);
        expect(result.ok).toBe(true);
        if (result.ok) expect(serializeDictionary(result.value)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
