import { describe, expect, it } from 'vitest';
import { parsePaymentConfig, type PaymentConfig } from './config.js';
import { parseCallContext } from './input-variables.js';

const config = (() => {
  const r = parsePaymentConfig({});
  if (!r.ok) throw new Error('config');
  return r.value;
})() as PaymentConfig;
const call = { conversationId: 'conv-1', language: 'en-GB' };

describe('input variables', () => {
  it('reads an agent-assisted, identified call with a fixed amount and reference', () => {
    const c = parseCallContext(
      { PAYHOOK_MODE: 'agent-assisted', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '19.99', PAYHOOK_PAYMENT_REFERENCE: 'INV-2026/77', PAYHOOK_CUSTOMER_ID: 'C-1' },
      call,
      config,
    );
    expect(c).toEqual({
      conversationId: 'conv-1', mode: 'agent_assisted', identified: true, amount: { kind: 'fixed', minor: 1999 }, currency: 'USD',
      minorUnits: 2, language: 'en-GB', invalid: [], reference: 'INV-2026/77', customerId: 'C-1',
    });
  });

  it('treats a missing identification as not identified and defaults to automated with a keyed amount', () => {
    const c = parseCallContext(undefined, { conversationId: 'x' }, config);
    expect(c).toMatchObject({ mode: 'automated', identified: false, amount: { kind: 'keyed' }, language: 'en-US', invalid: [] });
  });

  it('uses the balance when no fixed amount is given, in the call currency', () => {
    const c = parseCallContext({ PAYHOOK_BALANCE: '1500', PAYHOOK_CURRENCY: 'jpy', PAYHOOK_CALLER_IDENTIFIED: 'yes' }, call, config);
    expect(c).toMatchObject({ amount: { kind: 'balance', minor: 1500 }, currency: 'JPY', minorUnits: 0, identified: true });
  });

  it('lists unusable variables by name only: bad amounts, out-of-range amounts, unknown currency, card-like text', () => {
    const c = parseCallContext(
      { PAYHOOK_MODE: 'robot', PAYHOOK_AMOUNT: '0.10', PAYHOOK_BALANCE: 'ten', PAYHOOK_CURRENCY: 'ZZZ', PAYHOOK_PAYMENT_REFERENCE: '4242 4242 4242 4242', PAYHOOK_CALLER_IDENTIFIED: 'maybe' },
      call,
      config,
    );
    expect(c.invalid.sort()).toEqual(['PAYHOOK_AMOUNT', 'PAYHOOK_BALANCE', 'PAYHOOK_CALLER_IDENTIFIED', 'PAYHOOK_CURRENCY', 'PAYHOOK_MODE', 'PAYHOOK_PAYMENT_REFERENCE']);
    expect(c.reference).toBeUndefined();
  });
});
