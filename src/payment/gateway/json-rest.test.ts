// The generic JSON connector's mapping, checked on the wire with a recording fetch: field paths,
// decimal amounts, the auth and idempotency headers, and custom response paths and values.
import { describe, expect, it } from 'vitest';
import { parsePaymentConfig, type JsonGatewayConfig } from '../config.js';
import { JsonGatewayClient } from './json-rest.js';
import { chargeRequest } from './test-support.js';

function config(extra: Record<string, unknown>): JsonGatewayConfig {
  const r = parsePaymentConfig({
    gateway: {
      provider: 'json', chargeUrl: 'https://gw.example/pay', lookupUrl: 'https://gw.example/pay/by-key/{key}',
      requestTimeoutMs: 1000, maxRetries: 0, backoffMs: 0, ...extra,
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.gateway as JsonGatewayConfig;
}

function recorder(answers: { status: number; body: unknown }[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const a = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('generic JSON gateway connector', () => {
  it('builds the body from the configured paths, with a decimal amount and the auth and key headers', async () => {
    const cfg = config({
      amountFormat: 'decimal', authHeader: 'X-Api-Key', authScheme: '', idempotencyHeader: 'X-Request-Id',
      fields: { amount: 'payment.total', cardNumber: 'source.pan', securityCode: 'source.cvv2', expiryMonth: 'source.mm', expiryYear: 'source.yyyy' },
      response: { status: 'result.code', approved: ['00'], declined: ['05', '51'], transactionRef: 'result.txn', declineCode: 'result.code', declineCodes: { '51': 'insufficient_funds' } },
    });
    const r = recorder([{ status: 200, body: { result: { code: '00', txn: 'T-99' } } }]);
    const client = new JsonGatewayClient(cfg, 'key-1', { fetch: r.fetchImpl });
    const result = await client.charge(chargeRequest('4242424242424242', { amountMinor: 1999 }), { idempotencyKey: 'idem-1' });
    expect(result).toEqual({ status: 'approved', transactionRef: 'T-99' });
    const { url, init } = r.calls[0]!;
    expect(url).toBe('https://gw.example/pay');
    expect(init.headers).toMatchObject({ 'x-api-key': 'key-1', 'x-request-id': 'idem-1', 'content-type': 'application/json' });
    expect(JSON.parse(String(init.body))).toEqual({
      payment: { total: '19.99' }, currency: 'USD', source: { pan: '4242424242424242', cvv2: '123', mm: 12, yyyy: 2030 }, reference: 'INV-1',
    });
  });

  it('maps declines through the configured codes, unknown codes to generic', async () => {
    const cfg = config({ response: { status: 'code', approved: ['00'], declined: ['05', '51'], transactionRef: 'id', declineCode: 'code', declineCodes: { '51': 'insufficient_funds' } } });
    for (const [code, reason] of [['51', 'insufficient_funds'], ['05', 'generic']] as const) {
      const r = recorder([{ status: 200, body: { code } }]);
      const client = new JsonGatewayClient(cfg, undefined, { fetch: r.fetchImpl });
      expect(await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k' })).toEqual({ status: 'declined', reason });
    }
  });

  it('looks up by key with the key URL-encoded into the template', async () => {
    const r = recorder([{ status: 404, body: {} }]);
    const client = new JsonGatewayClient(config({}), undefined, { fetch: r.fetchImpl });
    expect(await client.lookup('a b/c')).toEqual({ status: 'not_found' });
    expect(r.calls[0]!.url).toBe('https://gw.example/pay/by-key/a%20b%2Fc');
  });

  it('treats an answer with an unknown status as a rejected request, not a result', async () => {
    const r = recorder([{ status: 200, body: { status: 'weird' } }]);
    const client = new JsonGatewayClient(config({}), undefined, { fetch: r.fetchImpl });
    expect(await client.charge(chargeRequest('4242424242424242'), { idempotencyKey: 'k' })).toEqual({ status: 'failed', failure: 'rejected' });
  });
});
