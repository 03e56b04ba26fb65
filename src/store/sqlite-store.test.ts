import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PayhookError } from '../core/errors.js';
import { openSqliteStore } from './sqlite-store.js';
import { storeContract, type StoreFixture } from './store.case.js';

function tempDir(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'payhook-store-'));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

async function sqliteFixture(): Promise<StoreFixture> {
  const tmp = tempDir();
  const path = join(tmp.dir, 'data', 'payhook.db');
  return {
    open: (options) => openSqliteStore({ ...options, path }),
    async exec(sql, params = []) {
      const db = new Database(path);
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    },
    async dispose() {
      tmp[Symbol.dispose]();
    },
  };
}

storeContract('SQLite', sqliteFixture);

describe('SQLite store file', () => {
  it('creates the data directory and keeps the database in WAL mode', async () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, 'nested', 'data', 'payhook.db');
      const store = await openSqliteStore({ path });
      await store.startSession({ sessionId: 's', conversationId: 'c', organizationId: 'o', connectorId: 'k', mode: 'automated' });
      expect(existsSync(`${path}-wal`)).toBe(true);
      await store.close();
      const db = new Database(path, { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([{ version: 1, name: expect.any(String) }]);
      } finally {
        db.close();
      }
    } finally {
      tmp[Symbol.dispose]();
    }
  });

  it('leaves no trace of a refused card number in the database or its WAL', async () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, 'payhook.db');
      const store = await openSqliteStore({ path });
      const pan = '5555555555554444';
      await store.startSession({ sessionId: 's1', conversationId: 'c1', organizationId: 'o', connectorId: 'k', mode: 'automated' });
      const refused = [
        store.updateSession('s1', { transactionRef: pan }),
        store.recordCharge('s1', { attempt: 1, idempotencyKey: `payhook_${pan}` }),
        store.finishSession('s1', { result: 'gateway_error', nextAction: 'agent', failureReason: pan.replace(/(\d{4})/g, '$1 ').trim() }),
        store.appendAudit({ type: 'agent.note', actor: { type: 'agent', id: 'a1' }, success: true, detail: { text: pan } }),
      ];
      const codes = await Promise.all(refused.map((p) => p.then(() => 'written', (e: unknown) => (e instanceof PayhookError ? e.code : String(e)))));
      expect(codes).toEqual(Array(4).fill('ERR_STORE_CARD_DATA'));
      await store.finishSession('s1', { result: 'gateway_error', nextAction: 'agent', failureReason: 'unreachable' });
      const bytes = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
      expect(bytes.includes('unreachable')).toBe(true); // the scan does see what was written
      expect(bytes.includes(pan)).toBe(false);
      expect(bytes.includes('5555 5555')).toBe(false);
      await store.close();
    } finally {
      tmp[Symbol.dispose]();
    }
  });
});
