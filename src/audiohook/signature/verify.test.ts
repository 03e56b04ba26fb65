import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeClientSecret } from './client-secret.js';
import type { SignableRequest } from './components.js';
import {
  DOC_API_KEY,
  DOC_CLIENT_SECRET,
  DOC_CREATED,
  DOC_EXPIRES,
  DOC_HOST,
  DOC_NONCE,
  DOC_NOW_MS,
  DOC_PATH,
  DOC_SIGNATURE,
  DOC_SIGNATURE_INPUT,
  docHeaders,
} from './doc-example.case.js';
import { signRequest, type SignOptions } from './sign.js';
import { verifyRequest, type VerifyOptions, type VerifyResult } from './verify.js';

const KEY = decodeClientSecret(DOC_CLIENT_SECRET)!;

function docRequest(headers: Record<string, string> = docHeaders(), requestTarget = DOC_PATH, authority = DOC_HOST): SignableRequest {
  return { requestTarget, authority, headers };
}

function verify(request: SignableRequest, options: Partial<VerifyOptions> = {}): VerifyResult {
  return verifyRequest(request, { key: KEY, expectedKeyId: DOC_API_KEY, nowMs: DOC_NOW_MS, ...options });
}

function withHeader(name: string, value: string | undefined): Record<string, string> {
  const headers = docHeaders();
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return headers;
}

/** The doc request re-signed with different options: a valid MAC over a request that must still fail. */
function resigned(options: Partial<SignOptions>): SignableRequest {
  const request = docRequest();
  const signed = signRequest(request, {
    key: KEY,
    keyId: DOC_API_KEY,
    nowMs: DOC_CREATED * 1000,
    nonce: DOC_NONCE,
    expires: DOC_EXPIRES,
    ...options,
  });
  if (!signed.ok) throw new Error(signed.reason);
  return docRequest({ ...docHeaders(), signature: signed.signature, 'signature-input': signed.signatureInput });
}

describe('the documentation example', () => {
  it('verifies with the base64-decoded client secret inside its time window', () => {
    expect(verify(docRequest())).toMatchObject({ code: 'VERIFIED', label: 'sig1', keyId: DOC_API_KEY, nonce: DOC_NONCE });
  });

  it('does not verify with the UTF-8 bytes of the secret text as key', () => {
    expect(verify(docRequest(), { key: new TextEncoder().encode(DOC_CLIENT_SECRET) })).toEqual({ code: 'FAILED' });
  });

  it('is reproduced byte for byte by signRequest', () => {
    const signed = signRequest(docRequest(), {
      key: KEY,
      keyId: DOC_API_KEY,
      nowMs: DOC_CREATED * 1000 + 999,
      nonce: DOC_NONCE,
      expires: DOC_EXPIRES,
    });
    expect(signed).toMatchObject({ ok: true, signature: DOC_SIGNATURE, signatureInput: DOC_SIGNATURE_INPUT });
  });

  it('is valid until created + 10 s max age + 3 s skew, for replay caches', () => {
    const result = verify(docRequest());
    expect(result.code === 'VERIFIED' && result.validUntilMs).toBe(DOC_CREATED * 1000 + 13_000);
  });
});

