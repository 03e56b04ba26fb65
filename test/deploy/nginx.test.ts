// deploy/nginx/payhook.conf on loopback: nginx terminates TLS in front of PayHook and a signed
// Audio Connector session goes through it. A variant that rewrites Host the common wrong way
// shows why the example keeps $http_host. Needs the Debian package nginx: skipped locally
// without it, a failure under CI=true.
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, startTestServer, type TestServer } from '../helpers/server.js';
import { freePort, unavailableBecause } from '../helpers/environment.js';
import { createTestPki, type TestPki } from './certs.js';
import { signedHeaders, tryUpgrade } from './signed-upgrade.js';

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find((p) => existsSync(p));
const EXAMPLE = join(import.meta.dirname, '../../deploy/nginx/payhook.conf');
const PATH = '/api/v1/audioconnector/payments?x=1&y=%2F';

function nginxUnavailable(): string | undefined {
  return unavailableBecause(NGINX !== undefined, 'nginx (for the reverse-proxy example)', 'nginx');
}


/** The example's server block with loopback ports and the test certificates. */
function adapt(example: string, o: { listen: number; upstream: number; cert: string; key: string }): string {
  const out = example
    .replace('listen 443 ssl;', `listen 127.0.0.1:${o.listen} ssl;`)
    .replace('server 127.0.0.1:8080', `server 127.0.0.1:${o.upstream}`)
    .replace('/etc/ssl/payhook/fullchain.pem', o.cert)
    .replace('/etc/ssl/payhook/privkey.pem', o.key);
  // Every substitution must have hit, or the test would run some other configuration.
  for (const s of ['listen 443 ssl;', ':8080', '/etc/ssl/payhook/']) if (out.includes(s)) throw new Error(`example changed: ${s}`);
  return out;
}

const skip = nginxUnavailable();
if (skip) console.warn(skip);

describe.skipIf(skip !== undefined)('the nginx example in front of PayHook', () => {
  let pki: TestPki;
  let server: TestServer;
  let nginx: ChildProcess | undefined;
  let goodPort = 0;
  let badPort = 0;

  beforeAll(async () => {
    pki = createTestPki();
    const leaf = pki.issue('proxy');
    server = await startTestServer();
    const upstream = Number(new URL(server.url).port);
    goodPort = await freePort();
    badPort = await freePort();
    const example = readFileSync(EXAMPLE, 'utf8');
    const good = adapt(example, { listen: goodPort, upstream, cert: leaf.certFile, key: leaf.keyFile });
    // The usual mistake: $host drops the port the client signed; $proxy_host names the upstream.
    const bad = adapt(example, { listen: badPort, upstream, cert: leaf.certFile, key: leaf.keyFile })
      .replace('proxy_set_header Host $http_host;', 'proxy_set_header Host $host;')
      .replace('upstream payhook', 'upstream payhook_bad')
      .replace('proxy_pass http://payhook;', 'proxy_pass http://payhook_bad;')
      .replace(/map \$http_upgrade[\s\S]*?\n}\n/, '');
    const prefix = join(pki.dir, 'nginx');
    mkdirSync(join(prefix, 'logs'), { recursive: true });
    const conf = join(prefix, 'nginx.conf');
    writeFileSync(conf, [
      'daemon off;', 'master_process off;', `pid ${join(prefix, 'nginx.pid')};`, `error_log ${join(prefix, 'logs/error.log')} warn;`,
      'events { worker_connections 64; }',
      'http {', 'access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(prefix, t)};`),
      good, bad, '}',
    ].join('\n'));
    execFileSync(NGINX!, ['-t', '-p', prefix, '-c', conf], { stdio: 'pipe' });
    nginx = spawn(NGINX!, ['-p', prefix, '-c', conf], { stdio: 'ignore' });
    // Ready when the TLS port answers.
    const deadline = Date.now() + 5000;
    for (;;) {
      const up = await fetch(`http://127.0.0.1:${goodPort}/`).then(() => true, (e: Error) => !/ECONNREFUSED/.test(String(e.cause ?? e)));
      if (up) break;
      if (Date.now() > deadline) throw new Error('nginx did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await server?.close();
    pki?.remove();
  });

  it('passes a signed Audio Connector session through with the original Host, path and query', async () => {
    const client = await connect(server, PATH, { url: `wss://127.0.0.1:${goodPort}${PATH}`, ca: pki.caCert });
    expect((await client.open()).code).toBe('OPENED');
    expect(await client.close('end')).toEqual({ code: 'CLOSED' });
    expect(server.logs.text).not.toContain('ERR_AUTH_');
  });

  it('answers readiness through the proxy', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port: goodPort, path: '/readyz', ca: pki.caCert }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).once('error', reject);
    });
    expect(status).toBe(200);
  });

  it('a proxy that rewrites Host to drop the port breaks every signature', async () => {
    const url = `wss://127.0.0.1:${badPort}${PATH}`;
    expect((await tryUpgrade(url, signedHeaders(url), { ca: pki.caCert })).status).toBe(401);
    expect(server.logs.text).toContain('ERR_AUTH_SIGNATURE_MISMATCH');
  });
});
