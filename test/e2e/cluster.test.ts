// `payhook serve --workers 2` from source: a node:cluster primary and two workers on one port.
// Checks what must hold for the server as a whole whichever worker a connection lands on: one
// banner, calls spread over both workers, the metrics total, the live list, the shared replay
// cache; then a worker killed with SIGKILL is replaced in its slot, and SIGTERM drains both.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../../src/audiohook/client/connect.js';
import { buildUpgradeHeaders } from '../../src/audiohook/client/upgrade-headers.js';
import { DEV_API_KEY, DEV_CLIENT_SECRET } from '../../src/config/defaults.js';
import { missingServerNodeFlags } from '../../src/core/heap-flags.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'payhook-cluster-data-'));
const recordingsDir = mkdtempSync(join(tmpdir(), 'payhook-cluster-rec-'));
const TOKEN = 'test-token-abcdefghijklmnop';
const CALLS = 6;

type LogRecord = Record<string, unknown> & { msg?: string };

let child: ChildProcess;
let address = '';
let wsBase = '';
const raw: string[] = [];
const records: LogRecord[] = [];
const conversations: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until a log record matches (searching from index `from`); returns its index. */
async function waitFor(match: (r: LogRecord) => boolean, timeoutMs: number, from = 0): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const i = records.findIndex((r, idx) => idx >= from && match(r));
    if (i >= 0) return i;
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`log line not seen in ${timeoutMs} ms (exit ${String(child.exitCode)}):\n${raw.join('').slice(-6000)}`);
    }
    await sleep(25);
  }
}

const servingLines = () => records.filter((r) => r.msg === 'worker serving') as Array<LogRecord & { slot: number; pid: number; address: string }>;

/** GET on a fresh TCP connection (no keep-alive), so round-robin spreads the requests over the workers. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${address}${path}`, { agent: false, headers: { connection: 'close', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sum of every sample of a metric (all label sets) in Prometheus text. */
function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** One upgrade attempt with the given headers: 101 when it opened (then closed), else the HTTP status. */
function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false, handshakeTimeout: 10_000 });
    socket.once('open', () => {
      socket.close(1000);
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.once('error', (err) => reject(err));
  });
}

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/cli-from-source.ts', 'serve', '--port', '0', '--workers', '2'], {
    cwd: root,
    env: {
      ...process.env,
      PAYHOOK_CONFIG: '',
      PAYHOOK_GATEWAY_SIM: '0',
      PAYHOOK_STORE: 'sqlite',
      PAYHOOK_DATA_DIR: dataDir,
      PAYHOOK_RECORDINGS_DIR: recordingsDir,
      PAYHOOK_ACCESS_TOKENS: TOKEN,
      PAYHOOK_INSTANCE_ID: 'e2e',
      PAYHOOK_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the last test can signal the group as systemd or `kill -TERM -pgid` do.
    detached: true,
  });
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  let partial = '';
  child.stdout!.on('data', (d: string) => {
    raw.push(d);
    const lines = (partial + d).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        records.push(JSON.parse(line) as LogRecord);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (d: string) => raw.push(d));

  const all = await waitFor((r) => r.msg === 'all workers serving', 40_000);
  const listening = await waitFor((r) => r.msg === 'payhook listening', 5_000, all + 1);
  address = String(records[listening]!.address);
  expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  wsBase = address.replace(/^http/, 'ws');
}, 60_000);

