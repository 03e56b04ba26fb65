// The public shapes of a server session: its socket port, options, hooks, events, counters and
// summary. The behaviour lives in server-session.ts (shell) and transition.ts (pure logic).
import { TypedEmitter } from '../../core/typed-emitter.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import type { SessionFaultCode, AudiohookErrorCode } from '../errors.js';
import type { CloseReason, DisconnectReason, DtmfDigit, MediaParameter, OpenParameters } from '../protocol/messages.js';
import type { Flavour } from './media-select.js';
import { DEFAULT_TIMEOUTS, type EndCause, type OpenDecision, type Phase, type SessionTimeouts, type StreamGap } from './state.js';

/** The WebSocket as the session needs it (ws's WebSocket satisfies it). */
export interface SessionSocket {
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  readonly bufferedAmount: number;
}

export interface SessionLimits extends SessionTimeouts {
  /** Outbound audio is dropped while the socket buffers more than this. */
  readonly maxBufferedBytes: number;
  /** Dropping outbound audio for this long without relief ends the session (backpressure). */
  readonly maxBackpressureMs: number;
  /** A text send with more than this buffered aborts the session: the client is not reading. */
  readonly hardBufferedBytes: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  ...DEFAULT_TIMEOUTS,
  maxBufferedBytes: 1024 * 1024,
  maxBackpressureMs: 5_000,
  hardBufferedBytes: 8 * 1024 * 1024,
};

export interface OpenRequest {
  /** Validated open parameters (inputVariables included: never log them). */
  readonly parameters: OpenParameters;
  /** A connection probe (nil conversation and participant ids): start no dialog. */
  readonly probe: boolean;
  /** The offer `opened` will echo; null only for a probe that offered nothing usable. */
  readonly media: MediaParameter | null;
}

export type { OpenDecision } from './state.js';
export type OpenHook = (request: OpenRequest) => OpenDecision | Promise<OpenDecision>;
/** Runs when the client sends `close`; `closed` is sent once it settles (or times out). */
export type CloseHook = (reason: CloseReason) => void | Promise<void>;

export interface ServerSessionOptions {
  readonly socket: SessionSocket;
  /** Audiohook-Session-Id header (a UUID, checked by the route). */
  readonly sessionId: string;
  /** Audiohook-Organization-Id header; when given, `open` must carry the same id. */
  readonly organizationId?: string;
  readonly connectorId?: string;
  readonly flavour: Flavour;
  readonly clock?: Clock;
  /** A pino logger; the session logs through a child carrying its session id. */
  readonly logger?: Logger;
  readonly limits?: Partial<SessionLimits>;
  readonly onOpen?: OpenHook;
  readonly onClose?: CloseHook;
}

export interface OpenedInfo {
  readonly media: MediaParameter | null;
  readonly probe: boolean;
  readonly startPaused: boolean;
}

export interface ClientErrorInfo {
  readonly code: number;
  /** Genesys's own text; not logged by the session. */
  readonly message: string;
  readonly retryAfterMs: number | undefined;
}

export interface SessionCounters {
  messagesIn: number;
  messagesOut: number;
  /** Text and binary bytes. */
  bytesIn: number;
  bytesOut: number;
  audioFramesIn: number;
  audioBytesIn: number;
  audioBytesOut: number;
  /** Inbound frames dropped because they raced open, pause or close. */
  framesDropped: number;
  /** Outbound audio bytes dropped under backpressure. */
  audioBytesDropped: number;
  /** Faults by code, signalled or not. */
  faults: Partial<Record<AudiohookErrorCode, number>>;
}

export interface SessionSummary {
  readonly sessionId: string;
  readonly connectorId: string | undefined;
  readonly flavour: Flavour;
  /** The phase the session was in when it ended. */
  readonly lastPhase: Phase;
  readonly cause: EndCause;
  readonly probe: boolean;
  readonly disconnected: DisconnectReason | null;
  readonly durationMs: number;
  readonly positionSamples: number;
  readonly counters: Readonly<SessionCounters>;
}

export type ServerSessionEvents = {
  opened: [info: OpenedInfo];
  /** Interleaved in the selected channel order (see splitChannels); position of its first sample. */
  audio: [frame: Uint8Array, positionSamples: number];
  dtmf: [digit: DtmfDigit, positionSamples: number];
  playbackstarted: [positionSamples: number];
  playbackcompleted: [positionSamples: number];
  paused: [];
  resumed: [gap: StreamGap];
  discarded: [gap: StreamGap];
  update: [language: string | undefined];
  clienterror: [error: ClientErrorInfo];
  closing: [reason: CloseReason];
  ended: [summary: SessionSummary];
};

/** For metrics: sizes and type names only, never payloads. */
export type SessionObserverEvents = {
  message: [direction: 'in' | 'out', type: string, bytes: number];
};

export class SessionObserver extends TypedEmitter<SessionObserverEvents> {
  /** @internal */
  report(direction: 'in' | 'out', type: string, bytes: number): void {
    this.safeEmit('message', direction, type, bytes);
  }
}

export type DisconnectResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: Extract<
        SessionFaultCode,
        'ERR_SESSION_ALREADY_DISCONNECTED' | 'ERR_SESSION_INVALID_STATE' | 'ERR_SESSION_BAD_OUTPUT_VARIABLES' | 'ERR_SESSION_MESSAGE_TOO_LARGE'
      >;
    };
