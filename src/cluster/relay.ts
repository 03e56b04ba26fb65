// The primary's side of the IPC protocol, without node:cluster (tests drive it with plain
// objects): answers nonce checks from the one replay cache, relays live snapshots to every other
// worker, and answers metric requests with the aggregate of all workers.
import type { Logger } from '../core/log.js';
import type { NonceCache } from '../audiohook/auth/nonce-cache.js';
import type { MetricsText } from '../server/metrics.js';
import { CLUSTER_ERRORS } from './errors.js';
import { isPayhookMessage, parseWorkerMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';

export interface WorkerPort {
  send(message: PrimaryMessage): void;
}

export interface RelayOptions {
  readonly nonces: NonceCache;
  /** Metrics of all workers, summed; rejects when a worker does not answer. */
  readonly aggregateMetrics: () => Promise<MetricsText>;
  readonly logger?: Logger;
  /** A worker said it is serving. */
  readonly onReady?: (worker: WorkerPort, slot: number, address: string) => void;
}

export class PrimaryRelay {
  readonly #options: RelayOptions;
  readonly #workers = new Set<WorkerPort>();

  constructor(options: RelayOptions) {
    this.#options = options;
  }

  add(worker: WorkerPort): void {
    this.#workers.add(worker);
  }

  remove(worker: WorkerPort): void {
    this.#workers.delete(worker);
  }

  /** One message from `from`; anything not of this protocol is ignored (prom-client has its own). */
  handle(from: WorkerPort, raw: unknown): void {
    if (!isPayhookMessage(raw)) return;
    const m = parseWorkerMessage(raw);
    if (!m) {
      this.#options.logger?.warn({ code: 'ERR_CLUSTER_MESSAGE' }, CLUSTER_ERRORS.ERR_CLUSTER_MESSAGE.message);
      return;
    }
    void this.#dispatch(from, m);
  }

  async #dispatch(from: WorkerPort, m: WorkerMessage): Promise<void> {
    switch (m.t) {
      case 'payhook:ready':
        this.#options.onReady?.(from, m.slot, m.address);
        // A new or replacement worker knows only the snapshots published from now on.
        for (const w of this.#workers) if (w !== from) this.#send(w, { t: 'payhook:live-resync' });
        return;
      case 'payhook:nonce': {
        let fresh = false;
        try {
          fresh = await this.#options.nonces.checkAndRemember(m.nonce, m.expiresAtMs);
        } catch {
          fresh = false;
        }
        return this.#send(from, { t: 'payhook:nonce-result', id: m.id, fresh });
      }
      case 'payhook:live':
        for (const w of this.#workers) if (w !== from) this.#send(w, { t: 'payhook:live', events: m.events });
        return;
      case 'payhook:metrics': {
        try {
          const { text, contentType } = await this.#options.aggregateMetrics();
          return this.#send(from, { t: 'payhook:metrics-result', id: m.id, ok: true, text, contentType });
        } catch {
          return this.#send(from, { t: 'payhook:metrics-result', id: m.id, ok: false, text: '', contentType: 'text/plain' });
        }
      }
    }
  }

  #send(to: WorkerPort, message: PrimaryMessage): void {
    try {
      to.send(message);
    } catch {
      // The worker is gone; its exit is handled by the primary.
    }
  }
}
