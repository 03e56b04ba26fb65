import { describe, expect, it } from 'vitest';
import { DialogHarness } from './harness.js';
import { idempotencyKey } from './transition.js';

const VISA = '4242424242424242';
const AMEX = '378282246310005';
const FIXED = { PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00' };
const AGENT = { ...FIXED, PAYHOOK_MODE: 'agent_assisted' };

/** Fixed amount, Visa, expiry, CVV, all confirmed: the dialog is now charging. */
function toCharge(h: DialogHarness, pan = VISA, cvv = '123'): DialogHarness {
  h.answer(pan + (pan.length < 19 && pan !== AMEX ? '#' : '')).answer('1');
  h.answer('1230').answer('1');
  h.answer(cvv).answer('1');
  return h;
}

describe('step 1-2: arrival and identification', () => {
  it('welcomes an automated caller and asks for the card when the amount is fixed', () => {
    const h = DialogHarness.create({}, FIXED);
    expect(h.phrases()).toEqual(['welcome', 'amount_due', 'enter_card_number']);
    expect(h.of('secureWindow')).toEqual([{ type: 'secureWindow', open: true, field: 'cardNumber' }]);
  });

  it('welcomes an agent-assisted caller with its own greeting', () => {
    expect(DialogHarness.create({}, AGENT).phrases()[0]).toBe('welcome_agent_assisted');
  });

  it('ends at once for an unidentified automated caller, to the queue', () => {
    const h = DialogHarness.create({}, { PAYHOOK_AMOUNT: '25.00' });
    expect(h.phrases()).toEqual(['not_identified', 'transferring_to_agent']);
    expect(h.finished).toBeUndefined();
    h.hearAll();
    expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: 'not_identified', PAYHOOK_NEXT_ACTION: 'queue', PAYHOOK_FAILURE_REASON: 'caller_not_identified' });
  });

  it('ends at once for an unidentified agent-assisted caller, back to the agent', () => {
    const h = DialogHarness.create({}, { PAYHOOK_MODE: 'agent_assisted', PAYHOOK_CALLER_IDENTIFIED: 'false' }).hearAll();
    expect(h.phrases()).toEqual(['not_identified', 'returning_to_agent']);
    expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: 'not_identified', PAYHOOK_NEXT_ACTION: 'agent' });
  });

  it('ends with invalid_request when an input variable is unusable, naming no value', () => {
    const h = DialogHarness.create({}, { PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: 'lots' }).hearAll();
    expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: 'invalid_request', PAYHOOK_FAILURE_REASON: 'invalid_input_variables' });
  });
});

describe('step 3: amount', () => {
  it('lets the caller pay the full balance with 1', () => {
    const h = DialogHarness.create({}, { PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_BALANCE: '80.00' });
    expect(h.lastPrompt().items).toContainEqual({ kind: 'amount', minor: 8000, currency: 'USD' });
    h.answer('1');
    expect(h.lastPrompt().name).toBe('enter_card_number');
    expect(h.state.amountMinor).toBe(8000);
  });

  it('lets the caller key another amount with 2, star as decimal point, read back and confirmed', () => {
    const h = DialogHarness.create({}, { PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_BALANCE: '80.00' });
    h.answer('2');
    expect(h.lastPrompt().name).toBe('enter_amount');
    h.answer('12*5#');
    expect(h.lastPrompt()).toMatchObject({ name: 'readback_amount', bargeIn: true, sensitive: false });
    expect(h.lastPrompt().items).toContainEqual({ kind: 'amount', minor: 1250, currency: 'USD' });
    h.answer('1');
    expect(h.lastPrompt().name).toBe('enter_card_number');
    expect(h.state.amountMinor).toBe(1250);
  });

  it('asks again with an error when the keyed amount is below the minimum', () => {
    const h = DialogHarness.create({ minAmountMinor: 500 }, { PAYHOOK_CALLER_IDENTIFIED: 'true' });
    h.answer('3#');
    expect(h.lastPrompt().name).toBe('enter_amount_retry_amount_too_low');
    expect(h.lastPrompt().items.slice(0, 3)).toEqual([
      { kind: 'phrase', id: 'amount_too_low' },
      { kind: 'amount', minor: 500, currency: 'USD' },
      { kind: 'phrase', id: 'try_again' },
    ]);
    h.answer('7#');
    expect(h.lastPrompt().name).toBe('readback_amount');
  });

  it('refuses more than the balance or the configured maximum', () => {
    const h = DialogHarness.create({}, { PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_BALANCE: '80.00' });
    h.answer('2').answer('90#');
    expect(h.lastPrompt().name).toBe('enter_amount_retry_amount_too_high');
    const k = DialogHarness.create({ maxAmountMinor: 10_000 }, { PAYHOOK_CALLER_IDENTIFIED: 'true' });
    k.answer('101#');
    expect(k.lastPrompt().name).toBe('enter_amount_retry_amount_too_high');
  });

  it('re-asks the amount when the caller presses 2 at the read-back', () => {
    const h = DialogHarness.create({}, { PAYHOOK_CALLER_IDENTIFIED: 'true' });
    h.answer('20#').answer('2');
    expect(h.lastPrompt().name).toBe('enter_amount_retry_rejected');
    expect(h.phrases().slice(-1)).toEqual(['enter_amount']);
  });

  it('treats a second star in an amount as cancel, and a first star before any digit too', () => {
    const a = DialogHarness.create({}, { PAYHOOK_CALLER_IDENTIFIED: 'true' }).answer('1*5*');
    expect(a.state.step).toMatchObject({ kind: 'closing', outcome: { result: 'cancelled' } });
    const b = DialogHarness.create({}, { PAYHOOK_CALLER_IDENTIFIED: 'true' }).answer('*');
    expect(b.state.step).toMatchObject({ kind: 'closing', outcome: { result: 'cancelled' } });
  });

  it('reads a zero-decimal currency and refuses star there', () => {
    const h = DialogHarness.create({}, { PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_CURRENCY: 'JPY' }).answer('1500#');
    expect(h.lastPrompt().items).toContainEqual({ kind: 'amount', minor: 1500, currency: 'JPY' });
  });
});

