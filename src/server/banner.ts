// The start-up lines a new user reads: where the server listens, its pages (with the token
// generated for this run) and the development key. Printed once per server, by the primary when
// there are worker processes.
import { randomBytes } from 'node:crypto';
import { DEV_API_KEY, DEV_CLIENT_SECRET } from '../config/defaults.js';
import { isLoopbackHost } from '../config/load.js';
import type { PayhookConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';

/** A page token for this run when none is configured and the server is on loopback; else undefined. */
export function generatedPageToken(config: PayhookConfig): string | undefined {
  return config.live.accessTokens.length === 0 && isLoopbackHost(config.server.host) ? randomBytes(18).toString('base64url') : undefined;
}

/** Where the server listens, its pages and the development key, once per server. */
export function logBanner(config: PayhookConfig, logger: Logger, address: string, generatedToken: string | undefined): void {
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
}
