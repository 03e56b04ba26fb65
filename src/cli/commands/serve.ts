// `payhook serve`: the AudioHook / Audio Connector server. Embedded defaults make
// `npm start` work on a fresh machine (127.0.0.1:8080, a development API key, the sandbox gateway).
import { parseArgs } from 'node:util';
import { printPayhookError } from '../print-error.js';
import { createLogger } from '../../core/log.js';
import { loadConfig } from '../../config/load.js';
import { buildApp, type PayhookApp } from '../../server/app.js';
import { PgNonceCache } from '../../audiohook/auth/pg-nonce-cache.js';
import { DEFAULT_CHANNEL, PgFanout } from '../../live/pg-fanout.js';
import type { PayhookConfig } from '../../config/schema.js';
import type { Logger } from '../../core/log.js';
import { systemClock } from '../../core/clock.js';
import { prepareConnectors } from '../../call/connectors.js';
import { CallDirectory, createPaymentCalls } from '../../call/payment-calls.js';
import { LiveHub } from '../../live/live-hub.js';
import { registerLiveRoutes } from '../../server/routes/live.js';
import { registerReportRoutes } from '../../server/routes/reports.js';
import type { SessionStore } from '../../store/session-store.js';
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { openConfiguredStore, reconcileStore, repairRecordingDir, startConfiguredSim } from '../../server/startup-chores.js';
import { generatedPageToken, logBanner } from '../../server/banner.js';
import { missingServerNodeFlags } from '../../core/heap-flags.js';
import { PrimaryLink } from '../../cluster/primary-link.js';
import { runPrimary, resolveWorkers, workerInstanceId, WORKER_SLOT_ENV, WORKERS_ENV } from '../../cluster/primary.js';
import type { LiveFanout } from '../../live/fanout.js';
import type { NonceCache } from '../../audiohook/auth/nonce-cache.js';

