// Kill -9 the server in the middle of a call and right after a successful charge, restart it on the
// same data directory, and check the records: every session is closed with what really happened
// (the approved charge is found again through the gateway by its idempotency key) and the audit
// chain verifies.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../../src/audiohook/client/connect.js';
import type { AudioHookClient } from '../../src/audiohook/client/audiohook-client.js';
import { DEV_API_KEY, DEV_CLIENT_SECRET } from '../../src/config/defaults.js';
import { startGatewaySim, type GatewaySim } from '../../src/payment/gateway-sim/server.js';
import { ScriptedCaller } from '../helpers/caller.js';
import { openStore } from '../../src/store/open-store.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'payhook-crash-'));
let sim: GatewaySim;
let configFile: string;

beforeAll(async () => {
  sim = await startGatewaySim({ port: 0 });
  configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      server: { host: '127.0.0.1', port: 0 },
      logLevel: 'info',
      apiKeys: [{ apiKey: DEV_API_KEY, clientSecret: DEV_CLIENT_SECRET }],
      connectors: { payments: { gateway: { provider: 'stripe', baseUrl: sim.url }, required: { expiry: false, securityCode: false } } },
      store: { backend: 'sqlite', dataDir },
      recording: { enabled: true, dir: join(dataDir, 'recordings') },
      gatewaySim: { enabled: false },
    }),
  );
});
afterAll(async () => sim.close());

async function startServer(): Promise<{ child: ChildProcess; url: string; output: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/cli-from-source.ts', 'serve', '--config', configFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${output.join('')}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      output.push(d.toString());
      const m = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('http', 'ws'));
      }
    });
  });
  return { child, url, output };
}

async function call(url: string): Promise<AudioHookClient> {
  const r = await connectClient(
    { url: `${url}/api/v1/audioconnector/payments`, apiKey: DEV_API_KEY, clientSecret: DEV_CLIENT_SECRET },
    { inputVariables: { PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '42.00' }, autoPlayback: true, ping: false },
  );
  if (!r.ok) throw new Error('connect failed');
  expect((await r.client.open()).code).toBe('OPENED');
  return r.client;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function kill(child: ChildProcess) {
  child.kill('SIGKILL');
  await once(child, 'exit');
}

describe('crash recovery', () => {
  it('closes interrupted sessions truthfully after kill -9, and the audit chain verifies', async () => {
    // 1. Killed while the caller is keying the card.
    let server = await startServer();
    const midCard = await call(server.url);
    const caller1 = new ScriptedCaller(midCard, { keying: 'outofband', entries: ['4242424'] });
    caller1.start();
    while (caller1.answered < 1) await sleep(50);
    await sleep(1200);
    await kill(server.child);
    caller1.stop();

    // 2. Killed right after the gateway approved the charge.
    server = await startServer();
    const charged = await call(server.url);
    const before = sim.charges().length;
    const caller2 = new ScriptedCaller(charged, { keying: 'outofband', entries: ['4242424242424242#', '1'] });
    caller2.start();
    const deadline = Date.now() + 40_000;
    while (sim.charges().length === before && Date.now() < deadline) await sleep(20);
    expect(sim.charges().length).toBe(before + 1);
    await sleep(100);
    await kill(server.child);
    caller2.stop();

    // 3. Restart on the same data: the records are reconciled before calls are taken.
    server = await startServer();
    const store = await openStore({ backend: 'sqlite', dataDir });
    try {
      const sessions = await store.listSessions({ limit: 10 });
      const byId = new Map(sessions.map((s) => [s.sessionId, s]));
      expect(byId.get(midCard.sessionId)?.outcome).toMatchObject({ result: 'hung_up', failureReason: 'interrupted' });
      const paid = byId.get(charged.sessionId)!;
      expect(paid.outcome).toMatchObject({ result: 'approved' });
      expect(paid.transactionRef).toBe(sim.charges().at(-1)!.id);
      expect(paid.charges).toHaveLength(1);
      expect(await store.listSessions({ unfinished: true })).toEqual([]);
      const chain = await store.verifyAuditChain();
      expect(chain.ok).toBe(true);
      const audit = await store.listAudit({ limit: 100 });
      expect(audit.filter((e) => e.type === 'session.reconciled'), JSON.stringify(audit.map((e) => [e.seq, e.type, e.resource]))).toHaveLength(2);
    } finally {
      await store.close();
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
  }, 120_000);
});
