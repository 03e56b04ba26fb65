// The streaming DTMF detector: one object per audio stream (mono or interleaved multi-channel), backed by
// the WASM kernel (default) or the TypeScript reference. Frames of any size; no allocation per frame
// unless an event is emitted.
import { dtmfError } from './errors.js';
import { toEvent, type DtmfEvent } from './events.js';
import * as P from './params.js';
import { ReferenceKernel, type RawEventSink } from './reference-kernel.js';
import { INPUT_BYTES, sharedKernel, type DtmfKernel } from './wasm-kernel.js';

export type DtmfEncoding = 'mulaw' | 'pcm16';
export type DtmfEngine = 'wasm' | 'reference';

export interface DtmfDetectorOptions {
  /** Interleaved channels per frame (1 mono, 2 stereo); each is detected separately. Default 1. */
  channels?: number;
  encoding: DtmfEncoding;
  engine?: DtmfEngine;
}

/** Mu-law frames are bytes; PCM16 frames are samples (Int16Array) or their little-endian bytes. */
export type DtmfFrame = Uint8Array | Int16Array;

export interface DtmfDetector {
  readonly channels: number;
  readonly encoding: DtmfEncoding;
  readonly engine: DtmfEngine;
  /** Samples per channel consumed since creation or reset(). */
  readonly positionSamples: number;
  /** Feeds one frame; events are delivered synchronously to `onEvent`, in stream order per channel. */
  process(frame: DtmfFrame, onEvent: (event: DtmfEvent) => void): void;
  /** Ends the stream: feeds silence until every digit and suspected span in progress has ended. */
  flush(onEvent: (event: DtmfEvent) => void): void;
  /** Forgets all state; positions restart at 0. */
  reset(): void;
  /** Releases the kernel state; idempotent. */
  close(): void;
}

export function createDtmfDetector(options: DtmfDetectorOptions): DtmfDetector {
  const channels = options.channels ?? 1;
  const engine = options.engine ?? 'wasm';
  if (!Number.isInteger(channels) || channels < 1 || channels > 8) throw dtmfError('ERR_DTMF_OPTIONS', { channels });
  if (options.encoding !== 'mulaw' && options.encoding !== 'pcm16') throw dtmfError('ERR_DTMF_OPTIONS', { encoding: options.encoding });
  if (engine !== 'wasm' && engine !== 'reference') throw dtmfError('ERR_DTMF_OPTIONS', { engine });
  return engine === 'wasm' ? new WasmDetector(channels, options.encoding) : new ReferenceDetector(channels, options.encoding);
}

function deliver(events: DtmfEvent[], onEvent: (event: DtmfEvent) => void): void {
  for (const e of events) onEvent(e);
}

function bytesPerSample(encoding: DtmfEncoding): number {
  return encoding === 'mulaw' ? 1 : 2;
}

/** Samples per channel in `frame`, or a typed error for a frame that is not whole sample frames. */
function framesIn(frame: DtmfFrame, channels: number, encoding: DtmfEncoding): number {
  const samples = frame instanceof Int16Array ? frame.length : encoding === 'mulaw' ? frame.length : frame.length / 2;
  if ((encoding === 'mulaw' && !(frame instanceof Uint8Array)) || !Number.isInteger(samples) || samples % channels !== 0) {
    throw dtmfError('ERR_DTMF_FRAME', { bytes: frame.byteLength, channels, encoding });
  }
  return samples / channels;
}

class WasmDetector implements DtmfDetector {
  readonly engine = 'wasm' as const;
  readonly #kernel: DtmfKernel;
  readonly #states: number[] = [];
  readonly #encodingCode: number;
  readonly #bps: number;
  readonly #mono: boolean;
  #closed = false;

  constructor(
    readonly channels: number,
    readonly encoding: DtmfEncoding,
  ) {
    this.#kernel = sharedKernel();
    for (let c = 0; c < channels; c++) this.#states.push(this.#kernel.allocState());
    this.#encodingCode = encoding === 'mulaw' ? P.ENC_MULAW : P.ENC_PCM16;
    this.#bps = bytesPerSample(encoding);
    this.#mono = channels === 1 && encoding === 'mulaw';
  }

  get positionSamples(): number {
    this.#check();
    return this.#kernel.position(this.#states[0]!);
  }

