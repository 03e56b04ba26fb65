// The shell around the pure transition: owns the socket port, the clock, the logger, the timers,
// one mailbox (run-to-completion, so one serialized sender numbers every server message) and the
// outbound audio limits. One ServerSession per WebSocket; the owner feeds it frames.
import { systemClock, type Clock, type TimerHandle } from '../../core/clock.js';
import { silentLogger, type Logger } from '../../core/log.js';
import { TypedEmitter } from '../../core/typed-emitter.js';
import { isSafeDuration, isStringMap } from '../protocol/validate.js';
import {
  MAX_BINARY_MESSAGE_BYTES,
  MAX_TEXT_MESSAGE_BYTES,
  type CloseReason,
  type DisconnectReason,
  type EventEntity,
  type MediaParameter,
  type OpenParameters,
  type StringMap,
} from '../protocol/messages.js';
import { audiohookErrors, type AudiohookErrorCode } from '../errors.js';
import type { Flavour } from './media-select.js';
import {
  AUDIO_OUT_ALLOWED_IN,
  DISCONNECT_ALLOWED_IN,
  EVENTS_ALLOWED_IN,
  PAUSE_RESUME_IN,
  initialState,
  type DropReason,
  type Effect,
  type EndCause,
  type OpenDecision,
  type Phase,
  type SessionEvent,
  type SessionNotice,
  type SessionState,
  type TimerName,
} from './state.js';
import { transition } from './transition.js';
import {
  DEFAULT_LIMITS,
  SessionObserver,
  type CloseHook,
  type DisconnectResult,
  type OpenHook,
  type ServerSessionEvents,
  type ServerSessionOptions,
  type SessionCounters,
  type SessionLimits,
  type SessionSocket,
  type SessionSummary,
} from './session-api.js';

// The owner-facing shapes are defined in session-api.ts; re-exported so one import suffices.
export * from './session-api.js';

const DISCONNECT_REASONS: ReadonlySet<string> = new Set<DisconnectReason>(['completed', 'unauthorized', 'error']);
/** Room for the disconnect envelope around info and outputVariables. */
const ENVELOPE_ALLOWANCE = 256;

interface Queued {
  readonly event: SessionEvent;
  /** The audio bytes of a binary event; the pure core sees only their count. */
  readonly frame?: Uint8Array;
  /** Size of a text event, reported to the observer once its type is known. */
  readonly bytes?: number;
}

export class ServerSession extends TypedEmitter<ServerSessionEvents> {
  readonly observer = new SessionObserver();
  readonly sessionId: string;
  readonly connectorId: string | undefined;
  readonly flavour: Flavour;