describe('step 4: card number', () => {
  it('reports the brand and digit count while digits arrive, never the digits', () => {
    const h = DialogHarness.create({}, FIXED).answer('4242');
    const statuses = h.of('status').map((a) => a.status).filter((s) => s.field === 'cardNumber' && s.digits);
    expect(statuses.at(-1)).toEqual({ phase: 'collecting', field: 'cardNumber', digits: 4, brand: 'visa' });
  });

  it('rejects a number that cannot become valid at the first impossible digit', () => {
    const h = DialogHarness.create({}, FIXED).answer('0');
    expect(h.lastPrompt().name).toBe('enter_card_number_retry_invalid_number');
    expect(h.phrases().slice(-3)).toEqual(['card_number_invalid', 'try_again', 'enter_card_number']);
  });

  it('rejects a brand that is not accepted as soon as it is known', () => {
    const h = DialogHarness.create({ acceptedBrands: ['visa', 'mastercard'] }, FIXED).answer('3');
    expect(h.lastPrompt().name).toBe('enter_card_number_retry_brand_not_accepted');
  });

  it('completes an Amex at 15 digits without #, and a Visa 16 on # or the inter-digit timeout', () => {
    expect(DialogHarness.create({}, FIXED).answer(AMEX).promptNames().slice(-2)).toEqual(['readback_card', 'confirm_or_reenter']);
    const h = DialogHarness.create({}, FIXED).answer(VISA);
    expect(h.lastPrompt().name).toBe('enter_card_number');
    expect(h.of('startTimer').at(-1)).toMatchObject({ name: 'interDigit', ms: 5000 });
    h.fire('interDigit');
    expect(h.lastPrompt().name).toBe('confirm_or_reenter');
  });

  it('rejects a Luhn failure and accepts a 13-digit Visa', () => {
    expect(DialogHarness.create({}, FIXED).answer('4242424242424241#').lastPrompt().name).toBe('enter_card_number_retry_invalid_number');
    expect(DialogHarness.create({}, FIXED).answer('4222222222222#').state.brand).toBe('visa');
  });
});

describe('step 5: only the questions the brand needs', () => {
  it('asks an Amex for a 4-digit code and a Visa for 3', () => {
    const amex = DialogHarness.create({}, FIXED).answer(AMEX).answer('1').answer('1230').answer('1');
    expect(amex.lastPrompt().name).toBe('enter_security_code_amex');
    amex.answer('123');
    expect(amex.lastPrompt().name).toBe('enter_security_code_amex'); // 3 digits: still waiting
    amex.press('4');
    expect(amex.promptNames().at(-2)).toBe('readback_security_code');
    const visa = DialogHarness.create({}, FIXED).answer(VISA + '#').answer('1').answer('1230').answer('1').answer('12#');
    expect(visa.lastPrompt().name).toBe('enter_security_code_retry_security_code_invalid');
  });

  it('rejects an expired card and an impossible month with different prompts', () => {
    const h = DialogHarness.create({}, FIXED).answer(VISA + '#').answer('1');
    h.answer('1025');
    expect(h.lastPrompt().name).toBe('enter_expiry_retry_expired');
    h.answer('1325');
    expect(h.lastPrompt().name).toBe('enter_expiry_retry_invalid_date');
  });

  it('skips expiry and security code when not required and charges without them', () => {
    const h = DialogHarness.create({ required: { expiry: false, securityCode: false } }, FIXED).answer(VISA + '#').answer('1');
    const charge = h.of('charge')[0]!;
    expect(charge.request.card.expiry).toBeUndefined();
    expect(charge.request.card.securityCode).toBeUndefined();
    expect(h.promptNames()).not.toContain('enter_expiry');
  });

  it('goes straight to the charge after the security code when its read-back is off', () => {
    const h = DialogHarness.create({ readBack: { securityCode: 'none' } }, FIXED).answer(VISA + '#').answer('1').answer('1230').answer('1').answer('123');
    expect(h.of('charge')).toHaveLength(1);
  });
});

