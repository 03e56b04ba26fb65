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
  activeSessions: Gauge<'route'>;
  sessionsTotal: Counter<'route' | 'outcome'>;
  messages: Counter<'direction' | 'type'>;
  bytes: Counter<'direction' | 'kind'>;
  protocolErrors: Counter<'code'>;
  authFailures: Counter<'code'>;
  openLatency: Histogram;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'payhook_process_' });
  return {
    registry,
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
    messages: new Counter({
      name: 'payhook_messages_total',
      help: 'Protocol messages by direction (in = from Genesys) and type (audio for binary frames)',
      labelNames: ['direction', 'type'],
      registers: [registry],
    }),
    bytes: new Counter({
      name: 'payhook_bytes_total',
      help: 'Bytes on the WebSocket by direction and kind (text or audio)',
      labelNames: ['direction', 'kind'],
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
