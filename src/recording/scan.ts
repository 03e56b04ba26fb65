// The audit's core: finds DTMF digits in a recording, per channel, groups them into runs, and flags
// runs that could hold a card number (13-19 consecutive decimal digits passing Luhn). The detector
// is the product's own (WASM by default).
import { alawDecode } from '../audio/g711.js';
import type { WavAudio } from '../audio/wav.js';
import type { DtmfKey } from '../audio/tones.js';
import { createDtmfDetector, type DtmfEngine } from '../dtmf/detector.js';
import type { DtmfEvent } from '../dtmf/events.js';
import { appendBoostedLinear, appendBoostedMulaw, DEFAULT_BOOST_DB, mulawBoostTable } from './boost.js';
import { recordingError } from './errors.js';
import { luhnValid } from './luhn.js';

export interface FoundDigit {
  readonly channel: number;
  readonly digit: DtmfKey;
  readonly startSample: number;
  readonly endSample: number;
}

export interface DigitRun {
  readonly channel: number;
  readonly startSample: number;
  readonly endSample: number;
  /** Index range into the scan's `digits`. */
  readonly first: number;
  readonly count: number;
  /** Some 13-19 digit stretch of the run is Luhn-valid. */
  readonly possibleCard: boolean;
}

export interface ScanResult {
  readonly channels: number;
  readonly samples: number;
  readonly digits: readonly FoundDigit[];
  readonly runs: readonly DigitRun[];
  /** Suspected tone spans that never became digits (fragments a lenient decoder might still read). */
  readonly suspects: number;
}

export interface ScanOptions {
  readonly engine?: DtmfEngine;
  /** Gain of the low-level detection path (boost.ts); 0 turns it off. Default 24 dB. */
  readonly boostDb?: number;
  /** Digits closer than this (end to next start) belong to one run. Default 5 s. */
  readonly runGapSamples?: number;
}

const PIECE = 8000 * 8;

/**
 * Feeds a whole WAV through the detector; `onEvent` sees every event (redaction uses it). With a boost,
 * channels `channels..2*channels-1` of the events are the amplified copies of `0..channels-1`.
 * Returns the samples per channel.
 */
export function detectInWav(wav: WavAudio, onEvent: (e: DtmfEvent) => void, engine: DtmfEngine = 'wasm', boostDb = DEFAULT_BOOST_DB): number {
  if (wav.sampleRate !== 8000 || wav.channels < 1 || wav.channels > 8) {
    throw recordingError('ERR_RECORDING_AUDIT_FORMAT', { sampleRate: wav.sampleRate, channels: wav.channels });
  }
  const ch = wav.channels;
  // The detector takes at most 8 channels: no boosted copies beyond 4.
  const boost = boostDb > 0 && ch <= 4 ? boostDb : 0;
  // Linear input as samples: A-law has no kernel path, and boosting PCM16 needs the samples anyway.
  const linear = wav.encoding === 'alaw' ? alawDecode(wav.data) : wav.encoding === 'pcm16' ? pcm16Samples(wav.data) : undefined;
  const detector = createDtmfDetector({ channels: boost > 0 ? 2 * ch : ch, encoding: linear ? 'pcm16' : 'mulaw', engine });
  const table = boost > 0 ? mulawBoostTable(boost) : undefined;
  try {
    const total = Math.floor((linear ? linear.length : wav.data.length) / ch);
    for (let at = 0; at < total; at += PIECE) {
      const to = Math.min(total, at + PIECE);
      if (linear) {
        const piece = linear.subarray(at * ch, to * ch);
        detector.process(boost > 0 ? appendBoostedLinear(piece, ch, boost) : piece, onEvent);
      } else {
        const piece = wav.data.subarray(at * ch, to * ch);
        detector.process(table ? appendBoostedMulaw(piece, ch, table) : piece, onEvent);
      }
    }
    detector.flush(onEvent);
    return total;
  } finally {
    detector.close();
  }
}

function pcm16Samples(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** Digits, runs and card flags of one recording. */
export function scanRecording(wav: WavAudio, options: ScanOptions = {}): ScanResult {
  const digits: FoundDigit[] = [];
  const suspectSpans: Array<{ channel: number; start: number; end: number }> = [];
  const ch = wav.channels;
  const boosted: FoundDigit[] = [];
  const samples = detectInWav(
    wav,
    (e) => {
      // Boosted copies report on channel + ch; they count only where the plain channel saw nothing.
      const channel = e.channel % ch;
      if (e.type === 'digitend') {
        const d = { channel, digit: e.digit, startSample: Math.floor(e.startSample), endSample: Math.ceil(e.endSample) };
        (e.channel < ch ? digits : boosted).push(d);
      } else if (e.type === 'suspectend') suspectSpans.push({ channel, start: e.startSample, end: e.endSample });
    },
    options.engine,
    options.boostDb,
  );
  for (const b of boosted) if (!digits.some((d) => d.channel === b.channel && d.startSample < b.endSample && b.startSample < d.endSample)) digits.push(b);
  digits.sort((a, b) => a.channel - b.channel || a.startSample - b.startSample);
  const suspects = suspectSpans.filter((s) => !digits.some((d) => d.channel === s.channel && d.startSample < s.end && s.start < d.endSample)).length;
  return { channels: wav.channels, samples, digits, runs: groupRuns(digits, options.runGapSamples ?? 5 * 8000), suspects };
}

/** Consecutive decimal digits of one channel, split by a long pause or a non-decimal key; pure. */
export function groupRuns(digits: readonly FoundDigit[], gapSamples: number): DigitRun[] {
  const runs: DigitRun[] = [];
  let first = -1;
  const closeRun = (endIndex: number) => {
    if (first < 0) return;
    const list = digits.slice(first, endIndex);
    runs.push({
      channel: list[0]!.channel,
      startSample: list[0]!.startSample,
      endSample: list[list.length - 1]!.endSample,
      first,
      count: list.length,
      possibleCard: holdsCard(list.map((d) => d.digit).join('')),
    });
    first = -1;
  };
  for (let i = 0; i < digits.length; i++) {
    const d = digits[i]!;
    const decimal = d.digit >= '0' && d.digit <= '9';
    const prev = digits[i - 1];
    if (first >= 0 && (!decimal || !prev || prev.channel !== d.channel || d.startSample - prev.endSample > gapSamples)) closeRun(i);
    if (decimal && first < 0) first = i;
  }
  closeRun(digits.length);
  return runs;
}

/** Whether some 13-19 digit stretch of `run` is Luhn-valid; pure. */
export function holdsCard(run: string): boolean {
  for (let len = 13; len <= Math.min(19, run.length); len++) {
    for (let at = 0; at + len <= run.length; at++) if (luhnValid(run.slice(at, at + len))) return true;
  }
  return false;
}
