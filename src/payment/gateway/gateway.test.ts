// Gateway clients against the real sandbox gateway on 127.0.0.1: results, idempotency, and the
// fault cases (timeout, 500, dropped connection, slow answer) with "at most one charge" checked
// on the sandbox's own charge list. Timeouts are short (300 ms) to keep the suite fast.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePaymentConfig, type JsonGatewayConfig, type StripeGatewayConfig } from '../config.js';
import { startGatewaySim, type GatewaySim } from '../gateway-sim/server.js';
import { createGatewayClient } from './create.js';
import { JsonGatewayClient } from './json-rest.js';
import { StripeGatewayClient } from './stripe.js';
import { chargeRequest } from './test-support.js';
import type { GatewayClient } from './types.js';

let sim: GatewaySim;
beforeAll(async () => {
  sim = await startGatewaySim({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

const FAST = { requestTimeoutMs: 300, maxRetries: 2, backoffMs: 10 };

function stripe(): StripeGatewayClient {
  const parsed = parsePaymentConfig({ gateway: { provider: 'stripe', baseUrl: sim.url, ...FAST } });
  if (!parsed.ok) throw new Error('config');
  return new StripeGatewayClient(parsed.value.gateway as StripeGatewayConfig, 'sk_test_x');
}

function json(): JsonGatewayClient {
  const parsed = parsePaymentConfig({
    gateway: { provider: 'json', chargeUrl: `${sim.url}/json/v1/charges`, lookupUrl: `${sim.url}/json/v1/charges/{key}`, ...FAST },
  });
  if (!parsed.ok) throw new Error('config');
  return new JsonGatewayClient(parsed.value.gateway as JsonGatewayConfig, 'secret');
}

const succeeded = () => sim.charges().filter((c) => c.status === 'succeeded');

for (const [name, make] of [['stripe-style', stripe], ['generic JSON', json]] as const) {
  describe(`${name} client against the sandbox gateway`, () => {
    let client: GatewayClient;
    beforeEach(() => {
      client = make();
    });

    it('approves a good test card and the sandbox lists one card-free charge', async () => {
      const r = await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k-approve' });
      expect(r).toMatchObject({ status: 'approved' });
      expect(sim.charges()).toEqual([expect.objectContaining({ idempotencyKey: 'k-approve', brand: 'visa', last4: '4242', amountMinor: 2500, status: 'succeeded' })]);
      expect(JSON.stringify(sim.charges())).not.toContain('4242424242424242');
    });

    it('maps the decline test cards and amount-driven declines to reasons', async () => {
      const cases: [string, number, string][] = [
        ['4000000000000002', 2500, 'generic'],
        ['4000000000009995', 2500, 'insufficient_funds'],
        ['4000000000000069', 2500, 'expired_card'],
        ['4000000000000127', 2500, 'incorrect_cvc'],
        ['4000000000000119', 2500, 'processing_error'],
        ['4242424242424242', 200_150, 'insufficient_funds'],
        ['4242424242424242', 250_000, 'generic'],
      ];
      for (const [pan, amountMinor, reason] of cases) {
        const r = await client.charge(chargeRequest(pan, { amountMinor }), { idempotencyKey: `k-${pan}-${amountMinor}` });
        expect(r).toMatchObject({ status: 'declined', reason });
      }
    });

    it('answers a repeated key with the same result and charges once', async () => {
      const a = await client.charge(chargeRequest('378282246310005'), { idempotencyKey: 'k-same' });
      const b = await client.charge(chargeRequest('378282246310005'), { idempotencyKey: 'k-same' });
      expect(b).toEqual(a);
      expect(sim.charges()).toHaveLength(1);
    });

    it('refuses a repeated key with a different amount, charging nothing more', async () => {
      await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k-reuse' });
      const r = await client.charge(chargeRequest('4242424242424242', { amountMinor: 999 }), { idempotencyKey: 'k-reuse' });
      expect(r).toEqual({ status: 'failed', failure: 'rejected' });
      expect(sim.charges()).toHaveLength(1);
    });

    it('fault: a 500 before processing is retried with the same key and charged once', async () => {
      sim.queueFaults({ kind: 'error500' });
      const r = await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k-500' });
      expect(r).toMatchObject({ status: 'approved' });
      expect(succeeded()).toHaveLength(1);
    });

    it('fault: a connection dropped after processing is retried and replayed, charged once', async () => {
      sim.queueFaults({ kind: 'drop' });
      const r = await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k-drop' });
      expect(r).toMatchObject({ status: 'approved' });
      expect(succeeded()).toHaveLength(1);
    });

    it('fault: a timed-out answer is retried with the same key, charged once', async () => {
      sim.queueFaults({ kind: 'timeout' });
      const r = await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k-timeout' });
      expect(r).toMatchObject({ status: 'approved' });
      expect(succeeded()).toHaveLength(1);
    });

    it('fault: a slow answer within the timeout is simply awaited', async () => {
      sim.queueFaults({ kind: 'delay', ms: 150 });
      const r = await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k-slow' });
      expect(r).toMatchObject({ status: 'approved' });
      expect(sim.charges()).toHaveLength(1);
    });

    it('fault: every try timing out is reconciled by lookup to the one charge made', async () => {
      const r = await client.charge(chargeRequest('4242424242424242', { amountMinor: 90_300 }), { idempotencyKey: 'k-always-timeout' });
      expect(r).toMatchObject({ status: 'approved' });
      expect(succeeded()).toHaveLength(1);
    });

    it('fault: every try answering 500 ends unreachable with nothing charged', async () => {
      const r = await client.charge(chargeRequest('4242424242424242', { amountMinor: 90_100 }), { idempotencyKey: 'k-always-500' });
      expect(r).toEqual({ status: 'failed', failure: 'unreachable' });
      expect(sim.charges()).toHaveLength(0);
    });

    it('lookup finds a recorded key and reports an unknown one as not found', async () => {
      await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k-look' });
      expect(await client.lookup('k-look')).toMatchObject({ status: 'found', result: { status: 'approved' } });
      expect(await client.lookup('k-none')).toEqual({ status: 'not_found' });
    });
  });
}

describe('gateway client safety', () => {
  it('reports unreachable when nothing listens, without waiting for timeouts', async () => {
    const gone = await startGatewaySim({ port: 0 });
    await gone.close();
    const parsed = parsePaymentConfig({ gateway: { provider: 'stripe', baseUrl: gone.url, ...FAST } });
    if (!parsed.ok) throw new Error('config');
    const client = new StripeGatewayClient(parsed.value.gateway as StripeGatewayConfig, 'k');
    expect(await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k-down' })).toEqual({ status: 'failed', failure: 'unreachable' });
  });

  it('reports refused credentials as misconfigured', async () => {
    const guarded = await startGatewaySim({ port: 0, apiKey: 'sk_test_right' });
    try {
      const parsed = parsePaymentConfig({ gateway: { provider: 'stripe', baseUrl: guarded.url, ...FAST } });
      if (!parsed.ok) throw new Error('config');
      const client = new StripeGatewayClient(parsed.value.gateway as StripeGatewayConfig, 'sk_test_wrong');
      expect(await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k' })).toEqual({ status: 'failed', failure: 'misconfigured' });
      expect(guarded.charges()).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });

  it('refuses plain http to a host that is not loopback', () => {
    const cfg = { provider: 'stripe', baseUrl: 'http://gateway.example.com', ...FAST } as StripeGatewayConfig;
    expect(() => new StripeGatewayClient(cfg, 'k')).toThrow(/https/);
    expect(createGatewayClient(cfg)).toEqual({ ok: false, code: 'ERR_PAYMENT_GATEWAY_INSECURE_URL' });
  });

  it('needs credentials for a real gateway but not for the loopback sandbox', () => {
    const remote = { provider: 'stripe', baseUrl: 'https://api.stripe.com', apiKeyEnv: 'STRIPE_KEY', ...FAST } as StripeGatewayConfig;
    expect(createGatewayClient(remote, {})).toEqual({ ok: false, code: 'ERR_PAYMENT_GATEWAY_CREDENTIALS_MISSING' });
    expect(createGatewayClient(remote, { STRIPE_KEY: 'sk_live_x' }).ok).toBe(true);
    expect(createGatewayClient({ ...remote, baseUrl: 'http://127.0.0.1:4242', apiKeyEnv: undefined }).ok).toBe(true);
  });
});
