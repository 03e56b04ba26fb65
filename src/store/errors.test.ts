import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PayhookError } from '../core/errors.js';
import { isStoreError, storeError, storeErrors } from './errors.js';

describe('store error registry', () => {
  it('documents every code in docs/store.md, and no stale one', () => {
    const doc = readFileSync(new URL('../../docs/store.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `(ERR_STORE_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(storeErrors).sort());
  });

  it('builds PayhookErrors with the fixed message and recognizes them by code', () => {
    const e = storeError('ERR_STORE_SESSION_UNKNOWN', { sessionId: 's' });
    expect(e).toBeInstanceOf(PayhookError);
    expect(e.message).toBe(storeErrors.ERR_STORE_SESSION_UNKNOWN.message);
    expect(isStoreError(e)).toBe(true);
    expect(isStoreError(e, 'ERR_STORE_CLOSED')).toBe(false);
    expect(isStoreError(new Error('x'))).toBe(false);
  });
});
