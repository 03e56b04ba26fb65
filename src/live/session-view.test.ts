import { describe, expect, it } from 'vitest';
import { DialogHarness } from '../payment/dialog/harness.js';
import type { DialogAction } from '../payment/dialog/types.js';
import { looksLikePan } from '../store/card-guard.js';
import { applyEnded, applyOutcome, applyStatus, createView, isOver } from './session-view.js';
import type { LiveField, LiveSession } from './types.js';

const start = { id: 's1', conversationId: 'c1', connectorId: 'payments', instanceId: 'i1', mode: 'automated', language: 'en-US', now: 1000 };

function fold(actions: readonly DialogAction[], view = createView(start)): LiveSession {
  let v = view;
  for (const a of actions) {
    if (a.type === 'status') v = applyStatus(v, a.status, v.updatedAt + 1);
    if (a.type === 'finish') v = applyOutcome(v, a.outcome, v.updatedAt + 1, looksLikePan);
  }
  return v;
}

const status = (v: LiveSession, f: LiveField) => v.fields.find((x) => x.field === f)!;

describe('live session view', () => {
  it('marks a flow-set amount not required once card entry starts, and counts card digits with the brand', () => {
    const h = DialogHarness.create({}, { PAYHOOK_MODE: 'automated', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00' });
    h.answer('424242');
    const v = fold(h.log);
    expect(status(v, 'amount').status).toBe('not_required');
    expect(status(v, 'cardNumber')).toMatchObject({ status: 'in_progress', digits: 6, entries: 1 });
    expect(v.brand).toBe('visa');
    expect(v.current).toBe('cardNumber');
    expect(v.phase).toBe('collecting');
  });

  it('follows a keyed amount through confirmation and the card fields to an approved outcome', () => {
    const h = DialogHarness.create({}, { PAYHOOK_MODE: 'agent_assisted', PAYHOOK_CALLER_IDENTIFIED: 'true' });
    h.answer('2500#').answer('1');
    let v = fold(h.log);
    expect(status(v, 'amount').status).toBe('confirmed');
    h.log.length = 0;
    h.answer('4242424242424242#').answer('1').answer('1230');
    v = fold(h.log, v);
    expect(status(v, 'cardNumber')).toMatchObject({ status: 'confirmed', digits: 16 });
    expect(status(v, 'expiry')).toMatchObject({ status: 'valid', digits: 4 });
    expect(v.phase).toBe('confirming');
    h.log.length = 0;
    h.answer('1').answer('123').answer('1');
    v = fold(h.log, v);
    expect(status(v, 'securityCode').status).toBe('confirmed');
    expect(v.phase).toBe('charging');
    expect(v.gateway).toBe('in_progress');
    expect(v.chargeAttempts).toBe(1);
    h.log.length = 0;
    h.gateway({ status: 'approved', transactionRef: 'pi_3Nx9' }).hearAll();
    v = fold(h.log, v);
    expect(v.gateway).toBe('done');
    expect(v.outcome).toEqual({ result: 'approved', nextAction: 'agent', failureReason: '', transactionRef: 'pi_3Nx9' });
    expect(v.phase).toBe('finished');
  });

  it('counts a rejected entry and shows the field in progress again when it is asked again', () => {
    const h = DialogHarness.create({}, { PAYHOOK_MODE: 'automated', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00' });
    h.answer('4242424242424241#');
    const v = fold(h.log);
    expect(status(v, 'cardNumber')).toMatchObject({ status: 'in_progress', rejections: 1, entries: 2, digits: 0 });
    expect(v.brand).toBeUndefined();
  });

  it('starts card entry over after a decline and marks the gateway declined', () => {
    const h = DialogHarness.create({ required: { expiry: false, securityCode: false } }, { PAYHOOK_MODE: 'automated', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00' });
    h.answer('4242424242424242#').answer('1');
    let v = fold(h.log);
    expect(status(v, 'expiry').status).toBe('not_required');
    expect(v.gateway).toBe('in_progress');
    h.log.length = 0;
    h.gateway({ status: 'declined', reason: 'insufficient_funds' });
    v = fold(h.log, v);
    expect(v.gateway).toBe('declined');
    expect(v.declines).toBe(1);
    expect(status(v, 'cardNumber')).toMatchObject({ status: 'in_progress', digits: 0 });
    expect(v.brand).toBeUndefined();
  });

  it('keeps a reference-shaped transaction ref but drops one that looks like a card number', () => {
    const v = applyOutcome(createView(start), { result: 'approved', nextAction: 'continue', failureReason: '', transactionRef: '4111111111111111' }, 2000, looksLikePan);
    expect(v.outcome).toEqual({ result: 'approved', nextAction: 'continue', failureReason: '' });
    const odd = applyOutcome(createView(start), { result: 'declined', nextAction: 'queue', failureReason: 'Card 4111 1111 1111 1111!' }, 2000, looksLikePan);
    expect(odd.outcome?.failureReason).toBe('other');
  });

  it('stays open after the session closes while a charge is in flight, until its outcome', () => {
    let v = applyStatus(createView(start), { phase: 'charging', attempt: 1 }, 1500);
    v = applyEnded(v, 1600);
    expect(isOver(v)).toBe(false);
    expect(v.phase).toBe('charging');
    v = applyOutcome(v, { result: 'approved', nextAction: 'continue', failureReason: '', transactionRef: 'ch_1' }, 1700, looksLikePan);
    expect(isOver(v)).toBe(true);
    expect(v.phase).toBe('ended');
    expect(v.endedAt).toBe(1600);
  });

  it('never mutates the view it is given', () => {
    const v0 = createView(start);
    const frozen = JSON.stringify(v0);
    applyStatus(v0, { phase: 'collecting', field: 'cardNumber', digits: 3, brand: 'visa' }, 2000);
    applyEnded(v0, 3000);
    expect(JSON.stringify(v0)).toBe(frozen);
  });
});
