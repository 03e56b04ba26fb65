// `payhook serve`: the AudioHook / Audio Connector server. Embedded defaults make
// `npm start` work on a fresh machine (127.0.0.1:8080, a development API key, the sandbox gateway).
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PayhookError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { loadConfig } from '../../config/load.js';
import { DEV_API_KEY, DEV_CLIENT_SECRET } from '../../config/defaults.js';
import { buildApp, type PayhookApp } from '../../server/app.js';
import { PgNonceCache } from '../../audiohook/auth/pg-nonce-cache.js';
import { DEFAULT_CHANNEL, PgFanout } from '../../live/pg-fanout.js';
import type { PayhookConfig } from '../../config/schema.js';
import type { Logger } from '../../core/log.js';
import { systemClock } from '../../core/clock.js';
import { prepareConnectors } from '../../call/connectors.js';
import { CallDirectory, createPaymentCalls } from '../../call/payment-calls.js';
import { randomBytes } from 'node:crypto';
import { isLoopbackHost } from '../../config/load.js';
import { LiveHub } from '../../live/live-hub.js';
import { registerLiveRoutes } from '../../server/routes/live.js';
import { registerReportRoutes } from '../../server/routes/reports.js';
import { startGatewaySim, type GatewaySim } from '../../payment/gateway-sim/server.js';
import { openStore } from '../../store/open-store.js';
import { repairRecordings } from '../../recording/repair.js';
import { reconcileInterrupted } from '../../call/reconcile.js';
import type { SessionStore } from '../../store/session-store.js';

