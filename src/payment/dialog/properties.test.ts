// Property tests: random key presses, prompt ends, timers, gateway answers, hang-ups and cancels
// driven through the pure dialog. Whatever happens, it ends once with a valid outcome, charges
// each attempt at most once, keeps to its limits and never lets a card digit out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChargeResult } from '../gateway/types.js';
import { DialogHarness } from './harness.js';
import type { DialogAction, ResultKind } from './types.js';

// PAYHOOK_PROP_RUNS raises the run count for a deeper search (default keeps the suite fast).
const RUNS = Number(process.env.PAYHOOK_PROP_RUNS ?? 300);
const PANS = ['4242424242424242', '378282246310005', '4000000000000002', '5555555555554444'];
const KEY_RUNS = [...PANS, '4242424242424241', '1230', '1025', '0331', '123', '7391', '1', '2', '#', '*', '12*5#', '0', '9', '25#'];
const RESULTS: readonly ResultKind[] = ['approved', 'declined', 'not_identified', 'cancelled', 'too_many_attempts', 'gateway_error', 'hung_up', 'invalid_request'];

const gatewayResult: fc.Arbitrary<ChargeResult> = fc.oneof(
  fc.constant<ChargeResult>({ status: 'approved', transactionRef: 'pi_ok' }),
  fc.constantFrom<ChargeResult>({ status: 'declined', reason: 'generic' }, { status: 'declined', reason: 'insufficient_funds' }),
  fc.constantFrom<ChargeResult>({ status: 'failed', failure: 'unreachable' }, { status: 'failed', failure: 'outcome_unknown' }),
);

