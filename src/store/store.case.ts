// The contract every SessionStore keeps, run against SQLite (sqlite-store.test.ts) and a real
// PostgreSQL server (postgres-store.test.ts). Each test gets a fresh, empty database.
import { afterEach, describe, expect, it } from 'vitest';
import { PayhookError } from '../core/errors.js';
import { linkEvent } from './audit-chain.js';
import type { SessionStore, StoreOptions } from './session-store.js';
import type { SqlValue } from './sql-driver.js';
import type { SessionStart } from './types.js';

export interface StoreFixture {
  /** A store on this fixture's database (every call: the same database, a new connection). */
  open(options?: StoreOptions): Promise<SessionStore>;
  /** Raw SQL (`?` placeholders) on the same database, as a tamperer with write access would. */
  exec(sql: string, params?: SqlValue[]): Promise<void>;
  dispose(): Promise<void>;
}

// Test card numbers from the networks' published test ranges (Luhn-valid, never real cards).
const VISA = '4111111111111111';
const AMEX = '378282246310005';

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const HOUR = 3_600_000;

function start(n: number, extra: Partial<SessionStart> = {}): SessionStart {
  return {
    sessionId: `0b1f5a4e-0000-4000-8000-${String(n).padStart(12, '0')}`,
    conversationId: `c0ffee00-0000-4000-8000-${String(n).padStart(12, '0')}`,
    organizationId: 'd7934305-0972-4844-938e-9060eef73d05',
    connectorId: 'payments',
    mode: 'automated',
    startedAt: T0 + n,
    remoteAddress: '10.0.0.7',
    ...extra,
  };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof PayhookError ? e.code : `not a PayhookError: ${String(e)}`;
  }
}