describe('every mutation of the documentation example fails', () => {
  it.each([
    ['audiohook-organization-id', 'd7934305-0972-4844-938e-9060eef73d06'],
    ['audiohook-session-id', '30b0e395-84d3-4570-ac13-9a62d8f514c1'],
    ['audiohook-correlation-id', 'e160e428-53e2-487c-977d-96989bf5c99e'],
    ['x-api-key', 'SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXki'],
  ])('a changed %s header', (name, value) => {
    expect(verify(docRequest(withHeader(name, value)))).toEqual({ code: 'FAILED' });
  });

  it.each(['audiohook-organization-id', 'audiohook-session-id', 'audiohook-correlation-id', 'x-api-key'])(
    'a removed %s header',
    (name) => {
      expect(verify(docRequest(withHeader(name, undefined)))).toEqual({ code: 'INVALID', reason: 'component-missing' });
    },
  );

  it('a changed path, an added query or a changed host', () => {
    expect(verify(docRequest(docHeaders(), '/api/v1/voicebiometrics/wss'))).toEqual({ code: 'FAILED' });
    expect(verify(docRequest(docHeaders(), `${DOC_PATH}?connector=1`))).toEqual({ code: 'FAILED' });
    expect(verify(docRequest(docHeaders(), DOC_PATH, 'audiohook.example.org'))).toEqual({ code: 'FAILED' });
    expect(verify(docRequest(docHeaders(), DOC_PATH, `${DOC_HOST}:8443`))).toEqual({ code: 'FAILED' });
    expect(verify(docRequest(docHeaders(), ''))).toEqual({ code: 'INVALID', reason: 'component-missing' });
  });

  it('any changed, missing or extra signature byte', () => {
    const bytes = Buffer.from('NZBwyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=', 'base64');
    for (let i = 0; i < bytes.length; i++) {
      const flipped = Buffer.from(bytes);
      flipped[i] = flipped[i]! ^ 0x01;
      expect(verify(docRequest(withHeader('signature', `sig1=:${flipped.toString('base64')}:`)))).toEqual({ code: 'FAILED' });
    }
    const short = bytes.subarray(0, 31).toString('base64');
    const long = Buffer.concat([bytes, Buffer.of(0)]).toString('base64');
    expect(verify(docRequest(withHeader('signature', `sig1=:${short}:`)))).toEqual({ code: 'FAILED' });
    expect(verify(docRequest(withHeader('signature', `sig1=:${long}:`)))).toEqual({ code: 'FAILED' });
  });

  it('a wrong client secret', () => {
    const other = decodeClientSecret('b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==')!;
    expect(verify(docRequest(), { key: other })).toEqual({ code: 'FAILED' });
  });

  it('verification too long after created, or before created beyond the skew', () => {
    expect(verify(docRequest(), { nowMs: DOC_CREATED * 1000 + 13_000 })).toMatchObject({ code: 'VERIFIED' });
    expect(verify(docRequest(), { nowMs: DOC_CREATED * 1000 + 13_001 })).toEqual({ code: 'EXPIRED', reason: 'too-old' });
    expect(verify(docRequest(), { nowMs: DOC_CREATED * 1000 - 3000 })).toMatchObject({ code: 'VERIFIED' });
    expect(verify(docRequest(), { nowMs: DOC_CREATED * 1000 - 3001 })).toEqual({ code: 'EXPIRED', reason: 'created-in-future' });
    expect(verify(docRequest(), { nowMs: Date.now() })).toEqual({ code: 'EXPIRED', reason: 'too-old' });
  });

  it('a passed expires, even when created is recent', () => {
    const request = resigned({ expires: DOC_CREATED + 1 });
    expect(verify(request, { nowMs: DOC_CREATED * 1000 + 4000 })).toMatchObject({ code: 'VERIFIED', validUntilMs: DOC_CREATED * 1000 + 4000 });
    expect(verify(request, { nowMs: DOC_CREATED * 1000 + 4001 })).toEqual({ code: 'EXPIRED', reason: 'expired' });
  });

  it('a nonce shorter than 22 characters, or none', () => {
    expect(verify(resigned({ nonce: 'x'.repeat(21) }))).toEqual({ code: 'INVALID', reason: 'nonce' });
    expect(verify(resigned({ nonce: 'x'.repeat(22) }))).toMatchObject({ code: 'VERIFIED' });
    const input = DOC_SIGNATURE_INPUT.replace(`;nonce="${DOC_NONCE}"`, '');
    expect(verify(docRequest(withHeader('signature-input', input)))).toEqual({ code: 'INVALID', reason: 'nonce' });
  });

  it('a keyid other than the API key', () => {
    expect(verify(resigned({ keyId: 'another-key' }))).toEqual({ code: 'INVALID', reason: 'keyid' });
  });

  it('an algorithm other than hmac-sha256, or none', () => {
    const swapped = DOC_SIGNATURE_INPUT.replace('alg="hmac-sha256"', 'alg="hmac-sha512"');
    expect(verify(docRequest(withHeader('signature-input', swapped)))).toEqual({ code: 'INVALID', reason: 'alg' });
    const dropped = DOC_SIGNATURE_INPUT.replace(';alg="hmac-sha256"', '');
    expect(verify(docRequest(withHeader('signature-input', dropped)))).toEqual({ code: 'INVALID', reason: 'alg' });
  });

  it('components missing, reordered, duplicated or extra, even when correctly signed', () => {
    const six = ['@request-target', '@authority', 'audiohook-organization-id', 'audiohook-session-id', 'audiohook-correlation-id', 'x-api-key'];
    const variants = [
      six.slice(1),
      [six[1]!, six[0]!, ...six.slice(2)],
      [...six, 'user-agent'],
    ];
    for (const components of variants) {
      expect(verify(resigned({ components }))).toEqual({ code: 'INVALID', reason: 'components' });
    }
    const duplicated = DOC_SIGNATURE_INPUT.replace('"x-api-key")', '"audiohook-correlation-id")');
    expect(verify(docRequest(withHeader('signature-input', duplicated)))).toEqual({ code: 'INVALID', reason: 'components' });
  });

  it('unknown signature parameters and wrongly typed ones', () => {
    const extra = `${DOC_SIGNATURE_INPUT};tag="x"`;
    expect(verify(docRequest(withHeader('signature-input', extra)))).toEqual({ code: 'INVALID', reason: 'parameter-unknown' });
    const typed = DOC_SIGNATURE_INPUT.replace(`created=${DOC_CREATED}`, `created="${DOC_CREATED}"`);
    expect(verify(docRequest(withHeader('signature-input', typed)))).toEqual({ code: 'INVALID', reason: 'parameter-type' });
    const noCreated = DOC_SIGNATURE_INPUT.replace(`;created=${DOC_CREATED}`, '');
    expect(verify(docRequest(withHeader('signature-input', noCreated)))).toEqual({ code: 'INVALID', reason: 'created-missing' });
  });

  it('only one of the two signature headers, or labels that do not pair up', () => {
    expect(verify(docRequest(withHeader('signature', undefined)))).toEqual({ code: 'INVALID', reason: 'signature-missing' });
    expect(verify(docRequest(withHeader('signature-input', undefined)))).toEqual({ code: 'INVALID', reason: 'signature-input-missing' });
    expect(verify(docRequest(withHeader('signature', DOC_SIGNATURE.replace('sig1', 'sig2'))))).toEqual({ code: 'INVALID', reason: 'label-mismatch' });
    expect(verify(docRequest(withHeader('signature', 'sig1="NZBw"')))).toEqual({ code: 'INVALID', reason: 'not-byte-sequence' });
    expect(verify(docRequest(withHeader('signature-input', 'sig1="x"')))).toEqual({ code: 'INVALID', reason: 'not-inner-list' });
  });

  it('a request with neither header is reported unsigned', () => {
    const headers = withHeader('signature', undefined);
    delete headers['signature-input'];
    expect(verify(docRequest(headers))).toEqual({ code: 'UNSIGNED' });
  });

  it('never throws and never verifies on hostile header values', () => {
    const sfish = fc.string({ unit: fc.constantFrom(...'sig1=():;"\\ ?@-,abcAZ09+/'.split('')), maxLength: 80 });
    const value = fc.oneof(fc.string(), sfish, fc.array(sfish, { maxLength: 3 }));
    fc.assert(
      fc.property(value, value, (signature, signatureInput) => {
        const headers = { ...docHeaders(), signature, 'signature-input': signatureInput };
        const result = verify({ requestTarget: DOC_PATH, authority: DOC_HOST, headers });
        expect(result.code).not.toBe('VERIFIED');
      }),
      { numRuns: 400 },
    );
  });
});