type Step =
  | { k: 'keys'; keys: string }
  | { k: 'hear' }
  | { k: 'timer'; name: 'firstDigit' | 'interDigit' }
  | { k: 'gateway'; result: ChargeResult; stale: boolean }
  | { k: 'hangup' }
  | { k: 'cancel' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(fc.constantFrom(...KEY_RUNS), fc.stringMatching(/^[0-9#*AD]{1,3}$/)).map((keys): Step => ({ k: 'keys', keys })) },
  { weight: 6, arbitrary: fc.constant<Step>({ k: 'hear' }) },
  { weight: 2, arbitrary: fc.constantFrom<Step>({ k: 'timer', name: 'firstDigit' }, { k: 'timer', name: 'interDigit' }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('gateway' as const), result: gatewayResult, stale: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constantFrom<Step>({ k: 'hangup' }, { k: 'cancel' }) },
);

const scenario = fc.record({
  maxAttemptsPerField: fc.integer({ min: 1, max: 4 }),
  maxDeclines: fc.integer({ min: 1, max: 3 }),
  expiry: fc.boolean(),
  securityCode: fc.boolean(),
  securityReadBack: fc.constantFrom('none', 'length'),
  mode: fc.constantFrom('automated', 'agent_assisted'),
  identified: fc.constantFrom('true', 'false', 'true', 'true'),
  amount: fc.constantFrom<Record<string, string>>({ PAYHOOK_AMOUNT: '25.00' }, { PAYHOOK_BALANCE: '80.00' }, {}),
  steps: fc.array(step, { maxLength: 250 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run(sc: Scenario) {
  const config = {
    maxAttemptsPerField: sc.maxAttemptsPerField,
    maxDeclines: sc.maxDeclines,
    required: { expiry: sc.expiry, securityCode: sc.securityCode },
    readBack: { securityCode: sc.securityReadBack },
  };
  const h = DialogHarness.create(config, { PAYHOOK_MODE: sc.mode, PAYHOOK_CALLER_IDENTIFIED: sc.identified, ...sc.amount });
  const afterFinish: DialogAction[][] = [];
  const apply = (s: Step) => {
    const wasDone = h.finished !== undefined;
    let actions: DialogAction[] = [];
    const st = h.state.step;
    switch (s.k) {
      case 'keys':
        h.press(s.keys);
        break;
      case 'hear':
        if (h.state.playing[0]) actions = h.send({ type: 'promptFinished', playId: h.state.playing[0].playId });
        break;
      case 'timer':
        actions = h.send({ type: 'timer', name: s.name });
        break;
      case 'gateway':
        if (st.kind === 'charging') actions = h.send({ type: 'gatewayAnswer', attempt: s.stale ? st.attempt - 1 : st.attempt, result: s.result });
        break;
      case 'hangup':
        actions = h.send({ type: 'hangup' });
        break;
      case 'cancel':
        actions = h.send({ type: 'cancel' });
        break;
    }
    if (wasDone) afterFinish.push(actions);
  };
  for (const s of sc.steps) apply(s);
  // Drive to the end as the shell would: prompts end, timers fire, the gateway answers.
  for (let guard = 0; !h.finished; guard++) {
    if (guard > 3000) throw new Error('dialog did not end');
    const st = h.state.step;
    if (st.kind === 'charging') h.send({ type: 'gatewayAnswer', attempt: st.attempt, result: { status: 'failed', failure: 'unreachable' } });
    else if (h.state.playing[0]) h.send({ type: 'promptFinished', playId: h.state.playing[0].playId });
    else if (h.state.timer) h.fire(h.state.timer);
    else throw new Error(`dialog stuck in ${JSON.stringify(st)}`);
  }
  return { h, afterFinish, config };
}

describe('payment dialog properties', () => {
  it('always ends exactly once with a valid outcome, and nothing happens after it', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const { h, afterFinish } = run(sc);
        expect(h.of('finish')).toHaveLength(1);
        expect(afterFinish.flat()).toEqual([]);
        const { outcome, outputVariables } = h.finished!;
        expect(RESULTS).toContain(outcome.result);
        expect(['continue', 'queue', 'agent']).toContain(outcome.nextAction);
        for (const v of Object.values(outputVariables)) expect(typeof v).toBe('string');
        if (sc.identified === 'false') expect(outcome.result).toBe('not_identified');
      }),
      { numRuns: RUNS },
    );
  });

  it('charges each attempt at most once, never beyond the declines allowed, and wipes every card', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const { h } = run(sc);
        const charges = h.of('charge');
        expect(charges.map((c) => c.attempt)).toEqual(charges.map((_, i) => i + 1));
        expect(new Set(charges.map((c) => c.idempotencyKey)).size).toBe(charges.length);
        expect(charges.length).toBeLessThanOrEqual(sc.maxDeclines);
        for (const c of charges) expect(c.request.card.wiped).toBe(true);
        expect(h.state.pan.length + h.state.expiry.length + h.state.securityCode.length).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('never exceeds the attempts allowed per field', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const { h } = run(sc);
        for (const n of Object.values(h.state.failures)) expect(n).toBeLessThanOrEqual(sc.maxAttemptsPerField);
        expect(h.state.entries.amount).toBeLessThanOrEqual(sc.maxAttemptsPerField);
        expect(h.state.entries.amountChoice).toBeLessThanOrEqual(sc.maxAttemptsPerField);
        for (const f of ['cardNumber', 'expiry', 'securityCode'] as const) {
          expect(h.state.entries[f]).toBeLessThanOrEqual(sc.maxAttemptsPerField * sc.maxDeclines);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('emits no card digits in any action but the charge, and opens and closes secure windows in pairs', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const { h } = run(sc);
        // Amount items are spoken numbers, not card data; drop them so keyed amounts cannot collide.
        const text = JSON.stringify(h.log.filter((a) => a.type !== 'charge'), (k, v) => (k === 'minor' ? undefined : v));
        for (const pan of PANS) {
          for (let i = 0; i + 6 <= pan.length; i++) expect(text).not.toContain(pan.slice(i, i + 6));
        }
        let open: string | null = null;
        for (const w of h.of('secureWindow')) {
          if (w.open) {
            expect(open).toBeNull();
            open = w.field;
          } else {
            expect(w.field).toBe(open);
            open = null;
          }
        }
        expect(open).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });
});
