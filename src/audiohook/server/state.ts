// The server session's state, the events that drive it and the effects it asks for, plus the
// per-phase tables. Every table is keyed by the whole Phase union, so adding a phase breaks the
// build until each table decides what that phase allows (the reference server's StateToBooleanMap).
import type { AudiohookErrorCode, SessionFaultCode } from '../errors.js';
import type {
  ClientMessageType,
  CloseReason,
  DisconnectReason,
  DtmfDigit,
  Duration,
  EventEntity,
  MediaParameter,
  OpenParameters,
  ServerMessage,
  StringMap,
} from '../protocol/messages.js';
import type { Flavour } from './media-select.js';

export type Phase =
  /** Socket up, no `open` yet. */
  | 'awaiting-open'
  /** `open` received and checked; the call layer's onOpen hook is deciding. */
  | 'opening'
  | 'active'
  /** The client confirmed `paused` (or the session started paused). */
  | 'paused'
  /** We sent `disconnect` (completed/unauthorized, or an owner's reason); waiting for `close`. */
  | 'disconnecting'
  /** We sent `disconnect` reason error; nothing else is signalled; waiting for `close`. */
  | 'signaled-error'
  /** `close` received; the owner is flushing before we answer `closed`. */
  | 'closing'
  /** `closed` sent; waiting for the client to close the socket. */
  | 'closed'
  /** Socket gone or aborted; terminal. */
  | 'ended';

export type TimerName = 'open' | 'open-hook' | 'idle' | 'close' | 'close-hook' | 'linger';

export interface SessionTimeouts {
  /** No `open` within this long of the socket opening: close the socket. */
  readonly openTimeoutMs: number;
  /** The onOpen hook must decide within this long (Genesys gives up on `opened` after ~5 s). */
  readonly openHookTimeoutMs: number;
  /** Nothing (message or frame) from the client for this long while open: disconnect error. */
  readonly idleTimeoutMs: number;
  /** After our `disconnect`, no `close` within this long: close the socket. */
  readonly closeTimeoutMs: number;
  /** The owner's close hook must finish within this long; `closed` is sent regardless. */
  readonly closeHookTimeoutMs: number;
  /** After `closed`, the client should close the socket within this long, else we do. */
  readonly lingerMs: number;
}

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  openTimeoutMs: 5_000,
  openHookTimeoutMs: 800,
  idleTimeoutMs: 30_000,
  closeTimeoutMs: 10_000,
  closeHookTimeoutMs: 2_000,
  lingerMs: 5_000,
};

export interface SessionConfig {
  /** The Audiohook-Session-Id header; every message id must equal it. */
  readonly sessionId: string;
  /** The Audiohook-Organization-Id header; `open` must carry the same id when given. */
  readonly organizationId: string | undefined;
  readonly flavour: Flavour;
  readonly timeouts: SessionTimeouts;
}

export interface SessionState {
  readonly phase: Phase;
  readonly config: SessionConfig;
  /** Last server seq sent (0 before the first message). */
  readonly seq: number;
  /** Last client seq processed. */
  readonly clientseq: number;
  readonly media: MediaParameter | null;
  readonly probe: boolean;
  /** What `opened` will say when the hook accepts; pause()/resume() before opened change it. */
  readonly startPaused: boolean;
  /** The reason of the one `disconnect` we sent, if any. */
  readonly disconnected: DisconnectReason | null;
  /** Index (per channel) of the next inbound sample: audio bytes plus discarded gaps. */
  readonly positionSamples: number;
}

export function initialState(config: SessionConfig): SessionState {
  return {
    phase: 'awaiting-open',
    config,
    seq: 0,
    clientseq: 0,
    media: null,
    probe: false,
    startPaused: false,
    disconnected: null,
    positionSamples: 0,
  };
}

export type OpenDecision =
  | { readonly accept: true; readonly startPaused?: boolean; readonly discardTo?: Duration }
  | {
      readonly accept: false;
      readonly reason?: 'error' | 'unauthorized';
      /** Sent to Genesys as the disconnect info: fixed text, never built from input. */
      readonly info?: string;
      /** The caller's typed error code, logged (never sent). */
      readonly code?: string;
    };