describe('step 6: read-back and confirmation', () => {
  it('reads back the last four digits in a sensitive prompt the caller cannot interrupt', () => {
    const h = DialogHarness.create({}, FIXED).answer(VISA + '#');
    const readback = h.of('play').find((a) => a.prompt.name === 'readback_card')!.prompt;
    expect(readback).toMatchObject({ sensitive: true, bargeIn: false });
    expect(readback.items).toContainEqual({ kind: 'digits', digits: '4242' });
    h.press('1'); // during the read-back: ignored
    expect(h.state.step).toEqual({ kind: 'confirm', field: 'cardNumber' });
    h.answer('1');
    expect(h.lastPrompt().name).toBe('enter_expiry');
  });

  it('reads back every digit when configured', () => {
    const h = DialogHarness.create({ readBack: { cardNumber: 'all' } }, FIXED).answer(VISA + '#');
    expect(h.lastPrompt().name).toBe('confirm_or_reenter');
    expect(h.of('play').at(-2)!.prompt.items).toContainEqual({ kind: 'digits', digits: VISA });
  });

  it('re-asks the card number on 2 and the read-back on a wrong key', () => {
    const h = DialogHarness.create({}, FIXED).answer(VISA + '#').answer('2');
    expect(h.lastPrompt().name).toBe('enter_card_number_retry_rejected');
    expect(h.of('status').at(-2)!.status).toMatchObject({ confirmed: false });
    h.answer(VISA + '#').answer('5');
    expect(h.of('play').at(-2)!.prompt.items[0]).toEqual({ kind: 'phrase', id: 'invalid_entry' });
    expect(h.state.step).toEqual({ kind: 'confirm', field: 'cardNumber' });
  });

  it('reads the expiry back as MMYY and the security code as a digit count', () => {
    const h = DialogHarness.create({}, FIXED).answer(VISA + '#').answer('1').answer('0331');
    expect(h.of('play').at(-2)!.prompt.items).toContainEqual({ kind: 'expiry', mmyy: '0331' });
    h.answer('1').answer('123');
    expect(h.of('play').at(-2)!.prompt.items).toContainEqual({ kind: 'number', value: 3 });
  });
});

describe('timeouts, attempts, cancel', () => {
  it('starts the first-digit timer only once the question has been heard', () => {
    const h = DialogHarness.create({}, FIXED);
    expect(h.of('startTimer')).toEqual([]);
    h.hearAll();
    expect(h.of('startTimer')).toEqual([{ type: 'startTimer', name: 'firstDigit', ms: 8000 }]);
  });

  it('re-prompts on no input, then ends with the configured result after the last attempt', () => {
    const h = DialogHarness.create({ maxAttemptsPerField: 2, tooManyAttemptsResult: 'failed_entry' }, FIXED);
    h.hearAll().fire('firstDigit');
    expect(h.lastPrompt().name).toBe('enter_card_number_retry_no_input');
    expect(h.lastPrompt().items[0]).toEqual({ kind: 'phrase', id: 'no_input' });
    h.hearAll().fire('firstDigit');
    expect(h.phrases().slice(-3)).toEqual(['no_input', 'too_many_attempts', 'transferring_to_agent']);
    h.hearAll();
    expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: 'failed_entry', PAYHOOK_FAILURE_REASON: 'card_number_no_input', PAYHOOK_NEXT_ACTION: 'queue', PAYHOOK_ATTEMPTS_CARD_NUMBER: '2' });
  });

  it('ignores a timer that was cancelled', () => {
    const h = DialogHarness.create({}, FIXED).answer('4');
    const before = h.log.length;
    h.fire('firstDigit');
    expect(h.log.length).toBe(before);
  });

  it('cancels on star at any point, even during a read-back, back to the agent when agent-assisted', () => {
    const h = DialogHarness.create({}, AGENT).answer(VISA + '#').press('*');
    expect(h.of('stopPrompts').length).toBeGreaterThan(0);
    expect(h.phrases().slice(-2)).toEqual(['cancelled', 'returning_to_agent']);
    h.hearAll();
    expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: 'cancelled', PAYHOOK_NEXT_ACTION: 'agent', PAYHOOK_FAILURE_REASON: 'caller_pressed_star' });
    expect(h.of('secureWindow').at(-1)).toEqual({ type: 'secureWindow', open: false, field: 'cardNumber' });
  });

  it('barges in on an interruptible prompt with the first key', () => {
    const h = DialogHarness.create({}, FIXED).press('4');
    expect(h.log.at(-3)).toEqual({ type: 'stopPrompts' });
    expect(h.state.pan.length).toBe(1);
  });

  it('ignores the same key press reported twice at one stream position', () => {
    const h = DialogHarness.create({}, FIXED).hearAll();
    h.send({ type: 'digit', digit: '4', position: 10 });
    h.send({ type: 'digit', digit: '4', position: 10 });
    expect(h.state.pan.length).toBe(1);
  });
});

