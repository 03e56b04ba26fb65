// Real-time pacing of an outbound byte stream (mu-law audio to Genesys): chunks of a fixed size,
// sent on a schedule computed from an absolute anchor on the Clock so that timer lateness never
// accumulates, and a small lead so that the far end's playout buffer never runs dry.
import type { Clock, TimerHandle } from '../core/clock.js';
import { MULAW_SILENCE } from './g711.js';

/** AudioHook rejects audio frames over 64000 bytes (research/audiohook.md). */
export const MAX_CHUNK_BYTES = 64000;

export interface PacerOptions<T> {
  clock: Clock;
  /** Receives each chunk when it is due; the chunk is a fresh buffer the sink may keep. */
  sink: (chunk: Uint8Array) => void;
  /** Stream rate; 8000 for 8 kHz mu-law. */
  bytesPerSecond?: number;
  /** Normal chunk size; 1600 bytes = 200 ms at 8 kHz mu-law. */
  chunkBytes?: number;
  /** A final short chunk is padded up to this size (Genesys wants 100-250 ms per frame). */
  minChunkBytes?: number;
  /** How far ahead of real time the far end is kept: a chunk is sent once its buffer is down to this. */
  leadMs?: number;
  /** Filler for padding; mu-law silence by default. */
  padByte?: number;
  /** Called just before the first byte of a segment goes to the sink, with its stream position. */
  onSegmentStart?: (tag: T, position: number) => void;
  /** Called just after the last byte of a segment went to the sink, with its end position. */
  onSegmentEnd?: (tag: T, position: number) => void;
}

interface Segment<T> {
  bytes: Uint8Array;
  tag: T;
  offset: number;
}

/**
 * Sends queued segments in chunks paced to real time. Each chunk goes out when the far end's
 * estimated buffer has drained to `leadMs`, so that buffer stays within [lead, lead + one chunk].
 */
export class Pacer<T = undefined> {
  readonly chunkBytes: number;
  readonly minChunkBytes: number;
  readonly bytesPerSecond: number;
  readonly leadMs: number;
  readonly #clock: Clock;
  readonly #sink: (chunk: Uint8Array) => void;
  readonly #padByte: number;
  readonly #onStart: ((tag: T, position: number) => void) | undefined;
  readonly #onEnd: ((tag: T, position: number) => void) | undefined;
  #queue: Segment<T>[] = [];
  #queuedBytes = 0;
  #position = 0;
  // The far end plays byte `#anchorPos` at clock time `#anchorTime`, then one byte per 1/rate s.
  #anchorTime = -Infinity;
  #anchorPos = 0;
  #timer: TimerHandle | undefined;
  #pumping = false;
  #closed = false;

  constructor(options: PacerOptions<T>) {
    this.#clock = options.clock;
    this.#sink = options.sink;
    this.bytesPerSecond = options.bytesPerSecond ?? 8000;
    this.chunkBytes = options.chunkBytes ?? 1600;
    this.minChunkBytes = options.minChunkBytes ?? Math.min(800, this.chunkBytes);
    this.leadMs = options.leadMs ?? 150;
    this.#padByte = options.padByte ?? MULAW_SILENCE;
    this.#onStart = options.onSegmentStart;
    this.#onEnd = options.onSegmentEnd;
    if (!(this.chunkBytes > 0 && this.chunkBytes <= MAX_CHUNK_BYTES)) throw new RangeError(`chunkBytes must be 1..${MAX_CHUNK_BYTES}`);
    if (!(this.minChunkBytes > 0 && this.minChunkBytes <= this.chunkBytes)) throw new RangeError('minChunkBytes must be 1..chunkBytes');
    if (!(this.leadMs >= 0)) throw new RangeError('leadMs must be >= 0');
    if (!(this.bytesPerSecond > 0)) throw new RangeError('bytesPerSecond must be > 0');
  }

  /** Bytes handed to the sink so far, padding included: the outbound stream position. */
  get position(): number {
    return this.#position;
  }

  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Nothing queued and nothing left playing at the far end (by the estimate). */
  get idle(): boolean {
    return this.#queue.length === 0 && this.#clock.now() >= this.playTimeOf(this.#position);
  }