describe('signRequest', () => {
  it('produces headers that verifyRequest accepts, with a fresh 22+ character nonce each time', () => {
    const request = docRequest({ ...docHeaders(), 'x-api-key': 'my-key' }, '/api/v1/audioconnector/bot-1?x=1', 'localhost:8080');
    const now = 1_760_000_000_000;
    const a = signRequest(request, { key: KEY, keyId: 'my-key', nowMs: now });
    const b = signRequest(request, { key: KEY, keyId: 'my-key', nowMs: now });
    if (!a.ok || !b.ok) throw new Error('signing failed');
    const signedA = { ...request, headers: { ...request.headers, signature: a.signature, 'signature-input': a.signatureInput } };
    const result = verifyRequest(signedA, { key: KEY, expectedKeyId: 'my-key', nowMs: now + 500 });
    expect(result.code).toBe('VERIFIED');
    if (result.code !== 'VERIFIED' || b.signatureInput === a.signatureInput) return;
    expect(result.nonce.length).toBeGreaterThanOrEqual(22);
    expect(b.signatureInput).not.toBe(a.signatureInput);
  });

  it('reports a request lacking a covered header instead of signing it', () => {
    const headers = withHeader('audiohook-session-id', undefined);
    expect(signRequest(docRequest(headers), { key: KEY, keyId: DOC_API_KEY, nowMs: 0 })).toEqual({ ok: false, reason: 'component-missing' });
  });
});

describe('decodeClientSecret', () => {
  it('decodes strict base64 and refuses anything else', () => {
    expect(Buffer.from(decodeClientSecret(DOC_CLIENT_SECRET)!).toString('utf8')).toBe('MySuperSecretKeyTellNo-1!2@3#4$5');
    expect(decodeClientSecret('')).toBeUndefined();
    expect(decodeClientSecret('not base64!')).toBeUndefined();
    expect(decodeClientSecret('abc')).toBeUndefined();
  });
});
