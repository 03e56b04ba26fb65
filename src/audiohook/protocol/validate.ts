// Runtime guards for every client -> server AudioHook message. Pure and total: any input, however
// hostile, yields a result value and never an exception. Details name the failing field path from
// our own schema, never a value from the input, so they are safe to log.
import type {
  ClientMessage,
  ClientMessageType,
  ClientParametersMap,
  MediaParameter,
} from './messages.js';
import { MAX_TEXT_MESSAGE_BYTES, PROTOCOL_VERSION } from './messages.js';
import { isDuration, SAMPLE_RATE } from './duration.js';
import type { ProtocolFaultCode } from '../errors.js';

/** The envelope fields every client message carries, checked before any parameter. */
export interface ClientEnvelopeHeader {
  readonly version: '2';
  readonly id: string;
  readonly type: string;
  readonly seq: number;
  readonly serverseq: number;
  readonly position: string;
  readonly parameters: Record<string, unknown>;
}

export type ValidationFault = { readonly ok: false; readonly code: ProtocolFaultCode; readonly detail: string };
export type EnvelopeResult = { readonly ok: true; readonly envelope: ClientEnvelopeHeader } | ValidationFault;
export type ParametersResult =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly code: 'ERR_PROTO_BAD_PARAMETERS'; readonly detail: string }
  /** A well-formed envelope with a type this server does not know: log and ignore, or reject. */
  | { readonly ok: false; readonly code: 'ERR_PROTO_UNKNOWN_TYPE'; readonly detail: string; readonly unknownType: true };
export type ValidateResult = ParametersResult | ValidationFault;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Keys that could reach an object's prototype if a consumer ever copied with Object.assign. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** customConfig may nest, but a bounded walk keeps hostile documents cheap to check. */
const MAX_JSON_NODES = 10_000;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isSeqNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A protocol duration whose sample count is still an exact integer. */
export function isSafeDuration(value: unknown): value is string {
  return isDuration(value) && Number(value.slice(2, -1)) * SAMPLE_RATE <= Number.MAX_SAFE_INTEGER;
}

function hasForbiddenKey(obj: Record<string, unknown>): boolean {
  for (const key of Object.keys(obj)) if (FORBIDDEN_KEYS.has(key)) return true;
  return false;
}

/** Iterative (no recursion, so no stack overflow) walk refusing prototype keys and huge documents. */
function isSafeJsonObject(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const stack: unknown[] = [value];
  let nodes = 0;
  while (stack.length > 0) {
    const node = stack.pop();
    if (++nodes > MAX_JSON_NODES) return false;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) stack.push(item);
    } else if (typeof node === 'object' && node !== null) {
      if (!isPlainObject(node) || hasForbiddenKey(node)) return false;
      for (const item of Object.values(node)) if (typeof item === 'object' && item !== null) stack.push(item);
    }
  }
  return true;
}

