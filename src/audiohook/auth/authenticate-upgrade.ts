// Decides whether an AudioHook WebSocket upgrade may proceed (issue 2, research/audiohook.md 2.2-2.3).
// Pure apart from the injected key store, nonce cache and clock; no fastify. The caller answers
// failures no sooner than AUTH_FAILURE_MIN_DELAY_MS after the request arrived.
import { randomBytes } from 'node:crypto';
import { headerValue, type HeaderFields } from '../signature/components.js';
import { decodeClientSecret } from '../signature/client-secret.js';
import { verifyRequest, type InvalidReason } from '../signature/verify.js';
import type { AuthErrorCode } from './errors.js';
import type { KeyStore } from './key-store.js';
import type { NonceCache } from './nonce-cache.js';

/** Failed upgrades are answered no sooner than this after arrival, whatever the reason (timing side channel). */
export const AUTH_FAILURE_MIN_DELAY_MS = 500;

export interface UpgradeRequest {
  readonly method: string;
  /** Raw path + query as on the request line. */
  readonly url: string;
  readonly headers: HeaderFields;
  /** The Audio Connector id from the route; absent on routes without one (Monitor). */
  readonly connectorId?: string;
}

export interface AuthDeps {
  readonly keys: KeyStore;
  readonly nonces: NonceCache;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly maxAgeSeconds?: number;
  readonly clockSkewSeconds?: number;
}

export type AuthSuccess = {
  readonly ok: true;
  readonly apiKey: string;
  readonly organizationId: string;
  readonly sessionId: string;
  readonly correlationId: string;
  readonly signed: boolean;
};

export type AuthFailure = { readonly ok: false; readonly code: AuthErrorCode; readonly status: 400 | 401 | 403 };

export type AuthResult = AuthSuccess | AuthFailure;

// RFC 9562 versions 1-8 with the RFC 4122 variant, or the nil UUID (as the reference validators).
const UUID_RE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|0{8}-0{4}-0{4}-0{4}-0{12})$/i;

export function isUuid(value: string | undefined): value is string {
  return value !== undefined && UUID_RE.test(value);
}

const fail = (code: AuthErrorCode, status: 400 | 401 | 403 = 401): AuthFailure => ({ ok: false, code, status });

const INVALID_TO_CODE: Record<InvalidReason, AuthErrorCode> = {
  'signature-input-malformed': 'ERR_AUTH_SIGNATURE_MALFORMED',
  'signature-malformed': 'ERR_AUTH_SIGNATURE_MALFORMED',
  'signature-input-missing': 'ERR_AUTH_SIGNATURE_MALFORMED',
  'signature-missing': 'ERR_AUTH_SIGNATURE_MALFORMED',
  'label-mismatch': 'ERR_AUTH_SIGNATURE_MALFORMED',
  'not-inner-list': 'ERR_AUTH_SIGNATURE_MALFORMED',
  'not-byte-sequence': 'ERR_AUTH_SIGNATURE_MALFORMED',
  'parameter-unknown': 'ERR_AUTH_SIGNATURE_MALFORMED',
  'parameter-type': 'ERR_AUTH_SIGNATURE_MALFORMED',
  'created-missing': 'ERR_AUTH_SIGNATURE_MALFORMED',
  components: 'ERR_AUTH_SIGNATURE_COMPONENTS',
  'component-missing': 'ERR_AUTH_SIGNATURE_COMPONENTS',
  alg: 'ERR_AUTH_SIGNATURE_ALGORITHM',
  keyid: 'ERR_AUTH_SIGNATURE_KEYID',
  nonce: 'ERR_AUTH_SIGNATURE_NONCE',
};

function connectorAllowed(allowed: readonly string[] | '*', connectorId: string | undefined): boolean {
  return connectorId === undefined || allowed === '*' || allowed.includes(connectorId);
}

/** Authenticates one upgrade request; never throws (a throwing NonceCache rejects the promise). */
export async function authenticateUpgrade(request: UpgradeRequest, deps: AuthDeps): Promise<AuthResult> {
  const apiKey = headerValue(request.headers, 'x-api-key');
  if (apiKey === undefined || apiKey === '') return fail('ERR_AUTH_API_KEY_MISSING');

  const organizationId = headerValue(request.headers, 'audiohook-organization-id');
  const sessionId = headerValue(request.headers, 'audiohook-session-id');
  const correlationId = headerValue(request.headers, 'audiohook-correlation-id');
  const host = headerValue(request.headers, 'host');
  if (!isUuid(organizationId) || !isUuid(sessionId) || !isUuid(correlationId) || !host) {
    return fail('ERR_AUTH_HEADER_INVALID', 400);
  }

  const signed =
    headerValue(request.headers, 'signature') !== undefined ||
    headerValue(request.headers, 'signature-input') !== undefined;
  const entry = deps.keys.lookup(apiKey);
  const key = entry?.secret !== undefined ? decodeClientSecret(entry.secret) : undefined;
  const signable = { requestTarget: request.url, authority: host, headers: request.headers };
  const verifyOptions = {
    expectedKeyId: apiKey,
    nowMs: deps.now(),
    maxAgeSeconds: deps.maxAgeSeconds,
    clockSkewSeconds: deps.clockSkewSeconds,
  };

  if (entry === undefined) {
    // Do the same work as for a known key so response timing does not reveal which keys exist.
    if (signed) verifyRequest(signable, { ...verifyOptions, key: new Uint8Array(randomBytes(32)) });
    return fail('ERR_AUTH_API_KEY_UNKNOWN');
  }

  const success: AuthSuccess = { ok: true, apiKey, organizationId, sessionId, correlationId, signed };

  if (entry.secret === undefined) {
    if (signed) return fail('ERR_AUTH_SIGNATURE_UNEXPECTED');
    return connectorAllowed(entry.connectors, request.connectorId) ? success : fail('ERR_AUTH_CONNECTOR_FORBIDDEN', 403);
  }
  if (!signed) return fail('ERR_AUTH_SIGNATURE_MISSING');
  // A secret that is not base64 is a configuration fault; verifying against random bytes fails
  // every request for that key rather than accepting any.
  const result = verifyRequest(signable, { ...verifyOptions, key: key ?? new Uint8Array(randomBytes(32)) });
  switch (result.code) {
    case 'VERIFIED':
      break;
    case 'UNSIGNED':
      return fail('ERR_AUTH_SIGNATURE_MISSING');
    case 'INVALID':
      return fail(INVALID_TO_CODE[result.reason]);
    case 'EXPIRED':
      return fail('ERR_AUTH_SIGNATURE_EXPIRED');
    case 'FAILED':
      return fail('ERR_AUTH_SIGNATURE_MISMATCH');
  }
  // Remember the nonce only once the MAC is verified, so forged requests cannot fill the cache.
  const fresh = await deps.nonces.checkAndRemember(result.nonce, result.validUntilMs);
  if (!fresh) return fail('ERR_AUTH_NONCE_REPLAYED');
  if (!connectorAllowed(entry.connectors, request.connectorId)) return fail('ERR_AUTH_CONNECTOR_FORBIDDEN', 403);
  return { ...success, signed: true };
}