  #state: SessionState;
  readonly #socket: SessionSocket;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #limits: SessionLimits;
  readonly #onOpen: OpenHook | undefined;
  readonly #onClose: CloseHook | undefined;
  readonly #startedAt: number;
  readonly #timers = new Map<TimerName, TimerHandle>();
  readonly #queue: Queued[] = [];
  #busy = false;
  #lastActivity: number;
  #disconnectRequested = false;
  #stallSince: number | undefined;
  #cleanups: Array<() => void> = [];
  #summary: SessionSummary | undefined;
  readonly #endedWaiters: Array<(summary: SessionSummary) => void> = [];
  readonly #counters: SessionCounters = {
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    audioFramesIn: 0,
    audioBytesIn: 0,
    audioBytesOut: 0,
    framesDropped: 0,
    audioBytesDropped: 0,
    faults: {},
  };

  constructor(options: ServerSessionOptions) {
    super();
    this.sessionId = options.sessionId;
    this.connectorId = options.connectorId;
    this.flavour = options.flavour;
    this.#socket = options.socket;
    this.#clock = options.clock ?? systemClock;
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#onOpen = options.onOpen;
    this.#onClose = options.onClose;
    this.#log = (options.logger ?? silentLogger()).child({
      sessionId: options.sessionId,
      connectorId: options.connectorId,
      flavour: options.flavour,
    });
    this.onListenerError = (event, error) =>
      this.#log.error({ event, err: error instanceof Error ? { name: error.name, message: error.message } : 'non-error' }, 'session listener threw');
    this.#state = initialState({
      sessionId: options.sessionId,
      organizationId: options.organizationId,
      flavour: options.flavour,
      timeouts: this.#limits,
    });
    this.#startedAt = this.#clock.now();
    this.#lastActivity = this.#startedAt;
    this.#setTimer('open', this.#limits.openTimeoutMs);
  }

  get phase(): Phase {
    return this.#state.phase;
  }

  get media(): MediaParameter | null {
    return this.#state.media;
  }

  /** Per-channel index of the next inbound sample (audio received plus reported gaps). */
  get positionSamples(): number {
    return this.#state.positionSamples;
  }

  get counters(): Readonly<SessionCounters> {
    return this.#counters;
  }

  // ---- fed by the owner ----

  handleText(text: string): void {
    this.#lastActivity = this.#clock.now();
    const bytes = Buffer.byteLength(text, 'utf8');
    this.#counters.messagesIn++;
    this.#counters.bytesIn += bytes;
    this.#dispatch({ event: { kind: 'text', text }, bytes });
  }

  handleBinary(bytes: Uint8Array): void {
    this.#lastActivity = this.#clock.now();
    this.#counters.bytesIn += bytes.length;
    this.observer.report('in', 'audio', bytes.length);
    this.#dispatch({ event: { kind: 'binary', byteLength: bytes.length }, frame: bytes });
  }

  /** The socket is gone (closed by either side or errored). Idempotent. */
  handleSocketClosed(): void {
    this.#dispatch({ event: { kind: 'socket-closed' } });
  }

  // ---- the owner's API ----

  /** Asks the client to pause (or, before `opened`, to start paused). False when not allowed now. */
  pause(): boolean {
    return this.#pauseResume('pause');
  }

  resume(): boolean {
    return this.#pauseResume('resume');
  }

  /** Sends an `event`; allowed while active, paused, disconnecting or closing. */
  sendEvent(entities: EventEntity[]): boolean {
    if (!EVENTS_ALLOWED_IN[this.#state.phase]) return false;
    if (!fitsInTextMessage(entities)) return false;
    this.#dispatch({ event: { kind: 'send-event', entities } });
    return true;
  }

  /**
   * Ends the session the protocol's way: one `disconnect`, then the client's `close` is answered.
   * Output variables must be string-to-string (Architect's rule). Only the first call is sent.
   */
  disconnect(reason: DisconnectReason, info?: string, outputVariables?: StringMap): DisconnectResult {
    if (this.#disconnectRequested || this.#state.disconnected !== null) return { ok: false, code: 'ERR_SESSION_ALREADY_DISCONNECTED' };
    if (!DISCONNECT_ALLOWED_IN[this.#state.phase] || !DISCONNECT_REASONS.has(reason) || (info !== undefined && typeof info !== 'string')) {
      return { ok: false, code: 'ERR_SESSION_INVALID_STATE' };
    }
    if (outputVariables !== undefined && !isStringMap(outputVariables)) return { ok: false, code: 'ERR_SESSION_BAD_OUTPUT_VARIABLES' };
    if (!fitsInTextMessage({ info, outputVariables })) return { ok: false, code: 'ERR_SESSION_MESSAGE_TOO_LARGE' };
    this.#disconnectRequested = true;
    const event: SessionEvent =
      outputVariables === undefined
        ? { kind: 'disconnect', reason, info }
        : { kind: 'disconnect', reason, info, outputVariables: { ...outputVariables } };
    this.#dispatch({ event });
    return { ok: true };
  }

  /**
   * Sends raw mu-law audio (Audio Connector, active only, never after disconnect), split into
   * messages of at most 64000 bytes. Pacing is the caller's job. Returns false when the audio was
   * not sent: wrong state, or dropped because the client is not reading (backpressure).
   */
  sendAudio(chunk: Uint8Array): boolean {
    if (this.flavour !== 'audioconnector' || !AUDIO_OUT_ALLOWED_IN[this.#state.phase] || this.#disconnectRequested) return false;
    if (this.#socket.bufferedAmount + chunk.length > this.#limits.maxBufferedBytes) {
      this.#counters.audioBytesDropped += chunk.length;
      const now = this.#clock.now();
      if (this.#stallSince === undefined) {
        this.#stallSince = now;
        this.#log.warn({ code: 'ERR_SESSION_BACKPRESSURE', buffered: this.#socket.bufferedAmount }, 'dropping outbound audio');
      } else if (now - this.#stallSince >= this.#limits.maxBackpressureMs) {
        this.#dispatch({ event: { kind: 'fault', code: 'ERR_SESSION_BACKPRESSURE' } });
      }
      return false;
    }
    this.#stallSince = undefined;
    for (let at = 0; at < chunk.length; at += MAX_BINARY_MESSAGE_BYTES) {
      const part = chunk.subarray(at, Math.min(chunk.length, at + MAX_BINARY_MESSAGE_BYTES));
      if (!this.#socketSend(part)) return false;
      this.#counters.audioBytesOut += part.length;
      this.observer.report('out', 'audio', part.length);
    }
    return true;
  }

  /** Closes the socket at once and ends the session. Idempotent. */
  abort(): void {
    this.#dispatch({ event: { kind: 'abort' } });
  }

  /**
   * Graceful server shutdown. A session not yet open is aborted. Otherwise the owner's call gets
   * `drainMs` to finish; then it is disconnected with ERR_SESSION_SHUTDOWN and the close
   * transaction runs under its usual timeouts, after which the socket is closed regardless.
   */
  async shutdown(drainMs: number): Promise<SessionSummary> {
    if (this.#summary) return this.#summary;
    if (this.#state.phase === 'awaiting-open') {
      this.abort();
      return this.whenEnded();
    }
    await this.#endedOrAfter(drainMs);
    if (this.#summary) return this.#summary;
    if (DISCONNECT_ALLOWED_IN[this.#state.phase] && !this.#disconnectRequested) {
      this.#disconnectRequested = true;
      this.#dispatch({ event: { kind: 'fault', code: 'ERR_SESSION_SHUTDOWN' } });
    }
    const l = this.#limits;
    await this.#endedOrAfter(l.closeTimeoutMs + l.closeHookTimeoutMs + l.lingerMs);
    if (!this.#summary) this.abort();
    return this.whenEnded();
  }

  /** Registers cleanup to run exactly once when the session ends (last registered runs first). */
  addCleanup(fn: () => void): void {
    if (this.#summary) {
      this.#runCleanup(fn);
      return;
    }
    this.#cleanups.push(fn);
  }

  whenEnded(): Promise<SessionSummary> {
    if (this.#summary) return Promise.resolve(this.#summary);
    return new Promise((resolve) => this.#endedWaiters.push(resolve));
  }

  // ---- the shell ----

  #pauseResume(kind: 'pause' | 'resume'): boolean {
    if (PAUSE_RESUME_IN[this.#state.phase] === 'refuse') return false;
    this.#dispatch({ event: { kind } });
    return true;
  }

  /** Run-to-completion: an event raised while another is handled waits for it to finish. */
  #dispatch(item: Queued): void {
    this.#queue.push(item);
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) this.#step(next);
    } finally {
      this.#busy = false;
    }
  }

  #step({ event, frame, bytes }: Queued): void {
    const before = this.#state.phase;
    let result;
    try {
      result = transition(this.#state, event);
    } catch (error) {
      // The transition is total; reaching here is a bug. Fail closed.
      this.#log.error({ err: error instanceof Error ? error.message : 'non-error', event: event.kind }, 'session transition threw');
      result = transition(this.#state, { kind: 'abort' });
    }
    this.#state = result.state;
    if (before !== this.#state.phase) this.#log.debug({ from: before, to: this.#state.phase, on: event.kind }, 'session phase');
    for (const effect of result.effects) {
      if (effect.kind === 'received') this.observer.report('in', effect.type, bytes ?? 0);
      else this.#run(effect, frame, before);
    }
  }

  #run(effect: Exclude<Effect, { kind: 'received' }>, frame: Uint8Array | undefined, phaseBefore: Phase): void {
    switch (effect.kind) {
      case 'send': {
        const text = JSON.stringify(effect.message);
        const size = Buffer.byteLength(text, 'utf8');
        if (this.#socket.bufferedAmount > this.#limits.hardBufferedBytes) {
          this.#count('ERR_SESSION_BACKPRESSURE');
          this.#log.error({ code: 'ERR_SESSION_BACKPRESSURE', buffered: this.#socket.bufferedAmount }, 'client not reading; aborting');
          this.#dispatch({ event: { kind: 'abort' } });
          return;
        }
        if (!this.#socketSend(text, size)) return;
        this.#counters.messagesOut++;
        this.observer.report('out', effect.message.type, size);
        this.#log.debug({ type: effect.message.type, seq: effect.message.seq }, 'sent');
        return;
      }
      case 'notify':
        return this.#notify(effect.notice);
      case 'deliver-audio':
        this.#counters.audioFramesIn++;
        this.#counters.audioBytesIn += frame?.length ?? 0;
        this.safeEmit('audio', frame ?? new Uint8Array(0), effect.positionSamples);
        return;
      case 'drop-audio':
        return this.#dropFrame(effect.reason);
      case 'call-open-hook':
        return this.#callOpenHook(effect.parameters, effect.probe, effect.media);
      case 'call-close-hook':
        return this.#callCloseHook(effect.reason);
      case 'set-timer':
        return this.#setTimer(effect.timer, effect.ms);
      case 'clear-timer':
        this.#clock.clearTimeout(this.#timers.get(effect.timer));
        this.#timers.delete(effect.timer);
        return;
      case 'close-socket':
        try {
          this.#socket.close(effect.code, effect.reason);
        } catch (error) {
          this.#log.warn({ err: error instanceof Error ? error.message : 'non-error' }, 'socket close failed');
        }
        return;
      case 'fault':
        this.#count(effect.code);
        this.#log.warn({ code: effect.code, detail: effect.detail, signalled: effect.signalled, phase: phaseBefore }, 'protocol fault');
        return;
      case 'ignored':
        // Unknown types are worth seeing (Genesys added something); the rest is routine.
        if (effect.why === 'unknown type') this.#log.info({ type: effect.what }, 'ignored unknown client message type');
        else this.#log.debug({ what: effect.what, why: effect.why }, 'ignored');
        return;
      case 'end':
        return this.#end(effect.cause, phaseBefore);
      default: {
        const unreachable: never = effect;
        return unreachable;
      }
    }
  }

  #notify(notice: SessionNotice): void {
    switch (notice.type) {
      case 'opened':
        this.#log.info({ probe: notice.probe, channels: notice.media?.channels, startPaused: notice.startPaused }, 'session opened');
        this.safeEmit('opened', { media: notice.media, probe: notice.probe, startPaused: notice.startPaused });
        return;
      case 'dtmf':
        this.safeEmit('dtmf', notice.digit, notice.positionSamples);
        return;
      case 'playbackstarted':
        this.safeEmit('playbackstarted', notice.positionSamples);
        return;
      case 'playbackcompleted':
        this.safeEmit('playbackcompleted', notice.positionSamples);
        return;
      case 'paused':
        this.safeEmit('paused');
        return;
      case 'resumed':
        this.safeEmit('resumed', notice.gap);
        return;
      case 'discarded':
        this.safeEmit('discarded', notice.gap);
        return;
      case 'update':
        this.safeEmit('update', notice.language);
        return;
      case 'clienterror':
        this.#log.warn({ clientErrorCode: notice.code, retryAfterMs: notice.retryAfterMs }, 'client reported an error');
        this.safeEmit('clienterror', { code: notice.code, message: notice.message, retryAfterMs: notice.retryAfterMs });
        return;
      case 'closing':
        this.#log.info({ reason: notice.reason }, 'client closing');
        this.safeEmit('closing', notice.reason);
        return;
      default: {
        const unreachable: never = notice;
        return unreachable;
      }
    }
  }

  #socketSend(data: string | Uint8Array, bytes = data.length): boolean {
    try {
      this.#socket.send(data);
      this.#counters.bytesOut += bytes;
      return true;
    } catch (error) {
      this.#log.warn({ err: error instanceof Error ? error.message : 'non-error' }, 'socket send failed');
      return false;
    }
  }

  #dropFrame(reason: DropReason): void {
    this.#counters.framesDropped++;
    // One line per reason and session keeps a racing stream from flooding the log.
    if (this.#counters.framesDropped === 1) this.#log.info({ reason }, 'dropping inbound audio');
  }

  #count(code: AudiohookErrorCode): void {
    this.#counters.faults[code] = (this.#counters.faults[code] ?? 0) + 1;
  }

  #callOpenHook(parameters: OpenParameters, probe: boolean, media: MediaParameter | null): void {
    const hook = this.#onOpen;
    if (!hook) {
      this.#dispatch({ event: { kind: 'open-decided', decision: { accept: true } } });
      return;
    }
    const decide = (decision: unknown): void => {
      if (isOpenDecision(decision)) {
        if (!decision.accept) this.#log.info({ code: decision.code ?? 'ERR_SESSION_OPEN_REJECTED', reason: decision.reason ?? 'error' }, 'open rejected');
        this.#dispatch({ event: { kind: 'open-decided', decision } });
      }
      else this.#openHookFailed(new TypeError('onOpen returned something that is not an OpenDecision'));
    };
    try {
      const result = hook({ parameters, probe, media });
      if (isThenable(result)) result.then(decide, (error: unknown) => this.#openHookFailed(error));
      else decide(result);
    } catch (error) {
      this.#openHookFailed(error);
    }
  }

  #openHookFailed(error: unknown): void {
    this.#log.error({ code: 'ERR_SESSION_OPEN_HOOK_FAILED', err: error instanceof Error ? error.message : 'non-error' }, 'onOpen failed');
    this.#dispatch({ event: { kind: 'open-hook-failed' } });
  }

  #callCloseHook(reason: CloseReason): void {
    const flushed = (): void => this.#dispatch({ event: { kind: 'close-flushed' } });
    const failed = (error: unknown): void => {
      this.#log.error({ err: error instanceof Error ? error.message : 'non-error' }, 'onClose failed; answering closed anyway');
      flushed();
    };
    if (!this.#onClose) return flushed();
    try {
      const result = this.#onClose(reason);
      if (isThenable(result)) result.then(flushed, failed);
      else flushed();
    } catch (error) {
      failed(error);
    }
  }

  #setTimer(timer: TimerName, ms: number): void {
    this.#clock.clearTimeout(this.#timers.get(timer));
    const fire = (): void => {
      this.#timers.delete(timer);
      // The idle timer is armed once; activity only moves a timestamp, and the timer re-arms for
      // the remainder, so a busy stream costs no timer churn per frame.
      if (timer === 'idle') {
        const quietFor = this.#clock.now() - this.#lastActivity;
        if (quietFor < this.#limits.idleTimeoutMs) return this.#setTimer('idle', this.#limits.idleTimeoutMs - quietFor);
      }
      this.#dispatch({ event: { kind: 'timer', timer } });
    };
    this.#timers.set(timer, this.#clock.setTimeout(fire, ms));
  }

  #end(cause: EndCause, lastPhase: Phase): void {
    if (this.#summary) return;
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
    const summary: SessionSummary = {
      sessionId: this.sessionId,
      connectorId: this.connectorId,
      flavour: this.flavour,
      lastPhase,
      cause,
      probe: this.#state.probe,
      disconnected: this.#state.disconnected,
      durationMs: this.#clock.now() - this.#startedAt,
      positionSamples: this.#state.positionSamples,
      counters: { ...this.#counters, faults: { ...this.#counters.faults } },
    };
    this.#summary = summary;
    const cleanups = this.#cleanups.reverse();
    this.#cleanups = [];
    for (const fn of cleanups) this.#runCleanup(fn);
    this.#log.info({ cause, lastPhase, disconnected: summary.disconnected, durationMs: summary.durationMs, faults: summary.counters.faults }, 'session ended');
    this.safeEmit('ended', summary);
    for (const resolve of this.#endedWaiters.splice(0)) resolve(summary);
  }

  #runCleanup(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#log.error({ err: error instanceof Error ? error.message : 'non-error' }, 'session cleanup threw');
    }
  }

  #endedOrAfter(ms: number): Promise<void> {
    if (this.#summary) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = this.#clock.setTimeout(resolve, ms);
      void this.whenEnded().then(() => {
        this.#clock.clearTimeout(handle);
        resolve();
      });
    });
  }
}

/** Whether parameters leave room for the envelope within the 64 KiB text limit (false if unserializable). */
function fitsInTextMessage(parameters: unknown): boolean {
  try {
    return Buffer.byteLength(JSON.stringify(parameters) ?? '', 'utf8') + ENVELOPE_ALLOWANCE <= MAX_TEXT_MESSAGE_BYTES;
  } catch {
    return false;
  }
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function isOpenDecision(value: unknown): value is OpenDecision {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  if (d.accept === true) {
    return (d.startPaused === undefined || typeof d.startPaused === 'boolean') && (d.discardTo === undefined || isSafeDuration(d.discardTo));
  }
  if (d.accept === false) {
    return (
      (d.reason === undefined || d.reason === 'error' || d.reason === 'unauthorized') &&
      (d.info === undefined || typeof d.info === 'string') &&
      (d.code === undefined || (typeof d.code === 'string' && /^[A-Z0-9_]{1,64}$/.test(d.code)))
    );
  }
  return false;
}

/** The fixed text a fault code sends to Genesys (for owners that log or display it). */
export function faultInfo(code: AudiohookErrorCode): string {
  return audiohookErrors[code].message;
}
