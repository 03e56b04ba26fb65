// One HTTP exchange with a gateway through node's global fetch (undici), classified for the
// retry policy. TLS verification is undici's default and is never turned off here.
export type HttpOutcome =
  | { kind: 'response'; status: number; body: unknown }
  /** The per-request timeout fired: the gateway may still be working on it. */
  | { kind: 'timeout' }
  /** The connection failed; `maybeSent` unless it was refused before anything went out. */
  | { kind: 'network'; maybeSent: boolean }
  /** The caller's signal aborted the exchange. */
  | { kind: 'aborted' };

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type FetchLike = typeof fetch;

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** Sends one request; never throws. The body is JSON-parsed when it is JSON, else kept as text. */
export async function exchange(req: HttpRequest, fetchImpl: FetchLike = fetch): Promise<HttpOutcome> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  try {
    const res = await fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body, signal, redirect: 'error' });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { kind: 'response', status: res.status, body };
  } catch (error) {
    if (req.signal?.aborted) return { kind: 'aborted' };
    if (timeout.aborted) return { kind: 'timeout' };
    const code = errorCode(error);
    return { kind: 'network', maybeSent: code === undefined || !NOT_SENT.has(code) };
  }
}

/** Reads a dot path ("error.decline_code") from a parsed JSON body. */
export function readPath(body: unknown, path: string): unknown {
  let v: unknown = body;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Writes a dot path into a JSON object, creating the objects on the way. */
export function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof o[part] !== 'object' || o[part] === null) o[part] = {};
    o = o[part] as Record<string, unknown>;
  }
  o[parts.at(-1)!] = value;
}
