// Playout: plays prompts to the caller through the session. Renders each PromptSpec, queues it on
// a real-time pacer, and reports when each prompt starts (stream position, for the recorder) and
// when it has finished PLAYING at the caller (estimated from the pacing, confirmed early by
// Genesys's playback_completed), so that the dialog's timers start at the right moment.
import { MULAW_SILENCE } from '../audio/g711.js';
import { Pacer } from '../audio/pacer.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import { PayhookError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import type { PromptCatalog } from './catalog.js';
import type { LanguageId } from './languages.js';
import { PROMPTS_ERRORS } from './errors.js';
import { renderPrompt, SAMPLE_RATE } from './render.js';
import { ITEM_GAP_MS } from './say/index.js';
import type { PromptSpec } from './spec.js';

/** What the playout needs from the session; the server session satisfies it structurally. */
export interface PlayoutPort {
  /** One chunk of outbound mu-law audio; false if the session could not send it. */
  sendAudio(chunk: Uint8Array): boolean;
  sendEvent(entities: Array<{ type: string; data: Record<string, unknown> }>): void;
}

export interface PlayoutOptions {
  port: PlayoutPort;
  clock: Clock;
  catalog: PromptCatalog;
  /** 100-250 ms per AudioHook guidance; default 200 ms (1600 bytes). */
  chunkMs?: number;
  /** How far ahead of real time Genesys is kept; default 150 ms. */
  leadMs?: number;
  logger?: Logger;
}

/**
 * Why a prompt ended. 'played': the estimate says the caller heard all of it; 'confirmed':
 * Genesys said playback_completed first; the others cut it short.
 */
export type FinishReason = 'played' | 'confirmed' | 'barge_in' | 'cancelled' | 'closed';

export interface PromptInfo {
  /** Unique per playout, in queue order. */
  id: number;
  name: string;
  bargeIn: boolean;
  /** The recorder masks this prompt's span; its items are never logged. */
  sensitive: boolean;
  /** Sample position of its first byte in the bot's outbound stream; null if never sent. */
  startSample: number | null;
  /** Sample position just after its last sent byte; null if never fully sent. */
  endSample: number | null;
}

export interface PromptOutcome extends PromptInfo {
  interrupted: boolean;
  reason: FinishReason;
}

export type PlayoutEvents = {
  promptstarted: [name: string, startSample: number, info: PromptInfo];
  promptfinished: [name: string, interrupted: boolean, outcome: PromptOutcome];
  /** Every queued prompt has finished. */
  idle: [];
};

export interface Playback {
  readonly id: number;
  readonly name: string;
  /** Resolves when the prompt finished playing at the caller or was cut short. Never rejects. */
  readonly finished: Promise<PromptOutcome>;
}

type EntryState = 'queued' | 'sending' | 'sent';

interface Entry {
  info: PromptInfo;
  state: EntryState;
  timer: TimerHandle | undefined;
  resolve: (outcome: PromptOutcome) => void;
}

export class Playout extends TypedEmitter<PlayoutEvents> {
  readonly #port: PlayoutPort;
  readonly #clock: Clock;
  readonly #pacer: Pacer<Entry | null>;
  readonly #logger: Logger | undefined;
  #catalog: PromptCatalog;
  #entries: Entry[] = [];
  #nextId = 1;
  #refusedChunks = 0;
  #clientPlaying = false;
  #closed = false;

