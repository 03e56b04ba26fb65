// `payhook serve --workers N`: one Node.js process uses one core, so the primary forks N workers
// that share the listening port (node:cluster hands out connections round-robin), and keeps
// what must be one per server: the once-per-server start-up chores, the sandbox gateway, the
// signature replay cache, the live-view relay and the metrics total (relay.ts). A worker that
// dies is replaced in its slot; the replacement closes the records its predecessor left open.
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism, hostname } from 'node:os';
import { AggregatorRegistry } from 'prom-client';
import { MemoryNonceCache } from '../audiohook/auth/nonce-cache.js';
import type { ConnectorSetup } from '../call/connectors.js';
import type { PayhookConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import { printPayhookError } from '../cli/print-error.js';
import { generatedPageToken, logBanner } from '../server/banner.js';
import { withServerNodeFlags } from '../core/heap-flags.js';
import { openConfiguredStore, reconcileStore, repairRecordingDir, startConfiguredSim } from '../server/startup-chores.js';
import { CLUSTER_ERRORS } from './errors.js';
import { PrimaryRelay, type WorkerPort } from './relay.js';

export const WORKERS_ENV = 'PAYHOOK_WORKERS';
/** Set by the primary in each worker's environment: its slot, 1..N. */
export const WORKER_SLOT_ENV = 'PAYHOOK_WORKER_SLOT';

/** Restarts of one slot within RESTART_WINDOW_MS after which the primary gives up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1000;
/** After the drain time, how long a worker may take to close before the primary kills it. */
const STUCK_WORKER_GRACE_MS = 30_000;

/** The server's instance id: configured, or the host name. */
export function serverInstanceId(config: PayhookConfig): string {
  return config.server.instanceId ?? hostname();
}

/** What worker `slot` names itself in records and live snapshots. */
export function workerInstanceId(config: PayhookConfig, slot: number): string {
  return `${serverInstanceId(config)}:w${slot}`;
}

/** True for the ids this server's records carry: its own (one process) or any worker slot's. */
export function isServerInstance(config: PayhookConfig, id: string): boolean {
  const base = serverInstanceId(config);
  return id === base || id.startsWith(`${base}:w`);
}

export function resolveWorkers(setting: number | 'auto'): number {
  return setting === 'auto' ? availableParallelism() : setting;
}

export interface PrimaryOptions {
  readonly config: PayhookConfig;
  readonly connectors: ReadonlyMap<string, ConnectorSetup>;
  readonly logger: Logger;
  readonly workers: number;
}

/** Runs the primary until SIGTERM/SIGINT and every worker has drained; resolves the exit code. */
export async function runPrimary(options: PrimaryOptions): Promise<number> {
  const { config, connectors, logger, workers } = options;
  const base = serverInstanceId(config);
  let sim;
  try {
    sim = await startConfiguredSim(config, logger);
    const store = await openConfiguredStore(config, logger, base);
    if (store) {
      try {
        // No worker runs yet: every session this server (alone or in any worker slot) left open is over.
        await reconcileStore(store, connectors, logger, (id) => isServerInstance(config, id));
      } finally {
        await store.close();
      }
    }
    await repairRecordingDir(config, logger);
  } catch (err) {
    await sim?.close();
    if (!printPayhookError('serve', err)) {
      // A system error (a busy gateway port): its errno code and text.
      const code = (err as { code?: unknown }).code;
      console.error(`payhook serve: ${typeof code === 'string' ? code : 'start failed'}: ${(err as Error).message}`);
    }
    return 2;
  }

  // One token for the whole server, so the printed page address works on whichever worker answers.
  const generatedToken = generatedPageToken(config);
  const workerEnv: Record<string, string> = { PAYHOOK_GATEWAY_SIM: '0', [WORKERS_ENV]: String(workers) };
  if (generatedToken) workerEnv.PAYHOOK_ACCESS_TOKENS = generatedToken;

  const aggregator = new AggregatorRegistry();

  return new Promise<number>((resolve) => {
    const slots = new Map<Worker, number>();
    const ready = new Set<number>();
    const restarts = new Map<number, number[]>();
    let stopping = false;
    let started = false;
    let exitCode = 0;

    const port = (worker: Worker): WorkerPort => ({ send: (m) => worker.send(m) });
    const ports = new Map<Worker, WorkerPort>();

    const fork = (slot: number) => {
      const worker = cluster.fork({ ...workerEnv, [WORKER_SLOT_ENV]: String(slot) });
      slots.set(worker, slot);
      const p = port(worker);
      ports.set(worker, p);
      relay.add(p);
      worker.on('message', (m: unknown) => relay.handle(p, m));
      worker.on('error', (err) => logger.warn({ slot, err: { message: err.message } }, 'worker channel error'));
    };

    const finish = async () => {
      await sim?.close();
      resolve(exitCode);
    };

    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, workers: slots.size }, 'shutting down: draining every worker');
      if (slots.size === 0) return void finish();
      for (const worker of slots.keys()) worker.process.kill('SIGTERM');
      // Workers drain for at most the drain time; one that is still there well after it is stuck.
      setTimeout(() => {
        for (const [worker, slot] of slots) {
          logger.error({ code: 'ERR_CLUSTER_WORKER_EXITED', slot, reason: 'drain overran' }, 'worker still running after the drain time; killing it');
          worker.process.kill('SIGKILL');
        }
      }, config.server.drainTimeoutSeconds * 1000 + STUCK_WORKER_GRACE_MS).unref();
    };

    cluster.on('exit', (worker, code, signal) => {
      const slot = slots.get(worker);
      if (slot === undefined) return;
      slots.delete(worker);
      const p = ports.get(worker);
      if (p) relay.remove(p);
      ports.delete(worker);
      if (stopping) {
        // A failed start (2) is not overwritten by the workers stopped because of it.
        if (code !== 0 && exitCode === 0) exitCode = 1;
        if (slots.size === 0) void finish();
        return;
      }
      if (!started) {
        // A worker that cannot start (a busy port, a bad TLS file) will not start on a retry either.
        logger.error({ code: 'ERR_CLUSTER_WORKER_START', slot, exitCode: code }, CLUSTER_ERRORS.ERR_CLUSTER_WORKER_START.message);
        exitCode = 2;
        return stop('worker start failed');
      }
      const now = Date.now();
      const recent = (restarts.get(slot) ?? []).filter((t) => now - t < RESTART_WINDOW_MS);
      recent.push(now);
      restarts.set(slot, recent);
      logger.error({ code: 'ERR_CLUSTER_WORKER_EXITED', slot, exitCode: code, signal }, CLUSTER_ERRORS.ERR_CLUSTER_WORKER_EXITED.message);
      if (recent.length > MAX_RESTARTS) {
        exitCode = 1;
        return stop('worker keeps failing');
      }
      // Not unref'd: when every worker died at once this timer is what keeps the primary alive.
      setTimeout(() => {
        if (!stopping) fork(slot);
      }, RESTART_DELAY_MS);
    });

    const onReady = (from: WorkerPort, slot: number, address: string) => {
      ready.add(slot);
      const pid = [...ports].find(([, p]) => p === from)?.[0].process.pid;
      logger.info({ slot, pid, address }, 'worker serving');
      if (!started && ready.size === workers) {
        started = true;
        logger.info({ workers }, 'all workers serving');
        logBanner(config, logger, address, generatedToken);
      }
    };
    const relay = new PrimaryRelay({
      nonces: new MemoryNonceCache(),
      aggregateMetrics: async () => ({ text: await aggregator.clusterMetrics(), contentType: aggregator.contentType }),
      logger,
      onReady,
    });

    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    logger.info({ workers }, 'starting worker processes');
    // Workers carry the calls: they get the heap flags even when the primary was started without them.
    cluster.setupPrimary({ execArgv: withServerNodeFlags(process.execArgv) });
    for (let slot = 1; slot <= workers; slot++) fork(slot);
  });
}