export function storeContract(name: string, newFixture: () => Promise<StoreFixture>): void {
  describe(`${name} store contract`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const fn of cleanup.splice(0).reverse()) await fn();
    });

    async function fresh(options: StoreOptions = { instanceId: 'test-1', now: () => T0 }): Promise<{ fx: StoreFixture; store: SessionStore }> {
      const fx = await newFixture();
      cleanup.push(() => fx.dispose());
      const store = await fx.open(options);
      cleanup.push(() => store.close());
      return { fx, store };
    }

    it('records a started session with empty attempts, segments, charges and no outcome', async () => {
      const { store } = await fresh();
      await store.startSession(start(1, { amountMinor: 1250, currency: 'USD' }));
      const r = await store.getSession(start(1).sessionId);
      expect(r).toEqual({
        sessionId: start(1).sessionId, conversationId: start(1).conversationId, organizationId: start(1).organizationId,
        connectorId: 'payments', mode: 'automated', instanceId: 'test-1', startedAt: T0 + 1, amountMinor: 1250, currency: 'USD',
        segments: [], attempts: { amountChoice: 0, amount: 0, cardNumber: 0, expiry: 0, securityCode: 0 }, charges: [], declines: [],
      });
      expect(await store.getSession('no-such-session')).toBeUndefined();
    });

    it('keeps a whole session: updates, segments, attempts, charges, declines and the outcome', async () => {
      const { store } = await fresh();
      const id = start(2).sessionId;
      await store.startSession(start(2, { mode: 'agent_assisted' }));
      await store.startSegment(id, 'ivr', T0 + 10);
      await store.endSegment(id, 'ivr', T0 + 1_010);
      await store.startSegment(id, 'secure_capture', T0 + 1_010);
      await store.recordAttempt(id, 'cardNumber');
      await store.recordAttempt(id, 'cardNumber');
      await store.recordAttempt(id, 'expiry');
      await store.updateSession(id, { brand: 'visa', last4: '1111', amountMinor: 4200, currency: 'EUR' });
      await store.endSegment(id, 'secure_capture', T0 + 21_010);
      await store.startSegment(id, 'gateway', T0 + 21_010);
      await store.recordCharge(id, { attempt: 1, idempotencyKey: 'payhook_conv_abc_1', at: T0 + 21_011 });
      await store.recordDecline(id, { attempt: 1, reason: 'insufficient_funds', gatewayCode: 'insufficient_funds', at: T0 + 22_000 });
      await store.endSegment(id, 'gateway', T0 + 22_000);
      await store.startSegment(id, 'gateway', T0 + 30_000);
      await store.recordCharge(id, { attempt: 2, idempotencyKey: 'payhook_conv_abc_2', at: T0 + 30_001 });
      const finished = await store.finishSession(id, {
        result: 'approved', nextAction: 'continue', failureReason: '', transactionRef: 'ch_3Pq', disconnectReason: 'completed', endedAt: T0 + 31_000,
      });
      expect(finished).toEqual(await store.getSession(id));
      expect(finished).toMatchObject({
        mode: 'agent_assisted', brand: 'visa', last4: '1111', amountMinor: 4200, currency: 'EUR', transactionRef: 'ch_3Pq',
        disconnectReason: 'completed', startedAt: T0 + 2, endedAt: T0 + 31_000,
        outcome: { result: 'approved', nextAction: 'continue', failureReason: '' },
        attempts: { amountChoice: 0, amount: 0, cardNumber: 2, expiry: 1, securityCode: 0 },
        charges: [
          { attempt: 1, idempotencyKey: 'payhook_conv_abc_1', at: T0 + 21_011 },
          { attempt: 2, idempotencyKey: 'payhook_conv_abc_2', at: T0 + 30_001 },
        ],
        declines: [{ attempt: 1, reason: 'insufficient_funds', gatewayCode: 'insufficient_funds', at: T0 + 22_000 }],
      });
      // The gateway segment still open at finish is closed at the end time.
      expect(finished.segments).toEqual([
        { kind: 'ivr', startedAt: T0 + 10, endedAt: T0 + 1_010 },
        { kind: 'secure_capture', startedAt: T0 + 1_010, endedAt: T0 + 21_010 },
        { kind: 'gateway', startedAt: T0 + 21_010, endedAt: T0 + 22_000 },
        { kind: 'gateway', startedAt: T0 + 30_000, endedAt: T0 + 31_000 },
      ]);
    });

    it('refuses duplicate starts, writes to unknown sessions, writes after finish and unmatched segment ends', async () => {
      const { store } = await fresh();
      const id = start(3).sessionId;
      await store.startSession(start(3));
      expect(await codeOf(store.startSession(start(3)))).toBe('ERR_STORE_SESSION_EXISTS');
      expect(await codeOf(store.updateSession('unknown', { brand: 'visa' }))).toBe('ERR_STORE_SESSION_UNKNOWN');
      expect(await codeOf(store.recordAttempt('unknown', 'cardNumber'))).toBe('ERR_STORE_SESSION_UNKNOWN');
      expect(await codeOf(store.endSegment(id, 'gateway'))).toBe('ERR_STORE_SEGMENT_NOT_OPEN');
      await store.recordCharge(id, { attempt: 1, idempotencyKey: 'k-1' });
      expect(await codeOf(store.recordCharge(id, { attempt: 1, idempotencyKey: 'k-1b' }))).toBe('ERR_STORE_DUPLICATE_ATTEMPT');
      await store.recordDecline(id, { attempt: 1, reason: 'generic' });
      expect(await codeOf(store.recordDecline(id, { attempt: 1, reason: 'generic' }))).toBe('ERR_STORE_DUPLICATE_ATTEMPT');
      // The refused duplicates left neither a row nor an audit event behind.
      expect((await store.getSession(id))?.charges.map((c) => c.idempotencyKey)).toEqual(['k-1']);
      expect((await store.listAudit({ resourceId: id })).map((e) => e.type)).toEqual(['session.started', 'payment.charge_started', 'payment.declined']);
      await store.finishSession(id, { result: 'hung_up', nextAction: 'continue', failureReason: 'hung_up' });
      expect(await codeOf(store.updateSession(id, { brand: 'visa' }))).toBe('ERR_STORE_SESSION_FINISHED');
      expect(await codeOf(store.finishSession(id, { result: 'approved', nextAction: 'continue', failureReason: '' }))).toBe('ERR_STORE_SESSION_FINISHED');
      expect((await store.getSession(id))?.outcome?.result).toBe('hung_up');
    });

    it('refuses card numbers and CVV fields in any string, writes nothing, and never echoes the value', async () => {
      const { store } = await fresh();
      const id = start(4).sessionId;
      const attempts: [string, () => Promise<unknown>][] = [
        ['PAN as conversation id', () => store.startSession(start(5, { conversationId: VISA }))],
        ['PAN in a transaction reference', () => store.startSession(start(6)).then(() => store.updateSession(start(6).sessionId, { transactionRef: `ref-${AMEX}` }))],
        ['spaced PAN in a disconnect reason', () => store.updateSession(id, { disconnectReason: '4111 1111 1111 1111' })],
        ['dashed PAN in a failure reason', () => store.finishSession(id, { result: 'declined', nextAction: 'agent', failureReason: '4111-1111-1111-1111' })],
        ['PAN glued to other digits', () => store.recordCharge(id, { attempt: 1, idempotencyKey: `k_991${VISA}0000` })],
        ['PAN in an audit detail', () => store.appendAudit({ type: 'test.leak', actor: { type: 'component', id: 'x' }, success: true, detail: { note: `card ${VISA}` } })],
        ['cvv key in an audit detail', () => store.appendAudit({ type: 'test.leak', actor: { type: 'component', id: 'x' }, success: true, detail: { cvv: '123' } })],
        ['security code text', () => store.appendAudit({ type: 'test.leak', actor: { type: 'agent', id: 'cvv: 123' }, success: true })],
      ];
      await store.startSession(start(4));
      const before = (await store.listAudit()).length;
      for (const [what, attempt] of attempts) {
        let error: unknown;
        try {
          await attempt();
        } catch (e) {
          error = e;
        }
        expect(error instanceof PayhookError ? error.code : String(error), what).toBe('ERR_STORE_CARD_DATA');
        const shown = JSON.stringify({ message: (error as Error).message, detail: (error as PayhookError).detail });
        expect(shown).not.toMatch(/4111|8224|\b123\b/);
      }
      expect(await store.getSession(start(5).sessionId)).toBeUndefined();
      const r = await store.getSession(id);
      expect(r?.disconnectReason).toBeUndefined();
      expect(r?.outcome).toBeUndefined();
      expect(r?.charges).toEqual([]);
      const six = await store.getSession(start(6).sessionId);
      expect(six?.sessionId).toBe(start(6).sessionId);
      expect(six?.transactionRef).toBeUndefined();
      // Only #6's session.started: nothing from the refused writes.
      expect((await store.listAudit()).length).toBe(before + 1);
      // Digit runs that are not card numbers pass: UUIDs, idempotency keys, a non-Luhn 16 digits.
      await store.updateSession(id, { transactionRef: '4111111111111112', disconnectReason: '12345678-1234-1234-1234-123456789012' });
    });

    it('rejects malformed fields with ERR_STORE_INVALID_RECORD', async () => {
      const { store } = await fresh();
      await store.startSession(start(7));
      const id = start(7).sessionId;
      expect(await codeOf(store.updateSession(id, { last4: '11a1' }))).toBe('ERR_STORE_INVALID_RECORD');
      expect(await codeOf(store.updateSession(id, { currency: 'usd' }))).toBe('ERR_STORE_INVALID_RECORD');
      expect(await codeOf(store.updateSession(id, { amountMinor: -1 }))).toBe('ERR_STORE_INVALID_RECORD');
      expect(await codeOf(store.startSession({ ...start(8), mode: 'manual' as 'automated' }))).toBe('ERR_STORE_INVALID_RECORD');
      expect(await codeOf(store.updateSession(id, { pan: '1' } as object))).toBe('ERR_STORE_INVALID_RECORD');
      expect(await codeOf(store.recordDecline(id, { attempt: 1, reason: 'nope' as 'generic' }))).toBe('ERR_STORE_INVALID_RECORD');
    });

    it('lists sessions by conversation, connector, time and unfinished state, newest first', async () => {
      const { store } = await fresh();
      await store.startSession(start(10));
      await store.startSession(start(11, { conversationId: start(10).conversationId, connectorId: 'other' }));
      await store.startSession(start(12));
      await store.finishSession(start(12).sessionId, { result: 'cancelled', nextAction: 'agent', failureReason: 'cancelled' });
      const ids = (rs: { sessionId: string }[]) => rs.map((r) => r.sessionId);
      expect(ids(await store.listSessions({ conversationId: start(10).conversationId }))).toEqual([start(11).sessionId, start(10).sessionId]);
      expect(ids(await store.listSessions({ connectorId: 'other' }))).toEqual([start(11).sessionId]);
      expect(ids(await store.listSessions({ organizationId: 'another-org' }))).toEqual([]);
      expect(await store.listSessions({ organizationId: start(10).organizationId })).toHaveLength(3);
      expect(ids(await store.listSessions({ unfinished: true }))).toEqual([start(11).sessionId, start(10).sessionId]);
      expect(ids(await store.listSessions({ from: T0 + 11, to: T0 + 12 }))).toEqual([start(11).sessionId]);
      expect(ids(await store.listSessions({ limit: 1 }))).toEqual([start(12).sessionId]);
    });

    it('writes one chained audit event per session milestone with the 10.2.2 fields', async () => {
      const { store } = await fresh();
      const id = start(20).sessionId;
      await store.startSession(start(20, { actor: { type: 'api_key', id: 'key-7' } }));
      await store.recordCharge(id, { attempt: 1, idempotencyKey: 'k1' });
      await store.recordDecline(id, { attempt: 1, reason: 'expired_card', gatewayCode: 'expired_card' });
      await store.finishSession(id, { result: 'declined', nextAction: 'agent', failureReason: 'expired_card' });
      const own = await store.appendAudit({ type: 'auth.rejected', actor: { type: 'api_key', id: 'key-9' }, success: false, remoteAddress: '192.0.2.1', detail: { code: 'ERR_AUTH_SIGNATURE_MISMATCH' } });
      const events = await store.listAudit();
      expect(events.map((e) => [e.seq, e.type, e.success])).toEqual([
        [1, 'session.started', true], [2, 'payment.charge_started', true], [3, 'payment.declined', false], [4, 'session.finished', false], [5, 'auth.rejected', false],
      ]);
      expect(events[0]).toMatchObject({ at: T0 + 20, actor: { type: 'api_key', id: 'key-7' }, origin: { instanceId: 'test-1', remoteAddress: '10.0.0.7' }, resource: { type: 'session', id } });
      expect(events[4]).toEqual(own);
      expect(events[0]!.prevHash).toBe('0'.repeat(64));
      for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
      expect(await store.listAudit({ resourceId: id, afterSeq: 1 })).toHaveLength(3);
      expect(await store.verifyAuditChain()).toEqual({ ok: true, count: 5, headHash: events[4]!.hash });
    });

    describe('audit chain tampering', () => {
      async function chainOf(n: number) {
        const { fx, store } = await fresh();
        for (let i = 1; i <= n; i++) {
          await store.appendAudit({ type: 'test.event', actor: { type: 'operator', id: `op-${i}` }, success: i % 2 === 0, resource: { type: 'session', id: `s-${i}` } });
        }
        return { fx, store };
      }

      it('an intact chain verifies, including an empty one', async () => {
        const { store } = await fresh();
        expect(await store.verifyAuditChain()).toEqual({ ok: true, count: 0, headHash: '0'.repeat(64) });
        const { store: five } = await chainOf(5);
        expect(await five.verifyAuditChain()).toMatchObject({ ok: true, count: 5 });
      });

      it('an edited field breaks the hash of that event', async () => {
        const { fx, store } = await chainOf(5);
        await fx.exec(`UPDATE audit_events SET success = 1 - success WHERE seq = 3`);
        expect(await store.verifyAuditChain()).toEqual({ ok: false, count: 2, seq: 3, reason: 'hash_mismatch' });
      });

      it('an edit with its hash recomputed breaks the link of the next event', async () => {
        const { fx, store } = await chainOf(5);
        const [e3] = await store.listAudit({ afterSeq: 2, limit: 1 });
        const forged = linkEvent(e3!.prevHash, { ...e3!, actor: { type: 'operator', id: 'someone-else' } });
        await fx.exec(`UPDATE audit_events SET actor_id = ?, hash = ? WHERE seq = 3`, ['someone-else', forged.hash]);
        expect(await store.verifyAuditChain()).toEqual({ ok: false, count: 3, seq: 4, reason: 'prev_hash_mismatch' });
      });

      it('a deleted event in the middle or at the tail is a sequence gap', async () => {
        const mid = await chainOf(5);
        await mid.fx.exec(`DELETE FROM audit_events WHERE seq = 2`);
        expect(await mid.store.verifyAuditChain()).toEqual({ ok: false, count: 1, seq: 2, reason: 'sequence_gap' });
        const tail = await chainOf(5);
        await tail.fx.exec(`DELETE FROM audit_events WHERE seq = 5`);
        expect(await tail.store.verifyAuditChain()).toEqual({ ok: false, count: 4, seq: 5, reason: 'sequence_gap' });
      });

      it('reordered events break the chain at the first moved one', async () => {
        const { fx, store } = await chainOf(5);
        // Swap events 2 and 3 by sequence number, keeping each row's own content and hashes.
        await fx.exec(`UPDATE audit_events SET seq = 1000 WHERE seq = 2`);
        await fx.exec(`UPDATE audit_events SET seq = 2 WHERE seq = 3`);
        await fx.exec(`UPDATE audit_events SET seq = 3 WHERE seq = 1000`);
        expect(await store.verifyAuditChain()).toMatchObject({ ok: false, count: 1, seq: 2 });
      });

      it('an event appended behind the head is a head mismatch', async () => {
        const { fx, store } = await chainOf(3);
        const [e3] = await store.listAudit({ afterSeq: 2 });
        const extra = linkEvent(e3!.hash, { ...e3!, seq: 4 });
        await fx.exec(
          `INSERT INTO audit_events (seq, at, event_type, actor_type, actor_id, success, instance_id, resource_type, resource_id, prev_hash, hash)
           VALUES (4, ?, 'test.event', 'operator', 'op-3', 0, 'test-1', 'session', 's-3', ?, ?)`,
          [e3!.at, extra.prevHash, extra.hash],
        );
        expect(await store.verifyAuditChain()).toEqual({ ok: false, count: 4, seq: 3, reason: 'head_mismatch' });
      });
    });

    it('keeps one unbroken chain when two store instances append concurrently', async () => {
      const { fx, store } = await fresh();
      const other = await fx.open({ instanceId: 'test-2' });
      cleanup.push(() => other.close());
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) {
        writes.push(store.appendAudit({ type: 'test.a', actor: { type: 'component', id: 'a' }, success: true }));
        writes.push(other.appendAudit({ type: 'test.b', actor: { type: 'component', id: 'b' }, success: true }));
        writes.push(store.startSession(start(100 + i)));
      }
      await Promise.all(writes);
      const verdict = await other.verifyAuditChain();
      expect(verdict).toMatchObject({ ok: true, count: 60 });
      const origins = new Set((await store.listAudit()).map((e) => e.origin.instanceId));
      expect(origins).toEqual(new Set(['test-1', 'test-2']));
    });

    it('a resolved write is visible to a new connection (committed, not buffered)', async () => {
      const { fx, store } = await fresh();
      await store.startSession(start(30));
      await store.finishSession(start(30).sessionId, { result: 'approved', nextAction: 'continue', failureReason: '', transactionRef: 'tx-1' });
      const reader = await fx.open();
      cleanup.push(() => reader.close());
      expect((await reader.getSession(start(30).sessionId))?.outcome?.result).toBe('approved');
      expect(await reader.verifyAuditChain()).toMatchObject({ ok: true, count: 2 });
    });

    it('applies migrations once, and refuses a database migrated by a newer version', async () => {
      const { fx, store } = await fresh();
      await store.startSession(start(40));
      await store.close();
      const again = await fx.open();
      expect((await again.getSession(start(40).sessionId))?.sessionId).toBe(start(40).sessionId);
      await again.close();
      await fx.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 0)`);
      expect(await codeOf(fx.open())).toBe('ERR_STORE_SCHEMA_NEWER');
    });

    it('rejects every call after close', async () => {
      const { store } = await fresh();
      await store.close();
      await store.close();
      expect(await codeOf(store.startSession(start(50)))).toBe('ERR_STORE_CLOSED');
      expect(await codeOf(store.getSession('x'))).toBe('ERR_STORE_CLOSED');
    });

    it('reports sessions, approvals, declines, abandonment, transfers and durations per hour and connector', async () => {
      const { store } = await fresh();
      let n = 200;
      async function session(connectorId: string, at: number, opts: { result?: 'approved' | 'declined' | 'hung_up'; nextAction?: 'continue' | 'queue' | 'agent'; declines?: ('insufficient_funds' | 'generic')[]; ivrMs?: number; lengthMs: number }) {
        const s = start(n++, { connectorId, startedAt: at });
        await store.startSession(s);
        if (opts.ivrMs !== undefined) {
          await store.startSegment(s.sessionId, 'ivr', at);
          await store.endSegment(s.sessionId, 'ivr', at + opts.ivrMs);
        }
        let attempt = 1;
        for (const reason of opts.declines ?? []) await store.recordDecline(s.sessionId, { attempt: attempt++, reason, at: at + 1 });
        if (opts.result) {
          await store.finishSession(s.sessionId, { result: opts.result, nextAction: opts.nextAction ?? 'continue', failureReason: opts.result === 'approved' ? '' : opts.result, endedAt: at + opts.lengthMs });
        }
      }
      await session('payments', T0 + 5, { result: 'approved', ivrMs: 1000, lengthMs: 60_000 });
      await session('payments', T0 + 10, { result: 'declined', nextAction: 'agent', declines: ['insufficient_funds', 'generic'], ivrMs: 3000, lengthMs: 90_000 });
      await session('payments', T0 + 20, { result: 'hung_up', nextAction: 'queue', lengthMs: 30_000 });
      await session('payments', T0 + 30, { lengthMs: 0 });
      await session('donations', T0 + 40, { result: 'approved', lengthMs: 45_000 });
      await session('payments', T0 + HOUR + 1, { result: 'approved', lengthMs: 20_000 });
      await session('payments', T0 - 1, { result: 'approved', lengthMs: 1 }); // before the window
      const rows = await store.report({ from: T0, to: T0 + 2 * HOUR, bucket: 'hour' });
      expect(rows.map((r) => [r.bucketStart, r.connectorId, r.sessions])).toEqual([
        [T0, 'donations', 1], [T0, 'payments', 4], [T0 + HOUR, 'payments', 1],
      ]);
      expect(rows[1]).toEqual({
        bucketStart: T0, connectorId: 'payments', sessions: 4, approved: 1,
        declinesByReason: { insufficient_funds: 1, generic: 1 },
        results: { approved: 1, declined: 1, hung_up: 1 },
        abandoned: 1, unfinished: 1, transfers: { queue: 1, agent: 1 },
        durations: { session: { count: 3, avgMs: 60_000, p95Ms: 90_000 }, ivr: { count: 2, avgMs: 2000, p95Ms: 3000 } },
      });
      const days = await store.report({ from: T0, to: T0 + 2 * HOUR, bucket: 'day', connectorId: 'payments' });
      expect(days).toHaveLength(1);
      expect(days[0]).toMatchObject({ bucketStart: Date.UTC(2026, 10, 26), sessions: 5, approved: 2 });
      expect(await store.report({ from: T0, to: T0 + HOUR, bucket: 'hour', organizationId: 'another-org' })).toEqual([]);
      expect(await codeOf(store.report({ from: T0 + HOUR, to: T0, bucket: 'hour' }))).toBe('ERR_STORE_INVALID_RECORD');
      expect(await codeOf(store.report({ from: Number.NaN, to: T0, bucket: 'week' as 'day' }))).toBe('ERR_STORE_INVALID_RECORD');
    });
  });
}
