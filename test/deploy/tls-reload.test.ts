// In-process TLS: a signed wss session against certificates from a test CA, and a certificate
// swapped on disk served on the next connection without a restart.
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, startTestServer, type TestServer } from '../helpers/server.js';
import { createTestPki, type TestPki } from './certs.js';
import { signedHeaders, tryUpgrade } from './signed-upgrade.js';
import { buildApp } from '../../src/server/app.js';
import { parseConfig } from '../../src/config/load.js';
import { PayhookError } from '../../src/core/errors.js';

const PATH = '/api/v1/audioconnector/payments';

/** Replaces a file the way certbot and kubelet do: write aside, then rename over it. */
function replaceFile(from: string, to: string): void {
  copyFileSync(from, `${to}.tmp`);
  renameSync(`${to}.tmp`, to);
}

async function serialSeen(server: TestServer, pki: TestPki): Promise<string | undefined> {
  const url = `${server.wsBase}${PATH}`;
  const outcome = await tryUpgrade(url, signedHeaders(url), { ca: pki.caCert });
  return 'serial' in outcome ? outcome.serial : undefined;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('TLS in process', () => {
  let pki: TestPki;
  let first: ReturnType<TestPki['issue']>;
  let second: ReturnType<TestPki['issue']>;
  let live: { certFile: string; keyFile: string };
  let server: TestServer;

  beforeAll(async () => {
    pki = createTestPki();
    first = pki.issue('first');
    second = pki.issue('second');
    const dir = join(pki.dir, 'live');
    mkdirSync(dir);
    live = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    copyFileSync(first.certFile, live.certFile);
    copyFileSync(first.keyFile, live.keyFile);
    server = await startTestServer(
      { server: { host: '127.0.0.1', port: 0, drainTimeoutSeconds: 5, tls: live } },
      { tlsReloadDebounceMs: 100 },
    );
  });

  afterAll(async () => {
    await server?.close();
    pki?.remove();
  });

  it('serves a signed wss session with the configured certificate', async () => {
    expect(server.wsBase.startsWith('wss://')).toBe(true);
    const client = await connect(server, PATH, { ca: pki.caCert });
    expect((await client.open()).code).toBe('OPENED');
    expect(await client.close('end')).toEqual({ code: 'CLOSED' });
    expect(await serialSeen(server, pki)).toBe(first.serial);
  });

  it('keeps the old certificate when the new files are invalid, and logs why', async () => {
    writeFileSync(`${live.certFile}.tmp`, 'not a certificate');
    renameSync(`${live.certFile}.tmp`, live.certFile);
    const logged = await until(async () => server.logs.text.includes('ERR_CONFIG_TLS_RELOAD'), 3000);
    expect(logged).toBe(true);
    expect(await serialSeen(server, pki)).toBe(first.serial);
  });

  it('serves the new certificate on the next connection after the files are replaced', async () => {
    replaceFile(second.keyFile, live.keyFile);
    replaceFile(second.certFile, live.certFile);
    const swapped = await until(async () => (await serialSeen(server, pki)) === second.serial, 5000);
    expect(swapped).toBe(true);
    expect(server.logs.text).toContain('TLS certificate reloaded');
  });

  it('refuses to start when the key does not match the certificate', async () => {
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0, tls: { certFile: first.certFile, keyFile: second.keyFile } },
    });
    const error = await buildApp({ config }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayhookError);
    expect((error as PayhookError).code).toBe('ERR_CONFIG_TLS_FILES');
  });
});
