import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isSecureOrLoopbackUrl } from './net.js';

describe('network policy', () => {
  it('knows loopback hosts', () => {
    for (const h of ['localhost', 'LOCALHOST', '127.0.0.1', '127.8.9.10', '::1', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['127.0.0.1.example.com', '10.0.0.1', '0.0.0.0', 'example.com', '::', '128.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('allows plain text only to loopback', () => {
    expect(isSecureOrLoopbackUrl('https://gw.example.com/x', 'https:', 'http:')).toBe(true);
    expect(isSecureOrLoopbackUrl('http://127.0.0.1:4242', 'https:', 'http:')).toBe(true);
    expect(isSecureOrLoopbackUrl('http://gw.example.com', 'https:', 'http:')).toBe(false);
    expect(isSecureOrLoopbackUrl('ws://[::1]:9/x', 'wss:', 'ws:')).toBe(true);
    expect(isSecureOrLoopbackUrl('ws://rec.example.com', 'wss:', 'ws:')).toBe(false);
    expect(isSecureOrLoopbackUrl('https://gw.example.com', 'wss:', 'ws:')).toBe(false);
    expect(isSecureOrLoopbackUrl('not a url', 'https:', 'http:')).toBe(false);
  });
});