/** Inputs to the transition: what the socket, the clock, the hooks and the owner's API produce. */
export type SessionEvent =
  | { readonly kind: 'text'; readonly text: string }
  /** Only the size: the pure core never sees audio bytes. */
  | { readonly kind: 'binary'; readonly byteLength: number }
  | { readonly kind: 'open-decided'; readonly decision: OpenDecision }
  | { readonly kind: 'open-hook-failed' }
  | { readonly kind: 'close-flushed' }
  | { readonly kind: 'timer'; readonly timer: TimerName }
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | {
      readonly kind: 'disconnect';
      readonly reason: DisconnectReason;
      readonly info?: string;
      readonly outputVariables?: StringMap;
    }
  | { readonly kind: 'send-event'; readonly entities: EventEntity[] }
  /** A server-side fault to signal with its registry info (backpressure, shutdown). */
  | { readonly kind: 'fault'; readonly code: SessionFaultCode }
  | { readonly kind: 'socket-closed' }
  | { readonly kind: 'abort' };

export interface StreamGap {
  readonly startSamples: number;
  readonly discardedSamples: number;
}

/** What the session tells its owner; the shell turns these into typed emitter events. */
export type SessionNotice =
  | { readonly type: 'opened'; readonly media: MediaParameter | null; readonly probe: boolean; readonly startPaused: boolean }
  | { readonly type: 'dtmf'; readonly digit: DtmfDigit; readonly positionSamples: number }
  | { readonly type: 'playbackstarted'; readonly positionSamples: number }
  | { readonly type: 'playbackcompleted'; readonly positionSamples: number }
  | { readonly type: 'paused' }
  | { readonly type: 'resumed'; readonly gap: StreamGap }
  | { readonly type: 'discarded'; readonly gap: StreamGap }
  | { readonly type: 'update'; readonly language: string | undefined }
  | { readonly type: 'clienterror'; readonly code: number; readonly message: string; readonly retryAfterMs: number | undefined }
  | { readonly type: 'closing'; readonly reason: CloseReason };

export type EndCause = 'socket-closed' | 'aborted' | 'open-timeout' | 'close-timeout' | 'linger-timeout';

export type DropReason = 'before-open' | 'paused' | 'after-close';

/** Outputs of the transition, run in order by the shell. */
export type Effect =
  /** What a text frame turned out to be, for metrics: a known type, 'unknown' or 'invalid'. */
  | { readonly kind: 'received'; readonly type: ClientMessageType | 'unknown' | 'invalid' }
  | { readonly kind: 'send'; readonly message: ServerMessage }
  | { readonly kind: 'notify'; readonly notice: SessionNotice }
  | { readonly kind: 'deliver-audio'; readonly positionSamples: number }
  | { readonly kind: 'drop-audio'; readonly reason: DropReason }
  | {
      readonly kind: 'call-open-hook';
      readonly parameters: OpenParameters;
      readonly probe: boolean;
      readonly media: MediaParameter | null;
    }
  | { readonly kind: 'call-close-hook'; readonly reason: CloseReason }
  | { readonly kind: 'set-timer'; readonly timer: TimerName; readonly ms: number }
  | { readonly kind: 'clear-timer'; readonly timer: TimerName }
  | { readonly kind: 'close-socket'; readonly code: number; readonly reason: string }
  /** A fault: logged and counted; `signalled` says whether it produced our disconnect. */
  | { readonly kind: 'fault'; readonly code: AudiohookErrorCode; readonly detail: string; readonly signalled: boolean }
  /** A message or request with no effect in this phase (logged at debug; type names only). */
  | { readonly kind: 'ignored'; readonly what: string; readonly why: string }
  | { readonly kind: 'end'; readonly cause: EndCause };

type PhaseTable<V> = { readonly [P in Phase]: V };

/** What a client message does in each phase. */
export type Disposition = 'handle' | 'ignore' | 'violation';
type MessageRow = { readonly [T in ClientMessageType]: Disposition };

const row = (base: Disposition, overrides: Partial<MessageRow> = {}): MessageRow => ({
  open: base,
  close: base,
  ping: base,
  paused: base,
  resumed: base,
  discarded: base,
  update: base,
  error: base,
  dtmf: base,
  playback_started: base,
  playback_completed: base,
  ...overrides,
});

