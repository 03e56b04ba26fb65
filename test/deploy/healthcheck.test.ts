// `payhook healthcheck` as a container's HEALTHCHECK runs it: against a plain server and a TLS one
// (self-issued certificate), and against a port where nothing listens.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loopbackFor, run } from '../../src/cli/commands/healthcheck.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createTestPki, type TestPki } from './certs.js';

let pki: TestPki;
const servers: TestServer[] = [];

beforeAll(() => {
  pki = createTestPki();
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterAll(async () => {
  for (const s of servers) await s.close();
  pki.remove();
  vi.restoreAllMocks();
});

const portOf = (url: string) => new URL(url).port;

describe('payhook healthcheck', () => {
  it('exits 0 against a plain http server and 1 where nothing listens', async () => {
    const server = await startTestServer();
    servers.push(server);
    expect(await run(['--port', portOf(server.url)])).toBe(0);
    await server.close();
    servers.pop();
    expect(await run(['--port', portOf(server.url), '--timeout', '1'])).toBe(1);
  });

  it('speaks https when the configuration serves TLS (the certificate is not for loopback checks)', async () => {
    const { certFile, keyFile } = pki.issue('health');
    const leaf = { certFile, keyFile };
    const server = await startTestServer({ server: { host: '127.0.0.1', port: 0, tls: leaf } });
    servers.push(server);
    expect(server.url.startsWith('https://')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'payhook-health-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ server: { host: '127.0.0.1', port: Number(portOf(server.url)), tls: leaf }, connectors: { payments: {} } }));
    expect(await run(['--config', file])).toBe(0);
    // Plain http against the TLS port is not healthy: the check must follow the configuration.
    writeFileSync(file, JSON.stringify({ server: { host: '127.0.0.1', port: Number(portOf(server.url)) }, connectors: { payments: {} } }));
    expect(await run(['--config', file, '--timeout', '1'])).toBe(1);
  });

  it('checks a wildcard listener on loopback, and refuses bad usage with 2', async () => {
    expect(loopbackFor('0.0.0.0')).toBe('127.0.0.1');
    expect(loopbackFor('::')).toBe('::1');
    expect(loopbackFor('10.0.0.5')).toBe('10.0.0.5');
    expect(await run(['--timeout', 'soon'])).toBe(2);
    expect(await run(['--bogus'])).toBe(2);
  });
});
