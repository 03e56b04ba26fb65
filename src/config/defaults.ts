// Embedded defaults for `npm start` on a fresh machine: loopback only, one development API key
// with a published secret (fine on 127.0.0.1, refused off loopback unless replaced; see load.ts),
// one connector, and the sandbox gateway running in-process.
import type { ConfigInput } from './schema.js';

export const DEV_API_KEY = 'payhook-dev-api-key';
/** base64 of "payhook-dev-client-secret-0001" (30 bytes). Public on purpose: development only. */
export const DEV_CLIENT_SECRET = Buffer.from('payhook-dev-client-secret-0001').toString('base64');
export const DEV_CONNECTOR_ID = 'payments';

export const EMBEDDED_DEFAULTS: ConfigInput = {
  server: { host: '127.0.0.1', port: 8080 },
  apiKeys: [{ apiKey: DEV_API_KEY, clientSecret: DEV_CLIENT_SECRET, connectors: '*' }],
  connectors: { [DEV_CONNECTOR_ID]: {} },
  gatewaySim: { enabled: true, port: 4242 },
};
