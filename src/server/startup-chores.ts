// What runs once per server before calls are taken: the sandbox gateway, closing the records a
// previous run left open, and repairing recordings a crash left unfinished. A single process does
// them itself; with several worker processes the primary does them before forking, so no worker
// closes another's live sessions or patches a file another is writing.
import { mkdir } from 'node:fs/promises';
import type { Logger } from '../core/log.js';
import type { PayhookConfig } from '../config/schema.js';
import type { ConnectorSetup } from '../call/connectors.js';
import { reconcileInterrupted } from '../call/reconcile.js';
import { startGatewaySim, type GatewaySim } from '../payment/gateway-sim/server.js';
import { repairRecordings } from '../recording/repair.js';
import { openStore } from '../store/open-store.js';
import type { SessionStore } from '../store/session-store.js';

/** The configured store (undefined for backend "none"), its records named `instanceId`. */
export async function openConfiguredStore(config: PayhookConfig, logger: Logger, instanceId: string | undefined): Promise<SessionStore | undefined> {
  const named = instanceId ? { instanceId } : {};
  if (config.store.backend === 'sqlite') {
    await mkdir(config.store.dataDir, { recursive: true });
    return openStore({ backend: 'sqlite', dataDir: config.store.dataDir, ...named });
  }
  if (config.store.backend === 'postgres') return openStore({ backend: 'postgres', url: config.store.postgresUrl!, logger, ...named });
  return undefined;
}

export async function startConfiguredSim(config: PayhookConfig, logger: Logger): Promise<GatewaySim | undefined> {
  if (!config.gatewaySim.enabled) return undefined;
  const sim = await startGatewaySim({ port: config.gatewaySim.port, host: '127.0.0.1', logger: logger.child({ component: 'gateway-sim' }) });
  logger.info({ url: sim.url }, 'sandbox payment gateway listening (test cards only)');
  return sim;
}

export async function reconcileStore(
  store: SessionStore,
  connectors: ReadonlyMap<string, ConnectorSetup>,
  logger: Logger,
  owns?: (instanceId: string) => boolean,
): Promise<void> {
  const reconciled = await reconcileInterrupted(store, connectors, logger, owns);
  if (reconciled.length > 0) logger.warn({ sessions: reconciled.length }, 'closed the records of sessions interrupted by the last stop');
}

export async function repairRecordingDir(config: PayhookConfig, logger: Logger): Promise<void> {
  const rec = config.recording;
  if (!(rec.enabled && rec.files)) return;
  await mkdir(rec.dir, { recursive: true });
  // Files a crash left unfinished get a valid header before anything else is written.
  const repaired = (await repairRecordings(rec.dir)).filter((r) => r.outcome === 'repaired').length;
  if (repaired > 0) logger.warn({ repaired }, 'repaired the headers of recordings a crash left unfinished');
}
