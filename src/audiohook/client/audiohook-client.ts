// An AudioHook client that behaves like Genesys Cloud's (Audio Connector flavour): open with
// media offers, stream paced audio, ping, dtmf and playback_* messages, answer pause/resume and
// disconnect, and check every server message strictly. Transport-agnostic and clock-driven, so a
// whole call runs in-process on a VirtualClock (replay) or over ws (tests, load test).
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock, type TimerHandle } from '../../core/clock.js';
import { TypedEmitter } from '../../core/typed-emitter.js';
import { durationToSamples, samplesToDuration } from '../protocol/duration.js';
import {
  NIL_UUID,
  PCMU_BYTES_PER_SECOND,
  PROTOCOL_VERSION,
  type ClientMessageType,
  type ClientParametersMap,
  type DisconnectParameters,
  type DtmfDigit,
  type EventEntity,
  type JsonObject,
  type MediaParameter,
  type OpenedParameters,
  type Participant,
  type ServerMessage,
  type StringMap,
  type UpdateParameters,
} from '../protocol/messages.js';
import { DEFAULT_OFFERS } from './offers.js';
import { PlayoutModel } from './playout-model.js';
import { checkServerMessage, type ClientErrorCode } from './server-message.js';
import type { ClientTransport } from './transport.js';

export type ClientState = 'idle' | 'opening' | 'active' | 'paused' | 'closing' | 'closed';

export interface AudioHookClientOptions {
  readonly transport: ClientTransport;
  readonly clock?: Clock;
  /** Must equal the Audiohook-Session-Id upgrade header; random by default. */
  readonly sessionId?: string;
  readonly organizationId?: string;
  readonly conversationId?: string;
  readonly participant?: Participant;
  /** Media offers in preference order; default PCMU mono external (Audio Connector). */
  readonly media?: readonly MediaParameter[];
  readonly language?: string;
  readonly supportedLanguages?: boolean;
  readonly inputVariables?: StringMap;
  readonly customConfig?: JsonObject;
  /** Connection probe: nil conversation and participant ids, empty ani/dnis. */
  readonly probe?: boolean;
  /** First ping after `opened` and the interval after it; false disables pings. */
  readonly ping?: { readonly firstMs?: number; readonly intervalMs?: number } | false;
  readonly openTimeoutMs?: number;
  readonly closeTimeoutMs?: number;
  /** Send playback_started / playback_completed around received audio, as Genesys does. */
  readonly autoPlayback?: boolean;
  /** Keep received audio so tests can decode it (receivedAudio()). */
  readonly collectAudio?: boolean;
  /** What goes into `timeline`: everything (default), text messages only (long or many calls), or nothing. */
  readonly timeline?: 'all' | 'text' | 'none';
}

/** A protocol violation by the server, as the client saw it. */
export interface Violation {
  readonly code: ClientErrorCode;
  readonly message: string;
  /** Type of the offending message, when it had one. */
  readonly type?: string;
  readonly at: number;
}

export type TimelineEntry =
  | { readonly at: number; readonly dir: 'in' | 'out'; readonly kind: 'text'; readonly type?: string; readonly seq?: number; readonly message: unknown }
  | { readonly at: number; readonly dir: 'in' | 'out'; readonly kind: 'binary'; readonly bytes: number };

export type OpenOutcome =
  | { readonly code: 'OPENED'; readonly parameters: OpenedParameters }
  | { readonly code: 'DISCONNECTED'; readonly parameters: DisconnectParameters }
  | { readonly code: 'FAILED'; readonly violation: Violation }
  | { readonly code: 'ENDED' };

export type CloseOutcome = { readonly code: 'CLOSED' } | { readonly code: 'TIMEOUT' } | { readonly code: 'ENDED' };

export interface StreamOptions {
  /** Frame duration; default 20 ms. */
  readonly frameMs?: number;
  /** Pace frames in real time on the clock (default) or send them all at once. */
  readonly paced?: boolean;
}

export interface StreamResult {
  readonly code: 'COMPLETED' | 'STOPPED';
  readonly framesSent: number;
  readonly bytesSent: number;
  /** Bytes dropped while paused (they still advance the position, as Genesys's does). */
  readonly bytesDiscarded: number;
}

