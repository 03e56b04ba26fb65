// Checks a server -> client text message the way a strict Genesys client would (reference client
// clientsessionimpl: any bad envelope or sequence ends the session with `error` then `close`).
// Pure and total. Violation messages are fixed text, never built from the input.
import { isDuration } from '../protocol/duration.js';
import {
  MAX_TEXT_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type MediaParameter,
  type ServerMessage,
  type ServerMessageType,
} from '../protocol/messages.js';

/** Client error codes as the protocol types them (research/audiohook.md 4.9). */
export type ClientErrorCode = 400 | 405 | 408 | 409 | 413 | 415 | 429 | 500 | 503;

export interface ServerFault {
  readonly code: ClientErrorCode;
  readonly message: string;
}

export interface ServerMessageContext {
  readonly sessionId: string;
  /** seq of the last server message accepted (0 before any). */
  readonly lastServerSeq: number;
  /** seq of the last message this client sent. */
  readonly lastClientSeq: number;
  /** The offers sent in `open`; `opened` must echo one verbatim. */
  readonly offers: readonly MediaParameter[];
  /** Probe sessions may be answered with an empty media list (seen from third-party servers). */
  readonly allowEmptyMedia: boolean;
}

export type ServerMessageResult =
  | { readonly ok: true; readonly message: ServerMessage }
  /** `seq` is the message's own seq when it had a usable one, so a client can resynchronise. */
  | { readonly ok: false; readonly fault: ServerFault; readonly type?: string; readonly seq?: number };

const SERVER_TYPES: { readonly [T in ServerMessageType]: true } = {
  opened: true,
  closed: true,
  pong: true,
  pause: true,
  resume: true,
  updated: true,
  disconnect: true,
  event: true,
  reconnect: true,
};
const DISCONNECT_REASONS = new Set(['completed', 'unauthorized', 'error']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Structural equality of JSON values; object key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

const fault = (code: ClientErrorCode, message: string, type?: string, seq?: number): ServerMessageResult => ({
  ok: false,
  fault: { code, message },
  type,
  seq,
});

function parametersFault(type: ServerMessageType, p: Record<string, unknown>, ctx: ServerMessageContext): string | null {
  switch (type) {
    case 'opened': {
      const media: unknown = p.media;
      if (!Array.isArray(media)) return 'Invalid opened media';
      if (media.length === 0 && !ctx.allowEmptyMedia) return 'No media selected';
      if (media.length > 1) return 'More than one media selected';
      if (media.length === 1 && !ctx.offers.some((o) => jsonEqual(o, media[0]))) return 'Selected media not one of the offered';
      if (p.startPaused !== undefined && typeof p.startPaused !== 'boolean') return 'Invalid startPaused';
      if (p.discardTo !== undefined && !isDuration(p.discardTo)) return 'Invalid discardTo';
      if (p.supportedLanguages !== undefined && !(Array.isArray(p.supportedLanguages) && p.supportedLanguages.every((l) => typeof l === 'string'))) {
        return 'Invalid supportedLanguages';
      }
      return null;
    }
    case 'disconnect': {
      if (typeof p.reason !== 'string' || !DISCONNECT_REASONS.has(p.reason)) return 'Invalid disconnect reason';
      if (p.info !== undefined && typeof p.info !== 'string') return 'Invalid disconnect info';
      if (p.outputVariables !== undefined && !(isObject(p.outputVariables) && Object.values(p.outputVariables).every((v) => typeof v === 'string'))) {
        return 'Invalid outputVariables';
      }
      return null;
    }
    case 'event': {
      const ok =
        Array.isArray(p.entities) && p.entities.every((e) => isObject(e) && typeof e.type === 'string' && isObject(e.data));
      return ok ? null : 'Invalid event entities';
    }
    case 'reconnect':
      return p.info !== undefined && typeof p.info !== 'string' ? 'Invalid reconnect info' : null;
    default:
      return null;
  }
}

/** Pure; checks envelope, sequence numbers and parameters, in the reference client's order. */
export function checkServerMessage(text: string, ctx: ServerMessageContext): ServerMessageResult {
  if (text.length > MAX_TEXT_MESSAGE_BYTES) return fault(413, 'Message too large');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fault(400, 'Invalid JSON');
  }
  if (!isObject(data)) return fault(400, 'Message is not an object');
  const type = typeof data.type === 'string' ? data.type : undefined;
  const seq = isSeq(data.seq) ? data.seq : undefined;
  if (data.version !== PROTOCOL_VERSION) return fault(400, 'Invalid version', type, seq);
  if (data.id !== ctx.sessionId) return fault(400, 'Session id mismatch', type, seq);
  if (seq !== ctx.lastServerSeq + 1) return fault(400, 'Invalid seq', type, seq);
  if (!isSeq(data.clientseq) || data.clientseq > ctx.lastClientSeq) return fault(400, 'Invalid clientseq', type, seq);
  if (type === undefined || !Object.hasOwn(SERVER_TYPES, type)) return fault(400, 'Unknown message type', type, seq);
  if (!isObject(data.parameters)) return fault(400, 'Invalid parameters', type, seq);
  const problem = parametersFault(type as ServerMessageType, data.parameters, ctx);
  if (problem) return fault(400, problem, type, seq);
  return { ok: true, message: data as unknown as ServerMessage };
}
