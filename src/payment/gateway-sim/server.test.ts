import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.js';
import { buildGatewaySim } from './server.js';
import { amountDecline, decide, parseFault } from './test-cards.js';

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const visa = (extra: Record<string, string> = {}) =>
  form({
    amount: '2500', currency: 'usd', confirm: 'true', 'payment_method_data[type]': 'card',
    'payment_method_data[card][number]': '4242424242424242', 'payment_method_data[card][exp_month]': '12',
    'payment_method_data[card][exp_year]': '2030', 'payment_method_data[card][cvc]': '123', ...extra,
  });
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const NOW = Date.UTC(2026, 10, 26);

let closeMe: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeMe?.();
  closeMe = undefined;
});

function sim(opts: Parameters<typeof buildGatewaySim>[0] = {}) {
  const built = buildGatewaySim({ now: () => NOW, ...opts });
  closeMe = () => built.app.close();
  return built;
}

describe('sandbox gateway', () => {
  it('replays the first answer for a repeated idempotency key and marks it replayed', async () => {
    const { app, state } = sim();
    const a = await app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { ...FORM, 'idempotency-key': 'k1' }, payload: visa() });
    const b = await app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { ...FORM, 'idempotency-key': 'k1' }, payload: visa() });
    expect(a.statusCode).toBe(200);
    expect(b.body).toBe(a.body);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(state.charges).toHaveLength(1);
  });

  it('answers 400 idempotency_error when a key comes back with different parameters', async () => {
    const { app } = sim();
    await app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { ...FORM, 'idempotency-key': 'k2' }, payload: visa() });
    const r = await app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { ...FORM, 'idempotency-key': 'k2' }, payload: visa({ amount: '2600' }) });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.type).toBe('idempotency_error');
  });

  it('declines with 402 and a Stripe-shaped card_error', async () => {
    const { app } = sim();
    const r = await app.inject({ method: 'POST', url: '/v1/payment_intents', headers: FORM, payload: visa({ 'payment_method_data[card][number]': '4000000000009995' }) });
    expect(r.statusCode).toBe(402);
    expect(r.json().error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' });
  });

  it('finds a charge by its key through the search API', async () => {
    const { app } = sim();
    await app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { ...FORM, 'idempotency-key': 'k3' }, payload: visa() });
    const q = encodeURIComponent("metadata['payhook_key']:'k3'");
    const r = await app.inject({ method: 'GET', url: `/v1/payment_intents/search?query=${q}` });
    expect(r.json().data[0]).toMatchObject({ status: 'succeeded', metadata: { payhook_key: 'k3' } });
  });

  it('answers 500 without charging when a 500 fault is selected by header', async () => {
    const { app, state } = sim();
    const r = await app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { ...FORM, 'payhook-sim-fault': '500' }, payload: visa() });
    expect(r.statusCode).toBe(500);
    expect(state.charges).toHaveLength(0);
  });

  it('queues faults through the admin endpoint and refuses unknown ones', async () => {
    const { app, state } = sim();
    expect((await app.inject({ method: 'POST', url: '/__sim/faults', payload: { faults: ['drop', 'delay:20'] } })).json()).toEqual({ queued: 2 });
    expect(state.queuedFaults).toEqual([{ kind: 'drop' }, { kind: 'delay', ms: 20 }]);
    expect((await app.inject({ method: 'POST', url: '/__sim/faults', payload: { faults: ['explode'] } })).statusCode).toBe(400);
  });

  it('logs brand and last four but never the card number or security code', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    const { app } = sim({ logger: createLogger({ destination, level: 'debug' }) });
    await app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { ...FORM, 'idempotency-key': 'k4' }, payload: visa({ 'payment_method_data[card][cvc]': '987' }) });
    await app.inject({ method: 'POST', url: '/json/v1/charges', headers: { 'idempotency-key': 'k5' }, payload: { amount: 100, currency: 'USD', card: { number: '378282246310005', cvc: '6543' } } });
    const text = lines.join('');
    expect(text).toContain('"last4":"4242"');
    expect(text).toContain('"last4":"0005"');
    for (const bad of ['4242424242424242', '378282246310005', '424242424242', '987', '6543']) expect(text).not.toContain(bad);
  });

  it('lists charges card-free', async () => {
    const { app } = sim();
    await app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { ...FORM, 'idempotency-key': 'k6' }, payload: visa() });
    const list = (await app.inject({ method: 'GET', url: '/__sim/charges' })).json().charges;
    expect(list).toEqual([expect.objectContaining({ idempotencyKey: 'k6', brand: 'visa', last4: '4242', amountMinor: 2500, currency: 'USD', status: 'succeeded' })]);
    expect(JSON.stringify(list)).not.toContain('424242424242');
  });
});

describe('sandbox decisions', () => {
  it('follows the Stripe test cards, expiry, CVC length and the amount ranges', () => {
    const base = { number: '4242424242424242', amountMinor: 2500 };
    expect(decide(base, NOW)).toEqual({ approved: true, brand: 'visa' });
    expect(decide({ ...base, number: '4242424242424241' }, NOW)).toMatchObject({ decline: 'incorrect_number' });
    expect(decide({ ...base, number: '4000000000000119' }, NOW)).toMatchObject({ decline: 'processing_error' });
    expect(decide({ ...base, expMonth: 10, expYear: 2026 }, NOW)).toMatchObject({ decline: 'expired_card' });
    expect(decide({ ...base, number: '378282246310005', cvc: '123' }, NOW)).toMatchObject({ decline: 'incorrect_cvc' });
    expect(decide({ ...base, number: '378282246310005', cvc: '1234' }, NOW)).toMatchObject({ approved: true, brand: 'american-express' });
    expect(amountDecline(200_100)).toBe('insufficient_funds');
    expect(amountDecline(199_999)).toBeUndefined();
    expect(parseFault('delay=250')).toEqual({ kind: 'delay', ms: 250 });
    expect(parseFault('nonsense')).toBeUndefined();
  });
});
