// The signature base (RFC 9421 section 2.5): one line per covered component, then the
// "@signature-params" line. Both signer and verifier build it from a parsed InnerList, so the
// bytes hashed are always a re-serialisation, never the raw header text.
import { componentValue, type SignableRequest } from './components.js';
import { serializeInnerList, serializeBareItem, type InnerList } from './structured-fields.js';

export type SignatureBaseResult =
  | { readonly ok: true; readonly base: string }
  | { readonly ok: false; readonly reason: 'component-not-string' | 'component-params' | 'component-duplicate' | 'component-missing' };

/** Pure; lines joined by "\n" with no trailing newline. */
export function buildSignatureBase(input: InnerList, request: SignableRequest): SignatureBaseResult {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const item of input.items) {
    if (item.value.type !== 'string') return { ok: false, reason: 'component-not-string' };
    // Component parameters (sf, bs, key, req) are never used by AudioHook; refusing them keeps
    // the base unambiguous.
    if (item.params.length > 0) return { ok: false, reason: 'component-params' };
    const name = item.value.value;
    if (seen.has(name)) return { ok: false, reason: 'component-duplicate' };
    seen.add(name);
    const value = componentValue(name, request);
    if (value === undefined) return { ok: false, reason: 'component-missing' };
    lines.push(`${serializeBareItem(item.value)}: ${value}`);
  }
  lines.push(`"@signature-params": ${serializeInnerList(input)}`);
  return { ok: true, base: lines.join('\n') };
}
