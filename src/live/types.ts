// The card-free vocabulary of the live view: one session's state as the agent and supervisor
// pages show it, and the events the hub publishes. Nothing here can hold a digit value: fields
// carry counts, enums and short identifiers only (schema.ts enforces it at runtime).

/** The fields of the agent's checklist, in the order the dialog collects them. */
export const LIVE_FIELDS = ['amount', 'cardNumber', 'expiry', 'securityCode'] as const;
export type LiveField = (typeof LIVE_FIELDS)[number];

/**
 * pending: not reached yet; in_progress: being keyed (or asked again); valid: accepted and
 * awaiting the caller's confirmation (or accepted without read-back); invalid: the last entry was
 * rejected; confirmed: the caller confirmed it; not_required: the flow set it (a fixed amount) or
 * the connector does not ask for it.
 */
export const FIELD_STATUSES = ['pending', 'in_progress', 'valid', 'invalid', 'confirmed', 'not_required'] as const;
export type FieldStatus = (typeof FIELD_STATUSES)[number];

export interface LiveFieldState {
  field: LiveField;
  status: FieldStatus;
  /** Keys entered so far in the current entry (a count, never the keys). */
  digits: number;
  /** Entries of this field so far (1 on the first ask). */
  entries: number;
  /** Entries rejected (invalid or not confirmed by the caller). */
  rejections: number;
}

export const LIVE_PHASES = ['starting', 'collecting', 'confirming', 'charging', 'finished', 'ended'] as const;
export type LivePhase = (typeof LIVE_PHASES)[number];

export const GATEWAY_STATES = ['idle', 'in_progress', 'declined', 'done'] as const;
export type GatewayState = (typeof GATEWAY_STATES)[number];

export interface LiveOutcome {
  result: string;
  nextAction: string;
  /** Empty when approved. */
  failureReason: string;
  transactionRef?: string;
}

export interface LiveSession {
  /** Hub-assigned key of this session (a conversation may hold several). */
  id: string;
  conversationId: string;
  connectorId: string;
  /** The instance that runs the call (several instances share a fan-out channel). */
  instanceId: string;
  mode: string;
  language: string;
  phase: LivePhase;
  /** The field being collected or confirmed now. */
  current?: LiveField;
  fields: LiveFieldState[];
  brand?: string;
  /** A card-entry window is open (the recording is masked). */
  secure: boolean;
  gateway: GatewayState;
  chargeAttempts: number;
  declines: number;
  outcome?: LiveOutcome;
  /** Wall-clock epoch ms. */
  startedAt: number;
  updatedAt: number;
  endedAt?: number;
}

/** What the hub publishes: a whole snapshot on each change (small; no diffs to replay). */
export type LiveEvent = { type: 'session'; session: LiveSession };
