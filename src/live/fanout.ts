// The port between instances: each PayHook instance publishes its calls' snapshots and every
// instance's hub listens, so a supervisor connected to any instance sees all live sessions.
// In memory for one instance; PostgreSQL LISTEN/NOTIFY (pg-fanout.ts) implements the same port for several
// (a snapshot is well under NOTIFY's 8000-byte payload limit).
import type { LiveEvent } from './types.js';

/**
 * Where a delivered event comes from. `local`: this process's own publish(), handed back at once
 * (the hub checked it before publishing, so it need not check it again). Anything else, including
 * no origin at all, came over a wire and is checked as untrusted input.
 */
export type FanoutOrigin = 'local' | 'remote';
export type FanoutListener = (event: unknown, origin?: FanoutOrigin) => void;

export interface LiveFanout {
  /** Delivers the event to every subscriber of every instance, this one included. */
  publish(event: LiveEvent): void;
  /** Returns the unsubscribe function. Events may arrive in any order across instances. */
  subscribe(listener: FanoutListener): () => void;
  close(): Promise<void>;
}

/** One process: publish calls every subscriber synchronously, in subscription order. */
export class MemoryFanout implements LiveFanout {
  #listeners = new Set<FanoutListener>();
  #closed = false;

  publish(event: LiveEvent): void {
    if (this.#closed) return;
    // Subscribers receive a copy, as they would from the wire: no shared mutable objects.
    const wire = JSON.stringify(event);
    for (const listener of [...this.#listeners]) listener(JSON.parse(wire), 'local');
  }

  subscribe(listener: FanoutListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
  }
}