export const description = 'run the AudioHook / Audio Connector server';
export const usage = `usage: payhook serve [--config FILE] [--host HOST] [--port PORT] [--workers N|auto]

Runs the server. Without --config (or PAYHOOK_CONFIG) it uses embedded defaults: 127.0.0.1:8080,
the development API key, connector "payments", and the sandbox payment gateway in-process.
Environment: PAYHOOK_HOST, PAYHOOK_PORT, PAYHOOK_LOG_LEVEL, PAYHOOK_API_KEYS (JSON array),
PAYHOOK_DRAIN_TIMEOUT_SECONDS, PAYHOOK_GATEWAY_SIM (0/1), PAYHOOK_TLS_CERT_FILE, PAYHOOK_TLS_KEY_FILE,
PAYHOOK_STORE (sqlite|postgres|none), PAYHOOK_DATA_DIR, PAYHOOK_DATABASE_URL,
PAYHOOK_RECORDING (0/1), PAYHOOK_RECORDINGS_DIR, PAYHOOK_ACCESS_TOKENS (comma-separated),
PAYHOOK_INSTANCE_ID (distinct per instance sharing a PostgreSQL store), PAYHOOK_WORKERS.
--workers N (server.workers) runs N worker processes on the one port, \"auto\" one per core; the
primary keeps the replay cache, the live-view relay, the metrics total and the sandbox gateway.
With store.backend postgres, the instances on that database share the signature replay cache
and the live view (LISTEN/NOTIFY on live.fanoutChannel, default payhook_live).
SIGTERM or SIGINT drains live calls, then exits.`;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`payhook serve: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const env = { ...process.env };
  if (values.host) env.PAYHOOK_HOST = values.host;
  if (values.port) env.PAYHOOK_PORT = values.port;
  if (values.workers) env[WORKERS_ENV] = values.workers;

  let config;
  let connectors;
  try {
    config = loadConfig({ env, ...(values.config ? { file: values.config } : {}) });
    connectors = prepareConnectors(config.connectors);
  } catch (err) {
    if (printPayhookError('serve', err)) return 2;
    throw err;
  }

  const slot = cluster.isWorker ? Number(process.env[WORKER_SLOT_ENV]) : undefined;
  // A worker's every line names its slot, so a log of several workers can be told apart.
  const logger = slot === undefined ? createLogger({ level: config.logLevel }) : createLogger({ level: config.logLevel }).child({ worker: slot });
  const workers = resolveWorkers(config.server.workers);
  if (slot === undefined && workers > 1) return runPrimary({ config, connectors, logger, workers });

  let role: InstanceRole = { kind: 'single' };
  let link: PrimaryLink | undefined;
  if (slot !== undefined && Number.isInteger(slot) && slot > 0) {
    const send = process.send?.bind(process);
    if (!send) throw new Error('a cluster worker without an IPC channel');
    link = new PrimaryLink({
      channel: { send: (m) => send(m), on: (e, l) => process.on(e, l), off: (e, l) => process.off(e, l) },
      logger,
    });
    role = { kind: 'worker', slot, workers, link };
  }
  let instance: PayhookInstance;
  try {
    instance = await startInstance(config, connectors, logger, role);
  } catch (err) {
    link?.close();
    if (printPayhookError('serve', err)) return 2;
    throw err;
  }
  if (link && slot !== undefined) {
    // prom-client answers the primary's aggregate requests from this worker's own registry.
    AggregatorRegistry.setRegistries([instance.payhook.metrics.registry]);
    new AggregatorRegistry();
    link.ready(slot, instance.address);
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      const done = (code: number) => {
        link?.close();
        // A worker's IPC channel keeps its event loop alive: let go of it so the process can exit.
        if (link && process.connected) process.disconnect();
        resolve(code);
      };
      instance.close().then(
        () => done(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          done(1);
        },
      );
    };
    // Listeners stay for the whole drain: a second SIGTERM (systemd or `kill` signalling the whole
    // process group, then the primary forwarding it) must not fall through to the default, which
    // would kill a draining worker and cut its calls.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // A worker whose primary is gone drains and exits rather than serve on alone.
    if (link) process.once('disconnect', () => stop('disconnect'));
  });
}

/** How this process serves: alone, or as worker `slot` of a primary (src/cluster). */
export type InstanceRole =
  | { readonly kind: 'single' }
  | { readonly kind: 'worker'; readonly slot: number; readonly workers: number; readonly link: PrimaryLink };

/** A running instance and what it owns, closed in order by close(). */
export interface PayhookInstance {
  payhook: PayhookApp;
  hub: LiveHub;
  store: SessionStore | undefined;
  directory: CallDirectory;
  /** http(s)://host:port the server listens on. */
  address: string;
  /** Drains live calls (readiness 503 meanwhile), then closes the server, the hub and the stores. */
  close(drainMs?: number): Promise<void>;
}

/**
 * Starts one instance from a validated configuration: store, payment calls, live view, server.
 * With store.backend "postgres" the instances sharing that database also share the signature
 * replay cache and the live view (LISTEN/NOTIFY), so any of them may carry any call.
 */
export async function startInstance(
  config: PayhookConfig,
  connectors: ReturnType<typeof prepareConnectors>,
  logger: Logger,
  role: InstanceRole = { kind: 'single' },
): Promise<PayhookInstance> {
  // What is already open when a later step fails (a bad TLS file, a busy port) is closed again,
  // newest first, so a failed start leaves no pool, listener or timer behind.
  const opened: Array<() => unknown> = [];
  try {
    return await openInstance(config, connectors, logger, opened, role);
  } catch (err) {
    for (const close of opened.reverse()) {
      try {
        await close();
      } catch (closeErr) {
        logger.warn({ err: closeErr }, 'cleanup after a failed start failed');
      }
    }
    throw err;
  }
}

async function openInstance(
  config: PayhookConfig,
  connectors: ReturnType<typeof prepareConnectors>,
  logger: Logger,
  opened: Array<() => unknown>,
  role: InstanceRole,
): Promise<PayhookInstance> {
  const worker = role.kind === 'worker' ? role : undefined;
  // Workers leave the once-per-server chores to their primary (startup-chores.ts).
  const sim = worker ? undefined : await startConfiguredSim(config, logger);
  if (sim) opened.push(() => sim.close());
  const instanceId = worker ? workerInstanceId(config, worker.slot) : config.server.instanceId;
  const store = await openConfiguredStore(config, logger, instanceId);
  if (store) {
    opened.push(() => store.close());
    logger.info({ backend: store.kind }, 'session store open');
    // A worker closes only its own slot's records: those a crashed predecessor left open.
    await reconcileStore(store, connectors, logger);
  }
  if (!worker) await repairRecordingDir(config, logger);
  const rec = config.recording;
  const recording = rec.enabled && (rec.files || rec.downstream)
    ? { fill: rec.fill, ...(rec.files ? { dir: rec.dir } : {}), ...(rec.downstream ? { downstream: rec.downstream } : {}) }
    : undefined;
  const directory = new CallDirectory();
  const calls = createPaymentCalls({ connectors, clock: systemClock, ...(store ? { store } : {}), ...(recording ? { recording } : {}) }, directory);
  let pgNonces: PgNonceCache | undefined;
  let pgFanout: PgFanout | undefined;
  if (config.store.backend === 'postgres') {
    const connectionString = config.store.postgresUrl!;
    const cache = await PgNonceCache.open({ connectionString, logger });
    pgNonces = cache;
    opened.push(() => cache.close());
    const channel = await PgFanout.open({ connectionString, logger, ...(config.live.fanoutChannel ? { channel: config.live.fanoutChannel } : {}) });
    pgFanout = channel;
    opened.push(() => channel.close());
    logger.info({ channel: config.live.fanoutChannel ?? DEFAULT_CHANNEL }, 'sharing the replay cache and the live view with the other instances on this database');
  }
  // PostgreSQL already spans processes; otherwise a worker's replay cache and live relay are its primary's.
  const nonces: NonceCache | undefined = pgNonces ?? worker?.link.nonces;
  const fanout: LiveFanout | undefined = pgFanout ?? worker?.link.fanout;
  const payhook = await buildApp({
    config,
    logger,
    calls,
    ...(nonces ? { nonces } : {}),
    ...(worker
      ? { maxSessions: Math.ceil(config.sessions.maxSessions / worker.workers), metricsText: () => worker.link.clusterMetrics() }
      : {}),
  });
  opened.push(() => payhook.app.close());

  // Live view and reports: card-free call events, behind access tokens.
  const generatedToken = generatedPageToken(config);
  const tokens = generatedToken ? [generatedToken] : config.live.accessTokens;
  const hub = new LiveHub({ logger, ...(fanout ? { fanout } : {}), ...(instanceId ? { instanceId } : {}) });
  hub.attach(directory);
  if (worker && !pgFanout) worker.link.onResync(() => hub.republish());
  opened.push(() => hub.close());
  const frameAncestors = config.live.frameAncestors;
  registerLiveRoutes(payhook.app, { hub, tokens, frameAncestors });
  if (store) registerReportRoutes(payhook.app, { store, tokens, frameAncestors });
  const address = await payhook.app.listen({ host: config.server.host, port: config.server.port });
  // A worker's primary prints the one banner for the whole server.
  if (!worker) {
    logBanner(config, logger, address, generatedToken);
    const missing = missingServerNodeFlags(process.execArgv);
    if (missing.length > 0) logger.info({ missing }, 'node started without the heap flags for serving calls (docs/deployment.md, "Node heap flags")');
  }

  let closing: Promise<void> | undefined;
  return {
    payhook,
    hub,
    store,
    directory,
    address,
    close(drainMs?: number) {
      closing ??= (async () => {
        await payhook.drainAndClose(drainMs);
        await hub.close();
        await pgFanout?.close();
        await pgNonces?.close();
        await sim?.close();
        await store?.close();
      })();
      return closing;
    },
  };
}