  /** Estimated clock time at which the far end plays the byte at `position` (ms). */
  playTimeOf(position: number): number {
    return this.#anchorTime + ((position - this.#anchorPos) * 1000) / this.bytesPerSecond;
  }

  /** Estimated milliseconds of audio buffered at the far end now. */
  farEndBufferedMs(): number {
    return Math.max(0, this.playTimeOf(this.#position) - this.#clock.now());
  }

  /** Queues bytes to send after everything already queued. Returns false once closed. */
  enqueue(bytes: Uint8Array, tag: T): boolean {
    if (this.#closed) return false;
    this.#queue.push({ bytes, tag, offset: 0 });
    this.#queuedBytes += bytes.length;
    if (!this.#timer && !this.#pumping) this.#pump();
    return true;
  }

  /**
   * Drops everything not yet sent and returns the tags of the dropped segments (a partly sent
   * one included), in order. With `farEndCleared` (the far end was told to discard its buffer,
   * e.g. a barge_in event) the next audio starts a fresh schedule instead of queueing behind it.
   */
  flush(farEndCleared = false): T[] {
    const dropped = this.#queue.map((s) => s.tag);
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (farEndCleared) this.#anchorTime = -Infinity;
    return dropped;
  }

  /** Stops for good; returns the tags that were still queued. Idempotent. */
  close(): T[] {
    const dropped = this.flush();
    this.#closed = true;
    return dropped;
  }

  #pump(): void {
    this.#timer = undefined;
    this.#pumping = true;
    try {
      this.#pumpDue();
    } finally {
      this.#pumping = false;
    }
  }

  // Callbacks run inside this loop may enqueue or flush; the loop re-reads the queue each turn.
  #pumpDue(): void {
    const now = this.#clock.now();
    while (this.#queue.length > 0) {
      this.#skipEmptySegments();
      if (this.#queue.length === 0) break;
      // Far end dry (idle start, an underrun, or cleared by a flush in a callback): its playout
      // restarts with whatever comes next.
      if (now >= this.playTimeOf(this.#position)) {
        this.#anchorTime = now;
        this.#anchorPos = this.#position;
      }
      // Send while the far end holds no more than the lead; late timers catch up in one go.
      const dueAt = this.playTimeOf(this.#position) - this.leadMs;
      if (dueAt > now) {
        this.#timer = this.#clock.setTimeout(() => this.#pump(), dueAt - now);
        return;
      }
      this.#sendChunk();
    }
  }

  #skipEmptySegments(): void {
    while (this.#queue.length > 0 && this.#queue[0]!.bytes.length === 0) {
      const seg = this.#queue.shift()!;
      this.#onStart?.(seg.tag, this.#position);
      this.#onEnd?.(seg.tag, this.#position);
    }
  }

  #sendChunk(): void {
    // State is settled before any callback runs, so a callback may flush or enqueue safely.
    const take = Math.min(this.chunkBytes, this.#queuedBytes);
    const size = Math.max(take, this.minChunkBytes);
    const chunk = new Uint8Array(size);
    const started: Array<{ tag: T; position: number }> = [];
    const ended: Array<{ tag: T; position: number }> = [];
    const base = this.#position;
    let filled = 0;
    while (filled < take) {
      const seg = this.#queue[0]!;
      if (seg.offset === 0) started.push({ tag: seg.tag, position: base + filled });
      const n = Math.min(take - filled, seg.bytes.length - seg.offset);
      chunk.set(seg.bytes.subarray(seg.offset, seg.offset + n), filled);
      seg.offset += n;
      filled += n;
      if (seg.offset === seg.bytes.length) {
        this.#queue.shift();
        ended.push({ tag: seg.tag, position: base + filled });
      }
    }
    if (size > take) chunk.fill(this.#padByte, take);
    this.#queuedBytes -= take;
    this.#position += size;
    for (const s of started) this.#onStart?.(s.tag, s.position);
    this.#sink(chunk);
    for (const e of ended) this.#onEnd?.(e.tag, e.position);
  }
}
