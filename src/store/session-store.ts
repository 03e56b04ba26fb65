// The one interface the call layer, the reports API and the audit-log command use. Every write
// method resolves only after its transaction has committed (SQLite synchronous=FULL, PostgreSQL
// COMMIT acknowledged), so "the promise resolved" means "a crash from here on loses nothing".
import type {
  AttemptField, AuditEvent, AuditEventInput, ChainVerdict, ReportQuery, ReportRow, SegmentKind,
  SessionFinish, SessionPatch, SessionQuery, SessionRecord, SessionStart,
} from './types.js';

export interface SessionStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly instanceId: string;

  /** Records a new session and its `session.started` audit event in one transaction. */
  startSession(start: SessionStart): Promise<void>;
  updateSession(sessionId: string, patch: SessionPatch): Promise<void>;
  startSegment(sessionId: string, kind: SegmentKind, at?: number): Promise<void>;
  /** Ends the latest open segment of `kind`. */
  endSegment(sessionId: string, kind: SegmentKind, at?: number): Promise<void>;
  /** Counts one entry of `field` (a card number typed, an expiry typed, ...). */
  recordAttempt(sessionId: string, field: AttemptField): Promise<void>;
  /** Call before the gateway request: the idempotency key is then durable for reconciliation. */
  recordCharge(sessionId: string, charge: { attempt: number; idempotencyKey: string; at?: number }): Promise<void>;
  recordDecline(sessionId: string, decline: { attempt: number; reason: SessionRecord['declines'][number]['reason']; gatewayCode?: string; at?: number }): Promise<void>;
  /** Closes the record (open segments end at `endedAt`) with its outcome and audit event. */
  finishSession(sessionId: string, finish: SessionFinish): Promise<SessionRecord>;

  getSession(sessionId: string): Promise<SessionRecord | undefined>;
  listSessions(query?: SessionQuery): Promise<SessionRecord[]>;

  appendAudit(event: AuditEventInput): Promise<AuditEvent>;
  /** Events in chain order, `afterSeq` exclusive. */
  listAudit(options?: { afterSeq?: number; limit?: number; resourceId?: string }): Promise<AuditEvent[]>;
  /** Recomputes the whole chain; the verdict names the first broken link. */
  verifyAuditChain(): Promise<ChainVerdict>;

  /** Per bucket and connector aggregates of sessions started in [from, to). */
  report(query: ReportQuery): Promise<ReportRow[]>;

  /** Idempotent; writes after close reject with ERR_STORE_CLOSED. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** This PayHook instance, recorded as the origin of every audit event; default: host name. */
  instanceId?: string;
  /** Wall clock for defaulted times (epoch ms); tests pass a fixed one. */
  now?: () => number;
}
