import { describe, expect, it } from 'vitest';
import { decodeClientSecret } from '../signature/client-secret.js';
import {
  DOC_API_KEY,
  DOC_CLIENT_SECRET,
  DOC_CREATED,
  DOC_NOW_MS,
  DOC_PATH,
  DOC_SIGNATURE_INPUT,
  docHeaders,
} from '../signature/doc-example.case.js';
import { signRequest } from '../signature/sign.js';
import { authenticateUpgrade, type AuthDeps, type UpgradeRequest } from './authenticate-upgrade.js';
import { authErrors } from './errors.js';
import { staticKeyStore, type KeyEntry } from './key-store.js';
import { MemoryNonceCache, type NonceCache } from './nonce-cache.js';
import { checkOrganizationId } from './organization.js';

const UNSIGNED_KEY = 'unsigned-key';

function deps(overrides: Partial<AuthDeps> & { entries?: Record<string, KeyEntry> } = {}): AuthDeps {
  const now = overrides.now ?? (() => DOC_NOW_MS);
  return {
    keys: staticKeyStore(
      overrides.entries ?? {
        [DOC_API_KEY]: { secret: DOC_CLIENT_SECRET, connectors: ['payments', 'refunds'] },
        [UNSIGNED_KEY]: { connectors: '*' },
      },
    ),
    nonces: overrides.nonces ?? new MemoryNonceCache({ now }),
    now,
  };
}

function docUpgrade(headers: Record<string, string> = docHeaders(), url = DOC_PATH, connectorId?: string): UpgradeRequest {
  return { method: 'GET', url, headers, connectorId };
}

function without(...names: string[]): Record<string, string> {
  const headers = docHeaders();
  for (const name of names) delete headers[name];
  return headers;
}

