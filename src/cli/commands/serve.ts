// `payhook serve`: the AudioHook / Audio Connector server. Embedded defaults make
// `npm start` work on a fresh machine (127.0.0.1:8080, a development API key, the sandbox gateway).
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PayhookError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { loadConfig } from '../../config/load.js';
import { DEV_API_KEY, DEV_CLIENT_SECRET } from '../../config/defaults.js';
import { buildApp } from '../../server/app.js';
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
PAYHOOK_RECORDING (0/1), PAYHOOK_RECORDINGS_DIR, PAYHOOK_ACCESS_TOKENS (comma-separated).
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
  let sim: GatewaySim | undefined;
  if (config.gatewaySim.enabled) {
    sim = await startGatewaySim({ port: config.gatewaySim.port, host: '127.0.0.1', logger: logger.child({ component: 'gateway-sim' }) });
    logger.info({ url: sim.url }, 'sandbox payment gateway listening (test cards only)');
  }
  let store: SessionStore | undefined;
  if (config.store.backend === 'sqlite') {
    await mkdir(config.store.dataDir, { recursive: true });
    store = await openStore({ backend: 'sqlite', dataDir: config.store.dataDir });
  } else if (config.store.backend === 'postgres') {
    store = await openStore({ backend: 'postgres', url: config.store.postgresUrl!, logger });
  }
  if (store) {
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
  const payhook = await buildApp({ config, logger, calls });

  // Live view and reports: card-free call events, behind access tokens.
  let tokens = config.live.accessTokens;
  let generatedToken: string | undefined;
  if (tokens.length === 0 && isLoopbackHost(config.server.host)) {
    generatedToken = randomBytes(18).toString('base64url');
    tokens = [generatedToken];
  }
  const hub = new LiveHub({ logger });
  hub.attach(directory);
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

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      payhook
        .drainAndClose()
        .then(() => hub.close())
        .then(() => sim?.close())
        .then(() => store?.close())
        .then(
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
