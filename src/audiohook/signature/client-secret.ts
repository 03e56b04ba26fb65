// Client secrets are configured as base64 text; the HMAC key is the decoded bytes (the
// documentation example only verifies that way; research/audiohook.md 2.3).

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes a base64 client secret; undefined when it is not strict, non-empty base64. */
export function decodeClientSecret(secret: string): Uint8Array | undefined {
  const text = secret.trim();
  if (text === '' || !BASE64.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}
