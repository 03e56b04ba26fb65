// Raw signed upgrades for deployment tests: the same headers can be sent twice (replay) and the
// TLS peer certificate of the connection is visible.
import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { WebSocket } from 'ws';
import { buildUpgradeHeaders } from '../../src/audiohook/client/upgrade-headers.js';
import { ORG_ID, SIGNED_KEY, SIGNED_SECRET } from '../helpers/server.js';

export function signedHeaders(url: string, nowMs = Date.now()): Record<string, string> {
  const built = buildUpgradeHeaders(new URL(url), {
    apiKey: SIGNED_KEY,
    clientSecret: SIGNED_SECRET,
    organizationId: ORG_ID,
    sessionId: randomUUID(),
    correlationId: randomUUID(),
  }, nowMs);
  if (!built.ok) throw new Error(built.code);
  return built.headers;
}

export type UpgradeOutcome = { status: 101; serial?: string } | { status: number };

/** Sends one upgrade with these headers; resolves with 101 (then closes) or the refusal status. */
export function tryUpgrade(url: string, headers: Record<string, string>, options: { ca?: Buffer; host?: string } = {}): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: options.host ? { ...headers, Host: options.host } : headers,
      perMessageDeflate: false,
      handshakeTimeout: 5000,
      ...(options.ca ? { ca: options.ca } : {}),
    });
    let serial: string | undefined;
    ws.once('upgrade', (res) => {
      const socket = res.socket as TLSSocket;
      if (typeof socket.getPeerCertificate === 'function') serial = socket.getPeerCertificate().serialNumber;
    });
    ws.once('open', () => {
      ws.close(1000);
      resolve(serial === undefined ? { status: 101 } : { status: 101, serial });
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}
