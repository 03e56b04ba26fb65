import { describe, expect, it } from 'vitest';
import { audiohookErrors, disconnectReasonFor, type AudiohookErrorCode } from './errors.js';

describe('audiohook error registry', () => {
  it('has fixed, short, non-empty messages and hints for every code', () => {
    for (const [code, spec] of Object.entries(audiohookErrors)) {
      expect(code).toMatch(/^ERR_(PROTO|SESSION)_[A-Z_]+$/);
      expect(spec.message.length, code).toBeGreaterThan(0);
      // Disconnect info reaches Genesys and its logs: keep it short and free of placeholders.
      expect(spec.message.length, code).toBeLessThanOrEqual(80);
      expect(spec.message, code).not.toMatch(/[%{}$]/);
      expect(spec.hint.length, code).toBeGreaterThan(0);
    }
  });

  it('signals an organization mismatch as unauthorized and every other fault as error', () => {
    for (const code of Object.keys(audiohookErrors) as AudiohookErrorCode[]) {
      expect(disconnectReasonFor(code)).toBe(code === 'ERR_PROTO_ORG_MISMATCH' ? 'unauthorized' : 'error');
    }
  });
});
