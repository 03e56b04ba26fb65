// Prometheus metrics. One registry per app instance (not prom-client's global), so tests can
// build several apps in one process. Labels never carry ids, digits or payloads.
import { Registry, Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';

/** A Prometheus scrape: the text and its content type. */
export interface MetricsText {
  readonly text: string;
  readonly contentType: string;
}

export interface ServerMetrics {
  registry: Registry;
  /** Where the per-message counts of `messages` and `bytes` are added (see TrafficTally). */
  traffic: TrafficTally;
  activeSessions: Gauge<'route'>;
  sessionsTotal: Counter<'route' | 'outcome'>;
  messages: Counter<'direction' | 'type'>;
  bytes: Counter<'direction' | 'kind'>;
  protocolErrors: Counter<'code'>;
  authFailures: Counter<'code'>;
  openLatency: Histogram;
}

/** Message types counted under their own label; anything else (a hostile client's) is `other`. */
const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'audio', 'open', 'close', 'ping', 'paused', 'resumed', 'discarded', 'update', 'error', 'dtmf', 'playback_started',
  'playback_completed', 'opened', 'closed', 'pong', 'pause', 'resume', 'updated', 'disconnect', 'event', 'reconnect',
]);

/** The running counts of one (direction, type) pair since the last scrape. */
interface TrafficCell {
  messages: number;
  bytes: number;
  readonly direction: string;
  readonly type: string;
}

/**
 * Message and byte counts summed in plain numbers and added to the Prometheus counters when they
 * are scraped. Every audio frame of every call is counted, and prom-client's inc() builds a label
 * hash and a result object each time: at hundreds of calls that was a few per cent of the
 * server's allocations. The scrape sees the same totals.
 */
export class TrafficTally {
  readonly #cells = new Map<string, Map<string, TrafficCell>>();

  count(direction: string, type: string, bytes: number): void {
    const cell = this.#cell(direction, type);
    cell.messages++;
    cell.bytes += bytes;
  }

  #cell(direction: string, type: string): TrafficCell {
    let byType = this.#cells.get(direction);
    if (!byType) this.#cells.set(direction, (byType = new Map()));
    // Label values come from a fixed set: a hostile client must not mint new time series.
    const known = KNOWN_TYPES.has(type) ? type : 'other';
    let cell = byType.get(known);
    if (!cell) byType.set(known, (cell = { messages: 0, bytes: 0, direction, type: known }));
    return cell;
  }

  /** Moves the counts gathered since the last flush into the counters. */
  flush(messages: Counter<'direction' | 'type'>, bytes: Counter<'direction' | 'kind'>): void {
    for (const byType of this.#cells.values()) {
      for (const cell of byType.values()) {
        if (cell.messages > 0) messages.inc({ direction: cell.direction, type: cell.type }, cell.messages);
        if (cell.bytes > 0) bytes.inc({ direction: cell.direction, kind: cell.type === 'audio' ? 'audio' : 'text' }, cell.bytes);
        cell.messages = 0;
        cell.bytes = 0;
      }
    }
  }
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'payhook_process_' });
  const traffic = new TrafficTally();
  // Either counter's scrape flushes both, so the two always agree.
  const flush = () => traffic.flush(messages, bytes);
  const messages: Counter<'direction' | 'type'> = new Counter({
    name: 'payhook_messages_total',
    help: 'Protocol messages by direction (in = from Genesys) and type (audio for binary frames)',
    labelNames: ['direction', 'type'],
    registers: [registry],
    collect: flush,
  });
  const bytes: Counter<'direction' | 'kind'> = new Counter({
    name: 'payhook_bytes_total',
    help: 'Bytes on the WebSocket by direction and kind (text or audio)',
    labelNames: ['direction', 'kind'],
    registers: [registry],
    collect: flush,
  });
  return {
    registry,
    traffic,
    messages,
    bytes,
    activeSessions: new Gauge({
      name: 'payhook_active_sessions',
      help: 'AudioHook sessions currently open, by route',
      labelNames: ['route'],
      registers: [registry],
    }),
    sessionsTotal: new Counter({
      name: 'payhook_sessions_total',
      help: 'AudioHook sessions ended, by route and how they ended',
      labelNames: ['route', 'outcome'],
      registers: [registry],
    }),
    protocolErrors: new Counter({
      name: 'payhook_protocol_errors_total',
      help: 'Protocol violations and session errors by error code',
      labelNames: ['code'],
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'payhook_auth_failures_total',
      help: 'Refused WebSocket upgrades by error code',
      labelNames: ['code'],
      registers: [registry],
    }),
    openLatency: new Histogram({
      name: 'payhook_open_to_opened_seconds',
      help: 'Time from receiving open to sending opened',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
