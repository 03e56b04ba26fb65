// Verifies an AudioHook upgrade request signature. Every outcome is a value: the caller maps
// codes to HTTP answers. No branch depends on the key's content, and the HMAC comparison is
// constant-time, so a verifier fed a random key (unknown API key) takes the same path.
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  AUDIOHOOK_COVERED_COMPONENTS,
  SIGNATURE_ALGORITHM,
  headerValue,
  type SignableRequest,
} from './components.js';
import { buildSignatureBase } from './signature-base.js';
import { parseDictionary, type BareItem, type InnerList } from './structured-fields.js';

export const MAX_SIGNATURE_AGE_SECONDS = 10;
export const MAX_CLOCK_SKEW_SECONDS = 3;
export const MIN_NONCE_LENGTH = 22;

export interface VerifyOptions {
  /** HMAC key: the base64-decoded client secret (random bytes for an unknown API key). */
  readonly key: Uint8Array;
  /** The keyid the signature must name: the request's X-API-KEY. */
  readonly expectedKeyId: string;
  /** Verification time, epoch milliseconds. */
  readonly nowMs: number;
  readonly maxAgeSeconds?: number;
  readonly clockSkewSeconds?: number;
  readonly minNonceLength?: number;
  /** Exactly these components, in this order. Default: the six AudioHook components. */
  readonly requiredComponents?: readonly string[];
}

export type InvalidReason =
  | 'signature-input-malformed'
  | 'signature-malformed'
  | 'signature-input-missing'
  | 'signature-missing'
  | 'label-mismatch'
  | 'not-inner-list'
  | 'not-byte-sequence'
  | 'components'
  | 'component-missing'
  | 'parameter-unknown'
  | 'parameter-type'
  | 'alg'
  | 'keyid'
  | 'nonce'
  | 'created-missing';

export type ExpiredReason = 'too-old' | 'expired' | 'created-in-future';

export type VerifyResult =
  | {
      readonly code: 'VERIFIED';
      readonly label: string;
      readonly keyId: string;
      readonly nonce: string;
      /** Epoch ms after which this signature can no longer pass the time checks (for replay caches). */
      readonly validUntilMs: number;
    }
  | { readonly code: 'UNSIGNED' }
  | { readonly code: 'INVALID'; readonly reason: InvalidReason }
  | { readonly code: 'EXPIRED'; readonly reason: ExpiredReason }
  | { readonly code: 'FAILED' };

interface SignatureParams {
  alg?: string;
  keyid?: string;
  nonce?: string;
  created?: number;
  expires?: number;
}

type ParamsResult = { ok: true; params: SignatureParams } | { ok: false; reason: InvalidReason };

function readParams(input: InnerList): ParamsResult {
  const params: SignatureParams = {};
  const str = (v: BareItem): string | undefined => (v.type === 'string' ? v.value : undefined);
  const int = (v: BareItem): number | undefined => (v.type === 'integer' && v.value >= 0 ? v.value : undefined);
  for (const [key, value] of input.params) {
    switch (key) {
      case 'alg':
      case 'keyid':
      case 'nonce': {
        const s = str(value);
        if (s === undefined) return { ok: false, reason: 'parameter-type' };
        params[key] = s;
        break;
      }
      case 'created':
      case 'expires': {
        const n = int(value);
        if (n === undefined) return { ok: false, reason: 'parameter-type' };
        params[key] = n;
        break;
      }
      default:
        return { ok: false, reason: 'parameter-unknown' };
    }
  }
  return { ok: true, params };
}

const invalid = (reason: InvalidReason): VerifyResult => ({ code: 'INVALID', reason });

/** Verifies the first signature of the request. Pure (time comes in as nowMs); never throws. */
export function verifyRequest(request: SignableRequest, options: VerifyOptions): VerifyResult {
  const inputHeader = headerValue(request.headers, 'signature-input');
  const signatureHeader = headerValue(request.headers, 'signature');
  if (inputHeader === undefined && signatureHeader === undefined) return { code: 'UNSIGNED' };
  if (inputHeader === undefined) return invalid('signature-input-missing');
  if (signatureHeader === undefined) return invalid('signature-missing');

  const inputs = parseDictionary(inputHeader);
  if (!inputs.ok || inputs.value.size === 0) return invalid('signature-input-malformed');
  const signatures = parseDictionary(signatureHeader);
  if (!signatures.ok || signatures.value.size === 0) return invalid('signature-malformed');

  // Genesys sends one signature (sig1); with several, the first input is the one checked.
  const [label, input] = inputs.value.entries().next().value!;
  const signature = signatures.value.get(label);
  if (!signature) return invalid('label-mismatch');
  if (input.kind !== 'inner-list') return invalid('not-inner-list');
  if (signature.kind !== 'item' || signature.value.type !== 'bytes') return invalid('not-byte-sequence');

  const required = options.requiredComponents ?? AUDIOHOOK_COVERED_COMPONENTS;
  const names = input.items.map((i) => (i.value.type === 'string' ? i.value.value : undefined));
  if (names.length !== required.length || names.some((n, i) => n !== required[i])) return invalid('components');

  const parsed = readParams(input);
  if (!parsed.ok) return invalid(parsed.reason);
  const { params } = parsed;
  if (params.alg !== SIGNATURE_ALGORITHM) return invalid('alg');
  if (params.keyid === undefined || params.keyid !== options.expectedKeyId) return invalid('keyid');
  const minNonce = options.minNonceLength ?? MIN_NONCE_LENGTH;
  if (params.nonce === undefined || params.nonce.length < minNonce) return invalid('nonce');
  if (params.created === undefined) return invalid('created-missing');

  const base = buildSignatureBase(input, request);
  if (!base.ok) return invalid(base.reason === 'component-missing' ? 'component-missing' : 'components');

  const expected = createHmac('sha256', options.key).update(base.base, 'utf8').digest();
  const given = signature.value.value;
  // timingSafeEqual needs equal lengths; compare against itself so a short value costs the same.
  const matches =
    given.length === expected.length ? timingSafeEqual(given, expected) : !timingSafeEqual(expected, expected);
  if (!matches) return { code: 'FAILED' };

  // Time checks after the MAC: an attacker learns nothing about the window from a forged request.
  const skewMs = (options.clockSkewSeconds ?? MAX_CLOCK_SKEW_SECONDS) * 1000;
  const maxAgeMs = (options.maxAgeSeconds ?? MAX_SIGNATURE_AGE_SECONDS) * 1000;
  const createdMs = params.created * 1000;
  const now = options.nowMs;
  if (createdMs > now + skewMs) return { code: 'EXPIRED', reason: 'created-in-future' };
  if (now > createdMs + maxAgeMs + skewMs) return { code: 'EXPIRED', reason: 'too-old' };
  let validUntilMs = createdMs + maxAgeMs + skewMs;
  if (params.expires !== undefined) {
    const expiresMs = params.expires * 1000;
    if (now > expiresMs + skewMs) return { code: 'EXPIRED', reason: 'expired' };
    validUntilMs = Math.min(validUntilMs, expiresMs + skewMs);
  }
  return { code: 'VERIFIED', label, keyId: params.keyid, nonce: params.nonce, validUntilMs };
}