  constructor(options: PlayoutOptions) {
    super();
    this.#port = options.port;
    this.#clock = options.clock;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    const chunkMs = options.chunkMs ?? 200;
    if (!(chunkMs >= 100 && chunkMs <= 250)) throw new RangeError('chunkMs must be 100-250');
    this.#pacer = new Pacer<Entry | null>({
      clock: options.clock,
      chunkBytes: Math.round((chunkMs * SAMPLE_RATE) / 1000),
      minChunkBytes: SAMPLE_RATE / 10,
      leadMs: options.leadMs ?? 150,
      sink: (chunk) => {
        if (!this.#port.sendAudio(chunk)) this.#refusedChunks++;
      },
      onSegmentStart: (entry, position) => entry && this.#started(entry, position),
      onSegmentEnd: (entry, position) => entry && this.#sent(entry, position),
    });
    this.onListenerError = (event, error) => this.#logger?.error({ err: error, event }, 'playout listener failed');
  }

  get language(): LanguageId {
    return this.#catalog.language;
  }

  /** Samples sent so far in the bot's outbound stream (mu-law: one byte per sample). */
  get position(): number {
    return this.#pacer.position;
  }

  /** A prompt is queued, being sent, or still playing at the caller. */
  get busy(): boolean {
    return this.#entries.length > 0;
  }

  /** The prompt the caller is hearing (or will hear next), if any. */
  get current(): PromptInfo | undefined {
    return this.#entries[0]?.info;
  }

  /** Genesys said playback_started and has not yet said playback_completed. */
  get clientPlaying(): boolean {
    return this.#clientPlaying;
  }

  /** Chunks the session refused (e.g. while closing); counted, not retried. */
  get refusedChunks(): number {
    return this.#refusedChunks;
  }

  /** Switches language for prompts queued from now on (AudioHook `update` with a new language). */
  setCatalog(catalog: PromptCatalog): void {
    this.#catalog = catalog;
  }

  /** Queues a prompt. Throws ERR_PROMPTS_BAD_VALUE for a value it cannot say, before queueing anything. */
  play(spec: PromptSpec): Playback {
    this.#assertOpen();
    const audio = renderPrompt(this.#catalog, spec);
    return this.#enqueue(spec.name, audio, spec.bargeIn && !spec.sensitive, spec.sensitive);
  }

  /** Queues audio rendered elsewhere (live TTS of configured text): 8 kHz mu-law. */
  playAudio(name: string, mulaw: Uint8Array, opts: { bargeIn?: boolean; sensitive?: boolean } = {}): Playback {
    this.#assertOpen();
    const sensitive = opts.sensitive ?? false;
    return this.#enqueue(name, mulaw, (opts.bargeIn ?? true) && !sensitive, sensitive);
  }

  /**
   * The caller pressed a key. If the prompt they are hearing allows barge-in, stops it and drops
   * every queued prompt (they belong to the turn the caller just answered), tells Genesys to
   * discard its buffer, and returns true. Otherwise changes nothing and returns false.
   */
  bargeIn(): boolean {
    const audible = this.#entries[0];
    if (!audible || !audible.info.bargeIn) return false;
    this.#stopAll('barge_in');
    return true;
  }

  /** Stops everything now, whatever the prompts allow (the dialog moved on or the call ends). */
  cancelAll(): void {
    this.#stopAll('cancelled');
  }

  /** Genesys `playback_started`. */
  playbackStarted(): void {
    this.#clientPlaying = true;
  }

  /**
   * Genesys `playback_completed`: its buffer ran out, so every fully sent prompt has been heard.
   * Finishes those now if the estimate has not yet.
   */
  playbackCompleted(): void {
    this.#clientPlaying = false;
    for (const entry of [...this.#entries]) {
      if (entry.state !== 'sent') break;
      this.#finish(entry, 'confirmed');
    }
    this.#emitIdleIfDone();
  }

  /** Ends the playout for good (the session closed): nothing more is sent. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pacer.close();
    for (const entry of [...this.#entries]) this.#finish(entry, 'closed');
  }

  #assertOpen(): void {
    if (this.#closed) throw new PayhookError('ERR_PROMPTS_PLAYOUT_CLOSED', PROMPTS_ERRORS.ERR_PROMPTS_PLAYOUT_CLOSED);
  }

  #enqueue(name: string, audio: Uint8Array, bargeIn: boolean, sensitive: boolean): Playback {
    let resolve!: (o: PromptOutcome) => void;
    const finished = new Promise<PromptOutcome>((r) => (resolve = r));
    const entry: Entry = {
      info: { id: this.#nextId++, name, bargeIn, sensitive, startSample: null, endSample: null },
      state: 'queued',
      timer: undefined,
      resolve,
    };
    this.#entries.push(entry);
    // Prompts back to back get the same pause as items within a prompt.
    if (!this.#pacer.idle) this.#pacer.enqueue(new Uint8Array(Math.round((ITEM_GAP_MS * SAMPLE_RATE) / 1000)).fill(MULAW_SILENCE), null);
    this.#pacer.enqueue(audio, entry);
    return { id: entry.info.id, name, finished };
  }

  #started(entry: Entry, position: number): void {
    entry.state = 'sending';
    entry.info.startSample = position;
    this.#logger?.debug({ prompt: entry.info.name, sensitive: entry.info.sensitive, startSample: position }, 'prompt started');
    this.safeEmit('promptstarted', entry.info.name, position, { ...entry.info });
  }

  #sent(entry: Entry, position: number): void {
    entry.state = 'sent';
    entry.info.endSample = position;
    const heardAt = this.#pacer.playTimeOf(position);
    entry.timer = this.#clock.setTimeout(() => {
      entry.timer = undefined;
      this.#finish(entry, 'played');
      this.#emitIdleIfDone();
    }, heardAt - this.#clock.now());
  }

  #stopAll(reason: 'barge_in' | 'cancelled'): void {
    const audible = this.#entries.some((e) => e.state !== 'queued');
    this.#pacer.flush(true);
    // Genesys holds up to lead + one chunk of our audio; this makes it drop that too.
    if (audible) this.#port.sendEvent([{ type: 'barge_in', data: {} }]);
    for (const entry of [...this.#entries]) this.#finish(entry, reason);
    this.#emitIdleIfDone();
  }

  #finish(entry: Entry, reason: FinishReason): void {
    const i = this.#entries.indexOf(entry);
    if (i < 0) return;
    this.#entries.splice(i, 1);
    this.#clock.clearTimeout(entry.timer);
    const interrupted = reason !== 'played' && reason !== 'confirmed';
    const outcome: PromptOutcome = { ...entry.info, interrupted, reason };
    this.#logger?.debug({ prompt: entry.info.name, sensitive: entry.info.sensitive, reason }, 'prompt finished');
    this.safeEmit('promptfinished', entry.info.name, interrupted, outcome);
    entry.resolve(outcome);
  }

  #emitIdleIfDone(): void {
    if (this.#entries.length === 0 && !this.#closed) this.safeEmit('idle');
  }
}