describe('hang-up', () => {
  it('during the card number: finishes at once as hung_up and wipes the digits', () => {
    const h = DialogHarness.create({}, FIXED).answer('424242');
    const pan = h.state.pan;
    h.send({ type: 'hangup' });
    expect(pan.wiped).toBe(true);
    expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: 'hung_up', PAYHOOK_CALLER_HUNG_UP: 'true', PAYHOOK_CARD_LAST4: '' });
    expect(h.of('secureWindow').at(-1)).toMatchObject({ open: false });
    expect(h.send({ type: 'digit', digit: '1', position: 999 })).toEqual([]);
  });

  it('during the gateway call: waits for the answer and reports it', () => {
    const h = toCharge(DialogHarness.create({}, FIXED));
    h.send({ type: 'hangup' });
    expect(h.finished).toBeUndefined();
    h.gateway({ status: 'approved', transactionRef: 'pi_123' });
    expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: 'approved', PAYHOOK_TRANSACTION_REF: 'pi_123', PAYHOOK_CALLER_HUNG_UP: 'true' });
  });
});

describe('steps 7-9: gateway, declines, approval, outputs', () => {
  it('charges once with the card, amount and an idempotency key of conversation and attempt', () => {
    const h = toCharge(DialogHarness.create({}, { ...FIXED, PAYHOOK_PAYMENT_REFERENCE: 'INV-7' }));
    const [charge] = h.of('charge');
    expect(charge!.attempt).toBe(1);
    expect(charge!.idempotencyKey).toBe(idempotencyKey('7a1f0c52-5f1e-4c33-9d1e-2d0c1b3e4f50', 'INV-7', 1));
    expect(charge!.request).toMatchObject({ amountMinor: 2500, currency: 'USD', brand: 'visa', last4: '4242', reference: 'INV-7' });
    expect(charge!.request.card.pan.reveal()).toBe(VISA);
    expect(charge!.request.card.expiry).toEqual({ month: 12, year: 2030 });
    expect(h.of('secureWindow').at(-1)).toEqual({ type: 'secureWindow', open: false, field: 'securityCode' });
    expect(h.lastPrompt().name).toBe('processing');
  });

  it('approves: says so with the reference, then finishes with continue and card-free outputs', () => {
    const h = toCharge(DialogHarness.create({}, FIXED));
    const card = h.of('charge')[0]!.request.card;
    h.gateway({ status: 'approved', transactionRef: 'pi_3Abc' });
    expect(card.wiped).toBe(true);
    expect(h.lastPrompt().items).toContainEqual({ kind: 'reference', text: 'pi_3Abc' });
    expect(h.finished).toBeUndefined();
    h.hearAll();
    expect(h.outputs).toEqual({
      PAYHOOK_RESULT: 'approved', PAYHOOK_NEXT_ACTION: 'continue', PAYHOOK_FAILURE_REASON: '', PAYHOOK_MODE: 'automated',
      PAYHOOK_CARD_BRAND: 'visa', PAYHOOK_CARD_LAST4: '4242', PAYHOOK_AMOUNT: '25.00', PAYHOOK_CURRENCY: 'USD',
      PAYHOOK_TRANSACTION_REF: 'pi_3Abc', PAYHOOK_PAYMENT_REFERENCE: '', PAYHOOK_DECLINES: '0', PAYHOOK_CHARGE_ATTEMPTS: '1',
      PAYHOOK_ATTEMPTS_AMOUNT: '0', PAYHOOK_ATTEMPTS_CARD_NUMBER: '1', PAYHOOK_ATTEMPTS_EXPIRY: '1', PAYHOOK_ATTEMPTS_SECURITY_CODE: '1',
      PAYHOOK_CALLER_HUNG_UP: 'false',
    });
  });

  it('returns an approved agent-assisted caller to the agent', () => {
    const h = toCharge(DialogHarness.create({}, AGENT)).gateway({ status: 'approved', transactionRef: 'r1' }).hearAll();
    expect(h.phrases().at(-1)).toBe('returning_to_agent');
    expect(h.outputs.PAYHOOK_NEXT_ACTION).toBe('agent');
  });

  it('lets a declined caller try another card, with a new idempotency key per attempt', () => {
    const h = toCharge(DialogHarness.create({ maxDeclines: 3 }, FIXED)).gateway({ status: 'declined', reason: 'insufficient_funds' });
    expect(h.phrases().slice(-3)).toEqual(['declined_insufficient_funds', 'declined_try_another_card', 'enter_card_number']);
    toCharge(h, AMEX, '1234');
    const charges = h.of('charge');
    expect(charges.map((c) => c.attempt)).toEqual([1, 2]);
    expect(new Set(charges.map((c) => c.idempotencyKey)).size).toBe(2);
    expect(charges[1]!.request.brand).toBe('american-express');
  });

  it('after the last allowed decline: automated to the queue, agent-assisted to the agent', () => {
    for (const [vars, next, handoff] of [[FIXED, 'queue', 'transferring_to_agent'], [AGENT, 'agent', 'returning_to_agent']] as const) {
      const h = DialogHarness.create({ maxDeclines: 2 }, vars);
      toCharge(h).gateway({ status: 'declined', reason: 'generic' });
      toCharge(h).gateway({ status: 'declined', reason: 'expired_card' });
      expect(h.phrases().slice(-2)).toEqual(['declined', handoff]);
      h.hearAll();
      expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: 'declined', PAYHOOK_NEXT_ACTION: next, PAYHOOK_FAILURE_REASON: 'expired_card', PAYHOOK_DECLINES: '2', PAYHOOK_CHARGE_ATTEMPTS: '2' });
    }
  });

  it('ends with gateway_error when the gateway cannot be reached or the outcome is unknown', () => {
    const h = toCharge(DialogHarness.create({}, FIXED)).gateway({ status: 'failed', failure: 'outcome_unknown' }).hearAll();
    expect(h.phrases().slice(-2)).toEqual(['payment_unavailable', 'transferring_to_agent']);
    expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: 'gateway_error', PAYHOOK_FAILURE_REASON: 'gateway_outcome_unknown' });
  });

  it('ignores keys, cancel and a stale answer while charging', () => {
    const h = toCharge(DialogHarness.create({}, FIXED));
    expect(h.press('*').send({ type: 'cancel' })).toEqual([]);
    h.gateway({ status: 'approved', transactionRef: 'x' }, 7);
    expect(h.state.step.kind).toBe('charging');
  });
});