/** A flow-variable map: own string keys (no prototype keys) to string values. */
export function isStringMap(value: unknown): value is Record<string, string> {
  if (!isPlainObject(value) || hasForbiddenKey(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

function isOptional(value: unknown, guard: (v: unknown) => boolean): boolean {
  return value === undefined || guard(value);
}

// A string-union's runtime list written as an object literal keyed by the union, so adding a
// member to the type without adding it here fails to compile (and vice versa).
function unionOf<T extends string>(members: { readonly [K in T]: true }): ReadonlySet<string> {
  return new Set(Object.keys(members));
}
const MEDIA_CHANNELS = unionOf<MediaParameter['channels'][number]>({ external: true, internal: true });
const MEDIA_FORMATS = unionOf<MediaParameter['format']>({ PCMU: true, L16: true });
const CLOSE_REASONS = unionOf<ClientParametersMap['close']['reason']>({
  end: true,
  error: true,
  disconnect: true,
  reconnect: true,
});
const DTMF_DIGITS = unionOf<ClientParametersMap['dtmf']['digit']>({
  '0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true,
  '8': true, '9': true, '*': true, '#': true, A: true, B: true, C: true, D: true,
});

export function isMediaParameter(value: unknown): value is MediaParameter {
  if (!isPlainObject(value) || hasForbiddenKey(value)) return false;
  const { type, format, channels, rate } = value;
  if (type !== 'audio' || typeof format !== 'string' || !MEDIA_FORMATS.has(format) || rate !== 8000) return false;
  if (!Array.isArray(channels) || channels.length < 1 || channels.length > 2) return false;
  if (!channels.every((c) => typeof c === 'string' && MEDIA_CHANNELS.has(c))) return false;
  return channels.length === 1 || channels[0] !== channels[1];
}

function isParticipant(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  return isUuid(value.id) && typeof value.ani === 'string' && typeof value.aniName === 'string' && typeof value.dnis === 'string';
}

function isContinuedSession(value: unknown): boolean {
  return isPlainObject(value) && isUuid(value.id) && isSeqNumber(value.serverseq) && isSeqNumber(value.clientseq);
}

type Params = Record<string, unknown>;
/** Returns null when valid, else the path of the first failing field. */
type ParameterChecker = (p: Params) => string | null;

function firstFailure(checks: ReadonlyArray<readonly [boolean, string]>): string | null {
  for (const [ok, path] of checks) if (!ok) return path;
  return null;
}

const emptyOk: ParameterChecker = () => null;
const gapChecker: ParameterChecker = (p) =>
  firstFailure([
    [isSafeDuration(p.start), 'parameters.start'],
    [isSafeDuration(p.discarded), 'parameters.discarded'],
  ]);

/** One checker per client message type; the mapped type makes a forgotten type a compile error. */
const parameterCheckers: { readonly [T in ClientMessageType]: ParameterChecker } = {
  open: (p) =>
    firstFailure([
      [isUuid(p.organizationId), 'parameters.organizationId'],
      [isUuid(p.conversationId), 'parameters.conversationId'],
      [isParticipant(p.participant), 'parameters.participant'],
      [Array.isArray(p.media) && p.media.length <= 64, 'parameters.media'],
      [Array.isArray(p.media) && p.media.every(isMediaParameter), 'parameters.media[]'],
      [isOptional(p.language, (v) => typeof v === 'string' && v.length <= 64), 'parameters.language'],
      [isOptional(p.supportedLanguages, (v) => typeof v === 'boolean'), 'parameters.supportedLanguages'],
      [
        isOptional(p.continuedSessions, (v) => Array.isArray(v) && v.length <= 64 && v.every(isContinuedSession)),
        'parameters.continuedSessions',
      ],
      [isOptional(p.customConfig, isSafeJsonObject), 'parameters.customConfig'],
      [isOptional(p.inputVariables, isStringMap), 'parameters.inputVariables'],
    ]),
  close: (p) => (typeof p.reason === 'string' && CLOSE_REASONS.has(p.reason) ? null : 'parameters.reason'),
  ping: (p) => (isOptional(p.rtt, isSafeDuration) ? null : 'parameters.rtt'),
  paused: emptyOk,
  resumed: gapChecker,
  discarded: gapChecker,
  update: (p) => (isOptional(p.language, (v) => typeof v === 'string' && v.length <= 64) ? null : 'parameters.language'),
  error: (p) =>
    firstFailure([
      [typeof p.code === 'number' && Number.isInteger(p.code) && p.code >= 100 && p.code <= 9999, 'parameters.code'],
      [typeof p.message === 'string', 'parameters.message'],
      [isOptional(p.retryAfter, isSafeDuration), 'parameters.retryAfter'],
    ]),
  dtmf: (p) => (typeof p.digit === 'string' && DTMF_DIGITS.has(p.digit) ? null : 'parameters.digit'),
  playback_started: emptyOk,
  playback_completed: emptyOk,
};

export function isClientMessageType(type: string): type is ClientMessageType {
  return Object.prototype.hasOwnProperty.call(parameterCheckers, type);
}

/** Parses one text frame; the size limit is checked first so a huge frame is never parsed. */
export function parseClientText(text: string): { ok: true; value: unknown } | ValidationFault {
  // UTF-8 is at most 3 bytes per UTF-16 unit, so short strings skip the byte count.
  if (text.length > MAX_TEXT_MESSAGE_BYTES || (text.length * 3 > MAX_TEXT_MESSAGE_BYTES && Buffer.byteLength(text, 'utf8') > MAX_TEXT_MESSAGE_BYTES)) {
    return { ok: false, code: 'ERR_PROTO_TEXT_TOO_LARGE', detail: 'text' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, code: 'ERR_PROTO_BAD_JSON', detail: 'text' };
  }
}

/** Checks the envelope only (pure); the type may still be unknown. */
export function validateEnvelope(value: unknown): EnvelopeResult {
  try {
    return checkEnvelope(value);
  } catch {
    // Only a non-JSON value (a proxy or throwing getter handed in by code) can get here.
    return { ok: false, code: 'ERR_PROTO_BAD_ENVELOPE', detail: 'message' };
  }
}

function checkEnvelope(value: unknown): EnvelopeResult {
  const bad = (detail: string): ValidationFault => ({ ok: false, code: 'ERR_PROTO_BAD_ENVELOPE', detail });
  if (!isPlainObject(value)) return bad('message');
  if (hasForbiddenKey(value)) return bad('message');
  if (value.version !== PROTOCOL_VERSION) {
    return typeof value.version === 'string'
      ? { ok: false, code: 'ERR_PROTO_BAD_VERSION', detail: 'version' }
      : bad('version');
  }
  if (!isUuid(value.id)) return bad('id');
  if (typeof value.type !== 'string' || value.type.length === 0 || value.type.length > 64) return bad('type');
  if (!isSeqNumber(value.seq)) return bad('seq');
  if (!isSeqNumber(value.serverseq)) return bad('serverseq');
  if (!isSafeDuration(value.position)) return bad('position');
  if (!isPlainObject(value.parameters) || hasForbiddenKey(value.parameters)) return bad('parameters');
  return { ok: true, envelope: value as unknown as ClientEnvelopeHeader };
}

/** Checks the type and its parameters on an envelope that already passed validateEnvelope (pure). */
export function validateParameters(envelope: ClientEnvelopeHeader): ParametersResult {
  if (!isClientMessageType(envelope.type)) {
    return { ok: false, code: 'ERR_PROTO_UNKNOWN_TYPE', detail: 'type', unknownType: true };
  }
  let failure: string | null;
  try {
    failure = parameterCheckers[envelope.type](envelope.parameters);
  } catch {
    failure = 'parameters';
  }
  if (failure !== null) return { ok: false, code: 'ERR_PROTO_BAD_PARAMETERS', detail: failure };
  return { ok: true, message: envelope as unknown as ClientMessage };
}

/** Envelope then parameters: the whole check for one parsed client message (pure, never throws). */
export function validateClientMessage(value: unknown): ValidateResult {
  const envelope = validateEnvelope(value);
  if (!envelope.ok) return envelope;
  return validateParameters(envelope.envelope);
}

/** A type name safe to log: unknown types are client input, so only a short plain word passes. */
export function loggableType(type: unknown): string {
  return typeof type === 'string' && /^[A-Za-z_]{1,40}$/.test(type) ? type : '[unprintable]';
}
