// The port between instances: each PayHook instance publishes its calls' snapshots and every
// instance's hub listens, so a supervisor connected to any instance sees all live sessions.
// In memory for one instance; PostgreSQL LISTEN/NOTIFY (pg-fanout.ts) implements the same port for several
// (a snapshot is well under NOTIFY's 8000-byte payload limit).
import type { LiveEvent } from './types.js';

export interface LiveFanout {
  /** Delivers the event to every subscriber of every instance, this one included. */
  publish(event: LiveEvent): void;
  /** Returns the unsubscribe function. Events may arrive in any order across instances. */
  subscribe(listener: (event: unknown) => void): () => void;
  close(): Promise<void>;
}

/** One process: publish calls every subscriber synchronously, in subscription order. */
export class MemoryFanout implements LiveFanout {
  #listeners = new Set<(event: unknown) => void>();
  #closed = false;

  publish(event: LiveEvent): void {
    if (this.#closed) return;
    // Subscribers receive a copy, as they would from the wire: no shared mutable objects.
    const wire = JSON.stringify(event);
    for (const listener of [...this.#listeners]) listener(JSON.parse(wire));
  }

  subscribe(listener: (event: unknown) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
  }
}