describe('failure endings in both modes', () => {
  const endings: [string, (h: DialogHarness) => void, string, string][] = [
    ['too many attempts', (h) => h.answer('0').answer('0').answer('0'), 'too_many_attempts', 'card_number_invalid_number'],
    ['cancel with star', (h) => h.answer('42*'), 'cancelled', 'caller_pressed_star'],
    ['system cancel', (h) => h.send({ type: 'cancel' }), 'cancelled', 'cancelled_by_system'],
    ['gateway unreachable', (h) => toCharge(h).gateway({ status: 'failed', failure: 'unreachable' }), 'gateway_error', 'gateway_unreachable'],
    ['one decline allowed', (h) => toCharge(h).gateway({ status: 'declined', reason: 'lost_or_stolen' }), 'declined', 'lost_or_stolen'],
  ];
  for (const [mode, vars, next] of [['automated', FIXED, 'queue'], ['agent_assisted', AGENT, 'agent']] as const) {
    for (const [what, drive, result, reason] of endings) {
      it(`${mode}: ${what} ends ${result} with next action ${next}`, () => {
        const h = DialogHarness.create({ maxDeclines: 1 }, vars);
        drive(h);
        h.hearAll();
        expect(h.outputs).toMatchObject({ PAYHOOK_RESULT: result, PAYHOOK_FAILURE_REASON: reason, PAYHOOK_NEXT_ACTION: next, PAYHOOK_MODE: mode });
      });
    }
  }
});
