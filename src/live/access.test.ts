import { describe, expect, it } from 'vitest';
import { bearerToken, createAccessTokens, redactToken } from './access.js';
import { formatSse } from './sse.js';
import { pageSecurityHeaders } from './web-assets.js';

describe('access tokens', () => {
  const access = createAccessTokens(['a-long-enough-token-1', 'a-long-enough-token-2']);

  it('admits each configured token and nothing else', () => {
    expect(access.check('a-long-enough-token-1')).toBe(true);
    expect(access.check('a-long-enough-token-2')).toBe(true);
    expect(access.check('a-long-enough-token-3')).toBe(false);
    expect(access.check('')).toBe(false);
    expect(access.check(undefined)).toBe(false);
  });

  it('admits nobody when no token is configured', () => {
    expect(createAccessTokens([]).check('anything-at-all-here')).toBe(false);
  });

  it('refuses to start with a short token', () => {
    expect(() => createAccessTokens(['short'])).toThrow(expect.objectContaining({ code: 'ERR_LIVE_BAD_TOKEN_CONFIG' }));
  });

  it('reads a Bearer header and rejects other schemes', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('replaces the token in a URL for logs', () => {
    expect(redactToken('/agent?conversationId=c1&token=secret-value&x=1')).toBe('/agent?conversationId=c1&token=[redacted]&x=1');
    expect(redactToken('/supervisor?token=secret')).toBe('/supervisor?token=[redacted]');
  });
});

describe('page security headers', () => {
  it('sets a strict CSP that forbids framing unless ancestors are configured', () => {
    const csp = pageSecurityHeaders()['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(pageSecurityHeaders({ frameAncestors: ['https://apps.mypurecloud.com'] })['content-security-policy']).toContain('frame-ancestors https://apps.mypurecloud.com');
  });

  it('refuses a frame-ancestors source that could widen the policy', () => {
    expect(() => pageSecurityHeaders({ frameAncestors: ['*'] })).toThrow();
    expect(() => pageSecurityHeaders({ frameAncestors: ["https://x.example; script-src 'unsafe-inline'"] })).toThrow();
  });
});

describe('SSE framing', () => {
  it('writes one event with single-line JSON data', () => {
    expect(formatSse('session', { a: 'x\ny' })).toBe('event: session\ndata: {"a":"x\\ny"}\n\n');
    expect(() => formatSse('bad\nname', {})).toThrow();
  });
});