export const MESSAGE_DISPOSITION: PhaseTable<MessageRow> = {
  'awaiting-open': row('violation', { open: 'handle' }),
  opening: row('violation', { close: 'handle', ping: 'handle', error: 'handle' }),
  active: row('handle', { open: 'violation' }),
  paused: row('handle', { open: 'violation' }),
  // The client has not seen our disconnect yet: keep the stream bookkeeping, drop dialog input.
  disconnecting: row('handle', { open: 'violation', dtmf: 'ignore', playback_started: 'ignore', playback_completed: 'ignore' }),
  'signaled-error': row('ignore', { close: 'handle', ping: 'handle', error: 'handle' }),
  closing: row('violation', { error: 'handle' }),
  closed: row('violation', { error: 'handle' }),
  ended: row('ignore'),
};

/** Whether a fault in this phase is signalled with `disconnect` (at most one ever). */
export const SIGNAL_ERRORS_IN: PhaseTable<boolean> = {
  'awaiting-open': true,
  opening: true,
  active: true,
  paused: true,
  disconnecting: false,
  'signaled-error': false,
  closing: false,
  closed: false,
  ended: false,
};

/** Whether the owner may send `disconnect` (the client has not closed yet). */
export const DISCONNECT_ALLOWED_IN: PhaseTable<boolean> = {
  'awaiting-open': true,
  opening: true,
  active: true,
  paused: true,
  disconnecting: false,
  'signaled-error': false,
  closing: false,
  closed: false,
  ended: false,
};

/** Whether `event` messages may be sent (the reference allows ACTIVE, PAUSED and CLOSING). */
export const EVENTS_ALLOWED_IN: PhaseTable<boolean> = {
  'awaiting-open': false,
  opening: false,
  active: true,
  paused: true,
  disconnecting: true,
  'signaled-error': false,
  closing: true,
  closed: false,
  ended: false,
};

/** Whether pause()/resume() send a message (opening only changes what `opened` will say). */
export const PAUSE_RESUME_IN: PhaseTable<'send' | 'preset' | 'refuse'> = {
  'awaiting-open': 'refuse',
  opening: 'preset',
  active: 'send',
  paused: 'send',
  disconnecting: 'refuse',
  'signaled-error': 'refuse',
  closing: 'refuse',
  closed: 'refuse',
  ended: 'refuse',
};

/** Outbound audio: Audio Connector only, and only while active (never after disconnect). */
export const AUDIO_OUT_ALLOWED_IN: PhaseTable<boolean> = {
  'awaiting-open': false,
  opening: false,
  active: true,
  paused: false,
  disconnecting: false,
  'signaled-error': false,
  closing: false,
  closed: false,
  ended: false,
};

export type AudioInDisposition = 'deliver' | DropReason | 'violation';

/**
 * Inbound audio per flavour. Audio Connector drops frames that race a state change (research
 * section 6); Monitor follows the reference server and treats audio outside ACTIVE as a fault.
 * After our disconnect the client keeps streaming until it reads it; that audio is still the call's.
 */
export const AUDIO_IN: { readonly [F in Flavour]: PhaseTable<AudioInDisposition> } = {
  audioconnector: {
    'awaiting-open': 'before-open',
    opening: 'before-open',
    active: 'deliver',
    paused: 'paused',
    disconnecting: 'deliver',
    'signaled-error': 'after-close',
    closing: 'after-close',
    closed: 'after-close',
    ended: 'after-close',
  },
  monitor: {
    'awaiting-open': 'violation',
    opening: 'violation',
    active: 'deliver',
    paused: 'violation',
    disconnecting: 'deliver',
    'signaled-error': 'after-close',
    closing: 'after-close',
    closed: 'after-close',
    ended: 'after-close',
  },
};

/** Client message types that only Audio Connector defines; Monitor treats them as unknown. */
export const AUDIO_CONNECTOR_ONLY: ReadonlySet<ClientMessageType> = new Set<ClientMessageType>([
  'dtmf',
  'playback_started',
  'playback_completed',
]);

/** Timers that belong to the open part of a session and stop when it starts ending. */
export const LIVE_TIMERS: readonly TimerName[] = ['open', 'open-hook', 'idle'];
