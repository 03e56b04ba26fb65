// A worker's side of the cluster: the replay cache, the live-view fan-out and the metrics
// aggregate, all held by the primary and reached over IPC. Requests that get no answer in time
// fail closed (a nonce counts as seen), so a stalled primary can refuse calls but never let a
// replayed upgrade through.
import type { Logger } from '../core/log.js';
import type { NonceCache } from '../audiohook/auth/nonce-cache.js';
import type { FanoutListener, LiveFanout } from '../live/fanout.js';
import type { LiveEvent } from '../live/types.js';
import type { MetricsText } from '../server/metrics.js';
import { CLUSTER_ERRORS } from './errors.js';
import { isPayhookMessage, MAX_LIVE_BATCH, parsePrimaryMessage, type Channel, type PrimaryMessage, type WorkerMessage } from './messages.js';

export interface PrimaryLinkOptions {
  readonly channel: Channel;
  readonly logger?: Logger;
  /** How long a request waits for the primary; default 2000 ms. */
  readonly timeoutMs?: number;
  /**
   * Live snapshots for the other workers are gathered this long and sent as one message; default
   * 25 ms. 0 sends each at once (tests).
   */
  readonly liveBatchMs?: number;
}

type Pending = { resolve: (m: PrimaryMessage | undefined) => void; timer: ReturnType<typeof setTimeout> };

export class PrimaryLink {
  readonly nonces: NonceCache;
  readonly fanout: LiveFanout;
  readonly #channel: Channel;
  readonly #log: Logger | undefined;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  readonly #live = new Set<FanoutListener>();
  readonly #liveBatchMs: number;
  #outbox: LiveEvent[] = [];
  #outboxTimer: ReturnType<typeof setTimeout> | undefined;
  #onResync: (() => void) | undefined;
  readonly #onMessage = (m: unknown) => this.#receive(m);
  #nextId = 1;
  #closed = false;

  constructor(options: PrimaryLinkOptions) {
    this.#channel = options.channel;
    this.#log = options.logger;
    this.#timeoutMs = options.timeoutMs ?? 2000;
    this.#liveBatchMs = options.liveBatchMs ?? 25;
    this.#channel.on('message', this.#onMessage);
    this.nonces = { checkAndRemember: (nonce, expiresAtMs) => this.#checkNonce(nonce, expiresAtMs) };
    this.fanout = {
      publish: (event) => this.#publish(event),
      subscribe: (listener) => {
        this.#live.add(listener);
        return () => this.#live.delete(listener);
      },
      close: async () => this.#live.clear(),
    };
  }

  /** Called when another worker (re)starts and needs this worker's live snapshots again. */
  onResync(listener: () => void): void {
    this.#onResync = listener;
  }

  /** Tells the primary this worker is serving. */
  ready(slot: number, address: string): void {
    this.#send({ t: 'payhook:ready', slot, address });
  }

  /** The metrics of every worker, summed by the primary (prom-client's AggregatorRegistry). */
  async clusterMetrics(): Promise<MetricsText | undefined> {
    const reply = await this.#request((id) => ({ t: 'payhook:metrics', id }), 'metrics');
    return reply?.t === 'payhook:metrics-result' && reply.ok ? { text: reply.text, contentType: reply.contentType } : undefined;
  }

  close(): void {
    if (this.#closed) return;
    // Snapshots already published still reach the other workers.
    this.#flushLive();
    this.#closed = true;
    this.#channel.off('message', this.#onMessage);
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.resolve(undefined);
    }
    this.#pending.clear();
    this.#live.clear();
  }

  async #checkNonce(nonce: string, expiresAtMs: number): Promise<boolean> {
    const reply = await this.#request((id) => ({ t: 'payhook:nonce', id, nonce, expiresAtMs }), 'nonce');
    return reply?.t === 'payhook:nonce-result' && reply.fresh;
  }

  #publish(event: LiveEvent): void {
    if (this.#closed) return;
    // Local subscribers hear it at once, as a copy (as from the wire); the primary relays it to
    // the other workers only.
    const wire = JSON.stringify(event);
    for (const listener of [...this.#live]) listener(JSON.parse(wire), 'local');
    // One IPC message per status change of every call cost each hop a pipe write and a wake-up
    // of the primary and of every other worker; gathered for a moment they cost one per batch.
    this.#outbox.push(event);
    if (this.#liveBatchMs <= 0 || this.#outbox.length >= MAX_LIVE_BATCH) this.#flushLive();
    else this.#outboxTimer ??= setTimeout(() => this.#flushLive(), this.#liveBatchMs);
  }

  #flushLive(): void {
    clearTimeout(this.#outboxTimer);
    this.#outboxTimer = undefined;
    if (this.#outbox.length === 0) return;
    const events = this.#outbox;
    this.#outbox = [];
    this.#send({ t: 'payhook:live', events });
  }

  #request(build: (id: number) => WorkerMessage, what: string): Promise<PrimaryMessage | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#log?.error({ code: 'ERR_CLUSTER_PRIMARY_UNREACHABLE', request: what }, CLUSTER_ERRORS.ERR_CLUSTER_PRIMARY_UNREACHABLE.message);
        resolve(undefined);
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve, timer });
      if (!this.#send(build(id))) {
        clearTimeout(timer);
        this.#pending.delete(id);
        this.#log?.error({ code: 'ERR_CLUSTER_PRIMARY_UNREACHABLE', request: what }, CLUSTER_ERRORS.ERR_CLUSTER_PRIMARY_UNREACHABLE.message);
        resolve(undefined);
      }
    });
  }

  #send(message: WorkerMessage): boolean {
    if (this.#closed) return false;
    try {
      this.#channel.send(message);
      return true;
    } catch {
      // The IPC channel is closed: the primary is gone.
      return false;
    }
  }

  #receive(raw: unknown): void {
    if (!isPayhookMessage(raw)) return;
    const m = parsePrimaryMessage(raw);
    if (!m) {
      this.#log?.warn({ code: 'ERR_CLUSTER_MESSAGE' }, CLUSTER_ERRORS.ERR_CLUSTER_MESSAGE.message);
      return;
    }
    if (m.t === 'payhook:live') {
      for (const event of m.events) for (const listener of [...this.#live]) listener(event, 'remote');
      return;
    }
    if (m.t === 'payhook:live-resync') {
      this.#onResync?.();
      return;
    }
    const pending = this.#pending.get(m.id);
    if (!pending) return;
    this.#pending.delete(m.id);
    clearTimeout(pending.timer);
    pending.resolve(m);
  }
}
