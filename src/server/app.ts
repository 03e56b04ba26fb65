// Builds the fastify app without listening (tests use it in-process; src/cli/commands/serve.ts
// listens). Owns the instance's lifecycle: ready, draining, closed.
import type { Server as HttpsServer } from 'node:https';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/log.js';
import { MemoryNonceCache, type NonceCache } from '../audiohook/auth/nonce-cache.js';
import { staticKeyStore, type KeyEntry } from '../audiohook/auth/key-store.js';
import type { PayhookConfig } from '../config/schema.js';
import { protocolOnlyCalls, type CallFactory } from './call-binding.js';
import { createMetrics, type MetricsText, type ServerMetrics } from './metrics.js';
import { registerAudiohookRoutes } from './routes/audiohook.js';
import { registerHealthRoutes } from './routes/health.js';
import { SessionRegistry } from './session-registry.js';
import { PayhookError } from '../core/errors.js';
import { CONFIG_ERRORS } from '../config/errors.js';
import { loadTlsFiles, watchTlsFiles, type TlsWatcher } from './tls.js';

/** WebSocket frames above this are refused by ws itself; text limits are the session's (64 KiB). */
const MAX_WS_PAYLOAD = 1024 * 1024;

export interface AppDeps {
  config: PayhookConfig;
  logger?: Logger;
  clock?: Clock;
  /** Epoch ms for signature windows; injectable for tests. */
  now?: () => number;
  calls?: CallFactory;
  nonces?: NonceCache;
  metrics?: ServerMetrics;
  /** Sessions this process takes; config.sessions.maxSessions by default (a cluster worker gets its share). */
  maxSessions?: number;
  /** The /metrics text when it is not this process's own (a cluster worker asks its primary). */
  metricsText?: () => Promise<MetricsText | undefined>;
  /** TLS file watch debounce (ms); tests shorten it. */
  tlsReloadDebounceMs?: number;
}

export interface PayhookApp {
  app: FastifyInstance;
  metrics: ServerMetrics;
  registry: SessionRegistry;
  /** Stops taking sessions, lets live ones finish up to the configured drain time, then closes. */
  drainAndClose(drainMs?: number): Promise<void>;
  readonly draining: boolean;
}

export async function buildApp(deps: AppDeps): Promise<PayhookApp> {
  const { config } = deps;
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  const clock = deps.clock ?? systemClock;
  const metrics = deps.metrics ?? createMetrics();
  const registry = new SessionRegistry();
  let draining = false;

  const tls = config.server.tls;
  const tlsPair = tls ? loadTlsFiles(tls) : undefined;
  if (tlsPair && !tlsPair.ok) {
    throw new PayhookError('ERR_CONFIG_TLS_FILES', CONFIG_ERRORS.ERR_CONFIG_TLS_FILES, { reason: tlsPair.reason, certFile: tls?.certFile, keyFile: tls?.keyFile });
  }
  const app = Fastify({
    loggerInstance: logger,
    ...(tlsPair?.ok ? { https: { cert: tlsPair.pair.cert, key: tlsPair.pair.key } } : {}),
  }) as unknown as FastifyInstance;
  // Renewed certificates are picked up on the next connection; live calls keep their sockets.
  let tlsWatcher: TlsWatcher | undefined;
  if (tls) {
    tlsWatcher = watchTlsFiles(tls, app.server as unknown as HttpsServer, {
      logger,
      ...(deps.tlsReloadDebounceMs !== undefined ? { debounceMs: deps.tlsReloadDebounceMs } : {}),
    });
    app.addHook('onClose', async () => tlsWatcher?.close());
  }

  await app.register(websocket, {
    options: { maxPayload: MAX_WS_PAYLOAD },
    // Live calls are drained by drainAndClose(); fastify's close must not cut them first.
    preClose: (done) => done(),
  });

  const keys: Record<string, KeyEntry> = {};
  for (const k of config.apiKeys) keys[k.apiKey] = { connectors: k.connectors, ...(k.clientSecret ? { secret: k.clientSecret } : {}) };

  registerHealthRoutes(app, { ready: () => !draining, activeSessions: () => registry.size }, metrics, deps.metricsText);
  registerAudiohookRoutes(app, {
    auth: { keys: staticKeyStore(keys), nonces: deps.nonces ?? new MemoryNonceCache(), now: deps.now ?? Date.now },
    calls: deps.calls ?? protocolOnlyCalls,
    registry,
    metrics,
    clock,
    limits: {
      openTimeoutMs: config.sessions.openTimeoutSeconds * 1000,
      closeTimeoutMs: config.sessions.closeTimeoutSeconds * 1000,
      idleTimeoutMs: config.sessions.idleTimeoutSeconds * 1000,
    },
    maxSessions: deps.maxSessions ?? config.sessions.maxSessions,
    organizationOf: (apiKey) => config.apiKeys.find((k) => k.apiKey === apiKey)?.organizationId,
    connectorExists: (id) => Object.hasOwn(config.connectors, id),
    draining: () => draining,
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    metrics,
    registry,
    get draining() {
      return draining;
    },
    drainAndClose(drainMs = config.server.drainTimeoutSeconds * 1000) {
      closing ??= (async () => {
        draining = true;
        logger.info({ activeSessions: registry.size, drainMs }, 'draining');
        const summaries = await registry.drain(drainMs);
        logger.info({ drained: summaries.length }, 'drained; closing');
        await app.close();
      })();
      return closing;
    },
  };
}
