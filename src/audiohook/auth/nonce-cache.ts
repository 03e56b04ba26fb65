// Replay protection: a nonce is accepted once while its signature could still verify. The port is
// async-capable so a shared store (PostgreSQL) can back several server instances.

export interface NonceCache {
  /** True if the nonce was unseen (and is now remembered until expiresAtMs); false if seen. */
  checkAndRemember(nonce: string, expiresAtMs: number): boolean | Promise<boolean>;
}

export interface MemoryNonceCacheOptions {
  /** Most nonces held at once; default 100 000. */
  readonly maxEntries?: number;
  /** Epoch ms; default Date.now. */
  readonly now?: () => number;
}

/**
 * In-process cache. Only verified signatures reach it, and each lives ~13 s, so filling it needs
 * thousands of authenticated upgrades per second. When full it refuses new nonces (fails closed)
 * rather than forgetting live ones, which would reopen a replay window.
 */
export class MemoryNonceCache implements NonceCache {
  readonly #maxEntries: number;
  readonly #now: () => number;
  // Insertion order is close to expiry order (expiry = created + constant), so pruning from the
  // front removes almost everything that has expired.
  readonly #entries = new Map<string, number>();

  constructor(options: MemoryNonceCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  checkAndRemember(nonce: string, expiresAtMs: number): boolean {
    const now = this.#now();
    this.#pruneFront(now);
    const seen = this.#entries.get(nonce);
    if (seen !== undefined && seen >= now) return false;
    if (seen !== undefined) this.#entries.delete(nonce);
    if (this.#entries.size >= this.#maxEntries) {
      this.#pruneAll(now);
      if (this.#entries.size >= this.#maxEntries) return false;
    }
    this.#entries.set(nonce, expiresAtMs);
    return true;
  }

  #pruneFront(now: number): void {
    for (const [nonce, expiresAt] of this.#entries) {
      if (expiresAt >= now) return;
      this.#entries.delete(nonce);
    }
  }

  #pruneAll(now: number): void {
    for (const [nonce, expiresAt] of this.#entries) {
      if (expiresAt < now) this.#entries.delete(nonce);
    }
  }
}
