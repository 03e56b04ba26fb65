// Shape checks for every write, then the card-data guard: a write that fails either is refused
// before any SQL runs. Errors name the field that failed, never its value.
import { z } from 'zod';
import { assertCardFree } from './card-guard.js';
import { storeError } from './errors.js';
import {
  ACTOR_TYPES, ATTEMPT_FIELDS, DECLINE_REASONS, MODES, NEXT_ACTIONS, RESULT_KINDS, SEGMENT_KINDS,
  type AttemptField, type AuditEventInput, type ChargeAttempt, type Decline, type ReportQuery, type SegmentKind,
  type SessionFinish, type SessionPatch, type SessionStart,
} from './types.js';

// Printable text without control characters: keeps log and terminal output of ids safe.
const text = (max: number) => z.string().min(1).max(max).regex(/^[^\p{Cc}]*$/u, 'control characters');
const id = text(128);
const epochMs = z.number().int().min(0).max(8.64e15);
const actor = z.strictObject({ type: z.enum(ACTOR_TYPES), id: text(128) });

const sessionStart = z.strictObject({
  sessionId: id,
  conversationId: id,
  organizationId: id,
  connectorId: id,
  mode: z.enum(MODES),
  startedAt: epochMs.optional(),
  amountMinor: z.number().int().min(0).max(1e12).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  remoteAddress: text(64).optional(),
  actor: actor.optional(),
});

const sessionPatch = z.strictObject({
  amountMinor: z.number().int().min(0).max(1e12).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  brand: z.string().regex(/^[a-z0-9_-]{1,32}$/).optional(),
  last4: z.string().regex(/^\d{4}$/).optional(),
  transactionRef: text(128).optional(),
  disconnectReason: text(64).optional(),
});

const sessionFinish = z.strictObject({
  result: z.enum(RESULT_KINDS),
  nextAction: z.enum(NEXT_ACTIONS),
  failureReason: z.string().max(64).regex(/^[^\p{Cc}]*$/u),
  transactionRef: text(128).optional(),
  disconnectReason: text(64).optional(),
  endedAt: epochMs.optional(),
});

const charge = z.strictObject({ attempt: z.number().int().min(1).max(1000), idempotencyKey: text(255), at: epochMs.optional() });
const decline = z.strictObject({
  attempt: z.number().int().min(1).max(1000),
  reason: z.enum(DECLINE_REASONS),
  gatewayCode: text(64).optional(),
  at: epochMs.optional(),
});

const auditInput = z.strictObject({
  type: z.string().max(64).regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/),
  actor,
  success: z.boolean(),
  remoteAddress: text(64).optional(),
  resource: z.strictObject({ type: text(32), id }).optional(),
  detail: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/), z.string().max(256)).optional(),
  at: epochMs.optional(),
});

const reportQuery = z
  .strictObject({ from: epochMs, to: epochMs, bucket: z.enum(['hour', 'day']), connectorId: id.optional(), organizationId: id.optional() })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'to before from' });

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Only the path and zod's issue code: the message could quote the value.
    throw storeError('ERR_STORE_INVALID_RECORD', { write: what, field: issue?.path.join('.') ?? '', issue: issue?.code });
  }
  assertCardFree(parsed.data, what);
  if (parsed.data && typeof parsed.data === 'object' && 'detail' in parsed.data && parsed.data.detail) {
    const entries = Object.keys(parsed.data.detail as object).length;
    if (entries > 16) throw storeError('ERR_STORE_INVALID_RECORD', { write: what, field: 'detail', issue: 'too_big' });
  }
  return parsed.data;
}

export const validateStart = (v: SessionStart): SessionStart => check(sessionStart, v, 'startSession');
export const validatePatch = (v: SessionPatch): SessionPatch => check(sessionPatch, v, 'updateSession');
export const validateFinish = (v: SessionFinish): SessionFinish => check(sessionFinish, v, 'finishSession');
export const validateCharge = (v: Omit<ChargeAttempt, 'at'> & { at?: number }) => check(charge, v, 'recordCharge');
export const validateDecline = (v: Omit<Decline, 'at'> & { at?: number }) => check(decline, v, 'recordDecline');
export const validateAudit = (v: AuditEventInput): AuditEventInput => check(auditInput, v, 'appendAudit');
export const validateSessionId = (v: string, what: string): string => check(id, v, what);
export const validateSegmentKind = (v: SegmentKind, what: string): SegmentKind => check(z.enum(SEGMENT_KINDS), v, what);
export const validateAttemptField = (v: AttemptField, what: string): AttemptField => check(z.enum(ATTEMPT_FIELDS), v, what);
export const validateTime = (v: number | undefined, what: string): number | undefined => check(epochMs.optional(), v, what);
export const validateReportQuery = (v: ReportQuery): ReportQuery => check(reportQuery, v, 'report');
