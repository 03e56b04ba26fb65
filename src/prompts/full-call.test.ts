// Every prompt of a full payment call, in every language: rendered from the committed clips,
// checked for plausible durations and even levels, then played through the playout to check
// the chunks Genesys would receive.
import { describe, expect, it } from 'vitest';
import { mulawDecode } from '../audio/g711.js';
import { VirtualClock } from '../core/clock.js';
import { catalogFor } from './catalog.js';
import { LANGUAGES } from './languages.js';
import { activeRmsDbfs } from './level.js';
import { Playout, type PromptOutcome } from './playout.js';
import { renderPrompt } from './render.js';
import { PHRASES, phrase, prompt, type PromptSpec } from './spec.js';

const FULL_CALL: PromptSpec[] = [
  prompt('welcome', [phrase('welcome')]),
  prompt('amount_due', [phrase('amount_due'), { kind: 'amount', minor: 123456, currency: 'USD' }]),
  prompt('choose_amount', [phrase('choose_amount')]),
  prompt('enter_amount', [phrase('enter_amount')]),
  prompt('readback_amount', [phrase('you_entered'), { kind: 'amount', minor: 5000, currency: 'EUR' }, phrase('confirm_or_reenter')]),
  prompt('enter_card_number', [phrase('enter_card_number')]),
  prompt('readback_card', [phrase('card_ending_in'), { kind: 'digits', digits: '4242' }], { sensitive: true }),
  prompt('enter_expiry', [phrase('enter_expiry')]),
  prompt('readback_expiry', [phrase('you_entered'), phrase('expiring'), { kind: 'expiry', mmyy: '1127' }], { sensitive: true }),
  prompt('enter_security_code', [phrase('enter_security_code')]),
  prompt('processing', [phrase('processing')]),
  prompt('approved', [phrase('approved'), phrase('your_reference_is'), { kind: 'reference', text: 'AB12CD' }]),
  prompt('goodbye', [phrase('goodbye')]),
];

for (const language of LANGUAGES) {
  describe(`a full call in ${language}`, () => {
    const catalog = catalogFor(language);
    const target = catalog.manifest.targetRmsDbfs;

    it('every phrase lasts between 0.3 and 8 seconds', () => {
      for (const id of PHRASES) {
        const seconds = renderPrompt(catalog, prompt(id, [phrase(id)])).length / 8000;
        expect(seconds, id).toBeGreaterThanOrEqual(0.3);
        expect(seconds, id).toBeLessThanOrEqual(8);
      }
    });

    it('every prompt of the call is non-empty, under 15 seconds, and within 2 dB of the speech level', () => {
      const levels: number[] = [];
      for (const spec of FULL_CALL) {
        const audio = renderPrompt(catalog, spec);
        expect(audio.length / 8000, spec.name).toBeGreaterThanOrEqual(0.3);
        expect(audio.length / 8000, spec.name).toBeLessThanOrEqual(15);
        const level = activeRmsDbfs(mulawDecode(audio));
        expect(Math.abs(level - target), spec.name).toBeLessThanOrEqual(2);
        levels.push(level);
      }
      expect(Math.max(...levels) - Math.min(...levels)).toBeLessThanOrEqual(3);
    });

    it('plays the whole call in 100-250 ms chunks, back to back, each prompt heard to its end', () => {
      const clock = new VirtualClock(0);
      const chunks: Array<{ at: number; size: number }> = [];
      const playout = new Playout({
        clock,
        catalog,
        port: { sendAudio: (c) => (chunks.push({ at: clock.now(), size: c.length }), true), sendEvent: () => {} },
      });
      const outcomes: PromptOutcome[] = [];
      const finishedAt: number[] = [];
      playout.on('promptfinished', (_name, _interrupted, o) => (outcomes.push(o), finishedAt.push(clock.now())));
      for (const spec of FULL_CALL) playout.play(spec);
      clock.advance(5 * 60_000);

      expect(outcomes.map((o) => o.name)).toEqual(FULL_CALL.map((s) => s.name));
      expect(outcomes.every((o) => !o.interrupted && o.reason === 'played')).toBe(true);
      expect(outcomes.filter((o) => o.sensitive).map((o) => o.name)).toEqual(['readback_card', 'readback_expiry']);
      for (const c of chunks) {
        expect(c.size).toBeGreaterThanOrEqual(800);
        expect(c.size).toBeLessThanOrEqual(1600);
      }
      // After the first two (lead), one 200 ms chunk every 200 ms until the short last one.
      const steady = chunks.slice(2, -1);
      steady.forEach((c, i) => expect(c.at - chunks[i + 1]!.at).toBeCloseTo(200, 6));
      // The stream never ran dry, so each prompt ends exactly when its last sample is due at the caller.
      outcomes.forEach((o, i) => expect(finishedAt[i]).toBeCloseTo(o.endSample! / 8, 6));
    });
  });
}
