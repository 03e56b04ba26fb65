// Crash safety: writer processes killed with SIGKILL mid-write leave a database that opens, whose
// audit chain verifies, where every session reported committed is complete, and where no write
// is half-applied (each record and its audit event commit together or not at all).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.js';

interface Writer {
  child: ChildProcess;
  done: string[];
  ready: Promise<void>;
  exited: Promise<void>;
}

function startWriter(path: string, prefix: string): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/store/crash-writer.ts', path, prefix], { stdio: ['ignore', 'pipe', 'inherit'] });
  const done: string[] = [];
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') onReady();
    else if (line.startsWith('done ')) done.push(line.slice(5));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, done, ready, exited };
}

describe('SQLite store under SIGKILL', () => {
  it('two writers killed mid-write leave complete committed sessions and an intact chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payhook-crash-'));
    const path = join(dir, 'payhook.db');
    try {
      // Create the schema first so the writers do not race on the first migration.
      await (await openSqliteStore({ path })).close();
      const writers = [startWriter(path, 'a'), startWriter(path, 'b')];
      await Promise.all(writers.map((w) => w.ready));
      // Let both commit a good number of sessions, then kill each at an arbitrary point.
      const deadline = Date.now() + 20_000;
      while (writers.some((w) => w.done.length < 15) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const w of writers) w.child.kill('SIGKILL');
      await Promise.all(writers.map((w) => w.exited));
      expect(writers.map((w) => w.done.length >= 15)).toEqual([true, true]);

      const store = await openSqliteStore({ path });
      try {
        const verdict = await store.verifyAuditChain();
        expect(verdict.ok).toBe(true);
        for (const w of writers) {
          for (const id of w.done) {
            const r = await store.getSession(id);
            expect(r?.outcome?.result, id).toBe('approved');
            expect(r?.charges.map((c) => c.idempotencyKey), id).toEqual([`key-${id}`]);
          }
        }
        // Every record's milestones and their audit events agree, including the interrupted ones.
        const sessions = await store.listSessions({ connectorId: 'crash', limit: 10_000 });
        const events = await store.listAudit({ limit: 10_000 });
        const count = (type: string, id: string) => events.filter((e) => e.type === type && e.resource?.id === id).length;
        for (const r of sessions) {
          expect(count('session.started', r.sessionId), r.sessionId).toBe(1);
          expect(count('payment.charge_started', r.sessionId), r.sessionId).toBe(r.charges.length);
          expect(count('session.finished', r.sessionId), r.sessionId).toBe(r.outcome ? 1 : 0);
        }
        expect(verdict.ok && verdict.count).toBe(events.length);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
