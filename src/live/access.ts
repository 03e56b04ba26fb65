// Access tokens for the live view and reports: a configured list, compared in constant time.
// The API takes `Authorization: Bearer`; pages and SSE streams (EventSource cannot send headers)
// take `?token=`, which is stripped from logged URLs.
import { createHash, timingSafeEqual } from 'node:crypto';
import { liveError } from './errors.js';

/** Shorter tokens are refused at start-up: they could be guessed. */
export const MIN_TOKEN_LENGTH = 16;

export interface AccessTokens {
  /** True when `token` is one of the configured tokens. */
  check(token: string | undefined): boolean;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Throws ERR_LIVE_BAD_TOKEN_CONFIG for a token shorter than MIN_TOKEN_LENGTH. An empty list admits nobody. */
export function createAccessTokens(tokens: readonly string[]): AccessTokens {
  if (tokens.some((t) => t.length < MIN_TOKEN_LENGTH)) throw liveError('ERR_LIVE_BAD_TOKEN_CONFIG', { minLength: MIN_TOKEN_LENGTH });
  // Comparing fixed-size digests keeps the time independent of where a guess first differs.
  const digests = tokens.map(digest);
  return {
    check(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 512) return false;
      const d = digest(token);
      let ok = false;
      for (const known of digests) ok = timingSafeEqual(d, known) || ok;
      return ok;
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header. Pure. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer ([\x21-\x7e]+)$/i.exec(header ?? '');
  return m?.[1];
}

/** The URL with any `token` query parameter's value replaced, for logs. Pure. */
export function redactToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
