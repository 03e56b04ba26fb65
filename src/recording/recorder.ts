// The per-call recorder: the shell around RecordingMasker. It owns the DTMF detector that watches both
// channels, hands masked audio to the sinks, isolates sink failures from the call, and reports each
// masked span as an event (positions and reason only).
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import { createDtmfDetector, type DtmfEngine } from '../dtmf/detector.js';
import { recordingError } from './errors.js';
import { detectorChannels, RecordingMasker, type DetectorPort, type MaskedChunk, type MaskerOptions } from './masker.js';
import type { RecordingResult, RecordingSink } from './sink.js';
import type { MaskSpan } from './spans.js';

export interface RecorderOptions extends MaskerOptions {
  readonly sinks?: readonly RecordingSink[];
  readonly logger?: Logger;
  /** DTMF engine for the built-in detector; default 'wasm'. */
  readonly engine?: DtmfEngine;
  /** A detector to use instead (tests); must take interleaved mu-law with detectorChannels(boostDb) channels. */
  readonly detector?: DetectorPort;
}

export type RecorderEvents = {
  /** Masked audio released to the sinks (delayed by the lookahead). */
  chunk: [chunk: MaskedChunk];
  /** A sink failed and was detached; the recording goes on in the others. */
  sinkfailed: [name: string];
  closed: [result: RecordingResult];
};

export class Recorder extends TypedEmitter<RecorderEvents> {
  readonly #masker: RecordingMasker;
  readonly #detector: DetectorPort;
  readonly #logger: Logger;
  #sinks: RecordingSink[];
  #closing: Promise<RecordingResult> | undefined;

  constructor(options: RecorderOptions = {}) {
    super();
    this.#logger = options.logger ?? silentLogger();
    this.#detector = options.detector ?? createDtmfDetector({ channels: detectorChannels(options.boostDb), encoding: 'mulaw', engine: options.engine ?? 'wasm' });
    this.#masker = new RecordingMasker(this.#detector, options);
    this.#sinks = [...(options.sinks ?? [])];
    this.onListenerError = (event, error) => this.#logger.warn({ code: 'ERR_RECORDING_SINK', event, err: error }, 'recorder listener failed');
  }

  get lookaheadSamples(): number {
    return this.#masker.lookaheadSamples;
  }

  /** Stream position up to which masked audio has gone to the sinks. */
  get releasedPosition(): number {
    return this.#masker.releasedPosition;
  }

  /** Caller (inbound) audio: mu-law mono, `position` = stream position of its first sample. */
  writeCaller(frame: Uint8Array, position: number): void {
    if (this.#closing) throw recordingError('ERR_RECORDING_CLOSED');
    this.#emit(this.#masker.writeCaller(frame, position));
  }

  /** Bot (outbound) audio at its position on the same timeline; write it no later than it plays. */
  writeBot(chunk: Uint8Array, position: number): void {
    if (this.#closing) throw recordingError('ERR_RECORDING_CLOSED');
    this.#masker.writeBot(chunk, position);
  }

  /**
   * Both directions in one interleaved stereo frame (a Monitor source: external = caller first,
   * internal = bot second), `position` = stream position of its first sample frame.
   */
  writeStereo(frame: Uint8Array, position: number): void {
    const n = frame.length >> 1;
    const caller = new Uint8Array(n);
    const bot = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      caller[i] = frame[2 * i]!;
      bot[i] = frame[2 * i + 1]!;
    }
    this.writeBot(bot, position);
    this.writeCaller(caller, position);
  }

  openSecureWindow(reason: string, atPosition: number): void {
    if (this.#closing) return;
    this.#masker.openSecureWindow(reason, atPosition);
  }

  closeSecureWindow(reason: string, atPosition: number): void {
    if (this.#closing) return;
    this.#masker.closeSecureWindow(reason, atPosition);
  }

  /** Spans closed so far. */
  spans(): MaskSpan[] {
    return this.#masker.spans();
  }

  /** Ends the recording: releases the delayed tail and closes every sink. Idempotent. */
  close(): Promise<RecordingResult> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<RecordingResult> {
    this.#emit(this.#masker.finish());
    this.#detector.close();
    const result: RecordingResult = {
      durationSamples: this.#masker.releasedPosition,
      lookaheadSamples: this.#masker.lookaheadSamples,
      fill: this.#masker.fill,
      spans: this.#masker.spans(),
      stats: { ...this.#masker.stats },
    };
    if (result.stats.lateMaskSamples > 0 || result.stats.lateBotSamples > 0) {
      this.#logger.warn({ lateMaskSamples: result.stats.lateMaskSamples, lateBotSamples: result.stats.lateBotSamples }, 'recording had late audio or masks');
    }
    await Promise.all(
      this.#sinks.map(async (sink) => {
        try {
          await sink.close(result);
        } catch (error) {
          this.#fail(sink, error);
        }
      }),
    );
    this.safeEmit('closed', result);
    return result;
  }

  #emit(chunk: MaskedChunk | undefined): void {
    if (!chunk) return;
    for (const sink of [...this.#sinks]) {
      try {
        sink.write(chunk);
      } catch (error) {
        this.#fail(sink, error);
      }
    }
    this.safeEmit('chunk', chunk);
  }

  #fail(sink: RecordingSink, error: unknown): void {
    this.#sinks = this.#sinks.filter((s) => s !== sink);
    const code = (error as { code?: unknown })?.code;
    this.#logger.error({ code: 'ERR_RECORDING_SINK', sink: sink.name, cause: typeof code === 'string' ? code : undefined, err: error }, 'recording sink detached');
    this.safeEmit('sinkfailed', sink.name);
  }
}

export function createRecorder(options: RecorderOptions = {}): Recorder {
  return new Recorder(options);
}