describe('authenticateUpgrade', () => {
  it('accepts the documentation example and returns the session identity', async () => {
    expect(await authenticateUpgrade(docUpgrade(), deps())).toEqual({
      ok: true,
      apiKey: DOC_API_KEY,
      organizationId: 'd7934305-0972-4844-938e-9060eef73d05',
      sessionId: '30b0e395-84d3-4570-ac13-9a62d8f514c0',
      correlationId: 'e160e428-53e2-487c-977d-96989bf5c99d',
      signed: true,
    });
  });

  it('rejects the same signed request replayed while it is still fresh', async () => {
    const d = deps();
    expect((await authenticateUpgrade(docUpgrade(), d)).ok).toBe(true);
    expect(await authenticateUpgrade(docUpgrade(), d)).toEqual({ ok: false, code: 'ERR_AUTH_NONCE_REPLAYED', status: 401 });
  });

  it('does not let a forged request burn a legitimate nonce', async () => {
    const d = deps();
    const forged = { ...docHeaders(), 'audiohook-session-id': '30b0e395-84d3-4570-ac13-9a62d8f514c1' };
    expect(await authenticateUpgrade(docUpgrade(forged), d)).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_MISMATCH' });
    expect((await authenticateUpgrade(docUpgrade(), d)).ok).toBe(true);
  });

  it('works with an asynchronous nonce store', async () => {
    const seen = new Set<string>();
    const nonces: NonceCache = {
      checkAndRemember: async (nonce) => (seen.has(nonce) ? false : (seen.add(nonce), true)),
    };
    expect((await authenticateUpgrade(docUpgrade(), deps({ nonces }))).ok).toBe(true);
    expect(await authenticateUpgrade(docUpgrade(), deps({ nonces }))).toMatchObject({ code: 'ERR_AUTH_NONCE_REPLAYED' });
  });

  it.each([
    ['a missing API key', without('x-api-key'), 'ERR_AUTH_API_KEY_MISSING', 401],
    ['an unknown API key', { ...docHeaders(), 'x-api-key': 'nobody' }, 'ERR_AUTH_API_KEY_UNKNOWN', 401],
    ['an unknown API key, unsigned', { ...without('signature', 'signature-input'), 'x-api-key': 'nobody' }, 'ERR_AUTH_API_KEY_UNKNOWN', 401],
    ['a missing organization id', without('audiohook-organization-id'), 'ERR_AUTH_HEADER_INVALID', 400],
    ['a session id that is not a UUID', { ...docHeaders(), 'audiohook-session-id': 'session-1' }, 'ERR_AUTH_HEADER_INVALID', 400],
    ['a correlation id that is not a UUID', { ...docHeaders(), 'audiohook-correlation-id': 'e160e428-53e2-487c-977d-96989bf5c99' }, 'ERR_AUTH_HEADER_INVALID', 400],
    ['no Host header', without('host'), 'ERR_AUTH_HEADER_INVALID', 400],
    ['an unsigned request for a key with a secret', without('signature', 'signature-input'), 'ERR_AUTH_SIGNATURE_MISSING', 401],
    ['a malformed Signature-Input', { ...docHeaders(), 'signature-input': 'sig1=("@request-target"' }, 'ERR_AUTH_SIGNATURE_MALFORMED', 401],
    ['a Signature without Signature-Input', without('signature-input'), 'ERR_AUTH_SIGNATURE_MALFORMED', 401],
    ['a signature over other components', { ...docHeaders(), 'signature-input': DOC_SIGNATURE_INPUT.replace(' "x-api-key"', '') }, 'ERR_AUTH_SIGNATURE_COMPONENTS', 401],
    ['another algorithm', { ...docHeaders(), 'signature-input': DOC_SIGNATURE_INPUT.replace('hmac-sha256', 'rsa-pss-sha512') }, 'ERR_AUTH_SIGNATURE_ALGORITHM', 401],
    ['a changed host', { ...docHeaders(), host: 'evil.example.com' }, 'ERR_AUTH_SIGNATURE_MISMATCH', 401],
    ['a changed organization id', { ...docHeaders(), 'audiohook-organization-id': 'd7934305-0972-4844-938e-9060eef73d06' }, 'ERR_AUTH_SIGNATURE_MISMATCH', 401],
  ])('fails %s', async (_what, headers, code, status) => {
    expect(await authenticateUpgrade(docUpgrade(headers), deps())).toEqual({ ok: false, code, status });
  });

  it('fails a changed path or query', async () => {
    expect(await authenticateUpgrade(docUpgrade(docHeaders(), `${DOC_PATH}?a=1`), deps())).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_MISMATCH' });
    expect(await authenticateUpgrade(docUpgrade(docHeaders(), '/api/v1/audiohook/ws'), deps())).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_MISMATCH' });
  });

  it('fails an old signature, and one created in the future', async () => {
    const late = deps({ now: () => DOC_CREATED * 1000 + 14_000 });
    expect(await authenticateUpgrade(docUpgrade(), late)).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_EXPIRED', status: 401 });
    const early = deps({ now: () => DOC_CREATED * 1000 - 4000 });
    expect(await authenticateUpgrade(docUpgrade(), early)).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_EXPIRED' });
  });

  it('fails a correct signature made with a keyid other than the API key, or a short nonce', async () => {
    const key = decodeClientSecret(DOC_CLIENT_SECRET)!;
    const request = { requestTarget: DOC_PATH, authority: 'audiohook.example.com', headers: docHeaders() };
    for (const [options, code] of [
      [{ keyId: 'other' }, 'ERR_AUTH_SIGNATURE_KEYID'],
      [{ keyId: DOC_API_KEY, nonce: 'short-nonce' }, 'ERR_AUTH_SIGNATURE_NONCE'],
    ] as const) {
      const signed = signRequest(request, { key, nowMs: DOC_NOW_MS, ...options });
      if (!signed.ok) throw new Error(signed.reason);
      const headers = { ...docHeaders(), signature: signed.signature, 'signature-input': signed.signatureInput };
      expect(await authenticateUpgrade(docUpgrade(headers), deps())).toMatchObject({ code });
    }
  });

  it('fails the documentation request when the configured secret differs', async () => {
    const d = deps({ entries: { [DOC_API_KEY]: { secret: 'b3RoZXItc2VjcmV0', connectors: '*' } } });
    expect(await authenticateUpgrade(docUpgrade(), d)).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_MISMATCH' });
  });

  it('fails every request for a key whose configured secret is not base64', async () => {
    const d = deps({ entries: { [DOC_API_KEY]: { secret: '***', connectors: '*' } } });
    expect(await authenticateUpgrade(docUpgrade(), d)).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_MISMATCH' });
  });

  it('accepts unsigned requests only for keys without a secret, and refuses signed ones there', async () => {
    const unsigned = { ...without('signature', 'signature-input'), 'x-api-key': UNSIGNED_KEY };
    expect(await authenticateUpgrade(docUpgrade(unsigned), deps())).toMatchObject({ ok: true, apiKey: UNSIGNED_KEY, signed: false });
    const signed = { ...docHeaders(), 'x-api-key': UNSIGNED_KEY };
    expect(await authenticateUpgrade(docUpgrade(signed), deps())).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_UNEXPECTED' });
  });

  it('allows only the connectors configured for the key', async () => {
    expect((await authenticateUpgrade(docUpgrade(docHeaders(), DOC_PATH, 'payments'), deps())).ok).toBe(true);
    expect(await authenticateUpgrade(docUpgrade(docHeaders(), DOC_PATH, 'marketing'), deps())).toEqual({
      ok: false,
      code: 'ERR_AUTH_CONNECTOR_FORBIDDEN',
      status: 403,
    });
    const unsigned = { ...without('signature', 'signature-input'), 'x-api-key': UNSIGNED_KEY };
    expect((await authenticateUpgrade(docUpgrade(unsigned, DOC_PATH, 'anything'), deps())).ok).toBe(true);
  });

  it('answers with codes that are all in the registry, with the registry status', async () => {
    const headers = { ...docHeaders(), 'x-api-key': 'nobody' };
    const result = await authenticateUpgrade(docUpgrade(headers), deps());
    if (result.ok) throw new Error('expected failure');
    expect(authErrors[result.code].status).toBe(result.status);
  });
});

describe('checkOrganizationId', () => {
  it('accepts the header organization in any letter case and refuses anything else', () => {
    const org = 'd7934305-0972-4844-938e-9060eef73d05';
    expect(checkOrganizationId(org, org.toUpperCase())).toEqual({ ok: true });
    expect(checkOrganizationId(org, 'd7934305-0972-4844-938e-9060eef73d06')).toEqual({ ok: false, code: 'ERR_AUTH_ORGANIZATION_MISMATCH' });
    expect(checkOrganizationId(org, undefined)).toEqual({ ok: false, code: 'ERR_AUTH_ORGANIZATION_MISMATCH' });
  });
});
