// The headers Genesys sends on the WebSocket upgrade (research/audiohook.md 2.2), signed when the
// integration has a client secret.
import { decodeClientSecret } from '../signature/client-secret.js';
import { signRequest } from '../signature/sign.js';

export interface UpgradeIdentity {
  readonly apiKey: string;
  /** Base64 client secret; without one the request is unsigned. */
  readonly clientSecret?: string;
  readonly organizationId: string;
  readonly sessionId: string;
  readonly correlationId: string;
}

export type UpgradeHeadersResult =
  | { readonly ok: true; readonly headers: Record<string, string> }
  | { readonly ok: false; readonly code: 'BAD_CLIENT_SECRET' | 'SIGNING_FAILED' };

/** Headers for an upgrade to `url`; the signature covers its path + query and host. */
export function buildUpgradeHeaders(url: URL, identity: UpgradeIdentity, nowMs: number, nonce?: string): UpgradeHeadersResult {
  const headers: Record<string, string> = {
    'User-Agent': 'PayHook-AudioHook-Client',
    'Audiohook-Organization-Id': identity.organizationId,
    'Audiohook-Correlation-Id': identity.correlationId,
    'Audiohook-Session-Id': identity.sessionId,
    'X-API-KEY': identity.apiKey,
  };
  if (identity.clientSecret === undefined) return { ok: true, headers };
  const key = decodeClientSecret(identity.clientSecret);
  if (!key) return { ok: false, code: 'BAD_CLIENT_SECRET' };
  // WHATWG URL.host omits a default port, as the Host header Node sends does.
  const signed = signRequest(
    { requestTarget: url.pathname + url.search, authority: url.host, headers },
    { key, keyId: identity.apiKey, nowMs, nonce },
  );
  if (!signed.ok) return { ok: false, code: 'SIGNING_FAILED' };
  return { ok: true, headers: { ...headers, Signature: signed.signature, 'Signature-Input': signed.signatureInput } };
}