afterAll(async () => {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const exited = await Promise.race([once(child, 'exit').then(() => true), sleep(10_000).then(() => false)]);
  if (exited) return;
  child.kill('SIGKILL');
  // Workers orphaned by a killed primary: only the pids this server reported.
  for (const { pid } of servingLines()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}, 20_000);

describe('payhook serve --workers 2', () => {
  it('prints the banner once, from the primary, after both workers serve on one port', async () => {
    await sleep(300); // let any late line arrive
    expect(records.filter((r) => r.msg === 'payhook listening')).toHaveLength(1);
    const serving = servingLines();
    expect(serving.map((s) => s.slot).sort()).toEqual([1, 2]);
    expect(new Set(serving.map((s) => s.pid)).size).toBe(2);
    // The primary was started without the heap flags; its workers get them anyway.
    for (const { pid } of serving) expect(missingServerNodeFlags(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'))).toEqual([]);
    expect(serving.every((s) => s.address === address)).toBe(true);
    expect(records.filter((r) => r.msg === 'all workers serving')).toHaveLength(1);
    expect((await get('/healthz')).status).toBe(200);
  });

  it(`runs ${CALLS} concurrent signed calls for an unidentified caller, each ending not_identified`, async () => {
    const one = async () => {
      const conversationId = randomUUID();
      conversations.push(conversationId);
      const connected = await connectClient(
        { url: `${wsBase}/api/v1/audioconnector/payments`, apiKey: DEV_API_KEY, clientSecret: DEV_CLIENT_SECRET },
        { conversationId, inputVariables: { PAYHOOK_CALLER_IDENTIFIED: 'false' }, autoPlayback: true, ping: false },
      );
      if (!connected.ok) throw new Error(`connect failed: ${JSON.stringify(connected)}`);
      const client = connected.client;
      const disconnected = new Promise<Record<string, string> | undefined>((r) => client.once('disconnect', (p) => r(p.outputVariables)));
      expect((await client.open()).code).toBe('OPENED');
      const timer = setInterval(() => client.sendAudio(new Uint8Array(160).fill(0xff)), 20);
      try {
        return await disconnected;
      } finally {
        clearInterval(timer);
      }
    };
    const outputs = await Promise.all(Array.from({ length: CALLS }, one));
    for (const o of outputs) expect(o).toMatchObject({ PAYHOOK_RESULT: 'not_identified' });
  }, 45_000);

  it('spread the calls over both workers: the store names instance ids e2e:w1 and e2e:w2', () => {
    const db = new Database(join(dataDir, 'payhook.db'), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT instance_id AS id, COUNT(*) AS n FROM sessions GROUP BY instance_id ORDER BY instance_id').all() as Array<{ id: string; n: number }>;
      expect(rows.map((r) => r.id)).toEqual(['e2e:w1', 'e2e:w2']);
      expect(rows.reduce((s, r) => s + r.n, 0)).toBe(CALLS);
    } finally {
      db.close();
    }
  });

  it('GET /metrics on any worker shows the total of both: payhook_sessions_total = the number of calls', async () => {
    // A session is counted when the server side has ended it, a moment after the client's disconnect.
    const deadline = Date.now() + 10_000;
    let last = '';
    for (;;) {
      const r = await get('/metrics');
      last = `${r.status} ${r.body}`;
      if (r.status === 200 && metricSum(r.body, 'payhook_sessions_total') === CALLS) break;
      if (Date.now() > deadline) throw new Error(`payhook_sessions_total never reached ${CALLS}:\n${last}`);
      await sleep(200);
    }
    for (let i = 0; i < 6; i++) {
      const r = await get('/metrics');
      expect(r.status, r.body).toBe(200);
      expect(metricSum(r.body, 'payhook_sessions_total')).toBe(CALLS);
      expect(metricSum(r.body, 'payhook_active_sessions')).toBe(0);
    }
  }, 30_000);

  it('the live API lists the sessions of both workers whichever worker answers', async () => {
    expect((await get('/api/v1/live/sessions')).status).toBe(401);
    for (let i = 0; i < 4; i++) {
      const r = await get('/api/v1/live/sessions', { authorization: `Bearer ${TOKEN}` });
      expect(r.status, r.body).toBe(200);
      const sessions = (JSON.parse(r.body) as { sessions: Array<{ conversationId: string; instanceId: string; phase: string }> }).sessions;
      expect(sessions.map((s) => s.conversationId).sort()).toEqual([...conversations].sort());
      expect([...new Set(sessions.map((s) => s.instanceId))].sort()).toEqual(['e2e:w1', 'e2e:w2']);
      expect(sessions.every((s) => s.phase === 'ended')).toBe(true);
    }
  });

  it('refuses a replayed upgrade with 401 even when the replay lands on the other worker', async () => {
    const url = `${wsBase}/api/v1/audioconnector/payments`;
    const replayedBefore = raw.join('').split('ERR_AUTH_NONCE_REPLAYED').length - 1;
    const ROUNDS = 4;
    for (let i = 0; i < ROUNDS; i++) {
      // Consecutive connections alternate between the workers (round-robin): each pair lands on
      // both, and one extra connection before every other round swaps which worker gets the replay.
      if (i % 2 === 1) expect((await get('/healthz')).status).toBe(200);
      const identity = { apiKey: DEV_API_KEY, clientSecret: DEV_CLIENT_SECRET, organizationId: randomUUID(), sessionId: randomUUID(), correlationId: randomUUID() };
      const built = buildUpgradeHeaders(new URL(url), identity, Date.now());
      if (!built.ok) throw new Error(built.code);
      expect(await upgrade(url, built.headers)).toBe(101);
      expect(await upgrade(url, built.headers)).toBe(401);
    }
    await sleep(300);
    const replayed = raw.join('').split('ERR_AUTH_NONCE_REPLAYED').length - 1;
    expect(replayed - replayedBefore).toBeGreaterThanOrEqual(ROUNDS);
  }, 30_000);

  it('replaces a worker killed with SIGKILL in its slot, and keeps serving', async () => {
    const victim = servingLines().find((s) => s.slot === 1)!;
    expect(victim).toBeDefined();
    const from = records.length;
    process.kill(victim.pid, 'SIGKILL');
    const exited = await waitFor((r) => r.code === 'ERR_CLUSTER_WORKER_EXITED', 10_000, from);
    expect(records[exited]).toMatchObject({ slot: 1, signal: 'SIGKILL' });
    // The other worker carries on meanwhile.
    for (let i = 0; i < 3; i++) expect((await get('/healthz')).status).toBe(200);
    const replaced = await waitFor((r) => r.msg === 'worker serving', 30_000, exited + 1);
    expect(records[replaced]).toMatchObject({ slot: 1, address });
    expect(records[replaced]!.pid).not.toBe(victim.pid);
    for (let i = 0; i < 4; i++) expect((await get('/healthz')).status).toBe(200);
    // The replacement's live view is whole again: the surviving worker republished its sessions
    // when the replacement said it was serving.
    // The republished snapshots travel through the primary: allow them a moment to arrive.
    let w2Seen: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      w2Seen = [];
      for (let i = 0; i < 4; i++) {
        const r = await get('/api/v1/live/sessions', { authorization: `Bearer ${TOKEN}` });
        const sessions = (JSON.parse(r.body) as { sessions: Array<{ instanceId: string }> }).sessions;
        w2Seen.push(sessions.filter((x) => x.instanceId === 'e2e:w2').length);
      }
      if (w2Seen[0]! > 0 && new Set(w2Seen).size === 1) break;
      await sleep(250);
    }
    expect(w2Seen[0]).toBeGreaterThan(0);
    expect(new Set(w2Seen).size, `e2e:w2 sessions in each answer: ${w2Seen.join(',')}`).toBe(1);
    // Still one banner for the server.
    expect(records.filter((r) => r.msg === 'payhook listening')).toHaveLength(1);
  }, 45_000);

  it('replaces both workers when they die at once (the primary stays up meanwhile)', async () => {
    const current = new Map<number, number>();
    for (const s of servingLines()) current.set(s.slot, s.pid);
    const from = records.length;
    for (const pid of current.values()) process.kill(pid, 'SIGKILL');
    const first = await waitFor((r) => r.msg === 'worker serving', 30_000, from);
    const second = await waitFor((r) => r.msg === 'worker serving', 30_000, first + 1);
    expect([records[first]!.slot, records[second]!.slot].sort()).toEqual([1, 2]);
    expect(child.exitCode).toBeNull();
    // With every worker gone node:cluster closed the shared listener; with --port 0 the new one is
    // on a new random port (a configured port is bound again).
    expect(records[second]!.address).toBe(records[first]!.address);
    address = String(records[second]!.address);
    wsBase = address.replace(/^http/, 'ws');
    for (let i = 0; i < 4; i++) expect((await get('/healthz')).status).toBe(200);
  }, 45_000);

  it('SIGTERM to the whole process group drains every worker (a live call completes) and exits 0', async () => {
    const from = records.length;
    const connected = await connectClient(
      { url: `${wsBase}/api/v1/audioconnector/payments`, apiKey: DEV_API_KEY, clientSecret: DEV_CLIENT_SECRET },
      { inputVariables: { PAYHOOK_CALLER_IDENTIFIED: 'false' }, autoPlayback: true, ping: false },
    );
    if (!connected.ok) throw new Error(`connect failed: ${JSON.stringify(connected)}`);
    const client = connected.client;
    const disconnected = new Promise<Record<string, string> | undefined>((r) => client.once('disconnect', (p) => r(p.outputVariables)));
    expect((await client.open()).code).toBe('OPENED');
    const timer = setInterval(() => client.sendAudio(new Uint8Array(160).fill(0xff)), 20);
    // Every process gets SIGTERM, and the primary forwards another to each worker: a worker must
    // take both without dying mid-drain.
    process.kill(-child.pid!, 'SIGTERM');
    try {
      expect(await disconnected).toMatchObject({ PAYHOOK_RESULT: 'not_identified' });
    } finally {
      clearInterval(timer);
    }
    // 'close' comes after 'exit' and after the workers' output (they share the pipe) has been read.
    const [code] = (await once(child, 'close')) as [number | null];
    const after = records.slice(from);
    expect(code, raw.join('').slice(-4000)).toBe(0);
    expect(after.some((r) => r.msg === 'shutting down: draining every worker')).toBe(true);
    expect(after.filter((r) => r.msg === 'drained; closing')).toHaveLength(2);
    // Worker lines name their slot.
    expect(new Set(after.filter((r) => r.msg === 'drained; closing').map((r) => r.worker))).toEqual(new Set([1, 2]));
  }, 45_000);
});
