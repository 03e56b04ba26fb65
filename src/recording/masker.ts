// The recording masker: both directions of a call on one timeline (stream position in samples from 0),
// held back by a lookahead so that a tone found late can still be masked from its true onset, then
// released as interleaved stereo mu-law (left = caller, right = bot) with every DTMF tone and every open
// secure window blanked in both channels. Deterministic: no clock, no I/O; the detector is a port.
// The detector watches four channels: caller, bot, and both amplified for quiet tones (boost.ts).
import type { DtmfEvent } from '../dtmf/events.js';
import { MULAW_SILENCE } from '../audio/g711.js';
import { DEFAULT_BOOST_DB, mulawBoostTable } from './boost.js';
import { DtmfSpanTracker, DEFAULT_GUARDS, type DtmfSpanGuards } from './dtmf-spans.js';
import { recordingError } from './errors.js';
import { checkFill, fillMulaw, SILENCE_FILL, type MaskFill } from './mask-fill.js';
import { PositionBuffer } from './position-buffer.js';
import { consolidateSpans, type MaskSpan } from './spans.js';

/**
 * The part of the DTMF detector the masker needs (src/dtmf's DtmfDetector fits). It takes interleaved
 * mu-law with 4 channels (caller, bot, boosted caller, boosted bot), or 2 when `boostDb` is 0.
 */
export interface DetectorPort {
  process(frame: Uint8Array, onEvent: (event: DtmfEvent) => void): void;
  flush(onEvent: (event: DtmfEvent) => void): void;
  close(): void;
}

export interface MaskerOptions {
  /** Recording delay; must exceed the detector's decision latency. Default 640 samples (80 ms). */
  readonly lookaheadSamples?: number;
  readonly guards?: DtmfSpanGuards;
  readonly fill?: MaskFill;
  /** Gain of the low-level detection path (see boost.ts); 0 turns it off. Default 24 dB. */
  readonly boostDb?: number;
  /** How far ahead of the caller's audio bot audio may be written (samples); more is dropped. Default 60 s. */
  readonly maxBotAheadSamples?: number;
}

/** A released piece of the recording: interleaved stereo mu-law starting at stream position `position`. */
export interface MaskedChunk {
  readonly position: number;
  readonly samples: number;
  readonly stereo: Uint8Array;
}

export interface MaskerStats {
  /** Bot samples that arrived after their position had been analysed and were dropped. */
  lateBotSamples: number;
  /** Samples a mask should have covered but that were already released (a leak; should stay 0). */
  lateMaskSamples: number;
  /** Samples of the timeline released so far. */
  releasedSamples: number;
}

export const DEFAULT_LOOKAHEAD_SAMPLES = 640;
export const MAX_LOOKAHEAD_SAMPLES = 800;

/** Channels the masker's detector must take for the given boost. */
export function detectorChannels(boostDb: number = DEFAULT_BOOST_DB): number {
  return boostDb > 0 ? 4 : 2;
}