export type ClientEvents = {
  opened: [parameters: OpenedParameters];
  audio: [bytes: Uint8Array];
  event: [entities: EventEntity[]];
  disconnect: [parameters: DisconnectParameters];
  closed: [];
  /** The client signalled an `error` to the server. */
  error: [code: ClientErrorCode, message: string];
  violation: [violation: Violation];
  pong: [rttMs: number];
  pause: [];
  resume: [];
  servermessage: [message: ServerMessage];
  /** The transport is gone; always the last event. */
  ended: [code: number, reason: string];
};

type Waiter<T> = (outcome: T) => void;

const DEFAULT_PING = { firstMs: 1000, intervalMs: 5000 };

function msToDuration(ms: number): string {
  return `PT${Number((Math.max(0, ms) / 1000).toFixed(6))}S`;
}

export class AudioHookClient extends TypedEmitter<ClientEvents> {
  readonly sessionId: string;
  readonly organizationId: string;
  readonly offers: readonly MediaParameter[];
  readonly timeline: TimelineEntry[] = [];
  readonly violations: Violation[] = [];
  readonly rtts: number[] = [];
  disconnectParameters: DisconnectParameters | undefined;
  selectedMedia: MediaParameter | undefined;

  readonly #options: AudioHookClientOptions;
  readonly #transport: ClientTransport;
  readonly #clock: Clock;
  #state: ClientState = 'idle';
  #seq = 0;
  #lastServerSeq = 0;
  #positionSamples = 0;
  #pauseStartSamples = 0;
  /** From `opened.discardTo`: audio before this position is dropped and reported as discarded. */
  #discard: { from: number; to: number } | undefined;
  #errorSignalled = false;
  #transportEnded = false;
  #openTimer: TimerHandle | undefined;
  #closeTimer: TimerHandle | undefined;
  #pingTimer: TimerHandle | undefined;
  #playbackTimer: TimerHandle | undefined;
  #outstandingPing: { seq: number; sentAt: number } | undefined;
  #openWaiters: Waiter<OpenOutcome>[] = [];
  #closeWaiters: Waiter<CloseOutcome>[] = [];
  #playout = new PlayoutModel(PCMU_BYTES_PER_SECOND);
  #received: Uint8Array[] = [];

