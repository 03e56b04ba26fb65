// ClientTransport over a `ws` WebSocket, plus the connect step that sends Genesys's signed
// upgrade headers. Connection failures are values (HTTP status or network error), not throws.
import { randomUUID } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import type { ClientTransport, TransportHandlers } from './transport.js';
import { buildUpgradeHeaders } from './upgrade-headers.js';

class WsTransport implements ClientTransport {
  #handlers: TransportHandlers | undefined;
  #backlog: Array<(h: TransportHandlers) => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      this.#deliver(isBinary ? (h) => h.binary(new Uint8Array(buf)) : (h) => h.text(buf.toString('utf8')));
    });
    socket.on('close', (code: number, reason: Buffer) => this.#deliver((h) => h.closed(code, reason.toString('utf8'))));
    // 'error' is always followed by 'close'; without a listener ws would throw.
    socket.on('error', () => {});
  }

  #deliver(fn: (h: TransportHandlers) => void): void {
    if (this.#handlers) fn(this.#handlers);
    else this.#backlog.push(fn);
  }

  attach(handlers: TransportHandlers): void {
    this.#handlers = handlers;
    const backlog = this.#backlog;
    this.#backlog = [];
    for (const fn of backlog) fn(handlers);
  }

  sendText(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  sendBinary(bytes: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(bytes, { binary: true });
  }

  close(code = 1000, reason = ''): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  /** Bytes queued in the socket but not yet written; for load-test backpressure. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }
}

export interface ConnectOptions {
  /** ws:// or wss:// URL, path and query included (Audio Connector: base URI + connector id). */
  readonly url: string;
  readonly apiKey: string;
  readonly clientSecret?: string;
  readonly organizationId?: string;
  readonly sessionId?: string;
  readonly correlationId?: string;
  /** Epoch ms for the signature's `created`; default Date.now. */
  readonly nowMs?: () => number;
  readonly handshakeTimeoutMs?: number;
  /** Extra CA certificates for wss:// to a private test CA (verification is never turned off). */
  readonly ca?: string | Buffer;
}

export type ConnectResult =
  | {
      readonly ok: true;
      readonly transport: ClientTransport & { readonly bufferedAmount: number };
      readonly organizationId: string;
      readonly sessionId: string;
      readonly correlationId: string;
    }
  | { readonly ok: false; readonly code: 'HTTP_STATUS'; readonly status: number }
  | { readonly ok: false; readonly code: 'NETWORK'; readonly message: string }
  | { readonly ok: false; readonly code: 'BAD_URL' | 'BAD_CLIENT_SECRET' | 'SIGNING_FAILED' };

/** Opens the WebSocket with Genesys-style (signed) upgrade headers. */
export function connectWebSocket(options: ConnectOptions): Promise<ConnectResult> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return Promise.resolve({ ok: false, code: 'BAD_URL' });
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return Promise.resolve({ ok: false, code: 'BAD_URL' });
  const identity = {
    apiKey: options.apiKey,
    clientSecret: options.clientSecret,
    organizationId: options.organizationId ?? randomUUID(),
    sessionId: options.sessionId ?? randomUUID(),
    correlationId: options.correlationId ?? randomUUID(),
  };
  const built = buildUpgradeHeaders(url, identity, (options.nowMs ?? Date.now)());
  if (!built.ok) return Promise.resolve({ ok: false, code: built.code });

  return new Promise((resolve) => {
    const socket = new WebSocket(url, {
      headers: built.headers,
      handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
      perMessageDeflate: false,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    });
    let settled = false;
    const settle = (result: ConnectResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    // Created before 'open' so no message the server sends right after the upgrade is lost.
    const transport = new WsTransport(socket);
    socket.once('open', () =>
      settle({
        ok: true,
        transport,
        organizationId: identity.organizationId,
        sessionId: identity.sessionId,
        correlationId: identity.correlationId,
      }),
    );
    socket.once('unexpected-response', (_req, res) => {
      settle({ ok: false, code: 'HTTP_STATUS', status: res.statusCode ?? 0 });
      res.resume();
      socket.terminate();
    });
    socket.once('error', (error: Error) => settle({ ok: false, code: 'NETWORK', message: error.message }));
    socket.once('close', () => settle({ ok: false, code: 'NETWORK', message: 'closed during handshake' }));
  });
}
