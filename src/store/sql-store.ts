// The SessionStore over any SqlDriver: the record logic, the automatic audit events and the
// chain appends live here once, so the SQLite and PostgreSQL stores differ only in their driver.
import { hostname } from 'node:os';
import { ChainVerifier, GENESIS_HASH, linkEvent } from './audit-chain.js';
import { storeError } from './errors.js';
import { aggregateReport, type ReportInput } from './reports.js';
import type { SessionStore, StoreOptions } from './session-store.js';
import type { Row, SqlDriver, SqlQuery, SqlValue } from './sql-driver.js';
import {
  ATTEMPT_FIELDS, type AttemptField, type AuditActor, type AuditEvent, type AuditEventInput, type ChainVerdict,
  type DeclineReason, type Mode, type NextAction, type ReportQuery, type ReportRow, type ResultKind, type Segment,
  type SegmentKind, type SessionFinish, type SessionPatch, type SessionQuery, type SessionRecord, type SessionStart,
} from './types.js';
import {
  validateAttemptField, validateAudit, validateCharge, validateDecline, validateFinish, validatePatch,
  validateReportQuery, validateSegmentKind, validateSessionId, validateStart, validateTime,
} from './validate.js';

/** A primary-key violation, as better-sqlite3 and pg report it. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

async function uniqueAs<T>(p: Promise<T>, error: () => Error): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw isUniqueViolation(e) ? error() : e;
  }
}

const CALL_ACTOR: AuditActor = { type: 'component', id: 'call' };
const VERIFY_PAGE = 1000;

// pg returns BIGINT as a string; SQLite returns numbers. Both map through these.
const num = (v: unknown): number => Number(v);
const optNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const optStr = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

function auditFromRow(r: Row): AuditEvent {
  const e: AuditEvent = {
    seq: num(r.seq),
    at: num(r.at),
    type: String(r.event_type),
    actor: { type: String(r.actor_type) as AuditActor['type'], id: String(r.actor_id) },
    success: num(r.success) === 1,
    origin: { instanceId: String(r.instance_id) },
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
  if (r.remote_address !== null && r.remote_address !== undefined) e.origin.remoteAddress = String(r.remote_address);
  if (r.resource_type !== null && r.resource_type !== undefined) e.resource = { type: String(r.resource_type), id: String(r.resource_id) };
  if (r.detail !== null && r.detail !== undefined) e.detail = JSON.parse(String(r.detail)) as Record<string, string>;
  return e;
}

export class SqlSessionStore implements SessionStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly instanceId: string;
  #driver: SqlDriver;
  #now: () => number;
  #closed = false;

  constructor(driver: SqlDriver, options: StoreOptions = {}) {
    this.#driver = driver;
    this.kind = driver.dialect;
    this.instanceId = options.instanceId ?? hostname();
    this.#now = options.now ?? Date.now;
  }

  async startSession(input: SessionStart): Promise<void> {
    const s = validateStart(input);
    const at = s.startedAt ?? this.#now();
    // The unique-violation mapping covers two instances starting the same id at once (PostgreSQL).
    await uniqueAs(this.#write(async (q) => {
      const existing = await q.all(`SELECT 1 AS x FROM sessions WHERE session_id = ?`, [s.sessionId]);
      if (existing.length > 0) throw storeError('ERR_STORE_SESSION_EXISTS', { sessionId: s.sessionId });
      await q.run(
        `INSERT INTO sessions (session_id, conversation_id, organization_id, connector_id, mode, instance_id, started_at, amount_minor, currency)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [s.sessionId, s.conversationId, s.organizationId, s.connectorId, s.mode, this.instanceId, at, s.amountMinor ?? null, s.currency ?? null],
      );
      await this.#append(q, {
        type: 'session.started', actor: s.actor ?? CALL_ACTOR, success: true, remoteAddress: s.remoteAddress,
        resource: { type: 'session', id: s.sessionId }, detail: { conversationId: s.conversationId, connectorId: s.connectorId, mode: s.mode }, at,
      });
    }), () => storeError('ERR_STORE_SESSION_EXISTS', { sessionId: s.sessionId }));
  }

  async updateSession(sessionId: string, patch: SessionPatch): Promise<void> {
    validateSessionId(sessionId, 'updateSession');
    const p = validatePatch(patch);
    const columns: [string, SqlValue][] = [];
    if (p.amountMinor !== undefined) columns.push(['amount_minor', p.amountMinor]);
    if (p.currency !== undefined) columns.push(['currency', p.currency]);
    if (p.brand !== undefined) columns.push(['brand', p.brand]);
    if (p.last4 !== undefined) columns.push(['last4', p.last4]);
    if (p.transactionRef !== undefined) columns.push(['transaction_ref', p.transactionRef]);
    if (p.disconnectReason !== undefined) columns.push(['disconnect_reason', p.disconnectReason]);
    await this.#write(async (q) => {
      await this.#lockOpenSession(q, sessionId);
      if (columns.length === 0) return;
      await q.run(`UPDATE sessions SET ${columns.map(([c]) => `${c} = ?`).join(', ')} WHERE session_id = ?`, [...columns.map(([, v]) => v), sessionId]);
    });
  }

  async startSegment(sessionId: string, kind: SegmentKind, at?: number): Promise<void> {
    validateSessionId(sessionId, 'startSegment');
    validateSegmentKind(kind, 'startSegment');
    const t = validateTime(at, 'startSegment') ?? this.#now();
    await this.#write(async (q) => {
      await this.#lockOpenSession(q, sessionId);
      await q.run(
        `INSERT INTO segments (session_id, seq, kind, started_at)
         SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ? FROM segments WHERE session_id = ?`,
        [sessionId, kind, t, sessionId],
      );
    });
  }

  async endSegment(sessionId: string, kind: SegmentKind, at?: number): Promise<void> {
    validateSessionId(sessionId, 'endSegment');
    validateSegmentKind(kind, 'endSegment');
    const t = validateTime(at, 'endSegment') ?? this.#now();
    await this.#write(async (q) => {
      await this.#lockOpenSession(q, sessionId);
      const changed = await q.run(
        `UPDATE segments SET ended_at = ? WHERE session_id = ? AND seq =
           (SELECT MAX(seq) FROM segments WHERE session_id = ? AND kind = ? AND ended_at IS NULL)`,
        [t, sessionId, sessionId, kind],
      );
      if (changed === 0) throw storeError('ERR_STORE_SEGMENT_NOT_OPEN', { sessionId, kind });
    });
  }

  async recordAttempt(sessionId: string, field: AttemptField): Promise<void> {
    validateSessionId(sessionId, 'recordAttempt');
    validateAttemptField(field, 'recordAttempt');
    await this.#write(async (q) => {
      await this.#lockOpenSession(q, sessionId);
      await q.run(
        `INSERT INTO attempts (session_id, field, n) VALUES (?, ?, 1)
         ON CONFLICT (session_id, field) DO UPDATE SET n = attempts.n + 1`,
        [sessionId, field],
      );
    });
  }

  async recordCharge(sessionId: string, charge: { attempt: number; idempotencyKey: string; at?: number }): Promise<void> {
    validateSessionId(sessionId, 'recordCharge');
    const c = validateCharge(charge);
    const at = c.at ?? this.#now();
    await uniqueAs(this.#write(async (q) => {
      await this.#lockOpenSession(q, sessionId);
      await q.run(`INSERT INTO charges (session_id, attempt, idempotency_key, at) VALUES (?, ?, ?, ?)`, [sessionId, c.attempt, c.idempotencyKey, at]);
      await this.#append(q, {
        type: 'payment.charge_started', actor: CALL_ACTOR, success: true,
        resource: { type: 'session', id: sessionId }, detail: { attempt: String(c.attempt) }, at,
      });
    }), () => storeError('ERR_STORE_DUPLICATE_ATTEMPT', { sessionId, attempt: c.attempt }));
  }

  async recordDecline(sessionId: string, decline: { attempt: number; reason: DeclineReason; gatewayCode?: string; at?: number }): Promise<void> {
    validateSessionId(sessionId, 'recordDecline');
    const d = validateDecline(decline);
    const at = d.at ?? this.#now();
    await uniqueAs(this.#write(async (q) => {
      await this.#lockOpenSession(q, sessionId);
      await q.run(`INSERT INTO declines (session_id, attempt, reason, gateway_code, at) VALUES (?, ?, ?, ?, ?)`, [
        sessionId, d.attempt, d.reason, d.gatewayCode ?? null, at,
      ]);
      await this.#append(q, {
        type: 'payment.declined', actor: CALL_ACTOR, success: false,
        resource: { type: 'session', id: sessionId }, detail: { attempt: String(d.attempt), reason: d.reason }, at,
      });
    }), () => storeError('ERR_STORE_DUPLICATE_ATTEMPT', { sessionId, attempt: d.attempt }));
  }

  async finishSession(sessionId: string, finish: SessionFinish): Promise<SessionRecord> {
    validateSessionId(sessionId, 'finishSession');
    const f = validateFinish(finish);
    const at = f.endedAt ?? this.#now();
    return this.#write(async (q) => {
      await this.#lockOpenSession(q, sessionId);
      await q.run(`UPDATE segments SET ended_at = ? WHERE session_id = ? AND ended_at IS NULL`, [at, sessionId]);
      await q.run(
        `UPDATE sessions SET ended_at = ?, result = ?, next_action = ?, failure_reason = ?,
           transaction_ref = COALESCE(?, transaction_ref), disconnect_reason = COALESCE(?, disconnect_reason)
         WHERE session_id = ?`,
        [at, f.result, f.nextAction, f.failureReason, f.transactionRef ?? null, f.disconnectReason ?? null, sessionId],
      );
      const detail: Record<string, string> = { result: f.result, nextAction: f.nextAction };
      if (f.failureReason) detail.failureReason = f.failureReason;
      await this.#append(q, {
        type: 'session.finished', actor: CALL_ACTOR, success: f.result === 'approved',
        resource: { type: 'session', id: sessionId }, detail, at,
      });
      const record = await this.#load(q, sessionId);
      return record!;
    });
  }

  async getSession(sessionId: string): Promise<SessionRecord | undefined> {
    return this.#read((q) => this.#load(q, sessionId));
  }

  async listSessions(query: SessionQuery = {}): Promise<SessionRecord[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (query.conversationId !== undefined) (where.push('conversation_id = ?'), params.push(query.conversationId));
    if (query.organizationId !== undefined) (where.push('organization_id = ?'), params.push(query.organizationId));
    if (query.connectorId !== undefined) (where.push('connector_id = ?'), params.push(query.connectorId));
    if (query.from !== undefined) (where.push('started_at >= ?'), params.push(query.from));
    if (query.to !== undefined) (where.push('started_at < ?'), params.push(query.to));
    if (query.unfinished) where.push('ended_at IS NULL');
    const limit = Math.max(1, Math.min(10_000, Math.trunc(query.limit ?? 100)));
    return this.#read(async (q) => {
      const rows = await q.all(
        `SELECT session_id FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY started_at DESC, session_id LIMIT ${limit}`,
        params,
      );
      const records: SessionRecord[] = [];
      for (const r of rows) records.push((await this.#load(q, String(r.session_id)))!);
      return records;
    });
  }

  async appendAudit(event: AuditEventInput): Promise<AuditEvent> {
    const e = validateAudit(event);
    return this.#write((q) => this.#append(q, e));
  }

  async listAudit(options: { afterSeq?: number; limit?: number; resourceId?: string } = {}): Promise<AuditEvent[]> {
    const limit = Math.max(1, Math.min(10_000, Math.trunc(options.limit ?? 1000)));
    const params: SqlValue[] = [options.afterSeq ?? 0];
    let filter = '';
    if (options.resourceId !== undefined) (filter = 'AND resource_id = ?'), params.push(options.resourceId);
    return this.#read(async (q) =>
      (await q.all(`SELECT * FROM audit_events WHERE seq > ? ${filter} ORDER BY seq LIMIT ${limit}`, params)).map(auditFromRow),
    );
  }

  async verifyAuditChain(): Promise<ChainVerdict> {
    return this.#read(async (q) => {
      const verifier = new ChainVerifier();
      let after = 0;
      for (;;) {
        const page = (await q.all(`SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ${VERIFY_PAGE}`, [after])).map(auditFromRow);
        if (page.length === 0 || !verifier.push(page)) break;
        after = page[page.length - 1]!.seq;
      }
      const head = (await q.all(`SELECT last_seq, last_hash FROM audit_head WHERE id = 1`))[0];
      return verifier.finish(head ? { lastSeq: num(head.last_seq), lastHash: String(head.last_hash) } : { lastSeq: -1, lastHash: GENESIS_HASH });
    });
  }

  async report(input: ReportQuery): Promise<ReportRow[]> {
    const query = validateReportQuery(input);
    const where = ['s.started_at >= ?', 's.started_at < ?'];
    const params: SqlValue[] = [query.from, query.to];
    if (query.connectorId !== undefined) (where.push('s.connector_id = ?'), params.push(query.connectorId));
    if (query.organizationId !== undefined) (where.push('s.organization_id = ?'), params.push(query.organizationId));
    const cond = where.join(' AND ');
    return this.#read(async (q) => {
      const sessions = await q.all(`SELECT s.session_id, s.connector_id, s.started_at, s.ended_at, s.result, s.next_action FROM sessions s WHERE ${cond}`, params);
      const byId = new Map<string, ReportInput & { segments: Segment[]; declineReasons: DeclineReason[] }>();
      for (const r of sessions) {
        byId.set(String(r.session_id), {
          connectorId: String(r.connector_id), startedAt: num(r.started_at), endedAt: optNum(r.ended_at),
          result: optStr(r.result) as ResultKind | undefined, nextAction: optStr(r.next_action), segments: [], declineReasons: [],
        });
      }
      for (const r of await q.all(`SELECT g.session_id, g.kind, g.started_at, g.ended_at FROM segments g JOIN sessions s ON s.session_id = g.session_id WHERE ${cond}`, params)) {
        byId.get(String(r.session_id))?.segments.push({ kind: String(r.kind) as SegmentKind, startedAt: num(r.started_at), endedAt: optNum(r.ended_at) });
      }
      for (const r of await q.all(`SELECT d.session_id, d.reason FROM declines d JOIN sessions s ON s.session_id = d.session_id WHERE ${cond}`, params)) {
        byId.get(String(r.session_id))?.declineReasons.push(String(r.reason) as DeclineReason);
      }
      return aggregateReport(byId.values(), query.bucket);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#driver.close();
  }

  #write<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(storeError('ERR_STORE_CLOSED'));
    return this.#driver.write(fn);
  }

  #read<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(storeError('ERR_STORE_CLOSED'));
    return this.#driver.read(fn);
  }

  /** Existence and not-finished check; on PostgreSQL also a row lock against concurrent writers of the session. */
  async #lockOpenSession(q: SqlQuery, sessionId: string): Promise<void> {
    const lock = this.kind === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await q.all(`SELECT ended_at FROM sessions WHERE session_id = ?${lock}`, [sessionId]);
    if (rows.length === 0) throw storeError('ERR_STORE_SESSION_UNKNOWN', { sessionId });
    if (rows[0]!.ended_at !== null && rows[0]!.ended_at !== undefined) throw storeError('ERR_STORE_SESSION_FINISHED', { sessionId });
  }

  /** Links one event after the chain head, inside the caller's write transaction. */
  async #append(q: SqlQuery, e: AuditEventInput): Promise<AuditEvent> {
    // FOR UPDATE serializes appenders across PostgreSQL connections and instances; SQLite's
    // BEGIN IMMEDIATE already holds the database write lock.
    const lock = this.kind === 'postgres' ? ' FOR UPDATE' : '';
    const head = (await q.all(`SELECT last_seq, last_hash FROM audit_head WHERE id = 1${lock}`))[0];
    if (!head) throw storeError('ERR_STORE_OPEN_FAILED', { reason: 'audit_head row missing' });
    const event = linkEvent(String(head.last_hash), {
      seq: num(head.last_seq) + 1,
      at: e.at ?? this.#now(),
      type: e.type,
      actor: e.actor,
      success: e.success,
      origin: e.remoteAddress === undefined ? { instanceId: this.instanceId } : { instanceId: this.instanceId, remoteAddress: e.remoteAddress },
      ...(e.resource ? { resource: e.resource } : {}),
      ...(e.detail && Object.keys(e.detail).length > 0 ? { detail: e.detail } : {}),
    });
    await q.run(
      `INSERT INTO audit_events (seq, at, event_type, actor_type, actor_id, success, instance_id, remote_address, resource_type, resource_id, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        event.seq, event.at, event.type, event.actor.type, event.actor.id, event.success ? 1 : 0, event.origin.instanceId,
        event.origin.remoteAddress ?? null, event.resource?.type ?? null, event.resource?.id ?? null,
        event.detail ? JSON.stringify(event.detail) : null, event.prevHash, event.hash,
      ],
    );
    await q.run(`UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1`, [event.seq, event.hash]);
    return event;
  }

  async #load(q: SqlQuery, sessionId: string): Promise<SessionRecord | undefined> {
    const r = (await q.all(`SELECT * FROM sessions WHERE session_id = ?`, [sessionId]))[0];
    if (!r) return undefined;
    const segments = await q.all(`SELECT kind, started_at, ended_at FROM segments WHERE session_id = ? ORDER BY seq`, [sessionId]);
    const attempts = await q.all(`SELECT field, n FROM attempts WHERE session_id = ?`, [sessionId]);
    const charges = await q.all(`SELECT attempt, idempotency_key, at FROM charges WHERE session_id = ? ORDER BY attempt`, [sessionId]);
    const declines = await q.all(`SELECT attempt, reason, gateway_code, at FROM declines WHERE session_id = ? ORDER BY attempt`, [sessionId]);
    const counts = Object.fromEntries(ATTEMPT_FIELDS.map((f) => [f, 0])) as Record<AttemptField, number>;
    for (const a of attempts) counts[String(a.field) as AttemptField] = num(a.n);
    const record: SessionRecord = {
      sessionId: String(r.session_id),
      conversationId: String(r.conversation_id),
      organizationId: String(r.organization_id),
      connectorId: String(r.connector_id),
      mode: String(r.mode) as Mode,
      instanceId: String(r.instance_id),
      startedAt: num(r.started_at),
      segments: segments.map((g) => {
        const seg: Segment = { kind: String(g.kind) as SegmentKind, startedAt: num(g.started_at) };
        if (g.ended_at !== null && g.ended_at !== undefined) seg.endedAt = num(g.ended_at);
        return seg;
      }),
      attempts: counts,
      charges: charges.map((c) => ({ attempt: num(c.attempt), idempotencyKey: String(c.idempotency_key), at: num(c.at) })),
      declines: declines.map((d) => {
        const out: SessionRecord['declines'][number] = { attempt: num(d.attempt), reason: String(d.reason) as DeclineReason, at: num(d.at) };
        if (d.gateway_code !== null && d.gateway_code !== undefined) out.gatewayCode = String(d.gateway_code);
        return out;
      }),
    };
    const optional: [keyof SessionRecord, unknown][] = [
      ['endedAt', optNum(r.ended_at)], ['amountMinor', optNum(r.amount_minor)], ['currency', optStr(r.currency)],
      ['brand', optStr(r.brand)], ['last4', optStr(r.last4)], ['transactionRef', optStr(r.transaction_ref)],
      ['disconnectReason', optStr(r.disconnect_reason)],
    ];
    for (const [k, v] of optional) if (v !== undefined) (record as unknown as Record<string, unknown>)[k] = v;
    if (r.result !== null && r.result !== undefined) {
      record.outcome = { result: String(r.result) as ResultKind, nextAction: String(r.next_action) as NextAction, failureReason: String(r.failure_reason ?? '') };
    }
    return record;
  }
}