export class RecordingMasker {
  readonly lookaheadSamples: number;
  readonly fill: MaskFill;
  readonly stats: MaskerStats = { lateBotSamples: 0, lateMaskSamples: 0, releasedSamples: 0 };
  readonly #detector: DetectorPort;
  readonly #tracker: DtmfSpanTracker;
  readonly #maxBotAhead: number;
  readonly #caller = new PositionBuffer();
  readonly #bot = new PositionBuffer();
  /** Everything before this was fed to the detector (both channels): the analysed head. */
  #analysed = 0;
  #released = 0;
  /** Closed spans that still reach into unreleased audio. */
  #pending: MaskSpan[] = [];
  /** Closed spans wholly released. */
  #done: MaskSpan[] = [];
  readonly #windows = new Map<string, number>();
  #finished = false;
  readonly #guards: DtmfSpanGuards;
  /** mu-law gain table of the low-level detection path, when on. */
  readonly #boost: Uint8Array | undefined;
  #scratch = new Uint8Array(0);
  readonly #onEvent = (e: DtmfEvent): void => {
    const span = this.#tracker.onEvent(e);
    if (e.type === 'suspect' || e.type === 'digit') this.#noteLate(Math.max(0, Math.floor(e.startSample) - this.#guards.beforeSamples));
    if (span) this.#addSpan(span);
  };

  constructor(detector: DetectorPort, options: MaskerOptions = {}) {
    this.lookaheadSamples = options.lookaheadSamples ?? DEFAULT_LOOKAHEAD_SAMPLES;
    this.fill = options.fill ?? SILENCE_FILL;
    this.#guards = options.guards ?? DEFAULT_GUARDS;
    this.#maxBotAhead = options.maxBotAheadSamples ?? 60 * 8000;
    if (!(Number.isInteger(this.lookaheadSamples) && this.lookaheadSamples >= 320 && this.lookaheadSamples <= MAX_LOOKAHEAD_SAMPLES)) {
      throw recordingError('ERR_RECORDING_OPTIONS', { lookaheadSamples: this.lookaheadSamples });
    }
    if (!(this.#guards.beforeSamples >= 0 && this.#guards.afterSamples >= 0)) throw recordingError('ERR_RECORDING_OPTIONS', { guards: this.#guards });
    checkFill(this.fill);
    const boostDb = options.boostDb ?? DEFAULT_BOOST_DB;
    if (!(boostDb >= 0 && boostDb <= 40)) throw recordingError('ERR_RECORDING_OPTIONS', { boostDb });
    this.#boost = boostDb > 0 ? mulawBoostTable(boostDb) : undefined;
    this.#detector = detector;
    this.#tracker = new DtmfSpanTracker(this.#guards);
  }

  /** Stream position up to which audio has been released. */
  get releasedPosition(): number {
    return this.#released;
  }

  /** Caller audio received up to here (exclusive). */
  get headPosition(): number {
    return this.#analysed;
  }

  /** Every span closed so far, consolidated (see consolidateSpans). */
  spans(): MaskSpan[] {
    return consolidateSpans([...this.#done, ...this.#pending]);
  }

  /**
   * Caller audio at `position` (its first sample). Gaps are silence; audio before the head is ignored.
   * Returns the audio released by this step, if any.
   */
  writeCaller(frame: Uint8Array, position: number): MaskedChunk | undefined {
    this.#check();
    this.#caller.write(frame, position, this.#analysed);
    this.#analyse(Math.max(this.#caller.end, this.#analysed));
    return this.#release(this.#analysed - this.lookaheadSamples);
  }

  /** Bot audio at timeline `position`. It must arrive before the caller's audio reaches that position. */
  writeBot(chunk: Uint8Array, position: number): void {
    this.#check();
    const limit = this.#analysed + this.#maxBotAhead;
    const keepTo = Math.min(position + chunk.length, limit);
    const kept = keepTo > position ? this.#bot.write(chunk.subarray(0, keepTo - position), position, this.#analysed) : 0;
    this.stats.lateBotSamples += chunk.length - kept;
  }

  /** Starts masking both channels at `at` (clamped to what is not yet released) until closed. */
  openSecureWindow(label: string, at: number): void {
    this.#check();
    if (this.#windows.has(label)) return;
    this.#noteLate(at);
    this.#windows.set(label, Math.max(at, this.#released));
  }

  /** Ends the window named `label` at `at`; returns false when no such window was open. */
  closeSecureWindow(label: string, at: number): boolean {
    this.#check();
    const start = this.#windows.get(label);
    if (start === undefined) return false;
    this.#windows.delete(label);
    // A close in the already-released past cannot unmask what went out masked.
    this.#addSpan({ start, end: Math.max(start, at, this.#released), reason: 'secure_window', label });
    return true;
  }

  /**
   * Ends the stream: analyses the rest (bot audio written beyond the caller's head included), closes
   * open tones and windows at the end, and releases everything.
   */
  finish(): MaskedChunk | undefined {
    this.#check();
    const end = Math.max(this.#caller.end, this.#bot.end, this.#analysed);
    this.#analyse(end);
    this.#detector.flush(this.#onEvent);
    for (const s of this.#tracker.closeAll(end)) this.#addSpan(s);
    for (const label of [...this.#windows.keys()]) this.closeSecureWindow(label, end);
    const out = this.#release(end);
    this.#finished = true;
    return out;
  }

  #analyse(to: number): void {
    const from = this.#analysed;
    if (to <= from) return;
    // One pass into a reused buffer: this runs for every caller frame of every call.
    const n = to - from;
    const width = this.#boost ? 4 : 2;
    if (this.#scratch.length < n * width) this.#scratch = new Uint8Array(Math.max(n * width, 2 * this.#scratch.length));
    const frame = this.#scratch.subarray(0, n * width);
    const caller = this.#caller.view(from, to);
    const bot = this.#bot.view(from, to);
    const boost = this.#boost;
    if (boost) interleave4(frame, caller, bot, boost, n);
    else interleave2(frame, caller, bot, n);
    this.#analysed = to;
    this.#detector.process(frame, this.#onEvent);
  }

  #release(to: number): MaskedChunk | undefined {
    const from = this.#released;
    if (to <= from) return undefined;
    const n = to - from;
    const stereo = new Uint8Array(n * 2);
    interleave2(stereo, this.#caller.view(from, to), this.#bot.view(from, to), n);
    for (const [start, end] of this.#masksOver(from, to)) {
      if (this.fill.kind === 'silence') {
        // Both channels blank over the same span: one contiguous fill (most of a payment call is
        // inside a secure window, so this runs on most released audio).
        const lo = Math.max(start, from) - from;
        const hi = Math.min(end, to) - from;
        if (hi > lo) stereo.fill(MULAW_SILENCE, 2 * lo, 2 * hi);
        continue;
      }
      fillMulaw(stereo, from, 2, 0, start, end, this.fill);
      fillMulaw(stereo, from, 2, 1, start, end, this.fill);
    }
    this.#released = to;
    this.stats.releasedSamples = to;
    this.#caller.discardBefore(to);
    this.#bot.discardBefore(to);
    const still: MaskSpan[] = [];
    for (const s of this.#pending) (s.end <= to ? this.#done : still).push(s);
    this.#pending = still;
    return { position: from, samples: to - from, stereo };
  }

  /** Intervals to blank within [from, to): closed spans, open tones and open windows. */
  #masksOver(from: number, to: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const s of this.#pending) if (s.start < to && s.end > from) out.push([s.start, s.end]);
    const open = this.#tracker.openFrom();
    if (open !== undefined && open < to) out.push([open, to]);
    for (const start of this.#windows.values()) if (start < to) out.push([start, to]);
    return out;
  }

  #addSpan(span: MaskSpan): void {
    if (span.end <= this.#released) this.#done.push(span);
    else this.#pending.push(span);
  }

  #noteLate(start: number): void {
    if (start < this.#released) this.stats.lateMaskSamples += this.#released - start;
  }

  #check(): void {
    if (this.#finished) throw recordingError('ERR_RECORDING_CLOSED');
  }
}

// The interleaves run for every sample of every call (three times per sample), so they store whole
// words: one 16- or 32-bit store per sample frame instead of two or four byte stores. Word order is
// the platform's; the byte fallback serves big-endian hosts and unaligned buffers.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** out = caller0 bot0 caller1 bot1 ... for n sample frames. */
function interleave2(out: Uint8Array, caller: Uint8Array, bot: Uint8Array, n: number): void {
  if (LITTLE_ENDIAN && out.byteOffset % 2 === 0) {
    const words = new Uint16Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) words[i] = caller[i]! | (bot[i]! << 8);
    return;
  }
  for (let i = 0; i < n; i++) {
    out[2 * i] = caller[i]!;
    out[2 * i + 1] = bot[i]!;
  }
}

/** out = caller0 bot0 boost(caller0) boost(bot0) ... for n sample frames. */
function interleave4(out: Uint8Array, caller: Uint8Array, bot: Uint8Array, boost: Uint8Array, n: number): void {
  if (LITTLE_ENDIAN && out.byteOffset % 4 === 0) {
    const words = new Uint32Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const c = caller[i]!;
      const b = bot[i]!;
      words[i] = (c | (b << 8) | (boost[c]! << 16) | (boost[b]! << 24)) >>> 0;
    }
    return;
  }
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const c = caller[i]!;
    const b = bot[i]!;
    out[o] = c;
    out[o + 1] = b;
    out[o + 2] = boost[c]!;
    out[o + 3] = boost[b]!;
  }
}
