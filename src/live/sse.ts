// Server-sent events over a raw HTTP response: framing, heartbeats, and an idempotent close.
// The route hijacks the fastify reply and hands the raw response here.
import type { ServerResponse } from 'node:http';
import type { FeedSink } from './feeds.js';

/** One SSE message. Data is JSON on a single line (JSON.stringify never emits a newline). Pure. */
export function formatSse(event: string, data: unknown): string {
  if (!/^[a-z][a-z0-9_-]*$/.test(event)) throw new TypeError('SSE event names are lowercase words');
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface SseOptions {
  /** A comment line this often keeps proxies from closing an idle stream; default 15 s. */
  heartbeatMs?: number;
  /** Extra response headers (security headers of the route). */
  headers?: Record<string, string>;
}

export class SseStream implements FeedSink {
  readonly #res: ServerResponse;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #onClose: Array<() => void> = [];
  #closed = false;

  constructor(res: ServerResponse, options: SseOptions = {}) {
    this.#res = res;
    res.writeHead(200, {
      ...options.headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx and similar proxies buffer responses unless told not to.
      'x-accel-buffering': 'no',
    });
    // The client reconnects after this long if the connection drops mid-call.
    res.write('retry: 2000\n\n');
    this.#heartbeat = setInterval(() => this.#write(': heartbeat\n\n'), options.heartbeatMs ?? 15_000);
    res.on('close', () => this.end());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `fn` once when the stream ends, whoever ends it. */
  onClose(fn: () => void): void {
    if (this.#closed) fn();
    else this.#onClose.push(fn);
  }

  send(event: string, data: unknown): void {
    this.#write(formatSse(event, data));
  }

  end(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    if (!this.#res.writableEnded) this.#res.end();
    for (const fn of this.#onClose.splice(0)) fn();
  }

  #write(chunk: string): void {
    if (!this.#closed && !this.#res.writableEnded) this.#res.write(chunk);
  }
}
