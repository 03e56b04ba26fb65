import { describe, expect, it } from 'vitest';
import { configForConnector, minorUnitsFor, parsePaymentConfig, parsePaymentConfigs } from './config.js';

describe('payment configuration', () => {
  it('fills every default from an empty object, charging through the loopback sandbox', () => {
    const r = parsePaymentConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      currency: 'USD', minAmountMinor: 100, maxAmountMinor: 1_000_000, maxAttemptsPerField: 3, maxDeclines: 3,
      required: { expiry: true, securityCode: true }, readBack: { cardNumber: 'last4', securityCode: 'length' },
      timeouts: { firstDigitMs: 8000, interDigitMs: 5000 }, tooManyAttemptsResult: 'too_many_attempts',
      gateway: { provider: 'stripe', baseUrl: 'http://127.0.0.1:4242', maxRetries: 2 },
    });
  });

  it('names every bad field by path and never echoes a value', () => {
    const r = parsePaymentConfig({
      acceptedBrands: ['visa', 'dinersclub'],
      maxAttemptsPerField: 0,
      currency: 'usd',
      gateway: { provider: 'stripe', baseUrl: 'http://pay.example.com', apiKey: 'sk_live_secret' },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('ERR_PAYMENT_CONFIG_INVALID');
    expect(r.issues.map((i) => i.path).sort()).toEqual(['acceptedBrands.1', 'currency', 'gateway.baseUrl', 'maxAttemptsPerField']);
    expect(JSON.stringify(r.issues)).not.toContain('sk_live_secret');
  });

  it('rejects a minimum above the maximum and an unknown currency without minor units', () => {
    const r = parsePaymentConfig({ minAmountMinor: 500, maxAmountMinor: 100, currency: 'XYZ' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path).sort()).toEqual(['minAmountMinor', 'minorUnits']);
    const ok = parsePaymentConfig({ currency: 'XYZ', minorUnits: 1 });
    expect(ok.ok && minorUnitsFor(ok.value, 'XYZ')).toBe(1);
  });

  it('checks the generic JSON gateway settings', () => {
    const bad = parsePaymentConfig({ gateway: { provider: 'json', chargeUrl: 'https://gw.example/c', lookupUrl: 'https://gw.example/c' } });
    expect(bad.ok).toBe(false);
    const good = parsePaymentConfig({ gateway: { provider: 'json', chargeUrl: 'https://gw.example/c', lookupUrl: 'https://gw.example/c/{key}', fields: { cardNumber: 'pan' } } });
    expect(good.ok && good.value.gateway.provider === 'json' && good.value.gateway.fields).toMatchObject({ cardNumber: 'pan', amount: 'amount' });
  });

  it('keeps one configuration per connector id and falls back to "default"', () => {
    const r = parsePaymentConfigs({ default: {}, 'conn-eur': { currency: 'EUR', maxDeclines: 1 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(configForConnector(r.value, 'conn-eur')?.currency).toBe('EUR');
    expect(configForConnector(r.value, 'other')?.currency).toBe('USD');
    const none = parsePaymentConfigs({ only: {} });
    expect(none.ok && configForConnector(none.value, 'x')).toBeUndefined();
    const bad = parsePaymentConfigs({ 'conn-1': { maxDeclines: 99 } });
    expect(bad.ok === false && bad.issues[0]!.path).toBe('conn-1.maxDeclines');
  });
});