export const description = 'run the AudioHook / Audio Connector server';
export const usage = `usage: payhook serve [--config FILE] [--host HOST] [--port PORT]

Runs the server. Without --config (or PAYHOOK_CONFIG) it uses embedded defaults: 127.0.0.1:8080,
the development API key, connector "payments", and the sandbox payment gateway in-process.
Environment: PAYHOOK_HOST, PAYHOOK_PORT, PAYHOOK_LOG_LEVEL, PAYHOOK_API_KEYS (JSON array),
PAYHOOK_DRAIN_TIMEOUT_SECONDS, PAYHOOK_GATEWAY_SIM (0/1), PAYHOOK_TLS_CERT_FILE, PAYHOOK_TLS_KEY_FILE,
PAYHOOK_STORE (sqlite|postgres|none), PAYHOOK_DATA_DIR, PAYHOOK_DATABASE_URL,
PAYHOOK_RECORDING (0/1), PAYHOOK_RECORDINGS_DIR, PAYHOOK_ACCESS_TOKENS (comma-separated),
PAYHOOK_INSTANCE_ID (distinct per instance sharing a PostgreSQL store).
With store.backend postgres, the instances on that database share the signature replay cache
and the live view (LISTEN/NOTIFY on live.fanoutChannel, default payhook_live).
SIGTERM or SIGINT drains live calls, then exits.`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  const env = { ...process.env };
  if (values.host) env.PAYHOOK_HOST = values.host;
  if (values.port) env.PAYHOOK_PORT = values.port;

  let config;
  let connectors;
  try {
    config = loadConfig({ env, ...(values.config ? { file: values.config } : {}) });
    connectors = prepareConnectors(config.connectors);
  } catch (err) {
    if (err instanceof PayhookError) {
      console.error(`payhook serve: ${err.code}: ${err.message}`);
      for (const p of (err.detail?.problems as string[] | undefined) ?? []) console.error(`  - ${p}`);
      if (err.detail?.file) console.error(`  file: ${String(err.detail.file)}`);
      if (err.detail?.variable) console.error(`  variable: ${String(err.detail.variable)} (expected ${String(err.detail.expected)})`);
      return 2;
    }
    throw err;
  }

  const logger = createLogger({ level: config.logLevel });
  let instance: PayhookInstance;
  try {
    instance = await startInstance(config, connectors, logger);
  } catch (err) {
    if (err instanceof PayhookError) {
      console.error(`payhook serve: ${err.code}: ${err.message}`);
      if (err.detail?.reason) console.error(`  reason: ${String(err.detail.reason)}`);
      return 2;
    }
    throw err;
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      instance.close().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

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
export async function startInstance(config: PayhookConfig, connectors: ReturnType<typeof prepareConnectors>, logger: Logger): Promise<PayhookInstance> {
  // What is already open when a later step fails (a bad TLS file, a busy port) is closed again,
  // newest first, so a failed start leaves no pool, listener or timer behind.
  const opened: Array<() => unknown> = [];
  try {
    return await openInstance(config, connectors, logger, opened);
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
): Promise<PayhookInstance> {
  let sim: GatewaySim | undefined;
  if (config.gatewaySim.enabled) {
    sim = await startGatewaySim({ port: config.gatewaySim.port, host: '127.0.0.1', logger: logger.child({ component: 'gateway-sim' }) });
    const started = sim;
    opened.push(() => started.close());
    logger.info({ url: sim.url }, 'sandbox payment gateway listening (test cards only)');
  }
  const instanceId = config.server.instanceId;
  let store: SessionStore | undefined;
  if (config.store.backend === 'sqlite') {
    await mkdir(config.store.dataDir, { recursive: true });
    store = await openStore({ backend: 'sqlite', dataDir: config.store.dataDir, ...(instanceId ? { instanceId } : {}) });
  } else if (config.store.backend === 'postgres') {
    store = await openStore({ backend: 'postgres', url: config.store.postgresUrl!, logger, ...(instanceId ? { instanceId } : {}) });
  }
  if (store) {
    const openStoreRef = store;
    opened.push(() => openStoreRef.close());
    logger.info({ backend: store.kind }, 'session store open');
    const reconciled = await reconcileInterrupted(store, connectors, logger);
    if (reconciled.length > 0) logger.warn({ sessions: reconciled.length }, 'closed the records of sessions interrupted by the last stop');
  }
  const rec = config.recording;
  if (rec.enabled && rec.files) {
    await mkdir(rec.dir, { recursive: true });
    // Files a crash left unfinished get a valid header before anything else is written.
    const repaired = (await repairRecordings(rec.dir)).filter((r) => r.outcome === 'repaired').length;
    if (repaired > 0) logger.warn({ repaired }, 'repaired the headers of recordings a crash left unfinished');
  }
  const recording = rec.enabled && (rec.files || rec.downstream)
    ? { fill: rec.fill, ...(rec.files ? { dir: rec.dir } : {}), ...(rec.downstream ? { downstream: rec.downstream } : {}) }
    : undefined;
  const directory = new CallDirectory();
  const calls = createPaymentCalls({ connectors, clock: systemClock, ...(store ? { store } : {}), ...(recording ? { recording } : {}) }, directory);
  let nonces: PgNonceCache | undefined;
  let fanout: PgFanout | undefined;
  if (config.store.backend === 'postgres') {
    const connectionString = config.store.postgresUrl!;
    const cache = await PgNonceCache.open({ connectionString, logger });
    nonces = cache;
    opened.push(() => cache.close());
    const channel = await PgFanout.open({ connectionString, logger, ...(config.live.fanoutChannel ? { channel: config.live.fanoutChannel } : {}) });
    fanout = channel;
    opened.push(() => channel.close());
    logger.info({ channel: config.live.fanoutChannel ?? DEFAULT_CHANNEL }, 'sharing the replay cache and the live view with the other instances on this database');
  }
  const payhook = await buildApp({ config, logger, calls, ...(nonces ? { nonces } : {}) });
  opened.push(() => payhook.app.close());

  // Live view and reports: card-free call events, behind access tokens.
  let tokens = config.live.accessTokens;
  let generatedToken: string | undefined;
  if (tokens.length === 0 && isLoopbackHost(config.server.host)) {
    generatedToken = randomBytes(18).toString('base64url');
    tokens = [generatedToken];
  }
  const hub = new LiveHub({ logger, ...(fanout ? { fanout } : {}), ...(instanceId ? { instanceId } : {}) });
  hub.attach(directory);
  opened.push(() => hub.close());
  const frameAncestors = config.live.frameAncestors;
  registerLiveRoutes(payhook.app, { hub, tokens, frameAncestors });
  if (store) registerReportRoutes(payhook.app, { store, tokens, frameAncestors });
  const address = await payhook.app.listen({ host: config.server.host, port: config.server.port });
  const scheme = config.server.tls ? 'wss' : 'ws';
  const base = address.replace(/^https?/, scheme);
  logger.info({ address }, 'payhook listening');
  if (generatedToken) {
    const q = `?token=${generatedToken}`;
    logger.info({ supervisor: `${address}/supervisor${q}`, reports: `${address}/reports${q}`, agent: `${address}/agent${q}&conversationId=<id>` }, 'pages (token generated for this run, loopback only)');
  }
  if (config.apiKeys.some((k) => k.apiKey === DEV_API_KEY)) {
    logger.info(
      { audioConnector: `${base}/api/v1/audioconnector/<connectorId>`, monitor: `${base}/api/v1/audiohook/ws`, apiKey: DEV_API_KEY, clientSecret: DEV_CLIENT_SECRET },
      'development API key active (loopback only)',
    );
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
        await fanout?.close();
        await nonces?.close();
        await sim?.close();
        await store?.close();
      })();
      return closing;
    },
  };
}
