// A typed event emitter whose listeners cannot break the emitter: a throwing listener is
// reported through `onListenerError` (logged by the owner) and the remaining listeners still run.
// Modelled on mediasoup's EnhancedEventEmitter.safeEmit.

export type EventMap = { [event: string]: unknown[] };
type Listener<A extends unknown[]> = (...args: A) => void;
// Stored untyped; the public methods keep each event's listener type.
type AnyListener = (...args: unknown[]) => void;

export class TypedEmitter<E extends EventMap> {
  #listeners = new Map<keyof E, AnyListener[]>();
  onListenerError: (event: string, error: unknown) => void = () => {};

  on<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener as unknown as AnyListener);
    this.#listeners.set(event, list);
    return this;
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    const wrapped = (...args: E[K]) => {
      this.off(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    const list = this.#listeners.get(event);
    if (list) {
      const i = list.indexOf(listener as unknown as AnyListener);
      if (i >= 0) list.splice(i, 1);
    }
    return this;
  }

  listenerCount<K extends keyof E>(event: K): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  removeAllListeners(): void {
    this.#listeners.clear();
  }

  /** Calls every listener; returns whether there was any. Never throws. */
  protected safeEmit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    const list = this.#listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const listener of [...list]) {
      try {
        listener(...(args as unknown[]));
      } catch (error) {
        try {
          this.onListenerError(String(event), error);
        } catch {
          // The error reporter itself failed; there is nowhere left to report to.
        }
      }
    }
    return true;
  }
}