  process(frame: DtmfFrame, onEvent: (event: DtmfEvent) => void): void {
    if (this.#closed) throw dtmfError('ERR_DTMF_CLOSED');
    const k = this.#kernel;
    // The common case, a mono mu-law frame that fits the input area: one copy, one call.
    if (this.#mono && frame instanceof Uint8Array && frame.length <= INPUT_BYTES) {
      k.u8.set(frame, k.inputAt);
      const events = k.process(this.#states[0]!, 0, frame.length, 1, this.#encodingCode);
      if (events > 0) deliver(this.#collect(0, events, []), onEvent);
      return;
    }
    const perChannel = framesIn(frame, this.channels, this.encoding);
    const frameBytes = this.channels * this.#bps;
    const chunk = Math.floor(INPUT_BYTES / frameBytes);
    for (let done = 0; done < perChannel; done += chunk) {
      const n = Math.min(chunk, perChannel - done);
      // Copy into the kernel's input area through a cached view: no allocation for frames that fit.
      const whole = done === 0 && n === perChannel;
      if (frame instanceof Int16Array) {
        k.i16.set(whole ? frame : frame.subarray(done * this.channels, (done + n) * this.channels), k.inputAt >> 1);
      } else {
        k.u8.set(whole ? frame : frame.subarray(done * frameBytes, (done + n) * frameBytes), k.inputAt);
      }
      let found: DtmfEvent[] | undefined;
      for (let c = 0; c < this.channels; c++) {
        const events = k.process(this.#states[c]!, c * this.#bps, n, frameBytes, this.#encodingCode);
        if (events > 0) found = this.#collect(c, events, found ?? []);
      }
      if (found) deliver(found, onEvent);
    }
  }

  flush(onEvent: (event: DtmfEvent) => void): void {
    this.#check();
    const found: DtmfEvent[] = [];
    for (let c = 0; c < this.channels; c++) {
      const events = this.#kernel.flush(this.#states[c]!);
      if (events > 0) this.#collect(c, events, found);
    }
    deliver(found, onEvent);
  }

  reset(): void {
    this.#check();
    for (const st of this.#states) this.#kernel.init(st);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const st of this.#states) this.#kernel.freeState(st);
  }

  /**
   * Reads the kernel's output area into event objects. Events are delivered only after every kernel call
   * for the frame (or chunk) is done: a listener may feed another detector, which shares the kernel's
   * input and output areas.
   */
  #collect(channel: number, count: number, into: DtmfEvent[]): DtmfEvent[] {
    const k = this.#kernel;
    for (let i = 0; i < count; i++) {
      const at = k.outAt + i * k.eventBytes;
      into.push(
        toEvent(channel, k.i32[at >> 2]!, k.i32[(at >> 2) + 1]!, k.f64[(at >> 3) + 1]!, k.f64[(at >> 3) + 2]!, k.f64[(at >> 3) + 3]!, k.f32[(at >> 2) + 8]!, k.f32[(at >> 2) + 9]!),
      );
    }
    return into;
  }

  #check(): void {
    if (this.#closed) throw dtmfError('ERR_DTMF_CLOSED');
  }
}

class ReferenceDetector implements DtmfDetector {
  readonly engine = 'reference' as const;
  readonly #kernels: ReferenceKernel[] = [];
  readonly #sinks: RawEventSink[] = [];
  readonly #encodingCode: number;
  /** Events of the call in progress; replaced (not cleared) when delivered, so frames without events allocate nothing. */
  #found: DtmfEvent[] = [];
  #closed = false;

  constructor(
    readonly channels: number,
    readonly encoding: DtmfEncoding,
  ) {
    for (let c = 0; c < channels; c++) {
      this.#kernels.push(new ReferenceKernel());
      // One sink per channel, made once.
      this.#sinks.push((type, digit, start, end, at, low, high) => void this.#found.push(toEvent(c, type, digit, start, end, at, low, high)));
    }
    this.#encodingCode = encoding === 'mulaw' ? P.ENC_MULAW : P.ENC_PCM16;
  }

  get positionSamples(): number {
    this.#check();
    return this.#kernels[0]!.positionSamples;
  }

  process(frame: DtmfFrame, onEvent: (event: DtmfEvent) => void): void {
    this.#check();
    const perChannel = framesIn(frame, this.channels, this.encoding);
    let input: DtmfFrame = frame;
    if (this.encoding === 'pcm16' && frame instanceof Uint8Array) {
      // Little-endian bytes to samples (the reference is the slow path; it may copy).
      input = new Int16Array(perChannel * this.channels);
      const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
      for (let i = 0; i < input.length; i++) input[i] = view.getInt16(i * 2, true);
    }
    // Events are collected and delivered after every channel has consumed the frame, as the WASM engine does.
    for (let c = 0; c < this.channels; c++) this.#kernels[c]!.process(input, c, perChannel, this.channels, this.#encodingCode, this.#sinks[c]!);
    this.#deliver(onEvent);
  }

  #deliver(onEvent: (event: DtmfEvent) => void): void {
    if (this.#found.length === 0) return;
    const found = this.#found;
    this.#found = [];
    deliver(found, onEvent);
  }

  flush(onEvent: (event: DtmfEvent) => void): void {
    this.#check();
    for (let c = 0; c < this.channels; c++) this.#kernels[c]!.flush(this.#encodingCode, this.#sinks[c]!);
    this.#deliver(onEvent);
  }

  reset(): void {
    this.#check();
    for (const k of this.#kernels) k.reset();
  }

  close(): void {
    this.#closed = true;
  }

  #check(): void {
    if (this.#closed) throw dtmfError('ERR_DTMF_CLOSED');
  }
}
