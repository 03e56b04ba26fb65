// A throwaway test CA and server certificates for 127.0.0.1/localhost, made with the openssl
// command (node's crypto cannot issue certificates).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caCert: Buffer;
  /** Issues a leaf for 127.0.0.1 and localhost; returns the PEM paths and the serial (hex). */
  issue(name: string): { certFile: string; keyFile: string; serial: string };
  remove(): void;
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'payhook-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=PayHook test CA', '-keyout', 'ca.key', '-out', 'ca.crt');
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  return {
    dir,
    caCert: readFileSync(join(dir, 'ca.crt')),
    issue(name) {
      ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`,
        '-keyout', `${name}.key`, '-out', `${name}.csr`);
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
        '-days', '2', '-extfile', 'leaf.ext', '-out', `${name}.crt`);
      const serial = ssl('x509', '-in', `${name}.crt`, '-noout', '-serial').toString().trim().replace(/^serial=/, '');
      return { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`), serial };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
