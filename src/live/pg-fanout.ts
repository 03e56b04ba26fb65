// The live view across instances over PostgreSQL LISTEN/NOTIFY: the database the instances
// already share, no new service. A snapshot published on one instance reaches every instance's
// hub. Local subscribers get the event at once; the echo from the database is skipped by origin.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../core/log.js';
import { findCardData } from '../store/card-guard.js';
import type { FanoutListener, FanoutOrigin, LiveFanout } from './fanout.js';
import type { LiveEvent } from './types.js';

export const DEFAULT_CHANNEL = 'payhook_live';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more (default build). */
export const MAX_NOTIFY_BYTES = 7999;

export interface PgFanoutOptions {
  readonly connectionString: string;
  /** A lowercase identifier; instances that share it see each other's calls. */
  readonly channel?: string;
  readonly logger?: Logger;
  /** Wait before reconnecting a lost LISTEN connection; default 1 s. */
  readonly reconnectMs?: number;
}

interface Wire {
  o: string;
  e: unknown;
}

export class PgFanout implements LiveFanout {
  readonly #options: PgFanoutOptions;
  readonly #channel: string;
  readonly #origin = randomUUID();
  readonly #log: Logger | undefined;
  readonly #pool: pg.Pool;
  readonly #listeners = new Set<FanoutListener>();
  #listenClient: pg.Client | undefined;
  #reconnect: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(options: PgFanoutOptions) {
    this.#options = options;
    this.#channel = options.channel ?? DEFAULT_CHANNEL;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.#channel)) throw new TypeError('channel must be a lowercase SQL identifier');
    this.#log = options.logger;
    this.#pool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
    this.#pool.on('error', (e) => this.#log?.warn({ code: 'ERR_LIVE_FANOUT_PUBLISH', reason: e.message }, 'idle PostgreSQL connection lost'));
  }

  /** Connects the LISTEN session; resolves once this instance receives other instances' events. */
  static async open(options: PgFanoutOptions): Promise<PgFanout> {
    const fanout = new PgFanout(options);
    try {
      await fanout.#listen();
    } catch (e) {
      await fanout.close();
      throw e;
    }
    return fanout;
  }

  publish(event: LiveEvent): void {
    if (this.#closed) return;
    // The hub checks too; the wire is the last place to stop a leak before other machines.
    const leak = findCardData(event);
    if (leak) {
      this.#log?.error({ code: 'ERR_LIVE_CARD_DATA', field: leak.path }, 'live event looks like card data; not published');
      return;
    }
    const payload = JSON.stringify({ o: this.#origin, e: event } satisfies Wire);
    this.#deliver(JSON.parse(payload) as Wire, 'local');
    const bytes = Buffer.byteLength(payload);
    if (bytes > MAX_NOTIFY_BYTES) {
      this.#log?.warn({ code: 'ERR_LIVE_FANOUT_PUBLISH', bytes, limit: MAX_NOTIFY_BYTES }, 'live event too large for NOTIFY; other instances miss this snapshot');
      return;
    }
    this.#pool.query('SELECT pg_notify($1, $2)', [this.#channel, payload]).catch((e: unknown) => {
      this.#log?.warn({ code: 'ERR_LIVE_FANOUT_PUBLISH', reason: e instanceof Error ? e.message : String(e) }, 'live event not sent to other instances');
    });
  }

  subscribe(listener: FanoutListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#reconnect) clearTimeout(this.#reconnect);
    this.#listeners.clear();
    const client = this.#listenClient;
    this.#listenClient = undefined;
    await Promise.allSettled([client?.end(), this.#pool.end()]);
  }

  #deliver(wire: Wire, origin: FanoutOrigin): void {
    for (const listener of [...this.#listeners]) listener(structuredClone(wire.e), origin);
  }

  #receive(payload: string | undefined): void {
    let wire: Wire;
    try {
      wire = JSON.parse(payload ?? '') as Wire;
    } catch {
      this.#log?.warn({ code: 'ERR_LIVE_FANOUT_EVENT' }, 'fan-out payload is not JSON');
      return;
    }
    if (typeof wire !== 'object' || wire === null || typeof wire.o !== 'string') {
      this.#log?.warn({ code: 'ERR_LIVE_FANOUT_EVENT' }, 'fan-out payload has no origin');
      return;
    }
    if (wire.o === this.#origin) return;
    // Shape and card checks of the event itself are the hub's (parseLiveEvent, findCardData).
    this.#deliver(wire, 'remote');
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#options.connectionString });
    client.on('notification', (msg) => {
      if (msg.channel === this.#channel) this.#receive(msg.payload);
    });
    const lost = (reason: string) => {
      if (this.#closed || this.#listenClient !== client) return;
      this.#listenClient = undefined;
      this.#log?.warn({ code: 'ERR_LIVE_FANOUT_PUBLISH', reason }, 'live fan-out connection lost; reconnecting (other instances\' calls update on their next change)');
      client.end().catch(() => undefined);
      this.#scheduleReconnect();
    };
    client.on('error', (e) => lost(e.message));
    client.on('end', () => lost('connection ended'));
    await client.connect();
    await client.query(`LISTEN ${this.#channel}`);
    if (this.#closed) {
      await client.end();
      return;
    }
    this.#listenClient = client;
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnect) return;
    this.#reconnect = setTimeout(() => {
      this.#reconnect = undefined;
      this.#listen().catch((e: unknown) => {
        this.#log?.warn({ code: 'ERR_LIVE_FANOUT_PUBLISH', reason: e instanceof Error ? e.message : String(e) }, 'live fan-out reconnect failed; retrying');
        this.#scheduleReconnect();
      });
    }, this.#options.reconnectMs ?? 1000);
    this.#reconnect.unref();
  }
}
