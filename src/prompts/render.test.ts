import { describe, expect, it } from 'vitest';
import { catalogFor } from './catalog.js';
import { renderPrompt, renderSteps } from './render.js';
import { ITEM_GAP_MS } from './say/index.js';

const catalog = catalogFor('en-US');

describe('render', () => {
  it('concatenates clips with mu-law silence of the exact length between them', () => {
    const one = catalog.clip('num.1');
    const two = catalog.clip('num.2');
    const audio = renderSteps(catalog, [{ clip: 'num.1' }, { silenceMs: 25 }, { clip: 'num.2' }]);
    expect(audio.length).toBe(one.length + 200 + two.length);
    expect(audio.subarray(0, one.length)).toEqual(one);
    expect(audio.subarray(one.length, one.length + 200).every((b) => b === 0xff)).toBe(true);
    expect(audio.subarray(one.length + 200)).toEqual(two);
  });

  it('renders a prompt as its items with the item gap', () => {
    const audio = renderPrompt(catalog, { name: 'x', items: [{ kind: 'phrase', id: 'you_entered' }, { kind: 'number', value: 7 }] });
    expect(audio.length).toBe(catalog.clip('phrase.you_entered').length + ITEM_GAP_MS * 8 + catalog.clip('num.7').length);
  });

  it('throws a typed error naming the prompt and reason for a value it cannot say', () => {
    expect(() => renderPrompt(catalog, { name: 'bad', items: [{ kind: 'digits', digits: 'x' }] })).toThrow(
      expect.objectContaining({ code: 'ERR_PROMPTS_BAD_VALUE', detail: { prompt: 'bad', reason: 'digits_not_dtmf' } }),
    );
  });
});
