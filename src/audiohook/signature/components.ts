// What an AudioHook upgrade request signature covers, and how each covered component's value is
// read from the request (RFC 9421 sections 2.1-2.2 as the Genesys client applies them).

export type HeaderFields = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The request as the signature sees it: raw path + query, the Host value, and header fields. */
export interface SignableRequest {
  /** Raw path and query exactly as sent on the request line, e.g. "/api/v1/x?y=1". */
  readonly requestTarget: string;
  /** The Host header value. */
  readonly authority: string;
  readonly headers: HeaderFields;
}

/** The six components Genesys signs, in the order it lists them (research/audiohook.md 2.3). */
export const AUDIOHOOK_COVERED_COMPONENTS = [
  '@request-target',
  '@authority',
  'audiohook-organization-id',
  'audiohook-session-id',
  'audiohook-correlation-id',
  'x-api-key',
] as const;

export const SIGNATURE_ALGORITHM = 'hmac-sha256';

/** Header lookup by case-insensitive name; repeated lines joined with ", " (RFC 9110 5.3). */
export function headerValue(headers: HeaderFields, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let raw = headers[wanted];
  if (raw === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === wanted) {
        raw = headers[key];
        break;
      }
    }
  }
  if (raw === undefined) return undefined;
  const values = typeof raw === 'string' ? [raw] : raw;
  if (values.length === 0) return undefined;
  // RFC 9421 2.1: strip leading/trailing whitespace, replace obs-fold line breaks by a space.
  return values.map((v) => v.trim().replace(/[ \t]*\r\n[ \t]+/g, ' ')).join(', ');
}

/** The value a covered component contributes to the signature base; undefined if the request lacks it. */
export function componentValue(name: string, request: SignableRequest): string | undefined {
  switch (name) {
    case '@request-target':
      return request.requestTarget === '' ? undefined : request.requestTarget;
    case '@authority':
      // RFC 9421 2.2.3: the authority is compared lowercased.
      return request.authority === '' ? undefined : request.authority.trim().toLowerCase();
    default:
      return name.startsWith('@') ? undefined : headerValue(request.headers, name);
  }
}
