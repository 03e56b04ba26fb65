import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isSecureGatewayUrl } from './url-policy.js';

describe('gateway URL policy', () => {
  it('accepts https anywhere and http only on loopback', () => {
    expect(isSecureGatewayUrl('https://api.stripe.com')).toBe(true);
    expect(isSecureGatewayUrl('http://127.0.0.1:4242')).toBe(true);
    expect(isSecureGatewayUrl('http://127.8.9.10')).toBe(true);
    expect(isSecureGatewayUrl('http://localhost:4242')).toBe(true);
    expect(isSecureGatewayUrl('http://[::1]:4242')).toBe(true);
    expect(isSecureGatewayUrl('http://10.0.0.1')).toBe(false);
    expect(isSecureGatewayUrl('http://127.0.0.1.example.com')).toBe(false);
    expect(isSecureGatewayUrl('ftp://127.0.0.1')).toBe(false);
    expect(isSecureGatewayUrl('not a url')).toBe(false);
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});
