// `payhook healthcheck`: asks the server this configuration describes for /healthz and exits 0 when
// it answers 200. For container health checks: it reads the same config file and environment as
// `serve`, so it speaks https when the server serves TLS itself (the certificate is for Genesys's
// public name, so this loopback check does not verify it) and plain http otherwise.
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/load.js';
import { printPayhookError } from '../print-error.js';

export const description = 'exit 0 when the configured server answers /healthz (for container health checks)';
export const usage = `usage: payhook healthcheck [--config FILE] [--port PORT] [--timeout SECONDS]

Reads the configuration as \`payhook serve\` does (file, PAYHOOK_* variables) and requests
/healthz on the server's port over loopback: https when server.tls is set, http otherwise.
Exit status: 0 healthy, 1 not answering or not healthy, 2 bad usage or configuration.`;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { config: { type: 'string' }, port: { type: 'string' }, timeout: { type: 'string', default: '3' } }, strict: true }));
  } catch (err) {
    console.error(`payhook healthcheck: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0 && timeoutMs <= 60_000)) {
    console.error(`payhook healthcheck: --timeout must be from 0.001 to 60 seconds\n\n${usage}`);
    return 2;
  }
  const env = { ...process.env };
  if (values.port) env.PAYHOOK_PORT = values.port;
  let config;
  try {
    config = loadConfig({ env, ...(values.config ? { file: values.config } : {}) });
  } catch (err) {
    if (printPayhookError('healthcheck', err)) return 2;
    throw err;
  }
  const host = loopbackFor(config.server.host);
  const tls = config.server.tls !== undefined;
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${config.server.port}/healthz`;
  const status = await new Promise<number | string>((resolve) => {
    const request = (tls ? httpsGet : httpGet)(url, { timeout: timeoutMs, ...(tls ? { rejectUnauthorized: false } : {}) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (err) => resolve(err.message));
  });
  if (status === 200) return 0;
  console.error(`payhook healthcheck: ${url}: ${typeof status === 'number' ? `HTTP ${status}` : status}`);
  return 1;
}

/** The address to reach a server listening on `host` from the same machine. */
export function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}
