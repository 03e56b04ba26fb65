import { describe, expect, it } from 'vitest';
import { chargeWithRetries, type TryOutcome } from './retry.js';
import type { LookupResult } from './types.js';

function script(outcomes: TryOutcome[]) {
  let calls = 0;
  return { tryOnce: async () => outcomes[Math.min(calls++, outcomes.length - 1)]!, calls: () => calls };
}

const waits: number[] = [];
const fakeSleep = async (ms: number) => void waits.push(ms);
const policy = { maxRetries: 3, backoffMs: 100 };
const notFound = async (): Promise<LookupResult> => ({ status: 'not_found' });

describe('chargeWithRetries', () => {
  it('returns the first definite answer without a lookup', async () => {
    const s = script([{ kind: 'retry', mayBeInFlight: false }, { kind: 'answer', result: { status: 'approved', transactionRef: 't' } }]);
    let looked = false;
    const r = await chargeWithRetries(s.tryOnce, async () => ((looked = true), { status: 'not_found' }), policy, fakeSleep);
    expect(r).toEqual({ status: 'approved', transactionRef: 't' });
    expect(looked).toBe(false);
  });

  it('backs off exponentially between tries and stops after the last retry', async () => {
    waits.length = 0;
    const s = script([{ kind: 'retry', mayBeInFlight: false }]);
    await chargeWithRetries(s.tryOnce, notFound, policy, fakeSleep);
    expect(s.calls()).toBe(4);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('says outcome_unknown, not unreachable, when a try may still be in flight and the lookup finds nothing', async () => {
    const s = script([{ kind: 'retry', mayBeInFlight: true }, { kind: 'retry', mayBeInFlight: false }]);
    expect(await chargeWithRetries(s.tryOnce, notFound, policy, fakeSleep)).toEqual({ status: 'failed', failure: 'outcome_unknown' });
    const t = script([{ kind: 'retry', mayBeInFlight: false }]);
    expect(await chargeWithRetries(t.tryOnce, notFound, policy, fakeSleep)).toEqual({ status: 'failed', failure: 'unreachable' });
  });

  it('takes the lookup result when the gateway recorded the charge', async () => {
    const s = script([{ kind: 'retry', mayBeInFlight: true }]);
    const r = await chargeWithRetries(s.tryOnce, async () => ({ status: 'found', result: { status: 'declined', reason: 'generic' } }), policy, fakeSleep);
    expect(r).toEqual({ status: 'declined', reason: 'generic' });
  });

  it('never retries a definite refusal', async () => {
    const s = script([{ kind: 'stop', failure: 'misconfigured' }]);
    expect(await chargeWithRetries(s.tryOnce, notFound, policy, fakeSleep)).toEqual({ status: 'failed', failure: 'misconfigured' });
    expect(s.calls()).toBe(1);
  });
});
