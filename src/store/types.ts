// The card-free record of one payment session and the audit events around it: what the call
// layer writes through SessionStore and what reports and the audit verifier read back.
// Times are wall-clock epoch milliseconds (UTC), never the monotonic Clock of the call.
import type { NextAction, ResultKind } from '../payment/dialog/types.js';
import { DECLINE_REASONS, type DeclineReason } from '../payment/gateway/types.js';

export type { NextAction, ResultKind, DeclineReason };
export { DECLINE_REASONS };

export const MODES = ['automated', 'agent_assisted'] as const;
export type Mode = (typeof MODES)[number];

export const SEGMENT_KINDS = ['ivr', 'secure_capture', 'gateway'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

// Runtime lists of the payment dialog's unions. The `Exact` checks break the build when the dialog
// adds or drops a value, so the store's validation cannot drift from what the dialog produces.
export const RESULT_KINDS = [
  'approved', 'declined', 'not_identified', 'cancelled', 'too_many_attempts', 'gateway_error', 'hung_up', 'invalid_request',
] as const;
export const NEXT_ACTIONS = ['continue', 'queue', 'agent'] as const;
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const resultKindsExact: Exact<(typeof RESULT_KINDS)[number], ResultKind> = true;
const nextActionsExact: Exact<(typeof NEXT_ACTIONS)[number], NextAction> = true;
void resultKindsExact;
void nextActionsExact;

/** Fields whose entries are counted (the dialog's CollectField). */
export const ATTEMPT_FIELDS = ['amountChoice', 'amount', 'cardNumber', 'expiry', 'securityCode'] as const;
export type AttemptField = (typeof ATTEMPT_FIELDS)[number];

/** What the call layer knows when the AudioHook session opens. */
export interface SessionStart {
  /** The AudioHook session id: the record's key (one conversation may hold several sessions). */
  sessionId: string;
  conversationId: string;
  organizationId: string;
  connectorId: string;
  mode: Mode;
  startedAt?: number;
  amountMinor?: number;
  /** ISO 4217 alphabetic code. */
  currency?: string;
  /** The remote address of the Genesys connection, for the audit origin. */
  remoteAddress?: string;
  /** Who opened it (e.g. the API key id Genesys presented); defaults to the call component. */
  actor?: AuditActor;
}

/** Fields the call layer learns during the session; absent keys are left unchanged. */
export interface SessionPatch {
  amountMinor?: number;
  currency?: string;
  brand?: string;
  last4?: string;
  transactionRef?: string;
  disconnectReason?: string;
}

export interface Segment {
  kind: SegmentKind;
  startedAt: number;
  /** undefined while the segment is open. */
  endedAt?: number;
}

export interface ChargeAttempt {
  attempt: number;
  /** Written before the gateway is called, so a crash mid-charge can be reconciled by key. */
  idempotencyKey: string;
  at: number;
}

export interface Decline {
  attempt: number;
  reason: DeclineReason;
  /** The gateway's own decline code (e.g. `do_not_honor`), when it gave one. */
  gatewayCode?: string;
  at: number;
}

export interface SessionFinish {
  result: ResultKind;
  nextAction: NextAction;
  /** Empty when approved. */
  failureReason: string;
  transactionRef?: string;
  /** The AudioHook disconnect reason sent or received (`completed`, `error`, ...). */
  disconnectReason?: string;
  endedAt?: number;
}

export interface SessionRecord {
  sessionId: string;
  conversationId: string;
  organizationId: string;
  connectorId: string;
  mode: Mode;
  /** The PayHook instance that ran the session. */
  instanceId: string;
  startedAt: number;
  endedAt?: number;
  segments: Segment[];
  /** undefined until finishSession. */
  outcome?: { result: ResultKind; nextAction: NextAction; failureReason: string };
  amountMinor?: number;
  currency?: string;
  brand?: string;
  last4?: string;
  transactionRef?: string;
  /** Entries per field (every key present, 0 when never entered). */
  attempts: Record<AttemptField, number>;
  charges: ChargeAttempt[];
  declines: Decline[];
  disconnectReason?: string;
}

export interface SessionQuery {
  conversationId?: string;
  organizationId?: string;
  connectorId?: string;
  /** Sessions started at or after this time. */
  from?: number;
  /** Sessions started before this time. */
  to?: number;
  /** Only sessions that were never finished (crashed or still running). */
  unfinished?: boolean;
  /** Newest first; default 100. */
  limit?: number;
}

// ---- audit trail (PCI DSS 10.2.2: user, type, time, success, origin, affected resource) ----

export const ACTOR_TYPES = ['component', 'api_key', 'agent', 'operator'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export interface AuditActor {
  type: ActorType;
  /** A component name, an API key id (never the key), an agent or operator id. */
  id: string;
}

export interface AuditEventInput {
  /** Dotted lowercase, e.g. `session.started`, `auth.rejected`, `config.changed`. */
  type: string;
  actor: AuditActor;
  success: boolean;
  /** Origin besides the instance id, which the store adds. */
  remoteAddress?: string;
  resource?: { type: string; id: string };
  /** Small card-free facts (error codes, outcome); string values only. */
  detail?: Record<string, string>;
  at?: number;
}

export interface AuditEvent {
  /** 1, 2, 3 ... with no gaps: the chain position. */
  seq: number;
  at: number;
  type: string;
  actor: AuditActor;
  success: boolean;
  origin: { instanceId: string; remoteAddress?: string };
  resource?: { type: string; id: string };
  detail?: Record<string, string>;
  /** Hex sha256 of the previous event (64 zeros for the first). */
  prevHash: string;
  /** Hex sha256(prevHash || canonical JSON of the event body). */
  hash: string;
}

export type ChainBreak =
  | 'hash_mismatch'
  | 'prev_hash_mismatch'
  | 'sequence_gap'
  | 'head_mismatch';

export type ChainVerdict =
  | { ok: true; count: number; headHash: string }
  | {
      ok: false;
      /** Events verified before the break. */
      count: number;
      /** The first event that fails (for head_mismatch: the head's claimed sequence). */
      seq: number;
      reason: ChainBreak;
    };

// ---- reports ----

export type ReportBucket = 'hour' | 'day';

export interface ReportQuery {
  /** Sessions started at or after (epoch ms). */
  from: number;
  /** Sessions started before (epoch ms). */
  to: number;
  bucket: ReportBucket;
  connectorId?: string;
  organizationId?: string;
}

export interface DurationStats {
  count: number;
  avgMs: number;
  /** Nearest-rank 95th percentile. */
  p95Ms: number;
}

export interface ReportRow {
  /** Bucket start, epoch ms (UTC hour or day). */
  bucketStart: number;
  connectorId: string;
  sessions: number;
  approved: number;
  /** Gateway declines (every declined attempt) by reason. */
  declinesByReason: Partial<Record<DeclineReason, number>>;
  /** Finished sessions by result. */
  results: Partial<Record<ResultKind, number>>;
  /** The caller hung up before an outcome (result hung_up). */
  abandoned: number;
  /** Started but never finished (crash, or still running). */
  unfinished: number;
  transfers: { queue: number; agent: number };
  /** Per session: the whole session, and the summed time in each segment kind. */
  durations: Partial<Record<'session' | SegmentKind, DurationStats>>;
}
