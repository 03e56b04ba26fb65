// Runtime whitelist of a live event. Every snapshot passes through it before it is published and
// again when it arrives from the fan-out channel (another instance, or a future version): unknown
// keys are dropped, strings must match short identifier shapes, numbers are bounded counts or
// epoch milliseconds. A value outside these shapes is refused, never passed through.
import { z } from 'zod';
import { FIELD_STATUSES, GATEWAY_STATES, LIVE_FIELDS, LIVE_PHASES, type LiveEvent } from './types.js';

const ident = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);
const word = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/);
const count = z.number().int().min(0).max(999);
const epochMs = z.number().int().min(0).max(8.64e15);

const fieldState = z.object({
  field: z.enum(LIVE_FIELDS),
  status: z.enum(FIELD_STATUSES),
  digits: count,
  entries: count,
  rejections: count,
});

const outcome = z.object({
  result: word,
  nextAction: word,
  failureReason: z.union([z.literal(''), word]),
  transactionRef: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/).optional(),
});

export const liveSessionSchema = z.object({
  id: ident,
  conversationId: ident,
  connectorId: ident,
  instanceId: ident,
  mode: word,
  language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/),
  phase: z.enum(LIVE_PHASES),
  current: z.enum(LIVE_FIELDS).optional(),
  fields: z.array(fieldState).length(LIVE_FIELDS.length),
  brand: word.optional(),
  secure: z.boolean(),
  gateway: z.enum(GATEWAY_STATES),
  chargeAttempts: count,
  declines: count,
  outcome: outcome.optional(),
  startedAt: epochMs,
  updatedAt: epochMs,
  endedAt: epochMs.optional(),
});

export const liveEventSchema = z.object({ type: z.literal('session'), session: liveSessionSchema });

export type ParsedLiveEvent = { ok: true; event: LiveEvent } | { ok: false; path: string };

/** Validates and copies a live event, dropping unknown keys. Pure. */
export function parseLiveEvent(input: unknown): ParsedLiveEvent {
  const r = liveEventSchema.safeParse(input);
  if (r.success) return { ok: true, event: r.data as LiveEvent };
  // Only the path of the first problem: the offending value must not reach a log.
  return { ok: false, path: r.error.issues[0]?.path.join('.') ?? '' };
}