  constructor(options: AudioHookClientOptions) {
    super();
    this.#options = options;
    this.#transport = options.transport;
    this.#clock = options.clock ?? systemClock;
    this.sessionId = options.sessionId ?? randomUUID();
    this.organizationId = options.organizationId ?? randomUUID();
    this.offers = options.media ?? DEFAULT_OFFERS;
    this.#transport.attach({
      text: (text) => this.#onText(text),
      binary: (bytes) => this.#onBinary(bytes),
      closed: (code, reason) => this.#onTransportClosed(code, reason),
    });
  }

  get state(): ClientState {
    return this.#state;
  }

  /** Stream position in samples (audio sent plus audio discarded). */
  get positionSamples(): number {
    return this.#positionSamples;
  }

  get lastServerSeq(): number {
    return this.#lastServerSeq;
  }

  /** Channels of the negotiated (or first offered) media: 1 or 2. */
  get channels(): number {
    return (this.selectedMedia ?? this.offers[0])?.channels.length ?? 1;
  }

  /** Concatenation of the audio received so far (collectAudio only). */
  receivedAudio(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.#received));
  }

  // ---- transactions ----

  /** Sends `open` and resolves when the server answers it (or fails to). */
  open(): Promise<OpenOutcome> {
    if (this.#state !== 'idle' || this.#transportEnded) return Promise.resolve({ code: 'ENDED' });
    const o = this.#options;
    const probe = o.probe === true;
    const parameters: ClientParametersMap['open'] = {
      organizationId: this.organizationId,
      conversationId: probe ? NIL_UUID : (o.conversationId ?? randomUUID()),
      participant: probe
        ? { id: NIL_UUID, ani: '', aniName: '', dnis: '' }
        : (o.participant ?? { id: randomUUID(), ani: '+15555551234', aniName: 'PayHook test caller', dnis: '+18005556789' }),
      media: [...this.offers],
    };
    if (o.language !== undefined) parameters.language = o.language;
    if (o.supportedLanguages !== undefined) parameters.supportedLanguages = o.supportedLanguages;
    if (o.customConfig !== undefined) parameters.customConfig = o.customConfig;
    if (o.inputVariables !== undefined) parameters.inputVariables = o.inputVariables;
    this.#state = 'opening';
    const outcome = new Promise<OpenOutcome>((resolve) => this.#openWaiters.push(resolve));
    this.#send('open', parameters);
    this.#openTimer = this.#clock.setTimeout(() => {
      this.#violate(408, 'Timed out waiting for opened response');
    }, o.openTimeoutMs ?? 5000);
    return outcome;
  }

  /** Runs a connection probe: open, one zero-length audio frame, close. */
  async probe(): Promise<{ readonly open: OpenOutcome; readonly close: CloseOutcome | undefined }> {
    const open = await this.open();
    if (open.code !== 'OPENED') return { open, close: undefined };
    this.#sendBinary(new Uint8Array(0));
    return { open, close: await this.close('end') };
  }

  /** Sends `close` and resolves when `closed` arrives, the close timeout fires, or the transport ends. */
  close(reason: ClientParametersMap['close']['reason'] = 'end'): Promise<CloseOutcome> {
    const outcome = new Promise<CloseOutcome>((resolve) => this.#closeWaiters.push(resolve));
    switch (this.#state) {
      case 'opening':
      case 'active':
      case 'paused':
        this.#state = 'closing';
        this.#stopTimers();
        this.#send('close', { reason });
        this.#closeTimer = this.#clock.setTimeout(() => {
          this.#violate(408, 'Close transaction timeout');
          this.#transport.close(1000, 'close timeout');
          this.#finish('closed', { code: 'TIMEOUT' });
        }, this.#options.closeTimeoutMs ?? 10_000);
        break;
      case 'closing':
        break;
      case 'idle':
      case 'closed':
        this.#finishClose(this.#transportEnded ? { code: 'ENDED' } : { code: 'CLOSED' });
        break;
    }
    return outcome;
  }

  // ---- audio ----

  /**
   * Sends one audio frame; false (and nothing sent) unless the session is active. Audio before an
   * `opened.discardTo` position is dropped and reported with one `discarded` message.
   */
  sendAudio(bytes: Uint8Array): boolean {
    if (this.#state !== 'active' || this.#transportEnded) return false;
    const channels = this.channels;
    let frame = bytes;
    if (this.#discard) {
      const { from, to } = this.#discard;
      const drop = Math.min(frame.length, (to - this.#positionSamples) * channels);
      this.#positionSamples += Math.floor(drop / channels);
      frame = frame.subarray(drop);
      if (this.#positionSamples >= to) {
        this.#discard = undefined;
        this.#send('discarded', { start: samplesToDuration(from), discarded: samplesToDuration(to - from) });
      }
      if (frame.length === 0) return true;
    }
    this.#positionSamples += Math.floor(frame.length / channels);
    this.#sendBinary(frame);
    return true;
  }

  /** Sends `bytes` as frames of `frameMs`, paced in real time on the clock unless paced is false. */
  streamAudio(bytes: Uint8Array, options: StreamOptions = {}): Promise<StreamResult> {
    const frameMs = options.frameMs ?? 20;
    const paced = options.paced ?? true;
    const frameBytes = Math.max(1, Math.round((frameMs * PCMU_BYTES_PER_SECOND) / 1000)) * this.channels;
    const start = this.#clock.now();
    let offset = 0;
    let frames = 0;
    let sent = 0;
    let discarded = 0;
    return new Promise((resolve) => {
      const done = (code: StreamResult['code']) =>
        resolve({ code, framesSent: frames, bytesSent: sent, bytesDiscarded: discarded });
      const step = () => {
        while (offset < bytes.length) {
          if (this.#state !== 'active' && this.#state !== 'paused') return done('STOPPED');
          const frame = bytes.subarray(offset, offset + frameBytes);
          if (this.#state === 'paused') {
            // Genesys keeps its timeline running while paused; the gap is reported in `resumed`.
            this.#positionSamples += Math.floor(frame.length / this.channels);
            discarded += frame.length;
          } else {
            this.sendAudio(frame);
            frames++;
            sent += frame.length;
          }
          offset += frame.length;
          if (paced && offset < bytes.length) {
            // Scheduled from the start time, so timer lateness does not accumulate.
            const due = start + ((offset / this.channels) * 1000) / PCMU_BYTES_PER_SECOND;
            this.#clock.setTimeout(step, due - this.#clock.now());
            return;
          }
        }
        done('COMPLETED');
      };
      step();
    });
  }

  // ---- other client messages ----

  sendDtmf(digit: DtmfDigit): boolean {
    return this.#sendInSession('dtmf', { digit });
  }

  sendPlaybackStarted(): boolean {
    return this.#sendInSession('playback_started', {});
  }

  sendPlaybackCompleted(): boolean {
    return this.#sendInSession('playback_completed', {});
  }

  /** Reports `discardedMs` of audio dropped from the current position on, and skips over it. */
  sendDiscarded(discardedMs: number): boolean {
    const start = this.#positionSamples;
    const samples = Math.round((discardedMs * PCMU_BYTES_PER_SECOND) / 1000);
    if (!this.#sendInSession('discarded', { start: samplesToDuration(start), discarded: samplesToDuration(samples) })) return false;
    this.#positionSamples += samples;
    return true;
  }

  sendUpdate(parameters: UpdateParameters): boolean {
    return this.#sendInSession('update', parameters);
  }

  sendError(code: ClientErrorCode, message: string): boolean {
    if (this.#transportEnded || this.#state === 'idle' || this.#state === 'closed') return false;
    this.#send('error', { code, message });
    this.safeEmit('error', code, message);
    return true;
  }

  /** Sends any message type with the next seq, whatever the state (for fuzz and conformance tests). */
  sendMessage(type: string, parameters: unknown): void {
    this.#send(type as ClientMessageType, parameters as never);
  }

  /** Sends text as is: no seq is consumed (for fuzz tests). */
  sendRawText(text: string): void {
    this.#record({ at: this.#clock.now(), dir: 'out', kind: 'text', message: text });
    this.#transport.sendText(text);
  }

  /** Sends a binary frame whatever the state, without moving the position (for fuzz tests). */
  sendRawBinary(bytes: Uint8Array): void {
    this.#sendBinary(bytes);
  }

  // ---- internals: sending ----

  #sendInSession<T extends ClientMessageType>(type: T, parameters: ClientParametersMap[T]): boolean {
    if ((this.#state !== 'active' && this.#state !== 'paused') || this.#transportEnded) return false;
    this.#send(type, parameters);
    return true;
  }

  #send<T extends ClientMessageType>(type: T, parameters: ClientParametersMap[T]): void {
    if (this.#transportEnded) return;
    const message = {
      version: PROTOCOL_VERSION,
      id: this.sessionId,
      type,
      seq: ++this.#seq,
      serverseq: this.#lastServerSeq,
      position: samplesToDuration(this.#positionSamples),
      parameters,
    };
    this.#record({ at: this.#clock.now(), dir: 'out', kind: 'text', type, seq: message.seq, message });
    this.#transport.sendText(JSON.stringify(message));
  }

  #sendBinary(bytes: Uint8Array): void {
    if (this.#transportEnded) return;
    this.#record({ at: this.#clock.now(), dir: 'out', kind: 'binary', bytes: bytes.length });
    this.#transport.sendBinary(bytes);
  }

  #record(entry: TimelineEntry): void {
    const mode = this.#options.timeline ?? 'all';
    if (mode === 'all' || (mode === 'text' && entry.kind === 'text')) this.timeline.push(entry);
  }

  // ---- internals: receiving ----

  #onText(text: string): void {
    const at = this.#clock.now();
    if (this.#state === 'closed') {
      this.#record({ at, dir: 'in', kind: 'text', message: text });
      return;
    }
    const checked = checkServerMessage(text, {
      sessionId: this.sessionId,
      lastServerSeq: this.#lastServerSeq,
      lastClientSeq: this.#seq,
      offers: this.offers,
      allowEmptyMedia: this.#options.probe === true,
    });
    if (!checked.ok) {
      this.#record({ at, dir: 'in', kind: 'text', type: checked.type, seq: checked.seq, message: text });
      // Follow the server's numbering from here on, so that its `closed` can still end the
      // session cleanly after the one error we signal.
      if (checked.seq !== undefined) this.#lastServerSeq = checked.seq;
      this.#violate(checked.fault.code, checked.fault.message, checked.type);
      return;
    }
    const message = checked.message;
    this.#record({ at, dir: 'in', kind: 'text', type: message.type, seq: message.seq, message });
    this.#lastServerSeq = message.seq;
    this.safeEmit('servermessage', message);
    switch (message.type) {
      case 'opened':
        return this.#onOpened(message.parameters);
      case 'pong':
        return this.#onPong(message.clientseq);
      case 'closed':
        if (this.#state !== 'closing') return this.#violate(409, 'Unexpected closed', 'closed');
        this.#transport.close(1000, 'closed');
        return this.#finish('closed', { code: 'CLOSED' });
      case 'disconnect':
        return this.#onDisconnect(message.parameters);
      case 'pause':
        return this.#onPause();
      case 'resume':
        return this.#onResume();
      case 'event':
        if (this.#state === 'opening') return this.#violate(409, 'Unexpected event', 'event');
        this.safeEmit('event', message.parameters.entities);
        return;
      case 'updated':
      case 'reconnect':
        // Reconnect is not supported by Genesys either (research/audiohook.md 4.8): noted, ignored.
        return;
    }
  }

  #onOpened(parameters: OpenedParameters): void {
    if (this.#state !== 'opening') return this.#violate(409, 'Unexpected opened', 'opened');
    this.#clock.clearTimeout(this.#openTimer);
    this.selectedMedia = parameters.media[0];
    this.#state = parameters.startPaused === true ? 'paused' : 'active';
    this.#pauseStartSamples = this.#positionSamples;
    if (parameters.discardTo !== undefined) {
      const to = durationToSamples(parameters.discardTo);
      if (to > this.#positionSamples) this.#discard = { from: this.#positionSamples, to };
    }
    if (this.#options.ping !== false) {
      const first = this.#options.ping?.firstMs ?? DEFAULT_PING.firstMs;
      this.#pingTimer = this.#clock.setTimeout(() => this.#pingTick(), first);
    }
    this.safeEmit('opened', parameters);
    this.#resolveOpen({ code: 'OPENED', parameters });
  }

  #pingTick(): void {
    if (this.#state !== 'active' && this.#state !== 'paused') return;
    if (this.#outstandingPing) return this.#violate(408, 'Timeout waiting for pong');
    const rtt = this.rtts.at(-1);
    this.#send('ping', rtt === undefined ? {} : { rtt: msToDuration(rtt) });
    this.#outstandingPing = { seq: this.#seq, sentAt: this.#clock.now() };
    const interval = (this.#options.ping || undefined)?.intervalMs ?? DEFAULT_PING.intervalMs;
    this.#pingTimer = this.#clock.setTimeout(() => this.#pingTick(), interval);
  }

  #onPong(clientseq: number): void {
    const ping = this.#outstandingPing;
    if (!ping) return this.#violate(409, 'Unexpected pong', 'pong');
    if (clientseq !== ping.seq) return this.#violate(400, 'Invalid pong clientseq', 'pong');
    this.#outstandingPing = undefined;
    const rtt = this.#clock.now() - ping.sentAt;
    this.rtts.push(rtt);
    this.safeEmit('pong', rtt);
  }

  #onDisconnect(parameters: DisconnectParameters): void {
    if (this.#state === 'closing') return; // crossed our own close; nothing left to do
    this.disconnectParameters = parameters;
    this.safeEmit('disconnect', parameters);
    this.#resolveOpen({ code: 'DISCONNECTED', parameters });
    void this.close('disconnect');
  }

  #onPause(): void {
    if (this.#state === 'opening') return this.#violate(409, 'Unexpected pause', 'pause');
    if (this.#state === 'closing') return;
    if (this.#state === 'active') {
      this.#state = 'paused';
      this.#pauseStartSamples = this.#positionSamples;
      this.safeEmit('pause');
    }
    this.#send('paused', {});
  }

  #onResume(): void {
    if (this.#state === 'opening') return this.#violate(409, 'Unexpected resume', 'resume');
    if (this.#state === 'closing') return;
    const start = this.#state === 'paused' ? this.#pauseStartSamples : this.#positionSamples;
    if (this.#state === 'paused') {
      this.#state = 'active';
      this.safeEmit('resume');
    }
    this.#send('resumed', {
      start: samplesToDuration(start),
      discarded: samplesToDuration(this.#positionSamples - start),
    });
  }

  #onBinary(bytes: Uint8Array): void {
    const now = this.#clock.now();
    this.#record({ at: now, dir: 'in', kind: 'binary', bytes: bytes.length });
    if (this.#state === 'idle' || this.#state === 'opening') return this.#violate(409, 'Unexpected audio before opened');
    // Audio that crossed our close is dropped, as a real client's buffer would be.
    if (this.#state !== 'active' && this.#state !== 'paused') return;
    if (this.#options.collectAudio) this.#received.push(new Uint8Array(bytes));
    this.safeEmit('audio', bytes);
    if (this.#options.autoPlayback && bytes.length > 0) {
      const update = this.#playout.receive(bytes.length, now);
      if (update.started) this.sendPlaybackStarted();
      this.#clock.clearTimeout(this.#playbackTimer);
      this.#playbackTimer = this.#clock.setTimeout(() => {
        this.#playbackTimer = undefined;
        this.sendPlaybackCompleted();
      }, update.drainsAt - now);
    }
  }

  #onTransportClosed(code: number, reason: string): void {
    this.#transportEnded = true;
    this.#finish('ended', { code: 'ENDED' });
    this.safeEmit('ended', code, reason);
  }

  // ---- internals: failure and teardown ----

  #violate(code: ClientErrorCode, message: string, type?: string): void {
    const violation: Violation = { code, message, type, at: this.#clock.now() };
    this.violations.push(violation);
    this.safeEmit('violation', violation);
    this.#resolveOpen({ code: 'FAILED', violation });
    // Like the reference client: one `error`, then the close transaction with reason "error".
    if (this.#errorSignalled || this.#state === 'closed') return;
    this.#errorSignalled = true;
    this.sendError(code, message);
    if (this.#state === 'opening' || this.#state === 'active' || this.#state === 'paused') void this.close('error');
  }

  #resolveOpen(outcome: OpenOutcome): void {
    const waiters = this.#openWaiters;
    this.#openWaiters = [];
    for (const w of waiters) w(outcome);
  }

  #finishClose(outcome: CloseOutcome): void {
    const waiters = this.#closeWaiters;
    this.#closeWaiters = [];
    for (const w of waiters) w(outcome);
  }

  #stopTimers(): void {
    this.#clock.clearTimeout(this.#openTimer);
    this.#clock.clearTimeout(this.#pingTimer);
    this.#clock.clearTimeout(this.#playbackTimer);
    this.#openTimer = this.#pingTimer = this.#playbackTimer = undefined;
    // An outstanding ping survives close: the server may still answer it before `closed`.
  }

  #finish(how: 'closed' | 'ended', outcome: CloseOutcome): void {
    const wasClosed = this.#state === 'closed';
    this.#stopTimers();
    this.#outstandingPing = undefined;
    this.#clock.clearTimeout(this.#closeTimer);
    this.#closeTimer = undefined;
    this.#state = 'closed';
    this.#resolveOpen({ code: 'ENDED' });
    this.#finishClose(outcome);
    if (how === 'closed' && !wasClosed) this.safeEmit('closed');
  }
}
