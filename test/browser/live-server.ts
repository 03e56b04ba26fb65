// A PayHook server for page tests: the real app (buildApp) with the live and report routes
// registered the way the lead wires them, a LiveHub following the payment calls, and an
// optional session store for reports. Listens on 127.0.0.1, random port.
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createLogger } from '../../src/core/log.js';
import { systemClock } from '../../src/core/clock.js';
import { prepareConnectors } from '../../src/call/connectors.js';
import { CallDirectory, createPaymentCalls } from '../../src/call/payment-calls.js';
import { LiveHub } from '../../src/live/live-hub.js';
import { buildApp, type PayhookApp } from '../../src/server/app.js';
import { registerLiveRoutes } from '../../src/server/routes/live.js';
import { registerReportRoutes } from '../../src/server/routes/reports.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { LogCapture, ORG_ID, SIGNED_KEY, SIGNED_SECRET } from '../helpers/server.js';

export const ACCESS_TOKEN = 'browser-test-token-5f2c9a71d4';

export interface LiveTestServer {
  payhook: PayhookApp;
  url: string;
  wsBase: string;
  hub: LiveHub;
  logs: LogCapture;
  close(): Promise<void>;
}

export async function startLiveServer(options: { connectors?: ConfigInput['connectors']; store?: SessionStore; frameAncestors?: string[] } = {}): Promise<LiveTestServer> {
  const connectors = options.connectors ?? { payments: {} };
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0, drainTimeoutSeconds: 5 },
    logLevel: 'info',
    apiKeys: [{ apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET, connectors: '*' }],
    connectors,
  });
  const logs = new LogCapture();
  const directory = new CallDirectory();
  const hub = new LiveHub({ instanceId: 'payhook-browser-test' });
  hub.attach(directory);
  const calls = createPaymentCalls({ connectors: prepareConnectors(connectors), clock: systemClock }, directory);
  const payhook = await buildApp({ config, logger: createLogger({ level: 'info', destination: logs }), calls });
  const frame = options.frameAncestors ? { frameAncestors: options.frameAncestors } : {};
  registerLiveRoutes(payhook.app, { hub, tokens: [ACCESS_TOKEN], heartbeatMs: 1000, ...frame });
  if (options.store) registerReportRoutes(payhook.app, { store: options.store, tokens: [ACCESS_TOKEN], ...frame });
  const url = await payhook.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    payhook,
    url,
    wsBase: url.replace(/^http/, 'ws'),
    hub,
    logs,
    async close() {
      await payhook.drainAndClose(200);
      await hub.close();
    },
  };
}

export { ORG_ID };
