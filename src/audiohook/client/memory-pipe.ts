// Two connected in-memory transports. Delivery is asynchronous (a microtask, or a timer on the
// given clock) so that neither side re-enters the other from inside a send, as on a real socket.
import type { Clock } from '../../core/clock.js';
import type { ClientTransport, TransportHandlers } from './transport.js';

export interface MemoryPipeOptions {
  /** Deliver through this clock's timers (e.g. a VirtualClock) instead of microtasks. */
  readonly clock?: Clock;
  /** One-way delay in ms when a clock is given; default 0. */
  readonly latencyMs?: number;
}

export interface MemoryPipe {
  /** The end the AudioHook client uses. */
  readonly client: ClientTransport;
  /** The end a (fake or real) server session uses. */
  readonly server: ClientTransport;
}

type Delivery = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array } | { kind: 'closed'; code: number; reason: string };

class PipeEnd implements ClientTransport {
  peer!: PipeEnd;
  #handlers: TransportHandlers | undefined;
  #backlog: Delivery[] = [];
  #closed = false;
  #ended = false;

  constructor(readonly schedule: (fn: () => void) => void) {}

  attach(handlers: TransportHandlers): void {
    this.#handlers = handlers;
    const backlog = this.#backlog;
    this.#backlog = [];
    for (const d of backlog) this.receive(d);
  }

  sendText(text: string): void {
    if (this.#closed) return;
    this.schedule(() => this.peer.receive({ kind: 'text', text }));
  }

  sendBinary(bytes: Uint8Array): void {
    if (this.#closed) return;
    const copy = new Uint8Array(bytes); // the sender may reuse its buffer
    this.schedule(() => this.peer.receive({ kind: 'binary', bytes: copy }));
  }

  close(code = 1000, reason = ''): void {
    if (this.#closed) return;
    this.#closed = true;
    this.peer.#closed = true;
    this.schedule(() => {
      this.receive({ kind: 'closed', code, reason });
      this.peer.receive({ kind: 'closed', code, reason });
    });
  }

  receive(d: Delivery): void {
    if (this.#ended) return;
    if (!this.#handlers) {
      this.#backlog.push(d);
      return;
    }
    if (d.kind === 'text') this.#handlers.text(d.text);
    else if (d.kind === 'binary') this.#handlers.binary(d.bytes);
    else {
      this.#ended = true;
      this.#handlers.closed(d.code, d.reason);
    }
  }
}

/** Creates a connected pair of transports. */
export function createMemoryPipe(options: MemoryPipeOptions = {}): MemoryPipe {
  const { clock } = options;
  const latency = options.latencyMs ?? 0;
  const schedule = clock ? (fn: () => void) => void clock.setTimeout(fn, latency) : (fn: () => void) => queueMicrotask(fn);
  const client = new PipeEnd(schedule);
  const server = new PipeEnd(schedule);
  client.peer = server;
  server.peer = client;
  return { client, server };
}
