// Signs an AudioHook upgrade request the way Genesys Cloud does: label sig1, the six covered
// components, keyid = API key, a random nonce, hmac-sha256 keyed with the decoded client secret.
import { createHmac, randomBytes } from 'node:crypto';
import { AUDIOHOOK_COVERED_COMPONENTS, SIGNATURE_ALGORITHM, type SignableRequest } from './components.js';
import { buildSignatureBase } from './signature-base.js';
import { serializeDictionary, serializeInnerList, sf, type BareItem } from './structured-fields.js';

export const SIGNATURE_LABEL = 'sig1';

export interface SignOptions {
  /** HMAC key: the base64-decoded client secret (see decodeClientSecret). */
  readonly key: Uint8Array;
  /** The API key; Genesys uses it as keyid. */
  readonly keyId: string;
  /** Signing time, epoch milliseconds. */
  readonly nowMs: number;
  /** Defaults to 16 random bytes in base64 (22+ characters, as verifiers require). */
  readonly nonce?: string;
  /** Seconds after `created` at which the signature expires; default 10. */
  readonly expiresInSeconds?: number;
  /** Absolute expiry (epoch seconds); overrides expiresInSeconds. */
  readonly expires?: number;
  readonly components?: readonly string[];
  readonly label?: string;
}

export interface SignedHeaders {
  readonly signature: string;
  readonly signatureInput: string;
  /** The exact text hashed; for tests and debugging only (it holds the API key). */
  readonly signatureBase: string;
}

export type SignResult = ({ readonly ok: true } & SignedHeaders) | { readonly ok: false; readonly reason: string };

/** Pure apart from the random default nonce. */
export function signRequest(request: SignableRequest, options: SignOptions): SignResult {
  const created = Math.floor(options.nowMs / 1000);
  const expires = options.expires ?? created + (options.expiresInSeconds ?? 10);
  const nonce = options.nonce ?? randomBytes(16).toString('base64');
  const params: Array<[string, BareItem]> = [
    ['keyid', sf.string(options.keyId)],
    ['nonce', sf.string(nonce)],
    ['alg', sf.string(SIGNATURE_ALGORITHM)],
    ['created', sf.integer(created)],
    ['expires', sf.integer(expires)],
  ];
  const components = options.components ?? AUDIOHOOK_COVERED_COMPONENTS;
  const input = sf.innerList(
    components.map((c) => sf.item(sf.string(c))),
    params,
  );
  const base = buildSignatureBase(input, request);
  if (!base.ok) return { ok: false, reason: base.reason };
  const mac = createHmac('sha256', options.key).update(base.base, 'utf8').digest();
  const label = options.label ?? SIGNATURE_LABEL;
  return {
    ok: true,
    signatureInput: `${label}=${serializeInnerList(input)}`,
    signature: serializeDictionary(new Map([[label, sf.item(sf.bytes(new Uint8Array(mac)))]])),
    signatureBase: base.base,
  };
}
